// upgrade-header-anchored: exact positions and messages, edge cases the fixtures do not pin down. Moved from test/rules-rewrite.test.ts, plus the rule tester.
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/upgrade-header-anchored.js";
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
    "RewriteCond %{HTTP:Connection} !^$\n",
    "RewriteCond %{HTTP:Upgrade} ^websocket$ [NC]\n",
  ],
  invalid: [
    {
      name: "NC added into an existing flags field",
      code: "RewriteCond %{HTTP:Upgrade} websocket [OR]\n",
      findings: [
        { line: 1, column: 29, endLine: 1, endColumn: 38, severity: "warning", fix: "safe", message: "`RewriteCond %{HTTP:Upgrade} websocket` is case-sensitive without [NC]" },
      ],
      output: "RewriteCond %{HTTP:Upgrade} websocket [NC,OR]\n",
    },
    {
      name: "malformed flags field: no fix",
      code: "RewriteCond %{HTTP:Upgrade} websocket NC\n",
      findings: [
        { line: 1, column: 29, endLine: 1, endColumn: 38, severity: "warning", fix: "none", message: "`RewriteCond %{HTTP:Upgrade} websocket` is case-sensitive without [NC]" },
      ],
    },
    {
      name: "doc.bad, finding by finding",
      code: testedRule.doc.bad,
      findings: [
      { line: 1, column: 29, endLine: 1, endColumn: 38, severity: "warning", fix: "safe", message: "`RewriteCond %{HTTP:Upgrade} websocket` is case-sensitive without [NC]" },
      { line: 2, column: 32, endLine: 2, endColumn: 41, severity: "warning", fix: "safe", message: "`RewriteCond %{HTTP:Connection} ^Upgrade$` is anchored, but Connection" },
      ],
    },
  ],
});

describe("upgrade-header-anchored", () => {
  it("reports l1's Connection condition only, with a fix to an unanchored token", () => {
    const text = fixture("upgrade-header-anchored", "bad-l1.conf");
    const f = lint("upgrade-header-anchored", text);
    expect(f.map(at)).toEqual(["19:36-19:45"]);
    expect(f[0]!.message).toContain("Firefox sends `keep-alive, Upgrade`");
    expect(applyFixes(text, [f[0]!.fix!]).text).toContain("RewriteCond %{HTTP:Connection} upgrade [NC]\n");
  });

  it("puts NC into an existing flags field, keeping its other flags", () => {
    expect(fixAll("RewriteCond %{HTTP:Upgrade} websocket [OR]\n", mine)).toBe("RewriteCond %{HTTP:Upgrade} websocket [NC,OR]\n");
    expect(fixAll('RewriteCond %{HTTP:Upgrade} websocket "[OR]"\n', mine)).toBe('RewriteCond %{HTTP:Upgrade} websocket "[NC,OR]"\n');
  });

  it("leaves conditions it cannot read alone", () => {
    for (const text of [
      "RewriteCond %{HTTP:Connection} !^$\n",
      "RewriteCond %{HTTP:Upgrade} ^websocket$ [NC]\n",
      "RewriteCond %{HTTP_HOST} ^Upgrade$\n",
      "RewriteCond %{HTTP:Connection} (?i)^.*upgrade\n",
    ]) {
      expect(lint("upgrade-header-anchored", text), text).toEqual([]);
    }
  });

  it("does not fix a case-sensitive condition whose flags field is malformed", () => {
    const f = lint("upgrade-header-anchored", "RewriteCond %{HTTP:Upgrade} websocket NC\n");
    expect(f).toHaveLength(1);
    expect(f[0]!.fix).toBeUndefined();
  });
});

describe("documentation examples", () => {
  for (const r of [rule("upgrade-header-anchored")]) {
    it(`${r.id}: doc.bad fires and doc.good is silent`, () => {
      const run = (text: string) => lintText(`${text}\n`, "doc.conf", { rules: [r] }).findings;
      expect(run(r.doc.bad).length).toBeGreaterThan(0);
      expect(run(r.doc.good).map((f) => f.message)).toEqual([]);
    });
  }
});
