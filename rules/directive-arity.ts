import { countArguments, joinedLine, type Argument, type Directive, type Section } from "../grammar/index.js";
import {
  ARITY_BOUNDS, ARITY_WORDS, arityAccepts, isCounted, rawArgsArity, rawArgsShortfall, SECTIONS_NEEDING_ARGUMENTS, SECTIONS_TAKING_ONE_ARGUMENT,
  type CountedArity, type RawArgsArity,
} from "../src/apache/arity.js";
import { ConditionVerdicts, CONDITIONS_FACT } from "../src/apache/conditions.js";
import { directiveInfo } from "../src/apache/directives.js";
import { directiveDoc, sectionDoc } from "../src/apache/directive-docs.js";
import { refusalIn } from "../src/apache/file-kind.js";
import { enclosing, PER_DIRECTORY_SECTIONS } from "../src/apache/scope.js";
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

function bounds(min: number, max: number): string {
  if (max === Infinity) return `at least ${plural(min)}`;
  if (min === max) return plural(min);
  return `${COUNT[min]} ${max - min === 1 ? "or" : "to"} ${plural(max)}`;
}

function expected(arity: CountedArity): string {
  if (arity === "take13") return "one or three arguments";
  return bounds(...ARITY_BOUNDS[arity]);
}

const EMPTY_WORD = `an empty "" does not count as a value`;

/** Sections whose handler takes `~ regex` for their Match form (core.c dirsection, urlsection, filesection). */
const REGEX_BY_TILDE: ReadonlySet<string> = new Set(["directory", "location", "files"]);

