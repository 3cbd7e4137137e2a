// The gcc-like layout most editors and problem matchers understand:
//
//   conf/httpd.conf:3:14: error: Message text [rule-id]
//
// Paths are as the user named them (relative to the working directory when
// inside it). A matching regex: ^(.+?):(\d+):(\d+): (error|warning|info): (.*) \[([^\]]+)\]$
import type { Formatter } from "./report.js";
import { oneLine } from "./shared.js";

export const unix: Formatter = (reports) => {
  let output = "";
  for (const report of reports) {
    const file = oneLine(report.path);
    for (const f of report.findings) {
      output += `${file}:${f.line}:${f.column}: ${f.severity}: ${oneLine(f.message)} [${f.ruleId}]\n`;
    }
  }
  return output;
};
