// The parts of mod_rewrite's directives, as mod_rewrite reads them.
import { continuationAt, indexInParent, type Argument, type Directive } from "../../grammar/index.js";
import { RegExpParser, visitRegExpAST } from "@eslint-community/regexpp";
import { memoByString } from "./memo.js";

export interface RewriteFlag {
  /** the flag name as written, without `=value` */
  name: string;
  /** lower-cased canonical name when known ("proxy" for P), else null */
  canonical: string | null;
  value: string | null;
  /** offsets of the flag text inside the file */
  start: number;
  end: number;
}

export interface FlagsField {
  arg: Argument;
  flags: RewriteFlag[];
  /** Apache's complaint about the delimiters, or null */
  delimiterError: string | null;
}

// Flag tables from mod_rewrite.c (cmd_rewriterule_setflag / cmd_rewritecond_setflag):
// short and long spellings, case-insensitive.
const RULE_FLAGS: Record<string, string> = {
  // The long forms are spelt as mod_rewrite.c compares them: "backrefernoplus",
  // not the documented "backrefnoplus", which 2.4.71 rejects (unknown flag).
  b: "b", backrefescaping: "b", bctls: "bctls", bne: "bne", bnp: "bnp", backrefernoplus: "bnp",
  c: "chain", chain: "chain",
  co: "cookie", cookie: "cookie",
  dpi: "discardpath", discardpath: "discardpath",
  e: "env", env: "env",
  end: "end",
  f: "forbidden", forbidden: "forbidden",
  g: "gone", gone: "gone",
  h: "handler", handler: "handler",
  l: "last", last: "last",
  n: "next", next: "next",
  nc: "nocase", nocase: "nocase",
  ne: "noescape", noescape: "noescape",
  ns: "nosubreq", nosubreq: "nosubreq",
  p: "proxy", proxy: "proxy",
  pt: "passthrough", passthrough: "passthrough",
  qsa: "qsappend", qsappend: "qsappend",
  qsd: "qsdiscard", qsdiscard: "qsdiscard",
  qsl: "qslast", qslast: "qslast",
  r: "redirect", redirect: "redirect",
  s: "skip", skip: "skip",
  t: "type", type: "type",
  unsafeallow3f: "unsafeallow3f",
  unsafeprefixstat: "unsafeprefixstat",
};

const COND_FLAGS: Record<string, string> = {
  nc: "nocase", nocase: "nocase",
  or: "ornext", ornext: "ornext",
  nv: "novary", novary: "novary",
};

export function ruleFlagName(name: string): string | null {
  return RULE_FLAGS[name.toLowerCase()] ?? null;
}

export function condFlagName(name: string): string | null {
  return COND_FLAGS[name.toLowerCase()] ?? null;
}

/**
 * Splits `[A,B=c]` as mod_rewrite's cmd_parseflagfield does: the field must
 * start with `[` and end with `]`; flags are comma-separated, blanks around them ignored.
 */
export function parseFlags(arg: Argument, kind: "rule" | "cond"): FlagsField {
  const v = arg.value;
  if (!v.startsWith("[") || !v.endsWith("]") || v.length < 2) {
    return { arg, flags: [], delimiterError: "bad flag delimiters" };
  }
  // Offsets are exact when the argument is written plainly (the usual case); for
  // quoted or escaped flags they are approximated from the raw text.
  const rawOffset = arg.quote ? 1 : 0;
  const flags: RewriteFlag[] = [];
  const body = v.slice(1, -1);
  let at = 0;
  for (const part of body.split(",")) {
    const lead = part.length - part.trimStart().length;
    const text = part.trim();
    if (text) {
      const eq = text.indexOf("=");
      const name = eq === -1 ? text : text.slice(0, eq);
      const start = arg.start + rawOffset + 1 + at + lead;
      flags.push({
        name,
        canonical: kind === "rule" ? ruleFlagName(name) : condFlagName(name),
        value: eq === -1 ? null : text.slice(eq + 1),
        start,
        end: start + text.length,
      });
    }
    at += part.length + 1;
  }
  return { arg, flags, delimiterError: null };
}

export interface RewriteRuleParts {
  directive: Directive;
  pattern: Argument;
  substitution: Argument;
  flags: FlagsField | null;
  /** words after the flags: Apache ignores them */
  extra: readonly Argument[];
}

// Several rules ask for the same directive's parts; the AST is immutable, so they are worked out once.
const ruleParts = new WeakMap<Directive, RewriteRuleParts | null>();
const condParts = new WeakMap<Directive, RewriteCondParts | null>();

export function rewriteRuleParts(d: Directive): RewriteRuleParts | null {
  if (d.key !== "rewriterule") return null;
  let parts = ruleParts.get(d);
  if (parts === undefined) ruleParts.set(d, (parts = readRuleParts(d)));
  return parts;
}