export default defineRule({
  id: "directive-arity",
  severity: "error",
  category: "correctness",
  severities: ["error", "warning"],
  description: "A directive with a number of arguments Apache does not accept",
  fixable: "unsafe",
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
      "quoted word (`\"\"`) counts as missing where a value is required. Handlers that parse their own line count in words " +
      "of their own, measured by probing apache2 -t (src/data/raw-args-arity.ts): `SetEnvIf` needs three words (\"Missing " +
      "envariable expression for SetEnvIf\"), `BrowserMatch`, `SetEnvIfExpr`, `RewriteCond` and `RewriteRule` two " +
      "(mod_rewrite's \"bad argument line\"; a quoted first word is enough), `UserDir`, `MDomain`, `ProxyHCTemplate` and the " +
      "session cookie names one, `Listen` one or two, `AuthnzFcgiDefineProvider` three; `BalancerMember` needs a balancer " +
      "name and a backend URL besides its key=value parameters, and inside `<Proxy>` (any section that has a path) the " +
      "section gives the name. How each reads `\"\"` was measured too: `Listen 80 \"\"` starts. Handlers whose count " +
      "depends on a keyword or on where they stand (`Header`, `Require`, `ProxyPass` \u2026) are not counted here, nor is a " +
      "line that uses `${VAR}` (a variable may stand for several words) or one in a `<Macro>` body. A FLAG directive " +
      "reads one word and ignores the rest; one with no value is reported by directive-invalid-value. A count that only fails because of a trailing `# comment` is " +
      "trailing-comment's finding. In the body of an `<IfModule>` that is false, Apache reads nothing: the finding is a " +
      "warning there. Sections measured to refuse an open tag with no argument: `<Directory>`, `<DirectoryMatch>`, " +
      "`<Files>`, `<FilesMatch>`, `<Location>`, `<LocationMatch>`, `<VirtualHost>`, `<If>`, `<ElseIf>`, `<IfModule>`, " +
      "`<IfDefine>`, `<IfDirective>`, `<IfSection>`, `<IfFile>`, `<Limit>`, `<LimitExcept>`, `<AuthnProviderAlias>`, " +
      "`<AuthzProviderAlias>` (\"<Location> directive requires additional arguments\"); and to refuse a second one: " +
      "`<Directory>`, `<DirectoryMatch>`, `<Files>`, `<FilesMatch>`, `<Location>`, `<LocationMatch>`, `<ProxyMatch>` " +
      "(\"Multiple <Location> arguments not (yet) supported.\"), `<If>` and `<ElseIf>` (an unquoted expression is several words).",
    versions: "All 2.4 releases; the arity classes are probed from Debian's apache2 2.4.71. The message ends with the manual's Syntax row (src/data/directive-docs.ts).",
    fix:
      "Only for an argument-less open tag left open inside an open section of the same name (`<Location /x>` … " +
      "`<Location>`): it is most likely the close tag missing its slash, and becomes `</Location>` (unsafe: the lines " +
      "after it leave the section). section-unclosed offers no close tag for such a section, which would still not start.",
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

    /** A handler that parses its own line, judged by what it was measured to refuse (src/data/raw-args-arity.ts). */
    const checkRaw = (d: Directive, measured: RawArgsArity) => {
      const section = measured.sectionPath ? enclosing(d, PER_DIRECTORY_SECTIONS) : null;
      judgeRaw(d, measured, section, section !== null || ctx.fileKind === "htaccess");
    };
    const judgeRaw = (d: Directive, measured: RawArgsArity, section: Section | null, inPathSection: boolean) => {
      // an unclosed quote is quote-unbalanced's
      if (countArguments(text, d.nameEnd, d.end) < 0) return;
      const judge = (args: readonly Argument[]) =>
        rawArgsShortfall(measured, { args, raw: args.length ? joinedLine(text, args[0]!.start, args[args.length - 1]!.end).text : "", inPathSection });
      const all = d.args;
      const short = judge(all);
      if (!short) return;
      // ${VAR} may expand to any number of words; a macro body is a template
      if (text.slice(d.nameEnd, d.end).includes("${") || facts.enclosingRow(d.row, MACRO) >= 0) return;
      const comment = d.trailingCommentIndex;
      if (comment !== -1 && !judge(all.slice(0, comment))) return;
      const given = inPathSection && measured.sectionPath ? 1 : 0;
      const where = given ? ` inside ${section ? `<${section.open.name}>` : "a .htaccess"}, which gives the first` : "";
      const besides = measured.params ? " besides key=value parameters" : "";
      const takes = `${d.name} takes ${bounds(measured.min - given, measured.max === null ? Infinity : measured.max - given)}${besides}${where}`;
      const count = short.count - given;
      const got = short.kind === "missing" && short.empty ? EMPTY_WORD : count === 0 ? "not none" : `not ${count}`;
      const span =
        short.kind === "too-many" ? { start: short.first.start, end: short.last.end } : short.empty ? { start: short.empty.start, end: short.empty.end } : { start: d.start, end: d.end };
      finish(d.row, { message: `${takes}, ${got}: ${refusal} ("${short.message}").${syntaxOf(directiveDoc(d.key)?.syntax)}`, ...span });
    };

    return {
      directive: {
        "*"(d: Directive) {
          const info = directiveInfo(d.key);
          if (!info) return;
          if (info.arity === "raw") {
            const measured = rawArgsArity(d.key);
            if (measured) checkRaw(d, measured);
            return;
          }
          if (!isCounted(info.arity) || info.arity === "flag") return;
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
          const got = emptyOnly ? EMPTY_WORD : n === 0 ? "not none" : `not ${n}`;
          // an empty word where a value is needed: the first one is the offender
          const offender = emptyOnly ? all.find((_, i) => empty(i)) : undefined;
          const span = tooMany ? { start: all[max]!.start, end: all[n - 1]!.end } : offender ? { start: offender.start, end: offender.end } : { start: d.start, end: d.end };
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
          // `<Location ~ "^/re">`: core.c reads a `~` and then the regex as one argument
          const tilde = n > 1 && REGEX_BY_TILDE.has(s.key) && open.args[0]?.value === "~" && open.args[0].quote === null ? 1 : 0;
          if (!(needs && n === 0) && !(one && n - tilde > 1)) return;
          if (facts.enclosingRow(s.row, MACRO) >= 0 || text.slice(open.nameEnd, to).includes("${")) return;
          const syntax = syntaxOf(sectionDoc(s.key)?.syntax);
          if (n === 0) {
            // `<Location>` left open inside an open `<Location /x>` is most likely a `</Location>` missing its slash
            // (the parser leaves an unclosed section's would-be body beside it, so the open one is a parent or an earlier sibling)
            const parent = s.parent;
            const unclosedSame = (n: { kind: string }) => n.kind === "section" && (n as Section).key === s.key && (n as Section).close === null;
            const meantClose = s.close === null && (unclosedSame(parent) || parent.children.some((n) => unclosedSame(n) && (n as Section).row < s.row));
            finish(s.row, {
              message: `<${open.name}> needs an argument: ${refusal} ("<${open.name}> directive requires additional arguments").${syntax}`,
              start: open.start,
              end: open.end,
              ...(meantClose && {
                fix: { safety: "unsafe", title: `Make it the close tag </${open.name}>`, edits: [{ start: open.start + 1, end: open.start + 1, text: "/" }] },
              }),
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
            start: args[1 + tilde]?.start ?? open.start,
            end: args[n - 1]?.end ?? open.end,
          });
        },
      },
    };
  },
});
