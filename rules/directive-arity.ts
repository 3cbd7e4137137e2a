import { countArguments, type Directive, type Section } from "../grammar/index.js";
import {
  ARITY_BOUNDS, ARITY_WORDS, arityAccepts, isCounted, SECTIONS_NEEDING_ARGUMENTS, SECTIONS_TAKING_ONE_ARGUMENT, type CountedArity,
} from "../src/apache/arity.js";
import { ConditionVerdicts, CONDITIONS_FACT } from "../src/apache/conditions.js";
import { directiveInfo } from "../src/apache/directives.js";
import { directiveDoc, sectionDoc } from "../src/apache/directive-docs.js";
import { refusalIn } from "../src/apache/file-kind.js";
import { defineRule, type Report } from "../src/core/rule.js";

/** A macro body is a template: `$arg` may stand for several words once expanded. */
const MACRO: ReadonlySet<string> = new Set(["macro"]);

/** Is there a quote character in text[from, to)? Bounded: an unbounded indexOf would scan the rest of the file per line. */
function hasQuote(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 || c === 39) return true;
  }
  return false;
}

/** The manual's Syntax row, as the message's last sentence. */
const syntaxOf = (syntax: string | undefined) => (syntax ? ` Syntax: \`${syntax}\`` : "");

const COUNT = ["no", "one", "two", "three"];
const plural = (n: number) => `${COUNT[n] ?? n} argument${n === 1 ? "" : "s"}`;

function expected(arity: CountedArity): string {
  const [min, max] = ARITY_BOUNDS[arity];
  if (arity === "take13") return "one or three arguments";
  if (max === Infinity) return `at least ${plural(min)}`;
  if (min === max) return plural(min);
  return `${COUNT[min]} ${max - min === 1 ? "or" : "to"} ${plural(max)}`;
}

