// continuation-trailing-space against what Apache 2.4.71 said about each measured case. Moved from test/rules-structure.test.ts, plus the rule tester.
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/continuation-trailing-space.js";
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
  valid: [
    "ProxyPass /ws/ \\  ",
    "# ProxyPass /ws/ \\ \n    ws://x/\n",
  ],
  invalid: [
    {
      name: "the next line indented deeper: a safe fix",
      code: "ProxyPass /ws/ \\ \n    ws://127.0.0.1:13001/ws/\n",
      findings: [{ line: 1, column: 16, endLine: 1, endColumn: 18, severity: "error", fix: "safe", message: "The `\\` at the end of this ProxyPass line is followed by blanks" }],
      output: "ProxyPass /ws/ \\\n    ws://127.0.0.1:13001/ws/\n",
    },
    {
      name: "the next line a directive of its own: an unsafe fix",
      code: "RewriteRule ^/a$ /b [L] \\\t\nRewriteRule ^/c$ /d [L]\n",
      findings: [{ line: 1, column: 25, endLine: 1, endColumn: 27, severity: "error", fix: "unsafe", message: "The `\\` at the end of this RewriteRule line is followed by blanks" }],
    },
    {
      name: "doc.bad, finding by finding",
      code: testedRule.doc.bad,
      findings: [
      { line: 1, column: 16, endLine: 1, endColumn: 18, severity: "error", fix: "safe", message: "The `\\` at the end of this ProxyPass line is followed by blanks, so it" },
      ],
    },
  ],
});

describe("continuation-trailing-space", () => {
  it("is safe only when the next line is indented deeper, and silent where nothing follows", () => {
    const safety = (text: string) => lint(text, [continuationTrailingSpace]).map((f) => f.fix!.safety);
    expect(safety("ProxyPass /ws/ \\ \n    ws://127.0.0.1:13001/ws/\n")).toEqual(["safe"]);
    expect(safety("RewriteRule ^/a$ /b [L] \\\t\nRewriteRule ^/c$ /d [L]\n")).toEqual(["unsafe"]);
    expect(safety("ProxyPass /ws/ \\ \n    # comment\n")).toEqual(["unsafe"]);
    expect(safety("ProxyPass /ws/ \\  ")).toEqual([]);
    expect(safety("# ProxyPass /ws/ \\ \n    ws://x/\n")).toEqual([]);
  });

  it("also checks section tags", () => {
    const [f] = lint('<If "%{HTTP_HOST} == \'a\'" \\ \n    >\n</If>\n', [continuationTrailingSpace]);
    expect(at(f!)).toBe("1:27");
  });
});
