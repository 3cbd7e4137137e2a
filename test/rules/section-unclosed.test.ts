// section-unclosed against what Apache 2.4.71 said about each measured case. Moved from test/rules-structure.test.ts, plus the rule tester.
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/section-unclosed.js";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { lintFile, lintText, type Finding } from "../../src/index.js";
import { applyFixes, fixUntilStable } from "../../src/core/fixer.js";
import { parse } from "../../grammar/index.js";
import type { Rule } from "../../src/core/rule.js";
import sectionUnclosed from "../../rules/section-unclosed.js";
import sectionMismatched from "../../rules/section-mismatched.js";
import continuationTrailingSpace from "../../rules/continuation-trailing-space.js";
import bom from "../../rules/bom.js";
import trailingComment from "../../rules/trailing-comment.js";
import typographicQuotes from "../../rules/typographic-quotes.js";
import quoteUnbalanced from "../../rules/quote-unbalanced.js";
import parseError from "../../rules/parse-error.js";
import suppressionUnused from "../../rules/suppression-unused.js";

const MINE: readonly Rule[] = [
  sectionUnclosed,
  sectionMismatched,
  continuationTrailingSpace,
  bom,
  trailingComment,
  typographicQuotes,
  quoteUnbalanced,
  parseError,
];
const ROOT = join(import.meta.dirname, "..", "..", "fixtures");
const CASES = join(ROOT, "grammar", "apache-truth", "cases");
const read = (path: string) => readFileSync(path, "utf8");

function lint(text: string, rules: readonly Rule[] = MINE, path = "test.conf"): Finding[] {
  return lintText(text, path, { rules, reportUnusedSuppressions: false }).findings;
}

function fixAll(text: string, rules: readonly Rule[] = MINE, accept = (_: unknown) => true): string {
  return fixUntilStable(text, (t) => lint(t, rules), accept).output;
}

const at = (f: { line: number; column: number }) => `${f.line}:${f.column}`;

ruleTester(testedRule, {
  invalid: [
    {
      name: "three sections closed innermost first",
      code: "<IfModule mod_proxy.c>\n<VirtualHost *:80>\n<Location /ws/>\nProxyPass ws://127.0.0.1:3000/ws/\n",
      findings: [
        { line: 1, column: 1, endLine: 1, endColumn: 23, severity: "error", fix: "safe", message: "<IfModule mod_proxy.c> is never closed: Apache silently ends it at the" },
        { line: 2, column: 1, endLine: 2, endColumn: 19, severity: "error", fix: "safe", message: "<VirtualHost *:80> is never closed: Apache silently ends it at the end" },
        { line: 3, column: 1, endLine: 3, endColumn: 16, severity: "error", fix: "safe", message: "<Location /ws/> is never closed: Apache silently ends it at the end of" },
      ],
      output: "<IfModule mod_proxy.c>\n<VirtualHost *:80>\n<Location /ws/>\nProxyPass ws://127.0.0.1:3000/ws/\n</Location>\n</VirtualHost>\n</IfModule>\n",
    },
    {
      name: "CRLF kept, no final line break added",
      code: "<VirtualHost *:80>\r\n  ServerName a\r\n  ServerAlias b",
      findings: [
        { line: 1, column: 1, endLine: 1, endColumn: 19, severity: "error", fix: "safe", message: "<VirtualHost *:80> is never closed: Apache refuses to start (\"<Virtual" },
      ],
      output: "<VirtualHost *:80>\r\n  ServerName a\r\n  ServerAlias b\r\n</VirtualHost>",
    },
    {
      name: "doc.bad, finding by finding",
      code: testedRule.doc.bad,
      findings: [
      { line: 1, column: 1, endLine: 1, endColumn: 20, severity: "error", fix: "safe", message: "<VirtualHost *:443> is never closed: Apache refuses to start (\"<Virtua" },
      { line: 2, column: 3, endLine: 2, endColumn: 37, severity: "error", fix: "safe", message: "<Proxy balancer://backend-cluster> is never closed: Apache refuses to " },
      ],
    },
  ],
});

describe("section-unclosed", () => {
  it("closes several sections that end at one point innermost first, in one pass", () => {
    const text = "<IfModule mod_proxy.c>\n<VirtualHost *:80>\n<Location /ws/>\nProxyPass ws://127.0.0.1:3000/ws/\n";
    const fixes = lint(text, [sectionUnclosed]).map((f) => f.fix!);
    expect(new Set(fixes.map((x) => x.edits[0]!.start)).size).toBe(1);
    // each finding carries the one edit that closes all three; the fixer applies it once
    expect(applyFixes(text, fixes).applied.length).toBe(1);
    const result = fixUntilStable(text, (t) => lint(t, [sectionUnclosed]), () => true);
    expect(result.output).toBe(`${text}</Location>\n</VirtualHost>\n</IfModule>\n`);
    expect(result.passes).toBe(1);
  });

  it("keeps a file without a final line break without one, and CRLF files CRLF", () => {
    expect(fixAll("<VirtualHost *:80>\r\n  ServerName a\r\n  ServerAlias b", [sectionUnclosed])).toBe(
      "<VirtualHost *:80>\r\n  ServerName a\r\n  ServerAlias b\r\n</VirtualHost>",
    );
    // a dangling `\` would continue onto the close tag: an empty line ends it first
    expect(fixAll("<Location />\n  Require all granted \\", [sectionUnclosed])).toBe("<Location />\n  Require all granted \\\n\n</Location>");
  });

  it("uses the open tag's spelling and indentation (tabs kept)", () => {
    expect(fixAll("<virtualhost *:80>\n\t<ifmodule mod_rewrite.c>\n\t\tRewriteEngine On\n\tServerName a\n</virtualhost>\n", [sectionUnclosed])).toBe(
      "<virtualhost *:80>\n\t<ifmodule mod_rewrite.c>\n\t\tRewriteEngine On\n\t</ifmodule>\n\tServerName a\n</virtualhost>\n",
    );
  });

  it("says what Apache does: silent for a true conditional at the end, refusal otherwise", () => {
    const msg = (text: string) => lint(text, [sectionUnclosed]).map((f) => f.message);
    expect(msg("<IfVersion >= 2.4>\nServerName a\n")[0]).toMatch(/silently ends it .* when its condition is true/);
    // inside an open true conditional, Apache never checks the inner sections
    expect(msg("<IfDefine !X>\n<VirtualHost *:80>\nServerName a\n")[1]).toMatch(/when <IfDefine !X>'s condition is true/);
    // a conditional inside a plain section: the plain one is what Apache names
    expect(msg("<VirtualHost *:80>\n<IfModule x>\nServerName a\n")[1]).toContain('("<VirtualHost> was not closed.")');
    expect(msg("<Directory /x>\nRequire all granted\n")[0]).toContain('("<Directory> was not closed.")');
  });
});
