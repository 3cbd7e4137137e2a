// suppression-unused against what Apache 2.4.71 said about each measured case. Moved from test/rules-structure.test.ts, plus the rule tester.
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/suppression-unused.js";
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
  // the engine reports it, for a suppression of a rule that ran
  withRules: [trailingComment],
  options: { reportUnusedSuppressions: true },
  invalid: [
    {
      name: "doc.bad, finding by finding",
      code: testedRule.doc.bad,
      findings: [
      { line: 1, column: 1, endLine: 1, endColumn: 66, severity: "warning", fix: "none", message: "Unused apachelint-disable-next-line directive: no 'trailing-comment' p" },
      { line: 3, column: 1, endLine: 3, endColumn: 47, severity: "warning", fix: "none", message: "Unused apachelint-disable-next-line directive: unknown rule 'trailing-" },
      ],
    },
  ],
});

describe("suppression-unused", () => {
  it("is reported by the engine, not by the rule's own check", () => {
    const text = "# apachelint-disable-next-line trailing-comment\nProxyRequests Off\n";
    expect(lintFile(parse(text), { rules: [suppressionUnused], reportUnusedSuppressions: false })).toEqual([]);
    const findings = lintText(text, "x.conf", { rules: [trailingComment, suppressionUnused] }).findings;
    expect(findings.map((f) => `${at(f)} ${f.ruleId}`)).toEqual(["1:1 suppression-unused"]);
  });
});
