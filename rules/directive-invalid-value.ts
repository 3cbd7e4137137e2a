import type { Argument, Directive } from "../grammar/index.js";
import { defineRule, type Fix, type Report, type RuleContext } from "../src/core/rule.js";
import { refusalIn } from "../src/apache/file-kind.js";
import { allowedValues, directiveInfo, matchAllowed, type DirectiveInfo } from "../src/apache/directives.js";
import { limitMethods } from "../src/apache/config-names.js";
import { indexNoneAfter, KEYWORD_CHECKS, type KeywordCheck } from "../src/apache/keyword-lines.js";
import { UNSIGNED_VALUES } from "../src/data/keyword-arguments.js";
import { lineProblemReport, problemOf } from "./line-problem-report.js";

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
  category: "correctness",
  description: "A directive value outside the set Apache accepts",
  fixable: "unsafe",
  doc: {
    problem:
      "A directive whose argument must come from a fixed set (On/Off for the FLAG directives of core, mod_proxy, mod_rewrite, mod_ssl, mod_headers …; `Off|On|Full|Block` for ProxyVia, `none|optional|require|optional_no_ca` for SSLProxyVerify …) is given something else, such as `ProxyRequests off4167` or `ProxyPreserveHost maybe`. Lists whose words may carry `+` or `-` (`Options`, `FileETag`, `SSLProtocol`, `SSLProxyProtocol`, `SSLOptions`, `RegexDefaultOptions`) are checked word by word. The keyword lines of `Options`, `AllowOverride`, `AllowOverrideList`, `AllowMethods` and `IndexOptions` are read as their handlers read them: `Options Indexes +FollowSymLinks` (a bare word beside signed ones), `Options Indexes None`, `Options +None`, `AllowOverride On`, `AllowOverride AuthConfig,FileInfo`, `AllowOverride Options=+Indexes`, `AllowMethods` with no method, `AllowMethods get`, `AllowMethods GET reset`, `IndexOptions NameWidth=3`, `IndexOptions +DescriptionWidth`, `IndexOptions None FancyIndexing`.",
    bad: "ProxyRequests off4167\nProxyPreserveHost maybe",
    good: "ProxyRequests Off\nProxyPreserveHost On",
    why:
      "Apache compares the value case-insensitively and rejects anything else: `apache2 -t` stops with `ProxyRequests must be On or Off` (e1) and the server does not start; in .htaccess every request gets a 500. Only the first such error is shown per run. Words after a FLAG's value are ignored by Apache and words starting with `#` are reported by trailing-comment, so neither is checked here; a value holding `${VAR}` is left alone. "
      + "The keyword lines follow their handlers (src/apache/keyword-lines.ts, src/data/keyword-arguments.ts), each finding at the word the handler stops at and with its words: core.c's set_options (\"Illegal option Indexesx\", \"Either all Options must start with + or -, or no Option may.\" — None and All may stand before signed words, any other bare word may not —, \"'Options None' must be the first Option given.\", \"You may not use 'Options +None' or 'Options -None'.\"; the undocumented RunScripts is accepted), set_override (each word up to its `=`: \"Illegal override option On\", \"Illegal option +Indexes\" in an Options= list, \"=Override, =Unknown or =All expected after Nonfatal\"), set_override_list (\"'None' not allowed with other directives in AllowOverrideList\"), mod_allowmethods (\"AllowMethods: No method or 'reset' keyword given\", \"AllowMethods: Invalid Method 'get'\": method names are case-sensitive, `reset` stands alone, a method a <Limit> of the file names is registered and accepted) and mod_autoindex's add_opts (\"Invalid directory indexing option\", \"NameWidth value must be greater than 5\", \"DescriptionWidth with no value may only appear as '-DescriptionWidth'\", \"Cannot combine '-' with IconWidth=n\", \"Cannot combine other IndexOptions keywords with 'None'\" — also across the lines of one context). `FileETag +None` and `RegexDefaultOptions -None` are refused too (\"FileETag keyword 'None' cannot be used with '+' or '-'\").",
    versions:
      "All 2.4 releases. The table (src/data/directives.ts) was measured on 2.4.71: FLAG directives by Apache's own argument check, the other enumerations checked value by value against apache2; the keyword lines measured on 2.4.71 (test/rules/directive-invalid-value.test.ts re-measures them live).",
    fix:
      "Unsafe (it guesses the intent): when exactly one allowed value starts the text, the text is cut to it, keeping the letters as written (`off4167` → `off`); true/yes/1/enabled become On and false/no/0/disabled Off; a sign is dropped from None and All; `AllowOverride On` becomes All and `Off` None, `AuthConfig,FileInfo` two words. Safe: a method name in the wrong case is written in capitals (`get` → `GET`). Otherwise no fix.",
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
    let methods: Set<string> | undefined;
    /** IndexOptions: whether `None` is in force after the lines read so far, by context row (src/apache/keyword-lines.ts) */
    const indexNone = new Map<number, boolean>();
    for (const name of ctx.file.table.names) {
      const keywords = KEYWORD_CHECKS[name];
      const info = directiveInfo(name);
      if (!keywords && (!info || (!info.values && !info.each))) continue;
      // The verdict is a function of the text after the name: a large config repeats
      // `ProxyRequests Off` thousands of times, so accepted texts are remembered per name.
      // Not for the checks that depend on other lines (methods a <Limit> registers, IndexOptions None).
      const remember = !CONTEXTUAL.has(name);
      const accepted = new Set<string>();
      const t = ctx.file.table;
      const check = keywords ? (d: Directive) => keywordLine(d, keywords) : (d: Directive) => enumeration(d, info!);
      directive[name] = (d) => {
        const words = remember ? ctx.file.text.slice(t.nameEnd[d.row]!, t.end[d.row]!) : "";
        if (remember && accepted.has(words)) return;
        const before = reports;
        check(d);
        if (remember && reports === before) {
          if (accepted.size >= 10_000) accepted.clear();
          accepted.add(words);
        }
      };
    }

    const keywordLine = (d: Directive, keywords: KeywordCheck) => {
      const args = d.args;
      if (args.some((a) => a.unterminated || a.value.includes("${"))) return;
      const words = args.map((a) => a.value);
      // a line inside a conditional neither sees nor leaves an IndexOptions None: whether it is read is not known here
      const scope = d.key === "indexoptions" && ctx.facts.scopeRow(d.row) === ctx.facts.parentRows[d.row] ? ctx.facts.scopeRow(d.row) : null;
      const none = scope === null ? false : indexNone.get(scope) === true;
      const p = problemOf(d, (w) => keywords(w, { methods: (methods ??= limitMethods(ctx.facts)), indexNone: none }));
      if (scope !== null) indexNone.set(scope, indexNoneAfter(words, none));
      if (p) report_(lineProblemReport(ctx, d, args, p));
    };

    const enumeration = (d: Directive, info: DirectiveInfo) => {
      const args = d.args;
      if (info.arity === "flag" && args.length === 0) {
        report_({ message: `${d.name} must be On or Off and has no value: ${consequence(ctx)}.`, start: d.start, end: d.end });
        return;
      }
      const comment = d.trailingCommentIndex;
      const end = comment === -1 ? args.length : comment;
      // Apache reads only a FLAG's first word and ignores the rest (m06).
      const checked = info.arity === "flag" ? Math.min(end, 1) : end;
      const unsigned = UNSIGNED_VALUES[d.key];
      for (let i = 0; i < checked; i++) {
        const arg = args[i]!;
        const allowed = allowedValues(info, i);
        if (!allowed || arg.unterminated || arg.value.includes("${")) continue;
        const sign = signOf(info, arg.value);
        const bare = arg.value.slice(sign.length);
        if (!isAllowed(allowed, bare)) {
          report_(report(ctx, d, info, arg, allowed));
          continue;
        }
        const keyword = sign && unsigned ? matchAllowed(unsigned.values, bare) : undefined;
        if (keyword) {
          report_({
            message: `${keyword} takes no + or -: ${consequence(ctx)} ("${unsigned!.says.replace("{word}", bare)}").`,
            start: arg.start,
            end: arg.end,
            fix: { safety: "unsafe", title: `Replace "${arg.value}" with ${bare}`, edits: [{ start: arg.start, end: arg.end, text: `${arg.quote ?? ""}${bare}${arg.quote ?? ""}` }] },
          });
        }
      }
    };
    return { directive };
  },
});

/** Keyword lines whose verdict depends on other lines of the file. */
const CONTEXTUAL: ReadonlySet<string> = new Set(["indexoptions", "allowmethods"]);

/** matchAllowed, with the common case (the value spelt as documented: `On`) answered without lower-casing. */
function isAllowed(allowed: readonly string[], value: string): boolean {
  return allowed.includes(value) || matchAllowed(allowed, value) !== undefined;
}
