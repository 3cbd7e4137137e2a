// ESLint's JSON output (an array of LintResult), so tools that read
// `eslint -f json` read this too.
//
// Mapping:
// - severity: error → 2; warning and info → 1 (ESLint has no info), and both
//   count in warningCount / fixableWarningCount.
// - fix: ESLint's fix is one {range, text}. A fix of several edits becomes the
//   smallest range covering all of them, with the text between the edits
//   copied from the source, so applying it equals applying the edits.
//   Ranges are UTF-16 offsets into `source`/`output`, as in ESLint.
// - A fix that --fix would not apply (unsafe, without --unsafe-fixes) is an
//   ESLint suggestion instead: {desc: title, fix}, never counted as fixable.
// - `source` is the text when there are problems and no fix was applied;
//   `output` replaces it when --fix changed the file (ESLint's rule).
import type { Finding } from "../core/engine.js";
import type { FileReport, FormatContext, Formatter } from "./report.js";
import { fileCounts, isAutoFix, singleReplacement, type Replacement } from "./shared.js";

export interface EslintFix {
  range: [number, number];
  text: string;
}

export interface EslintMessage {
  ruleId: string | null;
  severity: 1 | 2;
  message: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  fix?: EslintFix;
  suggestions?: { desc: string; fix: EslintFix }[];
}

export interface EslintResult {
  filePath: string;
  messages: EslintMessage[];
  suppressedMessages: EslintMessage[];
  errorCount: number;
  fatalErrorCount: number;
  warningCount: number;
  fixableErrorCount: number;
  fixableWarningCount: number;
  source?: string;
  output?: string;
  usedDeprecatedRules: { ruleId: string; replacedBy: string[] }[];
}

const toFix = (r: Replacement): EslintFix => ({ range: r.range, text: r.text });

function message(f: Finding, source: string, ctx: FormatContext): EslintMessage {
  const m: EslintMessage = {
    ruleId: f.ruleId,
    severity: f.severity === "error" ? 2 : 1,
    message: f.message,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
  };
  const r = f.fix ? singleReplacement(source, f.fix.edits) : null;
  if (f.fix && r) {
    if (isAutoFix(f.fix, ctx)) m.fix = toFix(r);
    else m.suggestions = [{ desc: f.fix.title, fix: toFix(r) }];
  }
  return m;
}

export function eslintResult(report: FileReport, ctx: FormatContext): EslintResult {
  const messages = report.findings.map((f) => message(f, report.source, ctx));
  const c = fileCounts(
    // a fix that could not be expressed is not offered, so it is not counted either
    report.findings.map((f, i) => (messages[i]!.fix ? f : { ...f, fix: undefined })),
    ctx,
  );
  const result: EslintResult = {
    filePath: report.absolutePath,
    messages,
    suppressedMessages: [],
    errorCount: c.errorCount,
    fatalErrorCount: 0,
    warningCount: c.warningCount + c.infoCount,
    fixableErrorCount: c.fixableErrorCount,
    fixableWarningCount: c.fixableWarningCount + c.fixableInfoCount,
    usedDeprecatedRules: [],
  };
  if (report.fixesApplied > 0) result.output = report.source;
  else if (messages.length > 0) result.source = report.source;
  return result;
}

export const json: Formatter = (reports, ctx) => `${JSON.stringify(reports.map((r) => eslintResult(r, ctx)))}\n`;
