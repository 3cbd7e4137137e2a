// Conditional sections Apache refuses at startup, measured on 2.4.71
// (fixtures/conditionals/, re-judged live by test/conditionals-live.test.ts):
//  - an <Else> or <ElseIf> whose scope's last if-section is not an <If> or
//    <ElseIf>. Core keeps one list of if-sections per per-directory config, so
//    conditionals (<IfModule>, <IfDefine> …) and directives between them do not
//    count, but a section that is a config of its own (<Location>, <If>,
//    <VirtualHost>) starts a fresh list;
//  - an <IfVersion> test mod_version cannot read (parseIfVersion has its words);
//  - `<IfDefine !>` and `<IfModule "">` (likewise IfDirective, IfSection, IfFile):
//    a `!` or an empty quoted word alone names nothing.
import type { ConfigFile, Directive, Section } from "../grammar/index.js";
import { ConditionVerdicts, CONDITIONS_FACT, isConditionalRow, startsReadingAt } from "../src/apache/conditions.js";
import { refusalIn } from "../src/apache/file-kind.js";
import { scopeOf } from "../src/apache/scope.js";
import { parseIfVersion, VERSION_INVALID } from "../src/apache/version.js";
import { defineRule, type Report } from "../src/core/rule.js";

const ORPHAN = "<Else> or <ElseIf> section without previous <If> or <ElseIf> section in same scope";
/** mod_version's TAKE123 count error, for four words or more (and an empty first word) */
const IFVERSION_ARITY = "<IfVersion takes one, two or three arguments, a comparison operator, a version (and a delimiter)";
const NAMED_CONDITIONALS = ["ifdefine", "ifmodule", "ifdirective", "ifsection", "iffile"];

/**
 * What a scope's if-chain can continue with: "open" after an <If>/<ElseIf>,
 * "closed" when nothing or an <Else> came last, "unknown" when a section that
 * may or may not be read, an Include or a macro may have changed it.
 */
type Chain = "open" | "closed" | "unknown";

/** Apache's refusal of an <IfVersion> tag's words, or null when it reads them. */
function ifVersionRefusal(s: Section): string | null {
  const args = s.args;
  if (args.some((a) => a.raw.includes("${") || a.unterminated)) return null;
  const words = args.map((a) => a.value);
  if (words.length === 0) return VERSION_INVALID;
  if (words.length >= 4 || (words.length === 1 && words[0] === "")) return IFVERSION_ARITY;
  if (words.length === 3) return "<IfVersion> directive missing closing '>'";
  const parsed = parseIfVersion(words);
  return parsed && "refused" in parsed ? parsed.refused : null;
}

const tagOf = (file: ConfigFile, s: Section) => file.text.slice(s.open.start, s.open.end);

