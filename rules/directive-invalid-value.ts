import type { Argument, Directive } from "../grammar/index.js";
import { defineRule, type Fix, type Report, type RuleContext } from "../src/core/rule.js";
import { refusalIn } from "../src/apache/file-kind.js";
import { allowedValues, directiveInfo, matchAllowed, type DirectiveInfo } from "../src/apache/directives.js";

// What people write for a FLAG when they mean On or Off.
const FLAG_SYNONYMS: Record<string, "On" | "Off"> = {
  true: "On", yes: "On", enable: "On", enabled: "On", "1": "On",
  false: "Off", no: "Off", disable: "Off", disabled: "Off", "0": "Off",
};

function listOf(values: readonly string[]): string {
  return values.length <= 2 ? values.join(" or ") : `${values.slice(0, -1).join(", ")} or ${values[values.length - 1]}`;
}

/** Writes `canonical` in the case the user wrote: all lower, all upper, or as documented. */
function inCaseOf(original: string, canonical: string): string {
  if (original === original.toLowerCase()) return canonical.toLowerCase();
  if (original === original.toUpperCase()) return canonical.toUpperCase();
  return canonical;
}

/**
 * The value the user most likely meant: the one allowed value the text starts
 * with (`off4167` → `off`, keeping the user's own letters), the longest when
 * they nest (`Minimalx` → `Minimal`), or a FLAG synonym (`true` → `On`).
 */
function intended(allowed: readonly string[], value: string): string | null {
  const v = value.toLowerCase();
  const prefixes = allowed.filter((a) => v.startsWith(a.toLowerCase())).sort((a, b) => b.length - a.length);
  const [best, ...rest] = prefixes;
  // `TLSv1.4` is no `TLSv1` with a typo after it: a version suffix is not cut off
  const cut = best !== undefined && value[best.length] !== ".";
  if (best && cut && rest.every((r) => best.toLowerCase().startsWith(r.toLowerCase()))) return value.slice(0, best.length);
  const syn = FLAG_SYNONYMS[v];
  if (syn && allowed.includes(syn)) return inCaseOf(value, syn);
  return null;
}

const consequence = (ctx: RuleContext) => refusalIn(ctx.fileKind);

/** The sign of a `+Value`/`-Value` word of a signed enumeration (Options, SSLProtocol …), or "". */
function signOf(info: DirectiveInfo, value: string): string {
  return info.signed && (value.startsWith("+") || value.startsWith("-")) ? value[0]! : "";
}

function report(ctx: RuleContext, d: Directive, info: DirectiveInfo, arg: Argument, allowed: readonly string[]): Report {
  const sign = signOf(info, arg.value);
  const what = info.arity === "flag" ? `${d.name} must be On or Off` : `${d.name} accepts ${listOf(allowed)}${info.signed ? " (each may carry + or -)" : ""}`;
  const r: Report = {
    message: `${what}, not "${arg.value}": ${consequence(ctx)}.`,
    start: arg.start,
    end: arg.end,
  };
  const meant = intended(allowed, arg.value.slice(sign.length));
  if (meant !== null) {
    const q = arg.quote ?? "";
    const fix: Fix = { safety: "unsafe", title: `Replace "${arg.value}" with ${sign}${meant}`, edits: [{ start: arg.start, end: arg.end, text: `${q}${sign}${meant}${q}` }] };
    r.fix = fix;
  }
  return r;
}

