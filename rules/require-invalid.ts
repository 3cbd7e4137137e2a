import type { Directive, Section } from "../grammar/index.js";
import { REQUIRE_SECTIONS } from "../src/data/authz-providers.js";
import { definedProviders, limitMethods } from "../src/apache/config-names.js";
import type { LineProblem } from "../src/apache/line-problem.js";
import { isNegated, namesKnownProvider, requireProblem, type RequireContext } from "../src/apache/require-line.js";
import { isConditionalKey, isPerDirectory } from "../src/apache/scope.js";
import { defineRule, type RuleContext } from "../src/core/rule.js";
import { lineProblemReport, problemOf } from "./line-problem-report.js";

/** Sections that leave the authorization logic of their parent as it is: conditionals and <Limit>. */
const PASS_THROUGH = (key: string) => isConditionalKey(key) || key === "limit" || key === "limitexcept";

/**
 * The logic a Require line or section joins: the nearest <RequireAll|Any|None>
 * (explicit), else the implicit <RequireAny> of its <Directory>, <Location>,
 * <Files>, .htaccess …; null at server level (directive-context's finding).
 */
function logicOf(node: Directive | Section, ctx: RuleContext): { name: string; explicit: boolean } | null {
  let p = node.parent;
  while (p.kind === "section" && PASS_THROUGH(p.key)) p = p.parent;
  if (p.kind === "section" && REQUIRE_SECTIONS[p.key]) return { name: REQUIRE_SECTIONS[p.key]!, explicit: true };
  return isPerDirectory(node as Directive, ctx.fileKind) ? { name: "<RequireAny>", explicit: false } : null;
}

/** Where a negation has no effect: in a <RequireAny> or <RequireNone>, said so; null where it has one. */
function noEffect(node: Directive | Section, ctx: RuleContext): { name: string; where: string } | null {
  const logic = logicOf(node, ctx);
  if (!logic || logic.name === "<RequireAll>") return null;
  return { name: logic.name, where: logic.explicit ? `here it is in ${logic.name}` : "outside one, Require lines form an implicit <RequireAny>" };
}

