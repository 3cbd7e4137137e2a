// trailing-comment against what Apache 2.4.71 said about each measured case. Moved from test/rules-structure.test.ts, plus the rule tester.
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/trailing-comment.js";
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
    "Header set X-Color #fff\nServerName #todo\n",
  ],
  invalid: [
    {
      name: "moved above a continued directive",
      code: "  ProxyPass /a \\\n    http://x/ # backend  \n",
      findings: [
        { line: 2, column: 15, endLine: 2, endColumn: 24, severity: "error", fix: "safe", message: "Apache has no trailing comments: ProxyPass rejects `#` as an argument," },
      ],
      output: "  # backend\n  ProxyPass /a \\\n    http://x/\n",
    },
    {
      name: "an unknown directive: unsafe",
      code: "MadeUpDirective a # s\n",
      findings: [
        { line: 1, column: 19, endLine: 1, endColumn: 22, severity: "warning", fix: "unsafe", message: "Apache has no trailing comments: it passes `#`, `s` to MadeUpDirective" },
      ],
    },
    {
      name: "doc.bad, finding by finding",
      code: testedRule.doc.bad,
      findings: [
      { line: 1, column: 19, endLine: 1, endColumn: 37, severity: "warning", fix: "safe", message: "Apache has no trailing comments: ProxyRequests happens to ignore the w" },
      { line: 2, column: 17, endLine: 2, endColumn: 26, severity: "error", fix: "safe", message: "Apache has no trailing comments: ProxyTimeout takes one argument but g" },
      { line: 3, column: 41, endLine: 3, endColumn: 61, severity: "error", fix: "safe", message: "Apache has no trailing comments: ProxyPass rejects `#` as an argument," },
      ],
    },
  ],
});

describe("trailing-comment", () => {
  // Every row: a valid line, then ` # note here` and ` #note` appended, and what apache2 -t said.
  const measured = JSON.parse(read(join(ROOT, "rules", "trailing-comment", "apache-2.4.71-measured.json"))) as {
    rows: { line: string; spaced: string; glued: string }[];
  };

  it("is an error exactly where Apache 2.4.71 refused the line, a warning where it said Syntax OK", () => {
    const wrong: string[] = [];
    let errors = 0;
    for (const r of measured.rows) {
      for (const [suffix, said] of [[" # note here", r.spaced], [" #note", r.glued]] as const) {
        const f = lint(`${r.line}${suffix}\n`, [trailingComment]);
        const want = said === "Syntax OK" ? "warning" : "error";
        if (want === "error") errors++;
        const got = f[0]?.severity ?? "none";
        if (got !== want) wrong.push(`${r.line}${suffix}: Apache ${said}, we ${got}`);
      }
    }
    expect(measured.rows.length).toBeGreaterThan(250);
    expect(errors).toBeGreaterThan(300);
    expect(wrong).toEqual([]);
  });

  it("takes a `#word` that fills a required argument for a value", () => {
    expect(lint("Header set X-Color #fff\nServerName #todo\n", [trailingComment])).toEqual([]);
    expect(lint("Header set X-Color #fff # white\n", [trailingComment])[0]!.severity).toBe("error");
  });

  it("moves the comment above, safe only where Apache refuses or ignores the words", () => {
    const safety = (line: string) => lint(line, [trailingComment])[0]!.fix!.safety;
    expect(safety("ProxyTimeout 60 # s\n")).toBe("safe");
    expect(safety("ProxyRequests Off # s\n")).toBe("safe");
    expect(safety("DirectoryIndex index.html # s\n")).toBe("unsafe");
    expect(safety("MadeUpDirective a # s\n")).toBe("unsafe");
    expect(lint("MadeUpDirective a # s\n", [trailingComment])[0]!.message).toBe(
      "Apache has no trailing comments: it passes `#`, `s` to MadeUpDirective as arguments.",
    );
    expect(fixAll("  ProxyPass /a \\\n    http://x/ # backend  \n", [trailingComment])).toBe("  # backend\n  ProxyPass /a \\\n    http://x/\n");
  });
});
