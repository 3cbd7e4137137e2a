// bom against what Apache 2.4.71 said about each measured case. Moved from test/rules-structure.test.ts, plus the rule tester.
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/bom.js";
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
      name: "the close tag Apache blames",
      code: "﻿<IfModule mod_proxy.c>\nProxyRequests Off\n</IfModule>\n",
      findings: [
        { line: 1, column: 1, endLine: 1, endColumn: 2, severity: "error", fix: "safe", message: "The file starts with a UTF-8 byte order mark: Apache does not skip it," },
      ],
      output: "<IfModule mod_proxy.c>\nProxyRequests Off\n</IfModule>\n",
    },
    {
      name: "doc.bad, finding by finding",
      code: testedRule.doc.bad,
      findings: [
      { line: 1, column: 1, endLine: 1, endColumn: 2, severity: "error", fix: "safe", message: "The file starts with a UTF-8 byte order mark: Apache does not skip it " },
      ],
    },
  ],
});

describe("bom", () => {
  it("explains the first line Apache then sees, and points at the close tag Apache blames", () => {
    const cases: [string, string][] = [
      ["\ufeff# x\n", "Invalid command '\\xef\\xbb\\xbf#'"],
      ["\ufeffServerName a\n", "Invalid command '\\xef\\xbb\\xbfServerName'"],
      ["\ufeff\nServerName a\n", "Invalid command '\\xef\\xbb\\xbf'"],
    ];
    for (const [text, said] of cases) expect(lint(text, [bom])[0]!.message).toContain(said);
    const [f] = lint("\ufeff<IfModule mod_proxy.c>\nProxyRequests Off\n</IfModule>\n", [bom]);
    expect(at(f!.related[0]!)).toBe("3:1");
    expect(f!.related[0]!.message).toContain('"</IfModule> without matching <IfModule> section"');
  });
});
