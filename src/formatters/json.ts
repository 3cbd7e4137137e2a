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

/** Pieces of about this many characters: large enough to be cheap to write, small enough to be no burden. */
const CHUNK = 1 << 16;

/**
 * The JSON text of one string, `write`n in pieces: cut only where no surrogate
 * pair is split, so each piece is escaped exactly as the whole would be.
 */
function writeString(s: string, write: (chunk: string) => void): void {
  if (s.length <= CHUNK) return write(JSON.stringify(s));
  write('"');
  for (let at = 0; at < s.length; ) {
    let end = Math.min(s.length, at + CHUNK);
    // a cut between the halves of a pair would escape each half; a lone high surrogate is cut like any character
    const c = s.charCodeAt(end - 1);
    const next = s.charCodeAt(end);
    if (end < s.length && c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) end++;
    const piece = JSON.stringify(s.slice(at, end));
    write(piece.slice(1, -1));
    at = end;
  }
  write('"');
}

/**
 * Exactly `JSON.stringify(reports.map(eslintResult))` followed by a newline,
 * written in pieces: one result and one message at a time, long sources in
 * slices, so that a report of a million findings is never one string.
 */
export function writeJson(reports: readonly FileReport[], ctx: FormatContext, write: (chunk: string) => void): void {
  let buffer = "";
  const put = (s: string) => {
    buffer += s;
    if (buffer.length >= CHUNK) {
      write(buffer);
      buffer = "";
    }
  };
  const putLong = (s: string) => {
    if (s.length <= CHUNK) return put(JSON.stringify(s));
    if (buffer) write(buffer);
    buffer = "";
    writeString(s, write);
  };
  put("[");
  reports.forEach((report, i) => {
    const result = eslintResult(report, ctx) as unknown as Record<string, unknown>;
    put(i === 0 ? "{" : ",{");
    let first = true;
    for (const key of Object.keys(result)) {
      const value = result[key];
      if (value === undefined) continue;
      put(`${first ? "" : ","}${JSON.stringify(key)}:`);
      first = false;
      if (key === "messages") {
        put("[");
        (value as EslintMessage[]).forEach((m, j) => put(j === 0 ? JSON.stringify(m) : `,${JSON.stringify(m)}`));
        put("]");
      } else if (typeof value === "string") putLong(value);
      else put(JSON.stringify(value));
    }
    put("}");
  });
  put("]\n");
  if (buffer) write(buffer);
}

export const json: Formatter = Object.assign(
  (reports: readonly FileReport[], ctx: FormatContext) => `${JSON.stringify(reports.map((r) => eslintResult(r, ctx)))}\n`,
  { stream: writeJson },
);
