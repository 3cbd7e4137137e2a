// The parts of mod_rewrite's directives, as mod_rewrite reads them.
import { continuationAt, indexInParent, type Argument, type ConfigFile, type Directive } from "../../grammar/index.js";
import { BLANK, COMMENT, DIRECTIVE } from "../../grammar/line-table.js";
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

export interface RewriteCondParts {
  directive: Directive;
  testString: Argument;
  condPattern: Argument;
  flags: FlagsField | null;
  extra: readonly Argument[];
}

// Parts are views on the directive's arguments (scanned once per view): cheap
// to make, so each rule makes its own; the flags are split only when asked for.
abstract class Parts {
  private _flags: FlagsField | null | undefined = undefined;
  protected abstract readonly kind: "rule" | "cond";
  constructor(
    readonly directive: Directive,
    protected readonly args: readonly Argument[],
  ) {}
  /** the flags word, not split */
  get flagsArg(): Argument | undefined {
    return this.args[2];
  }
  get flags(): FlagsField | null {
    if (this._flags === undefined) this._flags = this.args[2] ? parseFlags(this.args[2], this.kind) : null;
    return this._flags;
  }
  get extra(): readonly Argument[] {
    return this.args.slice(3);
  }
  /** Does the flags field name `canonical` (known per distinct flags text, without splitting it here)? */
  hasFlag(canonical: string): boolean {
    const a = this.args[2];
    return a !== undefined && (this.kind === "rule" ? ruleFlagSet : condFlagSet)(a.value).has(canonical);
  }
}

class RuleParts extends Parts implements RewriteRuleParts {
  protected readonly kind = "rule";
  get pattern(): Argument {
    return this.args[0]!;
  }
  get substitution(): Argument {
    return this.args[1]!;
  }
}

class CondParts extends Parts implements RewriteCondParts {
  protected readonly kind = "cond";
  get testString(): Argument {
    return this.args[0]!;
  }
  get condPattern(): Argument {
    return this.args[1]!;
  }
}

export function rewriteRuleParts(d: Directive): RewriteRuleParts | null {
  if (d.key !== "rewriterule") return null;
  const args = d.args;
  return args.length >= 2 ? new RuleParts(d, args) : null;
}

export function rewriteCondParts(d: Directive): RewriteCondParts | null {
  if (d.key !== "rewritecond") return null;
  const args = d.args;
  return args.length >= 2 ? new CondParts(d, args) : null;
}

/** The canonical names a flags field lists, as parseFlags reads them (none when its delimiters are wrong). */
function flagSet(kind: "rule" | "cond"): (value: string) => ReadonlySet<string> {
  return memoByString((v: string) => {
    const out = new Set<string>();
    if (!v.startsWith("[") || !v.endsWith("]") || v.length < 2) return out;
    for (const part of v.slice(1, -1).split(",")) {
      const text = part.trim();
      if (!text) continue;
      const eq = text.indexOf("=");
      const c = (kind === "rule" ? ruleFlagName : condFlagName)(eq === -1 ? text : text.slice(0, eq));
      if (c !== null) out.add(c);
    }
    return out;
  }, 1000);
}
const ruleFlagSet = flagSet("rule");
const condFlagSet = flagSet("cond");

export function hasFlag(parts: { flags: FlagsField | null }, canonical: string): boolean {
  if (parts instanceof Parts) return parts.hasFlag(canonical);
  return parts.flags?.flags.some((f) => f.canonical === canonical) ?? false;
}

/** What condsOf and the RewriteMap/Define names need of the file's facts (src/core/facts.ts FileFacts). */
export interface RewriteFacts {
  readonly parentRows: Int32Array;
  directiveRows(key: string): Int32Array;
  directiveAt(row: number): Directive;
  shared<T>(key: string, compute: (facts: RewriteFacts) => T): T;
}

/**
 * The first row of the RewriteCond lines that apply to the RewriteRule at
 * `row`: the run of RewriteConds directly before it in the same section, blank
 * and comment lines between them allowed; `row` itself when there is none.
 * Linear in the length of the run, from the line table.
 */
export function condRunStart(file: ConfigFile, parentRows: Int32Array, row: number): number {
  const t = file.table;
  const parent = parentRows[row];
  let start = row;
  for (let p = row - 1; p >= 0 && parentRows[p] === parent; p--) {
    const k = t.kind[p];
    if (k === BLANK || k === COMMENT) continue;
    if (k !== DIRECTIVE || t.names[t.key[p]!] !== "rewritecond") break;
    start = p;
  }
  return start;
}

/**
 * The RewriteConds that apply to a RewriteRule: the run directly before it in
 * the same parent. With the file's facts it reads rows; without them (legacy
 * callers) it scans the parent's children.
 */
export function condsOf(rule: Directive, facts?: RewriteFacts): RewriteCondParts[] {
  const out: RewriteCondParts[] = [];
  if (facts) {
    const t = rule.file.table;
    for (let r = condRunStart(rule.file, facts.parentRows, rule.row); r < rule.row; r++) {
      if (t.kind[r] !== DIRECTIVE) continue;
      const c = rewriteCondParts(facts.directiveAt(r));
      if (c) out.push(c);
    }
    return out;
  }
  const siblings = rule.parent.children;
  for (let i = indexInParent(rule) - 1; i >= 0; i--) {
    const n = siblings[i]!;
    if (n.kind === "blank" || n.kind === "comment") continue;
    if (n.kind !== "directive" || n.key !== "rewritecond") break;
    const c = rewriteCondParts(n);
    if (c) out.unshift(c);
  }
  return out;
}

function namesOf(facts: RewriteFacts, key: string, lower: boolean): Set<string> {
  const out = new Set<string>();
  for (const row of facts.directiveRows(key)) {
    const name = facts.directiveAt(row).args[0]?.value;
    if (name) out.add(lower ? name.toLowerCase() : name);
  }
  return out;
}

/** The RewriteMap names the file declares: looked up case-sensitively (apr_hash). Shared per file. */
export function rewriteMapNames(facts: RewriteFacts): ReadonlySet<string> {
  return facts.shared("rewrite:maps", (f) => namesOf(f, "rewritemap", false));
}

/** The Define names the file declares, lower-cased: looked up case-insensitively (apr_table). Shared per file. */
export function defineNames(facts: RewriteFacts): ReadonlySet<string> {
  return facts.shared("core:define-names-lower", (f) => namesOf(f, "define", true));
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

// Counted once per distinct pattern, shared with regex-invalid (src/apache/pcre.ts analyzeRegex).
export { captureGroupCount } from "./pcre.js";

/** Every spelling mod_rewrite accepts for a RewriteRule / RewriteCond flag, lower-cased. */
export const RULE_FLAG_SPELLINGS: readonly string[] = Object.keys(RULE_FLAGS);
export const COND_FLAG_SPELLINGS: readonly string[] = Object.keys(COND_FLAGS);
