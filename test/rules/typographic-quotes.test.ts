// typographic-quotes against what Apache 2.4.71 said about each measured case. Moved from test/rules-structure.test.ts, plus the rule tester.
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/typographic-quotes.js";
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
      name: "look-alike quotes outside comments, not an apostrophe in a word",
      code: "# “ok” in a comment\nServerAdmin o’brien@example.com\nRewriteCond %{HTTP:Upgrade} ‘websocket’ [NC]\nHeader set X \"it’s\" # “ok”\n",
      findings: [
        { line: 3, column: 29, endLine: 3, endColumn: 30, severity: "error", fix: "safe", message: "`‘` (U+2018) in RewriteCond is not a quote for Apache: it stays part o" },
        { line: 3, column: 39, endLine: 3, endColumn: 40, severity: "error", fix: "safe", message: "`’` (U+2019) in RewriteCond is not a quote for Apache: it stays part o" },
      ],
    },
    {
      name: "inside ASCII quotes: a warning with an unsafe fix",
      code: "ErrorDocument 404 \"the “page”\"\n",
      findings: [
        { line: 1, column: 24, endLine: 1, endColumn: 25, severity: "warning", fix: "unsafe", message: "`“` (U+201C) inside the quoted ErrorDocument argument \"the “page”\" is " },
        { line: 1, column: 29, endLine: 1, endColumn: 30, severity: "warning", fix: "unsafe", message: "`”` (U+201D) inside the quoted ErrorDocument argument \"the “page”\" is " },
      ],
    },
    {
      name: "doc.bad, finding by finding",
      code: testedRule.doc.bad,
      findings: [
      { line: 1, column: 16, endLine: 1, endColumn: 17, severity: "error", fix: "safe", message: "`“` (U+201C) in RewriteRule is not a quote for Apache: it stays part o" },
      { line: 1, column: 46, endLine: 1, endColumn: 47, severity: "error", fix: "safe", message: "`”` (U+201D) in RewriteRule is not a quote for Apache: it stays part o" },
      { line: 2, column: 26, endLine: 2, endColumn: 27, severity: "error", fix: "safe", message: "`“` (U+201C) in RequestHeader is not a quote for Apache: it stays part" },
      { line: 2, column: 30, endLine: 2, endColumn: 31, severity: "error", fix: "safe", message: "`”` (U+201D) in RequestHeader is not a quote for Apache: it stays part" },
      ],
    },
  ],
});

describe("typographic-quotes", () => {
  it("flags each look-alike quote outside comments, never an apostrophe inside a word", () => {
    const text = "# “ok” in a comment\nServerAdmin o’brien@example.com\nRewriteCond %{HTTP:Upgrade} ‘websocket’ [NC]\nHeader set X \"it’s\" # “ok”\n";
    expect(lint(text, [typographicQuotes]).map((f) => `${at(f)} ${text.slice(f.start, f.end)}`)).toEqual(["3:29 ‘", "3:39 ’"]);
  });

  it("fixes the tutorial's prose RewriteRule, which then reads as Apache was meant to read it", () => {
    const text = read(join(ROOT, "websocket-tutorial", "prose-rewriterule.conf"));
    expect(lint(text, [typographicQuotes]).every((f) => f.severity === "error" && f.fix!.safety === "safe")).toBe(true);
    expect(fixAll(text, [typographicQuotes])).toBe('RewriteRule .* "wss:/ws-backend%{REQUEST_URI}" [P]');
  });

  it("is a warning with an unsafe fix inside ASCII quotes, except in an expression", () => {
    const [inText] = lint('ErrorDocument 404 "the “page”"\n', [typographicQuotes]);
    expect([inText!.severity, inText!.fix!.safety]).toEqual(["warning", "unsafe"]);
    const [inExpr] = lint('Require expr "%{REMOTE_USER} == ‘bob’"\n', [typographicQuotes]);
    expect([inExpr!.severity, inExpr!.fix!.safety]).toEqual(["error", "safe"]);
  });
});
