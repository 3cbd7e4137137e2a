// section-mismatched against what Apache 2.4.71 said about each measured case. Moved from test/rules-structure.test.ts, plus the rule tester.
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/section-mismatched.js";
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
      name: "a stray close tag: unsafe only",
      code: "ProxyPass / http://127.0.0.1:13001/\n</VirtualHost>\nServerName a\n",
      findings: [
        { line: 2, column: 1, endLine: 2, endColumn: 15, severity: "error", fix: "unsafe", message: "</VirtualHost> closes no open section: Apache refuses to start (\"</Vir" },
      ],
      output: "ProxyPass / http://127.0.0.1:13001/\nServerName a\n",
    },
    {
      name: "a stray close tag: unsafe only (--fix without --unsafe-fixes)",
      code: "ProxyPass / http://127.0.0.1:13001/\n</VirtualHost>\nServerName a\n",
      findings: [
        { line: 2, column: 1, endLine: 2, endColumn: 15, severity: "error", fix: "unsafe", message: "</VirtualHost> closes no open section: Apache refuses to start (\"</Vir" },
      ],
      fixes: "safe",
      output: "ProxyPass / http://127.0.0.1:13001/\n</VirtualHost>\nServerName a\n",
    },
    {
      name: "a missing `>` before a `#` word",
      code: "<Location /ws/ # websocket\n</Location\n",
      findings: [
        { line: 1, column: 1, endLine: 1, endColumn: 27, severity: "error", fix: "safe", message: "<Location /ws/ # websocket is missing its closing `>`: Apache refuses " },
        { line: 2, column: 1, endLine: 2, endColumn: 11, severity: "error", fix: "safe", message: "</Location is missing its closing `>`: Apache refuses to start (\"</Loc" },
      ],
      output: "<Location /ws/> # websocket\n</Location>\n",
    },
    {
      name: "doc.bad, finding by finding",
      code: testedRule.doc.bad,
      findings: [
      { line: 1, column: 1, endLine: 1, endColumn: 21, severity: "error", fix: "safe", message: "<VirtualHost *:18080 is missing its closing `>`: Apache refuses to sta" },
      { line: 3, column: 1, endLine: 3, endColumn: 9, severity: "error", fix: "safe", message: "</Proxy> does not close the open <VirtualHost> (line 1): Apache refuse" },
      ],
    },
  ],
});

describe("section-mismatched", () => {
  it("deletes a stray close tag only as an unsafe fix", () => {
    const text = "ProxyPass / http://127.0.0.1:13001/\n</VirtualHost>\nServerName a\n";
    const [f] = lint(text, [sectionMismatched]);
    expect(f!.fix!.safety).toBe("unsafe");
    expect(fixAll(text, [sectionMismatched], (x) => (x as { safety: string }).safety === "safe")).toBe(text);
    expect(fixAll(text, [sectionMismatched])).toBe("ProxyPass / http://127.0.0.1:13001/\nServerName a\n");
  });

  it("renames a wrong close tag and quotes what Apache says for a conditional section", () => {
    const text = "<IfModule mod_proxy.c>\n  ProxyRequests Off\n</Proxy>\n";
    const [f] = lint(text, [sectionMismatched]);
    expect(at(f!)).toBe("3:1");
    expect(f!.message).toContain('"</Proxy> without matching <Proxy> section" when the condition is true');
    expect(fixAll(text, [sectionMismatched])).toBe("<IfModule mod_proxy.c>\n  ProxyRequests Off\n</IfModule>\n");
  });

  it("puts a missing `>` before a `#` word on an open tag, and after the name on a close tag", () => {
    expect(fixAll("<Location /ws/ # websocket\n</Location\n", [sectionMismatched])).toBe("<Location /ws/> # websocket\n</Location>\n");
    expect(fixAll("<Location />\n</Location  >\n", [sectionMismatched])).toBe("<Location />\n</Location>\n");
  });
});
