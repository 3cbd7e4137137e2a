// websocket-prefer-upgrade-param: exact positions and messages, edge cases the fixtures do not pin down. Moved from test/rules-rewrite.test.ts, plus the rule tester.
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/websocket-prefer-upgrade-param.js";
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
    "ProxyPass /a/ http://b/a/ upgrade=websocket\nProxyPass /w/ ws://b/w/ upgrade=websocket\n",
  ],
  invalid: [
    {
      name: "upgrade= below 2.4.47 on an http:// worker",
      code: "ProxyPass /a/ http://b/a/ upgrade=websocket\nProxyPass /w/ ws://b/w/ upgrade=websocket\n",
      options: { apacheVersion: parseVersion("2.4.30")! },
      findings: [
        { line: 1, column: 27, endLine: 1, endColumn: 44, severity: "error", fix: "none", message: "`upgrade=websocket` on ProxyPass needs Apache 2.4.47 or later: on 2.4." },
      ],
    },
    {
      name: "doc.bad, finding by finding",
      code: testedRule.doc.bad,
      findings: [
      { line: 4, column: 1, endLine: 4, endColumn: 54, severity: "info", fix: "unsafe", message: "On Apache 2.4.47 and later this RewriteCond %{HTTP:Upgrade} + RewriteR" },
      ],
    },
  ],
});

describe("websocket-prefer-upgrade-param", () => {
  const dance = [
    "<VirtualHost *:80>",
    "  ProxyPass /api/ http://b:3000/api/",
    "  RewriteEngine on",
    "  RewriteCond %{HTTP:Upgrade} websocket [NC]",
    "  RewriteCond %{HTTP:Connection} upgrade [NC]",
    "  RewriteRule ^/ws/(.*)$ ws://b:3000/socket/$1 [P,L]",
    "  ProxyPass / http://b:3000/",
    "</VirtualHost>",
    "",
  ].join("\r\n");

  it("is silent below 2.4.47 and an info from 2.4.47 on", () => {
    expect(lint("websocket-prefer-upgrade-param", dance, { apacheVersion: parseVersion("2.4.46")! })).toEqual([]);
    const f = lint("websocket-prefer-upgrade-param", dance, { apacheVersion: parseVersion("2.4.47")! });
    expect(f.map((x) => `${at(x)} ${x.severity}`)).toEqual(["6:3-6:53 info"]);
    expect(f[0]!.related.map((r) => r.line)).toEqual([4]);
  });

  it("puts the ProxyPass line before the scope's first ProxyPass, in the file's line endings", () => {
    expect(fixAll(dance, [rule("websocket-prefer-upgrade-param")])).toBe(
      [
        "<VirtualHost *:80>",
        "  ProxyPass /ws/ http://b:3000/socket/ upgrade=websocket",
        "  ProxyPass /api/ http://b:3000/api/",
        "  RewriteEngine on",
        "  ProxyPass / http://b:3000/",
        "</VirtualHost>",
        "",
      ].join("\r\n"),
    );
  });

  it("reports `upgrade=` below 2.4.47 as an error, except on ws:// workers from 2.4.26", () => {
    const text = "ProxyPass /a/ http://b/a/ upgrade=websocket\nProxyPass /w/ ws://b/w/ upgrade=websocket\n";
    const at2430 = lint("websocket-prefer-upgrade-param", text, { apacheVersion: parseVersion("2.4.30")! });
    expect(at2430.map((f) => `${f.line} ${f.severity}`)).toEqual(["1 error"]);
    expect(at2430[0]!.message).toContain("needs Apache 2.4.47 or later");
    expect(lint("websocket-prefer-upgrade-param", text, { apacheVersion: parseVersion("2.4.20")! }).map((f) => f.line)).toEqual([1, 2]);
    expect(lint("websocket-prefer-upgrade-param", text)).toEqual([]);
  });
});

describe("documentation examples", () => {
  for (const r of [rule("websocket-prefer-upgrade-param")]) {
    it(`${r.id}: doc.bad fires and doc.good is silent`, () => {
      const run = (text: string) => lintText(`${text}\n`, "doc.conf", { rules: [r] }).findings;
      expect(run(r.doc.bad).length).toBeGreaterThan(0);
      expect(run(r.doc.good).map((f) => f.message)).toEqual([]);
    });
  }
});