export default defineRule({
  id: "directive-arity",
  severity: "error",
  severities: ["error", "warning"],
  description: "A directive with a number of arguments Apache does not accept",
  fixable: "none",
  doc: {
    problem:
      "Apache counts the arguments of most directives before it looks at them: `ServerName` takes one, `Define` one or " +
      "two, `AcceptFilter` two, `Alias`-like lists at least one. A line with a word too many or too few (`Define BACKEND " +
      "the address of your backend`, a value left out, a trailing comment Apache reads as more words) stops Apache. A " +
      "section that needs a path or a condition and has none (`<Location>`) is refused the same way, and so is one that takes a single path and is given two (`<Location /a /b>`).",
    bad: "Define BACKEND the address of your backend\n<VirtualHost *:18080>\n    ServerName\n</VirtualHost>",
    good: "Define BACKEND 127.0.0.1:13001\n<VirtualHost *:18080>\n    ServerName ws.example.test\n</VirtualHost>",
    why:
      "config.c's invoke_cmd splits the line into words (quotes group, `\\\"` escapes) and checks the count for the " +
      "directive's class before its handler runs, with fixed words: `Define takes 1-2 arguments, \u2026`, `ServerName " +
      "takes one argument, \u2026`, `AcceptFilter takes two arguments, \u2026`, `… requires at least one argument`. An empty " +
      "quoted word (`\"\"`) counts as missing where a value is required. Directives that parse their own line (`Options`, " +
      "`ProxyPass`, `Header` \u2026) are not counted here, nor is a line that uses `${VAR}` (a variable may stand for " +
      "several words) or one in a `<Macro>` body. A FLAG directive reads one word and ignores the rest; one with no value " +
      "is reported by directive-invalid-value. A count that only fails because of a trailing `# comment` is " +
      "trailing-comment's finding. In the body of an `<IfModule>` that is false, Apache reads nothing: the finding is a " +
      "warning there. Sections measured to refuse an open tag with no argument: `<Directory>`, `<DirectoryMatch>`, " +
      "`<Files>`, `<FilesMatch>`, `<Location>`, `<LocationMatch>`, `<VirtualHost>`, `<If>`, `<ElseIf>`, `<IfModule>`, " +
      "`<IfDefine>`, `<IfDirective>`, `<IfSection>`, `<IfFile>`, `<Limit>`, `<LimitExcept>`, `<AuthnProviderAlias>`, " +
      "`<AuthzProviderAlias>` (\"<Location> directive requires additional arguments\"); and to refuse a second one: " +
      "`<Directory>`, `<DirectoryMatch>`, `<Files>`, `<FilesMatch>`, `<Location>`, `<LocationMatch>`, `<ProxyMatch>` " +
      "(\"Multiple <Location> arguments not (yet) supported.\"), `<If>` and `<ElseIf>` (an unquoted expression is several words).",
    versions: "All 2.4 releases; the arity classes are probed from Debian's apache2 2.4.71. The message ends with the manual's Syntax row (src/data/directive-docs.ts).",
  },
  create(ctx) {
    const { facts, report, file } = ctx;
    const text = file.text;
    const refusal = refusalIn(ctx.fileKind);
    const verdicts = () => facts.shared(CONDITIONS_FACT, (f) => new ConditionVerdicts(f, { server: ctx.server }));

    /** In a body Apache skips, the finding is for the day it is read. */
    const finish = (row: number, r: Report) => {
      const skippedBy = verdicts().skippedBy(row);
      if (skippedBy >= 0) {
        const tag = text.slice(file.table.start[skippedBy]!, file.table.end[skippedBy]!);
        r.severity = "warning";
        r.message = r.message.replace(`: ${refusal}`, `: Apache skips it today because \`${tag}\` is false here, and stops the day it is true`);
      }
      report(r);
    };

    return {
      directive: {
        "*"(d: Directive) {
          const info = directiveInfo(d.key);
          if (!info || !isCounted(info.arity) || info.arity === "flag") return;
          const from = d.nameEnd;
          const to = d.end;
          const n = countArguments(text, from, to);
          // an unclosed quote is quote-unbalanced's; ${VAR} may expand to any number of words
          if (n < 0) return;
          const args = hasQuote(text, from, to) ? d.args : null;
          const empty = (i: number) => args !== null && args[i]!.value === "" && args[i]!.quote !== null;
          if (arityAccepts(info.arity, n, empty)) return;
          if (text.slice(from, to).includes("${")) return;
          if (facts.enclosingRow(d.row, MACRO) >= 0) return;
          const all = d.args;
          const comment = d.trailingCommentIndex;
          if (comment !== -1 && arityAccepts(info.arity, comment, empty)) return;
          const [, max] = ARITY_BOUNDS[info.arity];
          const tooMany = n > max;
          const emptyOnly = !tooMany && n >= ARITY_BOUNDS[info.arity][0];
          const got = emptyOnly ? `an empty "" does not count as a value` : n === 0 ? "not none" : `not ${n}`;
          const span = tooMany ? { start: all[max]!.start, end: all[n - 1]!.end } : { start: d.start, end: d.end };
          finish(d.row, {
            message: `${d.name} takes ${expected(info.arity)}, ${got}: ${refusal} ("${d.name} ${ARITY_WORDS[info.arity]}, \u2026").${syntaxOf(directiveDoc(d.key)?.syntax)}`,
            ...span,
          });
        },
      },
      enter: {
        "*"(s: Section) {
          const needs = SECTIONS_NEEDING_ARGUMENTS.has(s.key);
          const one = SECTIONS_TAKING_ONE_ARGUMENT.has(s.key);
          if (!needs && !one) return;
          const open = s.open;
          const to = open.gt === -1 ? open.end : open.gt;
          const n = countArguments(text, open.nameEnd, to);
          if (!(needs && n === 0) && !(one && n > 1)) return;
          if (facts.enclosingRow(s.row, MACRO) >= 0 || text.slice(open.nameEnd, to).includes("${")) return;
          const syntax = syntaxOf(sectionDoc(s.key)?.syntax);
          if (n === 0) {
            finish(s.row, {
              message: `<${open.name}> needs an argument: ${refusal} ("<${open.name}> directive requires additional arguments").${syntax}`,
              start: open.start,
              end: open.end,
            });
            return;
          }
          // an unquoted expression is several words: Apache refuses it in words that depend on where its parser stops
          const expression = s.key === "if" || s.key === "elseif";
          const args = open.args;
          finish(s.row, {
            message: expression
              ? `<${open.name}> takes its expression as one quoted argument, not ${n} words: ${refusal}.${syntax}`
              : `<${open.name}> takes one argument, not ${n}: ${refusal} ("Multiple <${open.name}> arguments not (yet) supported.").${syntax}`,
            start: args[1]?.start ?? open.start,
            end: args[n - 1]?.end ?? open.end,
          });
        },
      },
    };
  },
});
