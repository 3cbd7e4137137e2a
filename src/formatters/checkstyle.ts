// Checkstyle's XML report, read by Jenkins (Warnings NG), reviewdog, Sonar and
// most CI dashboards. One <file> per linted file (also clean ones, as
// Checkstyle does), one <error> per problem; `source` names the rule.
import type { Formatter } from "./report.js";

// XML 1.0 forbids these code points even as character references; lone
// surrogates cannot be encoded either. They are replaced, not dropped, so the
// reader sees that something was there.
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const ENTITY: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
  // written as references: a parser turns literal ones into spaces in attributes
  "\t": "&#9;",
  "\n": "&#10;",
  "\r": "&#13;",
};

export function xmlAttr(s: string): string {
  return s.replace(NOT_XML, "\ufffd").replace(/[&<>"'\t\n\r]/g, (ch) => ENTITY[ch]!);
}

export const checkstyle: Formatter = (reports) => {
  const out = ['<?xml version="1.0" encoding="utf-8"?>', '<checkstyle version="4.3">'];
  for (const report of reports) {
    out.push(`<file name="${xmlAttr(report.absolutePath)}">`);
    for (const f of report.findings) {
      out.push(
        `<error line="${f.line}" column="${f.column}" severity="${f.severity}" ` +
          `message="${xmlAttr(f.message)}" source="${xmlAttr(`apachelint.${f.ruleId}`)}" />`,
      );
    }
    out.push("</file>");
  }
  out.push("</checkstyle>");
  return `${out.join("\n")}\n`;
};