export default defineRule({
  id: "directive-invalid-value",
  severity: "error",
  description: "A directive value outside the set Apache accepts",
  fixable: "unsafe",
  doc: {
    problem:
      "A directive whose argument must come from a fixed set (On/Off for the FLAG directives of core, mod_proxy, mod_rewrite, mod_ssl, mod_headers …; `Off|On|Full|Block` for ProxyVia, `none|optional|require|optional_no_ca` for SSLProxyVerify …) is given something else, such as `ProxyRequests off4167` or `ProxyPreserveHost maybe`. Lists whose words may carry `+` or `-` (`Options`, `FileETag`, `SSLProtocol`, `SSLProxyProtocol`, `SSLOptions`, `RegexDefaultOptions`) are checked word by word, and `Options` may not mix signed words with bare ones (`Options Indexes +FollowSymLinks`).",
    bad: "ProxyRequests off4167\nProxyPreserveHost maybe",
    good: "ProxyRequests Off\nProxyPreserveHost On",
    why:
      "Apache compares the value case-insensitively and rejects anything else: `apache2 -t` stops with `ProxyRequests must be On or Off` (e1) and the server does not start; in .htaccess every request gets a 500. Only the first such error is shown per run. Words after a FLAG's value are ignored by Apache and words starting with `#` are reported by trailing-comment, so neither is checked here; a value holding `${VAR}` is left alone.",
    versions:
      "All 2.4 releases. The table (src/data/directives.ts) was measured on 2.4.71: FLAG directives by Apache's own argument check, the other enumerations checked value by value against apache2.",
    fix:
      "Unsafe (it guesses the intent): when exactly one allowed value starts the text, the text is cut to it, keeping the letters as written (`off4167` → `off`); true/yes/1/enabled become On and false/no/0/disabled Off. Otherwise no fix.",
    cases: ["e1", "m06", "m36"],
  },
  create(ctx) {
    // only the names of the file that have a fixed set of values get a handler
    const directive: Record<string, (d: Directive) => void> = {};
    let reports = 0;
    const report_ = (r: Report) => {
      reports++;
      ctx.report(r);
    };
    for (const name of ctx.file.table.names) {
      const info = directiveInfo(name);
      if (!info || (!info.values && !info.each)) continue;
      // The verdict is a function of the text after the name: a large config repeats
      // `ProxyRequests Off` thousands of times, so accepted texts are remembered per name.
      const accepted = new Set<string>();
      const t = ctx.file.table;
      directive[name] = (d) => {
        const words = ctx.file.text.slice(t.nameEnd[d.row]!, t.end[d.row]!);
        if (accepted.has(words)) return;
        const before = reports;
        check(d);
        if (reports === before) {
          if (accepted.size >= 10_000) accepted.clear();
          accepted.add(words);
        }
      };
      const check = (d: Directive) => {
        const first = reports;
        const args = d.args;
        if (info.arity === "flag" && args.length === 0) {
          report_({ message: `${d.name} must be On or Off and has no value: ${consequence(ctx)}.`, start: d.start, end: d.end });
          return;
        }
        const comment = d.trailingCommentIndex;
        const end = comment === -1 ? args.length : comment;
        // Apache reads only a FLAG's first word and ignores the rest (m06).
        const checked = info.arity === "flag" ? Math.min(end, 1) : end;
        for (let i = 0; i < checked; i++) {
          const arg = args[i]!;
          const allowed = allowedValues(info, i);
          if (!allowed || arg.unterminated || arg.value.includes("${")) continue;
          if (!isAllowed(allowed, arg.value.slice(signOf(info, arg.value).length))) report_(report(ctx, d, info, arg, allowed));
        }
        // a line with a wrong value already stops Apache; its mix is not worth a second finding
        if (info.unmixed && reports === first) mixed(d, checked);
      };
      /** `Options Indexes +FollowSymLinks`: the first word whose form differs from the first word's. */
      const mixed = (d: Directive, checked: number) => {
        const args = d.args;
        const signed = (i: number) => signOf(info, args[i]!.value) !== "";
        for (let i = 1; i < checked; i++) {
          if (signed(i) === signed(0) || args[i]!.value.includes("${")) continue;
          const arg = args[i]!;
          report_({
            message:
              `${d.name} mixes "${args[0]!.value}" with "${arg.value}": ` +
              `either every value carries + or - or none does: ${consequence(ctx)} ("Either all Options must start with + or -, or no Option may.").`,
            start: arg.start,
            end: arg.end,
          });
          return;
        }
      };
    }
    return { directive };
  },
});

/** matchAllowed, with the common case (the value spelt as documented: `On`) answered without lower-casing. */
function isAllowed(allowed: readonly string[], value: string): boolean {
  return allowed.includes(value) || matchAllowed(allowed, value) !== undefined;
}
