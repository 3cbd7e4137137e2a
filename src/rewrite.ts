// The parts of mod_rewrite's directives, as mod_rewrite reads them.
import type { Argument, Directive } from "../grammar/index.js";

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
  b: "b", bctls: "bctls", bne: "bne", bnp: "bnp", backrefnoplus: "bnp",
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

export function rewriteRuleParts(d: Directive): RewriteRuleParts | null {
  if (d.key !== "rewriterule") return null;
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
  for (let i = siblings.indexOf(rule) - 1; i >= 0; i--) {
    const n = siblings[i]!;
    if (n.kind === "blank" || n.kind === "comment") continue;
    if (n.kind !== "directive" || n.key !== "rewritecond") break;
    const c = rewriteCondParts(n);
    if (c) out.unshift(c);
  }
  return out;
}
