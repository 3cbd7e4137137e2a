// How the rules that check a handler's own line (header-invalid, require-invalid,
// directive-invalid-value's keyword lines) turn a LineProblem into a finding:
// at the word Apache stops at, with Apache's consequence and its words.
import type { Argument, Directive } from "../grammar/index.js";
import { ConditionVerdicts, CONDITIONS_FACT } from "../src/apache/conditions.js";
import { refusalIn } from "../src/apache/file-kind.js";
import type { LineProblem } from "../src/apache/line-problem.js";
import type { Fix, Report, RuleContext } from "../src/core/rule.js";

/**
 * A line check run over every word Apache reads, `# …` words included (Apache has no trailing
 * comments: `Header set X-Color #fff` is a value). A refusal at a `#` word, or of a line whose
 * words run into a comment, is trailing-comment's finding; a line with `${VAR}` or an open quote
 * is left alone (its words are not known here).
 */
export function problemOf(d: Directive, check: (words: readonly string[]) => LineProblem | null): LineProblem | null {
  const args = d.args;
  if (args.some((a) => a.unterminated || a.value.includes("${"))) return null;
  const p = check(args.map((a) => a.value));
  const comment = d.trailingCommentIndex;
  return p && (comment === -1 || (p.word !== -1 && p.word < comment)) ? p : null;
}

export interface ReportOptions {
  /** in a body Apache skips (a false <IfModule> …), the finding is a warning for the day it is read */
  readonly skippedAsWarning?: boolean;
}

/** `d`: the directive, or the open tag of a section, the problem is in. */
export function lineProblemReport(ctx: RuleContext, d: { readonly start: number; readonly end: number; readonly row: number }, args: readonly Argument[], p: LineProblem, options: ReportOptions = {}): Report {
  const refusal = refusalIn(ctx.fileKind);
  const arg = p.word >= 0 ? args[p.word] : undefined;
  const r: Report = {
    message: `${p.what}: ${refusal} ("${p.apache}").`,
    start: arg?.start ?? d.start,
    end: arg?.end ?? d.end,
  };
  // a replacement of several words cannot stand inside the quotes of one
  if (arg && p.replacement && !(arg.quote && /\s/.test(p.replacement.text))) {
    const q = arg.quote ?? "";
    r.fix = { safety: p.replacement.safety, title: `Replace "${arg.value}" with ${p.replacement.text}`, edits: [{ start: arg.start, end: arg.end, text: `${q}${p.replacement.text}${q}` }] };
  }
  const re = p.rearrange && rearrangement(ctx.file.text, args, p.rearrange);
  if (re) r.fix = re;
  if (options.skippedAsWarning) {
    const verdicts = ctx.facts.shared(CONDITIONS_FACT, (f) => new ConditionVerdicts(f, { server: ctx.server }));
    const skippedBy = verdicts.skippedBy(d.row);
    if (skippedBy >= 0) {
      const t = ctx.file.table;
      const tag = ctx.file.text.slice(t.start[skippedBy]!, t.end[skippedBy]!);
      r.severity = "warning";
      r.message = r.message.replace(`: ${refusal}`, `: Apache skips it today because \`${tag}\` is false here, and stops the day it is true`);
    }
  }
  return r;
}

/** The fix for a rearrangement, when the words are plain enough to move or quote without changing them. */
function rearrangement(text: string, args: readonly Argument[], how: NonNullable<LineProblem["rearrange"]>): Fix | null {
  if (how.kind === "quote") {
    const words = args.slice(how.from, how.to + 1);
    // single quotes inside double ones are kept as written: `default-src 'self'` is what a CSP means
    if (words.length < 2 || words.some((a) => a.quote === '"')) return null;
    const slice = text.slice(words[0]!.start, words[words.length - 1]!.end);
    if (/["\\\r\n]/.test(slice)) return null;
    return { safety: "unsafe", title: `Quote \`${slice}\` as one value`, edits: [{ start: words[0]!.start, end: words[words.length - 1]!.end, text: `"${slice}"` }] };
  }
  const word = args[how.word];
  const before = args[how.before];
  const prev = args[how.word - 1];
  if (!word || !before || !prev || how.before >= how.word || word.quote !== null) return null;
  if (/[\r\n]/.test(text.slice(prev.end, word.end))) return null;
  return {
    safety: "unsafe",
    title: `Move \`${word.raw}\` before \`${before.raw}\``,
    edits: [
      { start: before.start, end: before.start, text: `${word.raw.toLowerCase()} ` },
      { start: prev.end, end: word.end, text: "" },
    ],
  };
}
