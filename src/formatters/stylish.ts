// ESLint's default "stylish" layout (when colours are off and the width is
// unknown, byte for byte but for the file header):
//
//   conf/httpd.conf
//     3:14  error    Message text  rule-id
//
//   ✖ 1 problem (1 error, 0 warnings)
//
// It is the format for a person at a terminal, so the file header is the path
// as the user named it (relative to the working directory when inside it), a
// message shows its first sentence (json, sarif and --explain have all of it),
// and when the terminal's width is known (FormatContext.columns) each row is
// cut to fit it, the message ending in "…". Unknown width: nothing is cut.
// (ESLint's header is the absolute path, which VS Code's `$eslint-stylish`
// matcher needs; editors and CI read `-f unix` with
// problem-matchers/apachelint.json instead.)
import type { Finding } from "../core/engine.js";
import type { Formatter } from "./report.js";
import { paint, type Paint } from "./ansi.js";
import { fileCounts, oneLine, plural } from "./shared.js";
import { displayWidth, truncate } from "./text-width.js";

/** text-table as ESLint vendors it: columns joined by two spaces, column 1 right-aligned, trailing blanks trimmed. */
function table(rows: readonly string[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, displayWidth(c))));
  return rows
    .map((row) =>
      row
        .map((c, i) => {
          const pad = " ".repeat(widths[i]! - displayWidth(c));
          return i === 1 ? pad + c : c + pad;
        })
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

// Words a period ends without ending the sentence.
const ABBREVIATIONS = new Set(["e.g", "i.e", "etc", "vs", "cf", "approx", "no"]);

/** The message up to the end of its first sentence (a period outside `code` followed by a new sentence). */
export function firstSentence(message: string): string {
  for (const m of message.matchAll(/[.!?](?=\s+[\p{Lu}`"'(\d])/gu)) {
    const before = message.slice(0, m.index);
    if ((before.match(/`/g)?.length ?? 0) % 2 === 1) continue;
    const word = /([\p{L}.]+)$/u.exec(before)?.[1]?.toLowerCase();
    if (word && ABBREVIATIONS.has(word)) continue;
    return message.slice(0, m.index + 1);
  }
  return message;
}

/**
 * The matcher reads the message as everything up to the first run of two
 * blanks, so white space is folded to one blank (a tab would also take a
 * terminal's columns unseen); ESLint also drops a final period.
 */
function messageCell(message: string): string {
  return firstSentence(oneLine(message).replace(/\s+/g, " ").trim()).replace(/([^ ])\.$/u, "$1");
}

function severityCell(f: Finding, p: Paint): string {
  if (f.severity === "error") return p.red("error");
  if (f.severity === "warning") return p.yellow("warning");
  return p.blue("info");
}

/**
 * The columns a message may take so that every row of this file's table fits:
 * the row is `  line:col  severity  message  rule-id`, the cells padded to the
 * widest of the file.
 */
function messageRoom(findings: readonly Finding[], columns: number): number {
  const w = (xs: string[]) => Math.max(...xs.map(displayWidth));
  const line = w(findings.map((f) => String(f.line)));
  const column = w(findings.map((f) => String(f.column)));
  const severity = w(findings.map((f) => f.severity));
  const rule = w(findings.map((f) => f.ruleId));
  // (a terminal too narrow even for the other cells keeps "…": the row then overflows)
  return Math.max(1, columns - (2 + line + 1 + column + 2 + severity + 2 + 2 + rule));
}

export const stylish: Formatter = (reports, ctx) => {
  const p = paint(ctx.color);
  let output = "\n";
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  let fixErrors = 0;
  let fixWarnings = 0;
  let fixInfos = 0;
  for (const report of reports) {
    if (report.findings.length === 0) continue;
    const c = fileCounts(report.findings, ctx);
    errors += c.errorCount;
    warnings += c.warningCount;
    infos += c.infoCount;
    fixErrors += c.fixableErrorCount;
    fixWarnings += c.fixableWarningCount;
    fixInfos += c.fixableInfoCount;
    output += `${p.underline(oneLine(report.path))}\n`;
    const room = ctx.columns === undefined ? Infinity : messageRoom(report.findings, ctx.columns);
    const rows = report.findings.map((f) => [
      "",
      String(f.line),
      String(f.column),
      severityCell(f, p),
      truncate(messageCell(f.message), room),
      p.dim(f.ruleId),
    ]);
    output += table(rows)
      .split("\n")
      .map((row) => row.replace(/(\d+)\s+(\d+)/u, (_m, l: string, c: string) => p.dim(`${l}:${c}`)))
      .join("\n");
    output += "\n\n";
  }
  const total = errors + warnings + infos;
  const summaryColor = errors > 0 ? p.red : warnings > 0 ? p.yellow : p.blue;
  if (total > 0) {
    const infoPart = infos > 0 ? `, ${plural(infos, "info")}` : "";
    output += summaryColor(
      p.bold(`\u2716 ${plural(total, "problem")} (${plural(errors, "error")}, ${plural(warnings, "warning")}${infoPart})\n`),
    );
    if (fixErrors + fixWarnings + fixInfos > 0) {
      const which =
        fixInfos > 0
          ? `${plural(fixErrors, "error")}, ${plural(fixWarnings, "warning")} and ${plural(fixInfos, "info")}`
          : `${plural(fixErrors, "error")} and ${plural(fixWarnings, "warning")}`;
      output += summaryColor(p.bold(`  ${which} potentially fixable with the \`--fix\` option.\n`));
    }
  }
  if (ctx.hiddenUnsafeFixes > 0) {
    output += summaryColor(
      p.bold(`  ${plural(ctx.hiddenUnsafeFixes, "more fix", "more fixes")} available with the \`--unsafe-fixes\` option.\n`),
    );
  }
  if (total === 0 && ctx.hiddenUnsafeFixes === 0) return "";
  return p.reset(output);
};
