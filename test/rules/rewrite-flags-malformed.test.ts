// rewrite-flags-malformed: exact positions and messages, edge cases the fixtures do not pin down. Moved from test/rules-rewrite.test.ts, plus the rule tester.
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/rewrite-flags-malformed.js";
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
    "RewriteRule ^/a /b [DX]\n",
    "RewriteRule ^/a /b \"[P, L]\"\n",
    "RewriteRule ^/a /b # note\n",
    "RewriteRule ^/ws/(.*) ws://b/ws/$1 [P,L]\n",
  ],
  invalid: [
    {
      name: "[P, L] joined",
      code: "RewriteRule ^/a /b [P, L]\n",
      findings: [
        { line: 1, column: 20, endLine: 1, endColumn: 26, severity: "error", fix: "safe", message: "The RewriteRule flags `[P, L]` contain blanks, so Apache takes `[P,` a" },
      ],
      output: "RewriteRule ^/a /b [P,L]\n",
    },
    {
      name: "words after the flags field",
      code: "RewriteRule ^/a /b [L] [NC] x # c\n",
      findings: [
        { line: 1, column: 24, endLine: 1, endColumn: 30, severity: "warning", fix: "none", message: "Apache ignores `[NC] x` after the RewriteRule flags field `[L]`: only " },
      ],
    },
    {
      name: "[P] without mod_proxy in a file that loads modules",
      path: "httpd.conf",
      code: "LoadModule rewrite_module /usr/lib/apache2/modules/mod_rewrite.so\nRewriteRule ^/ws/(.*) ws://b/ws/$1 [P,L]\n",
      findings: [
        { line: 2, column: 37, endLine: 2, endColumn: 38, severity: "error", fix: "none", message: "The RewriteRule flag `P` needs mod_proxy, which this config does not l" },
      ],
    },
    {
      name: "doc.bad, finding by finding",
      code: testedRule.doc.bad,
      findings: [
      { line: 1, column: 49, endLine: 1, endColumn: 55, severity: "error", fix: "safe", message: "The RewriteRule flags `[P, L]` contain blanks, so Apache takes `[P,` a" },
      { line: 2, column: 41, endLine: 2, endColumn: 42, severity: "error", fix: "none", message: "`X` is not a RewriteRule flag: Apache refuses the config with \"Rewrite" },
      ],
    },
  ],
});

describe("rewrite-flags-malformed", () => {
  it("reports m33's `[P, L]` over both words and joins them", () => {
    const text = fixture("rewrite-flags-malformed", "bad-m33.conf");
    const f = lint("rewrite-flags-malformed", text);
    expect(f.map((x) => text.slice(x.start, x.end))).toEqual(["[P, L]"]);
    expect(f[0]!.message).toContain('"RewriteRule: bad flag delimiters"');
    expect(f[0]!.fix).toMatchObject({ safety: "safe", edits: [{ text: "[P,L]" }] });
  });

  it("quotes Apache's unknown-flag error (m21) and offers no guess for a one-letter name", () => {
    const f = lint("rewrite-flags-malformed", fixture("rewrite-flags-malformed", "bad-m21.conf"));
    expect(f.map((x) => x.message)).toEqual([`\`X\` is not a RewriteRule flag: Apache refuses the config with "RewriteRule: unknown flag 'X'".`]);
    expect(f[0]!.fix).toBeUndefined();
  });

  it("accepts what mod_rewrite accepts, including the D quirk and quoted fields", () => {
    for (const flags of ["[DX]", "[backrefernoplus]", '"[P, L]"', "[l=1]", "[UnsafeAllow3F]"]) {
      expect(lint("rewrite-flags-malformed", `RewriteRule ^/a /b ${flags}\n`), flags).toEqual([]);
    }
    expect(lint("rewrite-flags-malformed", "RewriteRule ^/a /b [backrefnoplus]\n").map((f) => f.fix?.edits[0]?.text)).toEqual(["backrefernoplus"]);
  });

  it("leaves a `#` in the flags position to trailing-comment", () => {
    expect(lint("rewrite-flags-malformed", "RewriteRule ^/a /b # note\nRewriteCond %{HTTP_HOST} x #note\n")).toEqual([]);
  });

  it("reports [P] without mod_proxy only in a whole server config that loads its own modules", () => {
    const rule = "RewriteRule ^/ws/(.*) ws://b/ws/$1 [P,L]\n";
    expect(lint("rewrite-flags-malformed", rule)).toEqual([]);
    const noProxy = `LoadModule rewrite_module /usr/lib/apache2/modules/mod_rewrite.so\n${rule}`;
    // a fragment's other modules are loaded elsewhere
    expect(lint("rewrite-flags-malformed", noProxy)).toEqual([]);
    const f = lint("rewrite-flags-malformed", noProxy, { path: "httpd.conf" });
    expect(f.map((x) => `${at(x)} ${x.severity}`)).toEqual(["2:37-2:38 error"]);
    expect(f[0]!.message).toContain("AH00669");
    expect(lint("rewrite-flags-malformed", `LoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so\n${noProxy}`, { path: "httpd.conf" })).toEqual([]);
  });

  it("warns about words after the flags field that Apache drops", () => {
    const f = lint("rewrite-flags-malformed", "RewriteRule ^/a /b [L] [NC] x # c\n");
    expect(f.map((x) => `${at(x)} ${x.severity} ${x.message}`)).toEqual([
      "1:24-1:30 warning Apache ignores `[NC] x` after the RewriteRule flags field `[L]`: only one flags field is read.",
    ]);
  });
});

describe("documentation examples", () => {
  for (const r of [rule("rewrite-flags-malformed")]) {
    it(`${r.id}: doc.bad fires and doc.good is silent`, () => {
      const run = (text: string) => lintText(`${text}\n`, "doc.conf", { rules: [r] }).findings;
      expect(run(r.doc.bad).length).toBeGreaterThan(0);
      expect(run(r.doc.good).map((f) => f.message)).toEqual([]);
    });
  }
});