export default defineRule({
  id: "conditional-invalid",
  severity: "error",
  category: "correctness",
  severities: ["error", "warning"],
  description: "A conditional section Apache refuses: `<Else>` with no `<If>` before it, an `<IfVersion>` test it cannot read, `<IfDefine !>`",
  fixable: "none",
  doc: {
    problem:
      "An `<Else>` or `<ElseIf>` continues the `<If>`/`<ElseIf>` chain of its own scope: it must follow an `<If>` or " +
      "`<ElseIf>` of the same server, virtual host or per-directory section, with no `<Else>` in between. " +
      "`<IfDefine>`, `<IfModule>` and the other conditionals are not part of that chain (an `<Else>` after " +
      "`<IfDefine FOO>` is refused), but they are transparent: an `<If>` inside `<IfModule>` can be continued " +
      "after it, and directives between the two do not matter. An `<IfVersion>` whose test mod_version cannot read " +
      "(`2.4.x`, `>>= 2.4`, three words), and an `<IfDefine>`/`<IfModule>`/`<IfDirective>`/`<IfSection>`/`<IfFile>` " +
      "whose only word is `!` or `\"\"`, are refused as well.",
    bad: '<IfDefine SSL>\n    Listen 443\n</IfDefine>\n<Else>\n    Listen 80\n</Else>\n<IfVersion >= 2.4.x>\n    ServerTokens Prod\n</IfVersion>',
    good: '<IfDefine SSL>\n    Listen 443\n</IfDefine>\n<IfDefine !SSL>\n    Listen 80\n</IfDefine>\n<IfVersion >= 2.4>\n    ServerTokens Prod\n</IfVersion>',
    why:
      "Measured on 2.4.71, `apache2 -t` stops at the `<Else>` with \"<Else> or <ElseIf> section without previous <If> " +
      "or <ElseIf> section in same scope\": after an `<IfDefine>` or `<IfVersion>`, after another `<Else>`, at the " +
      "top of a section when the `<If>` is outside it, and after an `<If>` whose enclosing conditional is false " +
      "(it was never read); Apache parses the `<Else>`'s body before it checks the chain, so a refused line inside the " +
      "body is the one it names first. An `<If>` inside `<IfModule>` followed by `<Else>` outside it is accepted, as are " +
      "directives, comments and Defines between the two. `<IfVersion 2.4.x>` is refused with \"Version appears to be " +
      "invalid…\", `<IfVersion >>= 2.4>` with \"unrecognized operator '>>='\", `<IfVersion < 2 3>` with \"<IfVersion> " +
      "directive missing closing '>'\"; `<IfDefine !>` and `<IfModule \"\">` with \"<IfDefine> directive requires " +
      "additional arguments\" (but `<IfDefine \"!\">` and `<IfDefine ! FOO>` are accepted). Inside a conditional " +
      "Apache skips, nothing is parsed, so a refusal there is a warning: it stops Apache the day the condition holds. " +
      "At the top of a file that another one includes, an `<Else>` may continue an `<If>` of the including file, so " +
      "it is judged only in a main config (httpd.conf, apache2.conf) or an .htaccess file.",
    versions: "All 2.4 releases (`<If>`/`<Else>` since 2.4.0, `<IfFile>` 2.4.34, `<IfDirective>`/`<IfSection>` 2.4.34; measured on 2.4.71).",
  },
  create(ctx) {
    const { file } = ctx;
    const refusal = refusalIn(ctx.fileKind);
    let verdicts: ConditionVerdicts | undefined;
    const conditions = () => (verdicts ??= ctx.facts.shared(CONDITIONS_FACT, (f) => new ConditionVerdicts(f, { server: ctx.server })));
    /**
     * Is `row` read whenever its scope is, and the outermost conditional between
     * them that Apache skips (-1: none)? An <If> and its <Else> inside one false
     * <IfModule> are read together the day it holds, so a skipped body keeps a
     * chain of its own, which starts as the scope's chain stood at its open tag.
     */
    const readInScope = (row: number, scope: number): { reading: true | "unknown"; skip: number } => {
      let reading: true | "unknown" = true;
      let skip = -1;
      for (let p = ctx.facts.parentRows[row]!; p > scope; p = ctx.facts.parentRows[p]!) {
        if (!isConditionalRow(file, p)) continue;
        const v = conditions().verdictAt(p);
        if (v === false) skip = p;
        else if (v === "unknown") reading = "unknown";
      }
      return { reading, skip };
    };
    /** chains by scope row (-1: the file), then by skipped body (-1: none) */
    const chains = new Map<number, Map<number, Chain>>();
    const topKnown = ctx.fileKind === "htaccess" || startsReadingAt(file.path);
    const chainOf = (scope: number, skip: number): Chain => {
      const bySkip = chains.get(scope);
      const own = bySkip?.get(skip) ?? (skip >= 0 ? bySkip?.get(-1) : undefined);
      return own ?? (scope === -1 && !topKnown ? "unknown" : "closed");
    };
    const setChain = (scope: number, skip: number, chain: Chain) => {
      let bySkip = chains.get(scope);
      if (!bySkip) chains.set(scope, (bySkip = new Map()));
      bySkip.set(skip, chain);
    };
    const scopeRowOf = (n: Section | Directive) => {
      const p = scopeOf(n);
      return p.kind === "section" ? p.row : -1;
    };

    /** A refusal inside a conditional Apache skips today is a warning for the day it is read. */
    const refuse = (s: Section, what: string, quoted: string, start = s.open.start, end = s.open.end) => {
      const r: Report = { message: `${what}: ${refusal} ("${quoted}").`, start, end };
      const skippedBy = conditions().skippedBy(s.row);
      if (skippedBy >= 0) {
        const tag = file.text.slice(file.table.start[skippedBy]!, file.table.end[skippedBy]!);
        r.severity = "warning";
        r.message = `${what}: Apache skips it today because \`${tag}\` is false here, and refuses to start the day it is true ("${quoted}").`;
      }
      ctx.report(r);
    };

    const ifSection = (s: Section) => {
      const scope = scopeRowOf(s);
      const { reading, skip } = readInScope(s.row, scope);
      const chain = chainOf(scope, skip);
      const continues = s.key !== "if";
      if (continues && chain === "closed" && reading === true) {
        const what =
          s.key === "else"
            ? `\`${tagOf(file, s)}\` does not follow an <If> or <ElseIf> of the same scope`
            : `\`${tagOf(file, s)}\` does not follow an <If> or <ElseIf> of the same scope, so it has nothing to continue`;
        refuse(s, what, ORPHAN);
      }
      // a maybe-read section leaves the chain as it was, or not
      const after: Chain = s.key === "else" ? "closed" : "open";
      setChain(scope, skip, reading === true || chain === after ? after : "unknown");
    };
    /** an Include or a Use may bring if-sections of its own */
    const mayChange = (d: Directive) => {
      const scope = scopeRowOf(d);
      setChain(scope, readInScope(d.row, scope).skip, "unknown");
    };

    const named = (s: Section) => {
      const args = s.args;
      if (args.length !== 1) return;
      const a = args[0]!;
      if (a.raw !== "!" && !(a.value === "" && a.raw.length === 2)) return;
      const name = file.text.slice(s.open.start + 1, s.open.nameEnd);
      refuse(s, `\`${tagOf(file, s)}\` names nothing`, `<${name}> directive requires additional arguments`, a.start, a.end);
    };

    return {
      enter: {
        if: ifSection,
        elseif: ifSection,
        else: ifSection,
        ifversion(s) {
          const refused = ifVersionRefusal(s);
          if (refused) refuse(s, `\`${tagOf(file, s)}\` is not a version test mod_version reads`, refused);
        },
        ...Object.fromEntries(NAMED_CONDITIONALS.map((k) => [k, named])),
      },
      directive: { include: mayChange, includeoptional: mayChange, use: mayChange },
    };
  },
});