export default defineRule({
  id: "require-invalid",
  severity: "error",
  category: "correctness",
  severities: ["error", "warning"],
  description: "A Require line mod_authz_core refuses: an unknown provider, `all` without granted/denied, a bad IP or method, `not` where it has no effect",
  fixable: "unsafe",
  doc: {
    problem:
      "`Require [not] provider …` names an authorization provider and gives it words it must accept: `Require all` " +
      "takes exactly `granted` or `denied` (`Require all granted extra`, `Require all`), `Require ip` addresses and " +
      "networks (`Require ip 10.0.0.300`, `10.0.0.1,10.0.0.2`, `localhost`), `Require method` method names as Apache " +
      "spells them (`get`), `Require expr` an expression, `Require ssl` nothing. Provider names are case-sensitive " +
      "(`Require ALL granted`, `Require Valid-User`). `Require not …` has no effect, and is refused, outside a " +
      "`<RequireAll>`: directly in a `<Directory>`, `<Location>`, .htaccess (an implicit `<RequireAny>`), or in " +
      "`<RequireAny>`/`<RequireNone>`; so is a `<RequireNone>` there. An empty `<RequireAll|Any|None>` is refused, and " +
      "a `<RequireAll>` of nothing but `Require not` lines stops Apache after the syntax check.",
    bad: "<Directory \"/var/www\">\n    Require all granted extra\n    Require ip 10.0.0.1,10.0.0.2\n    Require not ip 10.9.9.9\n</Directory>",
    good: "<Directory \"/var/www\">\n    <RequireAll>\n        Require ip 10.0.0.1 10.0.0.2\n        Require not ip 10.9.9.9\n    </RequireAll>\n</Directory>",
    why:
      "mod_authz_core's add_authz_provider looks the provider up by its exact name (\"Unknown Authz provider: ALL\") " +
      "and hands the rest of the line to it. `all` compares the rest whole, quotes included (\"Argument for 'Require " +
      "all' must be 'granted' or 'denied'\"); `ip` reads each word with APR's apr_ipsubnet_create (\"ip address " +
      "'10.0.0.300' appears to be invalid: The specified IP address is invalid.\", a missing word: \"'require ip' " +
      "requires an argument\"); `method` looks each word up case-sensitively (\"Invalid Method 'get'\"); `expr` parses " +
      "an expression (\"Cannot parse expression in require line: syntax error, unexpected $end\"); `ssl` and " +
      "`ssl-verify-client` take none (\"'Require ssl' does not take arguments\"). A negated line then needs a " +
      "`<RequireAll>` (\"negative Require directive has no effect in <RequireAny> directive\"), a `<RequireNone>` " +
      "a positive parent (\"<RequireNone> directive has no effect in <RequireAny> directive\"); a section needs a " +
      "Require line (\"<RequireAll> directive contains no authorization directives\"), and a `<RequireAll>` one " +
      "that is not negated (AH01624, after the syntax check, with no line number). apache2 -t stops and the server " +
      "does not start; in .htaccess every request gets a 500. A provider name far from every known one is not " +
      "reported (third-party modules register their own: `claim`, `pam-account`, `shib-session` …), nor one the file " +
      "defines with `<AuthzProviderAlias>`, `AuthnzFcgiDefineProvider authz` or `LuaAuthzProvider`, nor a method a " +
      "`<Limit>` of the file registers; a line with `${VAR}` is left alone, a trailing `# comment` is trailing-comment's. " +
      "In a body Apache skips (a false `<IfModule>`) the finding is a warning.",
    versions: "All 2.4 releases; measured on Debian's apache2 2.4.71 with every module loaded.",
    fix:
      "Safe: a provider or method name written in the wrong case is written as Apache spells it (`ALL` → `all`, " +
      "`get` → `GET`). Unsafe: a provider name one or two letters off the only close one is replaced by it " +
      "(`vaild-user` → `valid-user`), and addresses separated by commas are separated by spaces when each is one. Nothing else is fixed.",
  },
  create(ctx) {
    const { facts } = ctx;
    let names: RequireContext | undefined;
    const known = () => (names ??= { defined: definedProviders(facts), methods: limitMethods(facts) });
    const report = (d: Directive, p: LineProblem) => ctx.report(lineProblemReport(ctx, d, d.args, p, { skippedAsWarning: true }));

    const line = (d: Directive) => {
      const words = d.args.map((a) => ({ value: a.value, bare: a.quote === null && a.raw === a.value }));
      const p = problemOf(d, () => requireProblem(words, known()));
      if (p) return report(d, p);
      if (d.args.some((a) => a.unterminated || a.value.includes("${"))) return;
      // Apache refuses an unknown provider before it looks at the negation: a name not known here may be a third-party one
      if (!isNegated(words) || !namesKnownProvider(words, known())) return;
      const no = noEffect(d, ctx);
      if (no) {
        report(d, { word: 0, what: `\`Require not\` takes effect only inside <RequireAll>, beside a positive Require: ${no.where}`, apache: `negative Require directive has no effect in ${no.name} directive` });
      }
    };

    const section = (s: Section) => {
      // at server level the section is directive-context's finding
      if (!logicOf(s, ctx)) return;
      const name = REQUIRE_SECTIONS[s.key]!;
      const kids = s.children.filter((n) => n.kind !== "comment" && n.kind !== "blank");
      const sectionReport = (what: string, apache: string) => ctx.report(lineProblemReport(ctx, s.open, [], { word: -1, what, apache }, { skippedAsWarning: true }));
      if (kids.length === 0) return sectionReport(`${name} holds no Require line`, `${name} directive contains no authorization directives`);
      // Apache judges a section when it closes: a negated line inside is refused first, and reported on its own
      const negatedInside = kids.some((n) => n.kind === "directive" && n.key === "require" && n.args[0]?.value.toLowerCase() === "not");
      const no = s.key === "requirenone" && !negatedInside ? noEffect(s, ctx) : null;
      if (no) return sectionReport(`<RequireNone> takes effect only inside <RequireAll>, beside a positive Require: ${no.where}`, `<RequireNone> directive has no effect in ${no.name} directive`);
      if (s.key === "requireall") {
        const negatives = kids.every((n) => n.kind === "directive" && n.key === "require" && isNegated(n.args.map((a) => ({ value: a.value, bare: true }))));
        if (negatives && kids.every((n) => n.kind === "directive" && !n.text.includes("${"))) {
          sectionReport("a <RequireAll> of only `Require not` lines grants nobody: add the positive Require the exclusions apply to", "AH01624: <RequireAll> directive contains only negative authorization directives");
        }
      }
    };
    return { directive: { require: line }, enter: { requireall: section, requireany: section, requirenone: section } };
  },
});
