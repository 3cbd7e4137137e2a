// quote-unbalanced against what Apache 2.4.71 said about each measured case. Moved from test/rules-structure.test.ts, plus the rule tester.
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/quote-unbalanced.js";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { readFileSync, rmSync } from "node:fs";
import { caseText, makeServerRoot, readVerdict } from "../../src/tools/differential.js";
import { apacheTest } from "../../src/tools/probe-support.js";
import { apacheOrSkip } from "../apache/harness.js";
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
    "Header set X \"a b\"\n",
    "ErrorDocument 404 \"Sorry, that page is gone\n",
    "<VirtualHost *:80>\n    ErrorDocument 500 \"The server crashed. Oh dear\n</VirtualHost>\n",
  ],
  invalid: [
    {
      name: "ErrorDocument with the quote on its status: not the message form",
      code: "ErrorDocument \"404 Sorry\n",
      findings: [{ line: 1, column: 15, message: "The `\"` in ErrorDocument is never closed" }],
    },
    {
      name: "doc.bad, finding by finding",
      code: testedRule.doc.bad,
      findings: [
      { line: 1, column: 11, endLine: 1, endColumn: 41, severity: "error", fix: "none", message: "The `\"` in ProxyPass is never closed: Apache silently takes the rest o" },
      ],
    },
  ],
});

describe.runIf(apacheOrSkip("quote-unbalanced (live)"))("quote-unbalanced against apache2 -t", () => {
  it("ErrorDocument's open-quoted message passes apache2 -t, and a quote the rule reports changes what Apache reads", async () => {
    const root = makeServerRoot();
    try {
      for (const [body, ok] of [
        [['ErrorDocument 404 "Sorry, that page is gone'], true],
        [['<VirtualHost *:80>', '    ErrorDocument 500 "The server crashed. Oh dear', "</VirtualHost>"], true],
        [['ProxyPass "/ws/ ws://127.0.0.1:13001/ws/'], false],
      ] as const) {
        const { code, stderr } = await apacheTest(root, caseText([...body], root));
        expect(readVerdict(code, stderr, root, body.length).ok, body.join("\n")).toBe(ok);
        const found = lintText(caseText([...body], root), join(root, "httpd.conf"), { rules: [quoteUnbalanced] }).findings;
        expect(found.length, body.join("\n")).toBe(ok ? 0 : 1);
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 60_000);
});

describe("quote-unbalanced", () => {
  it("says what the open quote swallowed (m23)", () => {
    const [f] = lint(read(join(CASES, "m23-unbalanced-quote.conf")), [quoteUnbalanced]);
    expect(f!.message).toBe(
      "The `\"` in ProxyPass is never closed: Apache silently takes the rest of the line, `/ws/ ws://127.0.0.1:13001/ws/`, " +
        "as its only argument, and any error it then reports for ProxyPass says nothing about the quote.",
    );
    expect(f!.fix).toBeUndefined();
  });
});
