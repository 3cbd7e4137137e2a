// parse-error against what Apache 2.4.71 said about each measured case. Moved from test/rules-structure.test.ts, plus the rule tester.
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/parse-error.js";
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
      name: "a NUL byte on a directive line, not in a comment",
      code: "# nul \u0000 in a comment\nServerAdmin a@b\u0000 junk \\\n  more words\n",
      findings: [
        { line: 2, column: 16, endLine: 2, endColumn: 17, severity: "error", fix: "none", message: "NUL byte: Apache stops reading the line here and silently drops the re" },
      ],
    },
    {
      name: "doc.bad, finding by finding",
      code: testedRule.doc.bad,
      findings: [
      { line: 1, column: 34, endLine: 1, endColumn: 35, severity: "error", fix: "none", message: "NUL byte: Apache stops reading the line here and silently drops the re" },
      ],
    },
  ],
});

describe("parse-error", () => {
  it("never comes from the parser: every input lexes and parses (so the rule's fixture is a NUL byte)", () => {
    const alphabet = fc.constantFrom("a", " ", "\t", "\n", "\r", "\\", "#", "<", "/", ">", '"', "'", "\0", "\ufeff", "é");
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 80 }).map((a) => a.join("")), (text) => {
        expect(parse(text).errors.filter((e) => e.code === "syntax-error")).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });

  it("reports what the parser would record, should it ever fail", () => {
    const file = parse("ServerName a\n");
    file.errors.push({ code: "syntax-error", start: 0, end: 0, message: "internal parser failure: boom" });
    const found = lintFile(file, { rules: [parseError], reportUnusedSuppressions: false });
    expect(found.map((f) => ({ message: f.message, start: f.start, end: f.end }))).toEqual([
      { message: "apachelint could not parse this: internal parser failure: boom", start: 0, end: 0 },
    ]);
  });

  it("flags a NUL byte on a directive line, not in a comment, and says the continuation is lost", () => {
    const text = "# nul \0 in a comment\nServerAdmin a@b\0 junk \\\n  more words\n";
    const found = lint(text, [parseError]);
    expect(found.map(at)).toEqual(["2:16"]);
    expect(found[0]!.message).toContain("the `\\` continuation: the next line stands alone");
  });
});
