// ESLint's default "stylish" layout, byte for byte when colours are off, so
// VS Code's built-in `$eslint-stylish` problem matcher reads it:
//
//   /abs/path/httpd.conf
//     3:14  error    Message text  rule-id
//
//   ✖ 1 problem (1 error, 0 warnings)
//
// The file header is the absolute path: that matcher's file pattern wants a
// path starting with `/`, `.` or `\` (or a drive letter) and resolves it as absolute.
import type { Finding } from "../core/engine.js";
import type { Formatter } from "./report.js";
import { paint, visibleLength, type Paint } from "./ansi.js";
import { fileCounts, oneLine, plural } from "./shared.js";

/** text-table as ESLint vendors it: columns joined by two spaces, column 1 right-aligned, trailing blanks trimmed. */
function table(rows: readonly string[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, visibleLength(c))));
  return rows
    .map((row) =>
      row
        .map((c, i) => {
          const pad = " ".repeat(widths[i]! - visibleLength(c));
          return i === 1 ? pad + c : c + pad;
        })
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/**
 * The matcher reads the message as everything up to the first run of two
 * blanks, so runs of white space are folded to one; ESLint also drops a final period.
 */
function messageCell(message: string): string {
  return oneLine(message).replace(/\s{2,}/g, " ").trim().replace(/([^ ])\.$/u, "$1");
}

function severityCell(f: Finding, p: Paint): string {
  if (f.severity === "error") return p.red("error");
  if (f.severity === "warning") return p.yellow("warning");
  return p.blue("info");
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
    output += `${p.underline(oneLine(report.absolutePath))}\n`;
    const rows = report.findings.map((f) => [
      "",
      String(f.line),
      String(f.column),
      severityCell(f, p),
      messageCell(f.message),
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
