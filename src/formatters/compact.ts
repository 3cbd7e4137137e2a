// ESLint's "compact" format, one problem a line, which VS Code's built-in
// `$eslint-compact` problem matcher reads:
//
//   /abs/path/httpd.conf: line 3, col 14, Error - Message text (rule-id)
//
// followed by a blank line and "N problems". That matcher resolves the file as
// an absolute path, as ESLint prints it; "info" is written `Info`, which the
// matcher also accepts.
import type { Formatter } from "./report.js";
import { oneLine, plural } from "./shared.js";

const TYPE = { error: "Error", warning: "Warning", info: "Info" } as const;

export const compact: Formatter = (reports) => {
  let output = "";
  let total = 0;
  for (const report of reports) {
    const file = oneLine(report.absolutePath);
    for (const f of report.findings) {
      total++;
      output += `${file}: line ${f.line}, col ${f.column}, ${TYPE[f.severity]} - ${oneLine(f.message)} (${f.ruleId})\n`;
    }
  }
  if (total > 0) output += `\n${plural(total, "problem")}\n`;
  return output;
};
