// What several formatters need: which fixes count as fixable, paths as a
// consumer expects them, messages made safe for line-based output, and a
// multi-edit fix folded into one replacement.
import * as path from "node:path";
import type { Finding } from "../core/engine.js";
import type { FileReport, FormatContext } from "./report.js";
import type { Fix, TextEdit } from "../core/rule.js";

/** A fix `--fix` would apply: safe ones, and unsafe ones once `--unsafe-fixes` is on. */
export function isAutoFix(fix: Fix | undefined, ctx: FormatContext): boolean {
  return fix !== undefined && (fix.safety === "safe" || ctx.unsafeFixes === true);
}

export interface FileCounts {
  errorCount: number;
  warningCount: number;
  infoCount: number;
  fixableErrorCount: number;
  fixableWarningCount: number;
  fixableInfoCount: number;
}

export function fileCounts(findings: readonly Finding[], ctx: FormatContext): FileCounts {
  const c: FileCounts = {
    errorCount: 0,
    warningCount: 0,
    infoCount: 0,
    fixableErrorCount: 0,
    fixableWarningCount: 0,
    fixableInfoCount: 0,
  };
  for (const f of findings) {
    const fixable = isAutoFix(f.fix, ctx);
    if (f.severity === "error") {
      c.errorCount++;
      if (fixable) c.fixableErrorCount++;
    } else if (f.severity === "warning") {
      c.warningCount++;
      if (fixable) c.fixableWarningCount++;
    } else {
      c.infoCount++;
      if (fixable) c.fixableInfoCount++;
    }
  }
  return c;
}

/**
 * The path relative to the working directory with `/` separators, or null when
 * the file lies outside it (or on another Windows drive).
 */
export function relativeToCwd(report: FileReport, cwd: string): string | null {
  const rel = path.relative(cwd, report.absolutePath);
  if (rel === "" || rel === ".." || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return null;
  return rel.split(path.sep).join("/");
}

// Line terminators a line-based reader splits on (JS `.` stops at all of them).
const LINE_BREAKS = /\r\n|[\r\n\u2028\u2029\u0085]/g;
// C0/C1 controls other than tab and the line breaks above: shown escaped so a
// config byte can never drive the terminal or confuse a parser.
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f]/g;

/** A message on one line with no control characters, for line-oriented formats. */
export function oneLine(message: string): string {
  return message
    .replace(LINE_BREAKS, " ")
    .replace(CONTROLS, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

export interface Replacement {
  /** [start, end) in the text the finding refers to */
  range: [number, number];
  text: string;
}

/**
 * ESLint's fix shape is one range and one text. A fix with several edits becomes
 * the smallest range covering all of them, its text rebuilt from the source
 * between the edits. Returns null for edits that overlap or leave the text: the
 * fixer would refuse them too.
 */
export function singleReplacement(source: string, edits: readonly TextEdit[]): Replacement | null {
  if (edits.length === 0) return null;
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 0; i < sorted.length; i++) {
    const e = sorted[i]!;
    if (e.start < 0 || e.end > source.length || e.start > e.end) return null;
    const next = sorted[i + 1];
    if (next && (next.start < e.end || (next.start === e.start && next.end === e.start))) return null;
  }
  const start = sorted[0]!.start;
  const end = Math.max(...sorted.map((e) => e.end));
  let text = "";
  let at = start;
  for (const e of sorted) {
    text += source.slice(at, e.start) + e.text;
    at = e.end;
  }
  text += source.slice(at, end);
  return { range: [start, end], text };
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
