// rewrite-backref-without-group: exact positions and messages, edge cases the fixtures do not pin down. Moved from test/rules-rewrite.test.ts, plus the rule tester.
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/rewrite-backref-without-group.js";
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
    "RewriteCond %{HTTP_HOST} ^(.+)$\nRewriteCond %{REQUEST_FILENAME} !-f\nRewriteRule ^/(.*) /%1/$1\n",
  ],
  invalid: [
    {
      name: "the capture added for the server context",
      code: "RewriteRule .* \"ws://b/$1\" [P,L]\n",
      findings: [
        { line: 1, column: 24, endLine: 1, endColumn: 26, severity: "warning", fix: "unsafe", message: "`$1` in the RewriteRule substitution expands to an empty string: the p" },
      ],
      output: "RewriteRule ^/?(.*) \"ws://b/$1\" [P,L]\n",
    },
    {
      name: "per-directory: the .htaccess capture",
      code: "RewriteRule .* \"ws://b/$1\" [P,L]\n",
      path: "site/.htaccess",
      findings: [
        { line: 1, column: 24, endLine: 1, endColumn: 26, severity: "warning", fix: "unsafe", message: "`$1` in the RewriteRule substitution expands to an empty string: the p" },
      ],
      output: "RewriteRule ^(.*)$ \"ws://b/$1\" [P,L]\n",
    },
    {
      name: "doc.bad, finding by finding",
      code: testedRule.doc.bad,
      findings: [
      { line: 1, column: 37, endLine: 1, endColumn: 39, severity: "warning", fix: "unsafe", message: "`$1` in the RewriteRule substitution expands to an empty string: the p" },
      ],
    },
  ],
});

describe("rewrite-backref-without-group", () => {
  it("reports b2's `$1` with the pattern as related location", () => {
    const f = lint("rewrite-backref-without-group", fixture("rewrite-backref-without-group", "bad-b2.conf"));
    expect(f).toHaveLength(1);
    expect(at(f[0]!)).toBe("20:42-20:44");
    expect(f[0]!.message).toBe("`$1` in the RewriteRule substitution expands to an empty string: the pattern `.*` has no capture group.");
    expect(f[0]!.related.map((r) => `${r.line}:${r.column} ${r.message}`)).toEqual(["20:17 the pattern"]);
    expect(f[0]!.fix?.safety).toBe("unsafe");
  });

  it("chooses the capture by context: server and vhost vs per-directory", () => {
    const rule = 'RewriteRule .* "ws://b/$1" [P,L]\n';
    const fixed = (text: string, path?: string) => fixAll(text, [ruleById("rewrite-backref-without-group")!], path ? { path } : {});
    expect(fixed(rule)).toBe('RewriteRule ^/?(.*) "ws://b/$1" [P,L]\n');
    expect(fixed(`<VirtualHost *:80>\n<IfModule rewrite_module>\n${rule}</IfModule>\n</VirtualHost>\n`)).toContain("^/?(.*)");
    expect(fixed(`<Location /ws/>\n${rule}</Location>\n`)).toContain("RewriteRule ^(.*)$ ");
    expect(fixed(`<If "true">\n${rule}</If>\n`)).toContain("RewriteRule ^(.*)$ ");
    expect(fixed(rule, "site/.htaccess")).toBe('RewriteRule ^(.*)$ "ws://b/$1" [P,L]\n');
  });

  it("offers no fix unless the pattern matches everything and only $1 is used", () => {
    for (const text of ["RewriteRule .* /x/$1/$2\n", "RewriteRule ^/a.* /x/$1\n", "RewriteRule !.* /x/$1\n"]) {
      const f = lint("rewrite-backref-without-group", text);
      expect(f.length, text).toBeGreaterThan(0);
      expect(f.every((x) => !x.fix), text).toBe(true);
    }
  });

  it("checks %N against the last positive regex condition only", () => {
    const conds = (lines: string[]) => lint("rewrite-backref-without-group", [...lines, "RewriteRule ^/(.*) /%1/$1\n"].join("\n"));
    expect(conds(["RewriteCond %{HTTP_HOST} ^(.+)$", "RewriteCond %{REQUEST_FILENAME} !-f"])).toEqual([]);
    expect(conds(["RewriteCond %{HTTP_HOST} ^(.+)$", "RewriteCond %{HTTP_HOST} ^www"]).map((f) => f.message)).toEqual([
      "`%1` in the RewriteRule substitution expands to an empty string: the last RewriteCond pattern `^www` has no capture group (write `\\%` for a literal percent sign).",
    ]);
    expect(conds(["RewriteCond %{HTTP_HOST} ^a [OR]", "RewriteCond %{HTTP_HOST} ^(b)"])).toEqual([]);
    expect(conds(["RewriteCond %{HTTP_HOST} !^(www)"]).map((f) => f.message)[0]).toContain("no RewriteCond of this rule has a (non-negated) regular expression");
  });

  it("reads ProxyPassMatch regexes from the directive or the enclosing <LocationMatch>", () => {
    expect(lint("rewrite-backref-without-group", fixture("rewrite-backref-without-group", "good-m28.conf"))).toEqual([]);
    const text = '<LocationMatch "^/ws/">\n  ProxyPassMatch ws://b/ws/$1\n</LocationMatch>\nProxyPassMatch ^/(a)$ http://b/$1$2\n';
    expect(lint("rewrite-backref-without-group", text).map((f) => `${at(f)} ${text.slice(f.start, f.end)}`)).toEqual(["2:28-2:30 $1", "4:34-4:36 $2"]);
  });
});

describe("documentation examples", () => {
  for (const r of [rule("rewrite-backref-without-group")]) {
    it(`${r.id}: doc.bad fires and doc.good is silent`, () => {
      const run = (text: string) => lintText(`${text}\n`, "doc.conf", { rules: [r] }).findings;
      expect(run(r.doc.bad).length).toBeGreaterThan(0);
      expect(run(r.doc.good).map((f) => f.message)).toEqual([]);
    });
  }
});