function readRuleParts(d: Directive): RewriteRuleParts | null {
  const [pattern, substitution, flags, ...extra] = d.args;
  if (!pattern || !substitution) return null;
  return { directive: d, pattern, substitution, flags: flags ? parseFlags(flags, "rule") : null, extra };
}

export interface RewriteCondParts {
  directive: Directive;
  testString: Argument;
  condPattern: Argument;
  flags: FlagsField | null;
  extra: readonly Argument[];
}

export function rewriteCondParts(d: Directive): RewriteCondParts | null {
  if (d.key !== "rewritecond") return null;
  let parts = condParts.get(d);
  if (parts === undefined) condParts.set(d, (parts = readCondParts(d)));
  return parts;
}

function readCondParts(d: Directive): RewriteCondParts | null {
  const [testString, condPattern, flags, ...extra] = d.args;
  if (!testString || !condPattern) return null;
  return { directive: d, testString, condPattern, flags: flags ? parseFlags(flags, "cond") : null, extra };
}

export function hasFlag(parts: { flags: FlagsField | null }, canonical: string): boolean {
  return parts.flags?.flags.some((f) => f.canonical === canonical) ?? false;
}

/** The RewriteConds that apply to a RewriteRule: the run directly before it in the same parent. */
export function condsOf(rule: Directive): RewriteCondParts[] {
  const siblings = rule.parent.children;
  const out: RewriteCondParts[] = [];
  for (let i = indexInParent(rule) - 1; i >= 0; i--) {
    const n = siblings[i]!;
    if (n.kind === "blank" || n.kind === "comment") continue;
    if (n.kind !== "directive" || n.key !== "rewritecond") break;
    const c = rewriteCondParts(n);
    if (c) out.unshift(c);
  }
  return out;
}

// --- Server variables and expansions (used by rewrite-var-sigil, rewrite-backref-without-group) ---

/**
 * The plain `%{NAME}` variables mod_rewrite knows (lookup_variable in
 * mod_rewrite.c, 2.4.x; names are upper-cased before the lookup, so they are
 * case-insensitive). Any other plain name expands to the empty string.
 */
export const REWRITE_VARIABLES: ReadonlySet<string> = new Set([
  // headers with a variable of their own
  "HTTP_ACCEPT", "HTTP_COOKIE", "HTTP_FORWARDED", "HTTP_HOST", "HTTP_PROXY_CONNECTION", "HTTP_REFERER", "HTTP_USER_AGENT",
  // connection and request
  "AUTH_TYPE", "CONN_REMOTE_ADDR", "CONTEXT_PREFIX", "CONTEXT_DOCUMENT_ROOT", "IPV6", "PATH_INFO", "QUERY_STRING",
  "REMOTE_ADDR", "REMOTE_HOST", "REMOTE_IDENT", "REMOTE_PORT", "REMOTE_USER", "REQUEST_METHOD", "SCRIPT_FILENAME",
  // server internals
  "DOCUMENT_ROOT", "SCRIPT_GROUP", "SCRIPT_USER", "SERVER_ADDR", "SERVER_ADMIN", "SERVER_NAME", "SERVER_PORT",
  "SERVER_PROTOCOL", "SERVER_SOFTWARE",
  // date and time
  "TIME", "TIME_DAY", "TIME_HOUR", "TIME_MIN", "TIME_MON", "TIME_SEC", "TIME_WDAY", "TIME_YEAR",
  // specials
  "API_VERSION", "HTTPS", "IS_SUBREQ", "REQUEST_FILENAME", "REQUEST_SCHEME", "REQUEST_URI", "THE_REQUEST",
]);

/** `%{PREFIX:rest}` forms: a request header, an environment variable, a mod_ssl variable, the two look-aheads. Case-insensitive. */
export const REWRITE_VARIABLE_PREFIXES: ReadonlySet<string> = new Set(["HTTP", "ENV", "SSL", "LA-U", "LA-F"]);

/** Is `name` (the text between the braces) something `%{name}` looks up? */
export function isRewriteVariable(name: string): boolean {
  const colon = name.indexOf(":");
  if (colon === -1) return REWRITE_VARIABLES.has(name.toUpperCase());
  return colon < name.length - 1 && REWRITE_VARIABLE_PREFIXES.has(name.slice(0, colon).toUpperCase());
}

/** One special in a string mod_rewrite expands; offsets index the argument's value. */
export type Expansion =
  /** `%{name}`: a server variable */
  | { kind: "variable"; name: string; start: number; end: number }
  /** `${map:key}` or `${map:key|default}`: a RewriteMap lookup */
  | { kind: "map"; map: string; start: number; end: number }
  /** `${name}` without a colon: mod_rewrite copies it as text (core has already expanded Defines) */
  | { kind: "dollar-brace"; name: string; start: number; end: number }
  /** `$N` (RewriteRule pattern group) or `%N` (last matched RewriteCond group) */
  | { kind: "backref"; sigil: "$" | "%"; n: number; start: number; end: number };

