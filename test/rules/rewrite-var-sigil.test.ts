// rewrite-var-sigil: exact positions and messages, edge cases the fixtures do not pin down. Moved from test/rules-rewrite.test.ts, plus the rule tester.
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/rewrite-var-sigil.js";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "../../grammar/index.js";
import { lintText, type Finding, type Options as LintOptions } from "../../src/index.js";
import { applyFixes, fixUntilStable } from "../../src/core/fixer.js";
import { captureGroupCount, expansions, valueOffsets } from "../../src/apache/rewrite.js";
import { parseVersion } from "../../src/apache/version.js";
import { ruleById } from "../../rules/index.js";
import type { Rule } from "../../src/core/rule.js";

const IDS = [
  "rewrite-var-sigil",
  "rewrite-backref-without-group",
  "upgrade-header-anchored",
  "rewrite-flags-malformed",
  "websocket-prefer-upgrade-param",
] as const;
const rule = (id: (typeof IDS)[number]): Rule => ruleById(id)!;
const mine = IDS.map(rule);

function lint(id: (typeof IDS)[number], text: string, opts: LintOptions & { path?: string } = {}): Finding[] {
  const { path = "test.conf", ...rest } = opts;
  return lintText(text, path, { rules: [rule(id)], ...rest }).findings;
}

/** Applies every fix (safe and unsafe) of the given rules until nothing changes. */
function fixAll(text: string, rules: readonly Rule[], opts: LintOptions & { path?: string } = {}): string {
  const { path = "test.conf", ...rest } = opts;
  return fixUntilStable(text, (t) => lintText(t, path, { rules, ...rest }).findings, () => true).output;
}

const at = (f: Finding) => `${f.line}:${f.column}-${f.endLine}:${f.endColumn}`;
const fixture = (id: string, name: string) => readFileSync(join(import.meta.dirname, "..", "..", "fixtures", "rules", id, name), "utf8");

ruleTester(testedRule, {
  valid: [
    "RewriteMap HTTP int:toupper\nRewriteCond ${HTTP:Upgrade} x\n",
    "Define REQUEST_URI /x\nRewriteCond ${Request_Uri} x\n",
  ],
  invalid: [
    {
      name: "a variable in a quoted argument after an escape, and on a continued line",
      code: "RewriteRule ^/a \"/x\\\"y${REQUEST_URI}\" \\\n    [E=UA:${HTTP:User-Agent}]\n",
      findings: [
        { line: 1, column: 23, endLine: 1, endColumn: 37, severity: "error", fix: "safe", message: "`${REQUEST_URI}` in RewriteRule is a config variable that is not defin" },
        { line: 2, column: 11, endLine: 2, endColumn: 29, severity: "error", fix: "safe", message: "`${HTTP:User-Agent}` in RewriteRule is a lookup in a RewriteMap named " },
      ],
    },
    {
      name: "CRLF kept, one byte per finding",
      code: "RewriteCond ${HTTP:Upgrade} websocket [NC]\r\nRewriteRule ^/?(.*) ws://b/$1 [P]\r\n",
      findings: [
        { line: 1, column: 13, endLine: 1, endColumn: 28, severity: "error", fix: "safe", message: "`${HTTP:Upgrade}` in RewriteCond is a lookup in a RewriteMap named `HT" },
      ],
      output: "RewriteCond %{HTTP:Upgrade} websocket [NC]\r\nRewriteRule ^/?(.*) ws://b/$1 [P]\r\n",
    },
    {
      name: "doc.bad, finding by finding",
      code: testedRule.doc.bad,
      findings: [
      { line: 2, column: 13, endLine: 2, endColumn: 28, severity: "error", fix: "safe", message: "`${HTTP:Upgrade}` in RewriteCond is a lookup in a RewriteMap named `HT" },
      { line: 3, column: 13, endLine: 3, endColumn: 31, severity: "error", fix: "safe", message: "`${HTTP:Connection}` in RewriteCond is a lookup in a RewriteMap named " },
      ],
    },
  ],
});

describe("rewrite-var-sigil", () => {
  it("reports the a1 conditions at the `${…}` span with Apache's behaviour in the message", () => {
    const f = lint("rewrite-var-sigil", fixture("rewrite-var-sigil", "bad-a1.conf"));
    expect(f.map(at)).toEqual(["18:17-18:32", "19:17-19:35"]);
    expect(f[0]!.message).toBe(
      "`${HTTP:Upgrade}` in RewriteCond is a lookup in a RewriteMap named `HTTP`, which is not declared, so mod_rewrite substitutes an empty string; the server variable is `%{HTTP:Upgrade}`.",
    );
    expect(f[0]!.fix).toMatchObject({ safety: "safe", edits: [{ start: f[0]!.start, end: f[0]!.start + 1, text: "%" }] });
  });

  it("locates a variable inside a quoted argument after an escape, and on a continued line", () => {
    const text = 'RewriteRule ^/a "/x\\"y${REQUEST_URI}" \\\n    [E=UA:${HTTP:User-Agent}]\n';
    const f = lint("rewrite-var-sigil", text);
    expect(f.map((x) => text.slice(x.start, x.end))).toEqual(["${REQUEST_URI}", "${HTTP:User-Agent}"]);
    expect(f.map(at)).toEqual(["1:23-1:37", "2:11-2:29"]);
    expect(f[0]!.message).toContain("AH00111");
  });

  it("honours maps declared anywhere in the file (case-sensitive) and Defines (case-insensitive)", () => {
    const text = [
      "<VirtualHost *:80>",
      "  RewriteCond ${HTTP:Upgrade} x",
      "  RewriteCond ${http:Upgrade} x",
      "  RewriteCond ${Request_Uri} x",
      "  RewriteCond ${HTTP_HOST} x",
      "</VirtualHost>",
      "RewriteMap HTTP int:toupper",
      "Define REQUEST_URI /x",
      "",
    ].join("\n");
    expect(lint("rewrite-var-sigil", text).map((f) => f.line)).toEqual([3, 5]);
  });

  it("keeps CRLF files CRLF and changes one byte per finding", () => {
    const text = "RewriteCond ${HTTP:Upgrade} websocket [NC]\r\nRewriteRule ^/?(.*) ws://b/$1 [P]\r\n";
    expect(fixAll(text, [rule("rewrite-var-sigil")])).toBe(text.replace("${", "%{"));
  });
});

describe("documentation examples", () => {
  for (const r of [rule("rewrite-var-sigil")]) {
    it(`${r.id}: doc.bad fires and doc.good is silent`, () => {
      const run = (text: string) => lintText(`${text}\n`, "doc.conf", { rules: [r] }).findings;
      expect(run(r.doc.bad).length).toBeGreaterThan(0);
      expect(run(r.doc.good).map((f) => f.message)).toEqual([]);
    });
  }
});
