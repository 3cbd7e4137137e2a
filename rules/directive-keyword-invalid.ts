// Directives that read their own line (RAW_ARGS, TAKE_ARGV) check their
// keywords themselves and refuse the configuration on the first one they do
// not know: Mutex's mechanism and mutex types, LogLevel's levels and module
// names, RequestReadTimeout's stages, ExtFilterDefine's parameters … The
// readers are in src/apache/directive-keywords.ts; this rule reports what they
// find at the word, with Apache's own words.
import type { Directive } from "../grammar/index.js";
import { ConditionVerdicts, CONDITIONS_FACT } from "../src/apache/conditions.js";
import { KEYWORD_READERS, type KeywordProblem } from "../src/apache/directive-keywords.js";
import { refusalIn } from "../src/apache/file-kind.js";
import { defineRule, type Report } from "../src/core/rule.js";

/** A macro body is a template: `$arg` may stand for any word once expanded. */
const MACRO: ReadonlySet<string> = new Set(["macro"]);

export default defineRule({
  id: "directive-keyword-invalid",
  severity: "error",
  category: "correctness",
  severities: ["error", "warning"],
  description: "A keyword, option or key=value word that the directive's own parser refuses (Mutex, LogLevel, RequestReadTimeout, ExtFilterDefine …)",
  fixable: "unsafe",
  doc: {
    problem:
      "Some directives read their line themselves and know their own words: `Mutex` a mechanism then mutex types " +
      "(`Mutex sysvsem default extra`, `Mutex default ssl-cache` without mod_ssl), `LogLevel` levels and " +
      "`module:level` pairs (`LogLevel warning`, `LogLevel mod_rewrite:trace3`), `RequestReadTimeout` key=value " +
      "stages (`headers=20`, `header=20-40` without `,MinRate=`), `ExtFilterDefine` parameters (`mode=`, `cmd=` …), " +
      "`AuthnzFcgiCheckAuthnProvider` option/value pairs, ProxyHCExpr's name and single expression, the flags after the mode " +
      "of `SSLOCSPEnable`, `SSLCARevocationCheck` and `SSLProxyCARevocationCheck`, and SetEnvIf's first word when it " +
      "is a regular expression over header names. A word outside the set stops Apache.",
    bad: "Mutex sysvsem default extra\nLogLevel warning mod_rewrite:trace3\nRequestReadTimeout header=20-40 body=20,MinRate=500",
    good: "Mutex sysvsem default\nLogLevel warn rewrite:trace3\nRequestReadTimeout header=20-40,MinRate=500 body=20,MinRate=500",
    why:
      "Each handler refuses the configuration on the first word it cannot read, in its own words, which this rule " +
      "quotes: util_mutex.c's ap_set_mutex (`Mutex type extra is not valid`: mutex type names are case-sensitive and " +
      "exist only when the module that registers them is loaded, `mpm-accept` only with the prefork and worker MPMs; " +
      "`None is not allowed for mutex type …` for every type of 2.4.71), core.c's set_loglevel (`Log level keyword " +
      "must be one of …`; `Cannot find module mod_rewrite`: a module is named by its identifier with or without " +
      "`_module` or by its source file, case-sensitively, and must be loaded), mod_reqtimeout's set_reqtimeouts, " +
      "mod_ext_filter's define_filter (\"Unexpected parameter: `extra'\"), mod_authnz_fcgi's option pairs, " +
      "mod_proxy_hcheck's set_hc_condition (`error: extra parameter(s)`, `Expression name limited to 15 characters`), mod_ssl's " +
      "`Invalid argument ''`, mod_setenvif's `SetEnvIfHeader name regex could not be compiled.`. Checks that depend " +
      "on the loaded modules are made only when the server's modules are known, and not in the body of an " +
      "`<IfModule>` Apache skips; other findings there are warnings. A word holding `${VAR}` is left alone, and so " +
      "is a `<Macro>` body. Not checked: directories (`Mutex file:/dir`, which must exist on the server where it runs), " +
      "expressions (`UserExpr`, ProxyHCExpr's, SSLRequire: ap_expr's grammar), a filter ExtFilterDefine defined twice; " +
      "MDCertificateAuthority's CA names and URLs are url-invalid's.",
    versions: "Measured on Debian's apache2 2.4.71 with every module loaded. RequestReadTimeout's `handshake=` stage is new in 2.4.59: older releases refuse it as unknown.",
    fix:
      "Unsafe: a word with one clear meaning is replaced by it — a level synonym (`warning` → `warn`), a module in " +
      "the wrong form (`mod_rewrite` → `rewrite`), a mutex type in the wrong case, a typo one or two letters from " +
      "one known word (`headers=` → `header=`, `Authoritive` → `Authoritative`).",
  },
  create(ctx) {
    const { facts, file, server } = ctx;
    const refusal = refusalIn(ctx.fileKind);
    const verdicts = () => facts.shared(CONDITIONS_FACT, (f) => new ConditionVerdicts(f, { server }));

    const toReport = (d: Directive, p: KeywordProblem): Report | null => {
      const r: Report = { message: `${p.what}: ${refusal} ("${p.says}").`, start: p.start, end: p.end };
      const skippedBy = verdicts().skippedBy(d.row);
      if (skippedBy >= 0) {
        // which modules are loaded decides nothing in a body Apache does not read
        if (p.needsModules) return null;
        const tag = file.text.slice(file.table.start[skippedBy]!, file.table.end[skippedBy]!);
        r.severity = "warning";
        r.message = `${p.what}: Apache skips it today because \`${tag}\` is false here, and stops the day it is true ("${p.says}").`;
      }
      const rep = p.replacement;
      if (rep && file.text.slice(p.start, p.end) === rep.of) {
        r.fix = { safety: "unsafe", title: `Replace \`${rep.of}\` with \`${rep.with}\``, edits: [{ start: p.start, end: p.end, text: rep.with }] };
      }
      return r;
    };

    const directive: Record<string, (d: Directive) => void> = {};
    for (const [key, read] of Object.entries(KEYWORD_READERS)) {
      directive[key] = (d) => {
        // an unclosed quote is quote-unbalanced's finding
        if (d.args.some((a) => a.unterminated) || facts.enclosingRow(d.row, MACRO) >= 0) return;
        for (const p of read(d, server)) {
          const r = toReport(d, p);
          if (r) ctx.report(r);
        }
      };
    }
    return { directive };
  },
});