/** Offset of the `}` that closes a brace opened before `from`, counting nested braces, or -1. */
function closingCurly(s: string, from: number): number {
  let depth = 1;
  for (let i = from; i < s.length; i++) {
    if (s[i] === "}" && --depth === 0) return i;
    if (s[i] === "{") depth++;
  }
  return -1;
}

/** Offset of `c` at brace depth 1 before the brace closes, or -1. */
function charInCurlies(s: string, from: number, c: string): number {
  let depth = 1;
  for (let i = from; i < s.length; i++) {
    if (s[i] === c && depth === 1) return i;
    if (s[i] === "}" && --depth === 0) return -1;
    if (s[i] === "{") depth++;
  }
  return -1;
}

/**
 * The specials in a substitution or test string, scanned as mod_rewrite's
 * do_expand does: `\` escapes the next character, `%{…}` and `${…}` are
 * lookups, `$0`-`$9` and `%0`-`%9` are back-references (one digit only).
 * Map keys and defaults are expanded too, so their specials are reported.
 */
export function expansions(value: string): Expansion[] {
  const out: Expansion[] = [];
  let i = 0;
  while (i < value.length) {
    const c = value[i]!;
    if (c === "\\") {
      i += 2;
      continue;
    }
    if (c !== "$" && c !== "%") {
      i++;
      continue;
    }
    const next = value[i + 1];
    if (next === "{") {
      const close = closingCurly(value, i + 2);
      if (close === -1) {
        i += 2;
      } else if (c === "%") {
        out.push({ kind: "variable", name: value.slice(i + 2, close), start: i, end: close + 1 });
        i = close + 1;
      } else {
        const colon = charInCurlies(value, i + 2, ":");
        if (colon === -1) {
          out.push({ kind: "dollar-brace", name: value.slice(i + 2, close), start: i, end: close + 1 });
          i += 2;
        } else {
          out.push({ kind: "map", map: value.slice(i + 2, colon), start: i, end: close + 1 });
          i = colon + 1;
        }
      }
    } else if (next !== undefined && next >= "0" && next <= "9") {
      out.push({ kind: "backref", sigil: c, n: Number(next), start: i, end: i + 2 });
      i += 2;
    } else {
      i++;
    }
  }
  return out;
}

/**
 * File offset of every character of `arg.value`, plus one past the last: the
 * map from value indices back to the text, across quotes, escapes and
 * continuations (mirrors scanArguments).
 */
export function valueOffsets(arg: Argument): number[] {
  const raw = arg.raw;
  const out: number[] = [];
  let j = arg.quote ? 1 : 0;
  const limit = arg.quote && !arg.unterminated ? raw.length - 1 : raw.length;
  while (j < limit) {
    if (raw[j] === "\\") {
      const k = continuationAt(raw, j);
      if (k) {
        j += k;
        continue;
      }
      // The escaped character may follow a continuation (Apache joins lines first).
      let e = j + 1;
      for (let k = continuationAt(raw, e); k; k = continuationAt(raw, e)) e += k;
      const n = raw[e];
      if (e < limit && (n === "\\" || (arg.quote !== null && n === arg.quote))) {
        out.push(arg.start + e);
        j = e + 1;
        continue;
      }
    }
    out.push(arg.start + j);
    j++;
  }
  out.push(arg.start + limit);
  return out;
}

const regexParser = new RegExpParser({ ecmaVersion: 2025 });

/**
 * How many capture groups a PCRE pattern has, or null when that cannot be
 * known: regexpp parses the JavaScript dialect, so PCRE-only syntax it rejects
 * (`(?i)`, possessive `a++`, `(?P<n>…)`) gives null, and so do the two forms it
 * would parse differently (`\Q…\E` quoting; `[]…]` / `[^]…]`, where PCRE takes
 * the `]` as a literal).
 */
export const captureGroupCount: (pattern: string) => number | null = memoByString(countCaptureGroups);

function countCaptureGroups(pattern: string): number | null {
  if (/\\Q|\[\^?\]/.test(pattern)) return null;
  let ast;
  try {
    ast = regexParser.parsePattern(pattern, 0, pattern.length, { unicode: false, unicodeSets: false });
  } catch {
    return null;
  }
  let n = 0;
  visitRegExpAST(ast, { onCapturingGroupEnter: () => void n++ });
  return n;
}

/** Every spelling mod_rewrite accepts for a RewriteRule / RewriteCond flag, lower-cased. */
export const RULE_FLAG_SPELLINGS: readonly string[] = Object.keys(RULE_FLAGS);
export const COND_FLAG_SPELLINGS: readonly string[] = Object.keys(COND_FLAGS);
