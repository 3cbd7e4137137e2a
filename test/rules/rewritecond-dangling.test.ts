// rewritecond-dangling: a mistake Apache accepts without a word. Moved from test/rules-silent.test.ts, plus the rule tester.
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/rewritecond-dangling.js";
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lintText, type Finding } from "../../src/index.js";
import { fixUntilStable } from "../../src/core/fixer.js";
import { ruleById } from "../../rules/index.js";
import type { Rule } from "../../src/core/rule.js";

const IDS = ["rewritecond-dangling", "ifmodule-unknown"] as const;
const mine: Rule[] = IDS.map((id) => ruleById(id)!);
const repo = join(import.meta.dirname, "..", "..");

function lint(text: string, path = "test.conf", rules: readonly Rule[] = mine): Finding[] {
  return lintText(text, path, { rules, reportUnusedSuppressions: false }).findings;
}
const at = (f: Finding) => `${f.line}:${f.column}-${f.endLine}:${f.endColumn}`;
const fixAll = (text: string) => fixUntilStable(text, (t) => lint(t), () => true).output;

const APACHE = "/usr/sbin/apache2";
const haveApache = existsSync(APACHE);
if (!haveApache && !process.env.CI) console.warn(`test/rules: ${APACHE} not found, the live apache2 checks are SKIPPED`);
const live = haveApache || process.env.CI ? it : it.skip;

ruleTester(testedRule, {
  valid: [
    "RewriteCond %{HTTP:X} y\nServerName x\nRewriteRule ^/a$ /b [R,L]\n",
    "<VirtualHost *:80>\nRewriteCond %{HTTP:X} y\nInclude rules.conf\n</VirtualHost>\n",
  ],
  invalid: [
    {
      name: "a run reported once, the others related",
      code: "RewriteEngine On\nRewriteRule ^ - [L]\nRewriteCond %{HTTPS} off\n# note\n\nRewriteCond %{HTTP_HOST} x\nRewriteCond %{REQUEST_URI} y\n",
      path: ".htaccess",
      findings: [
        { line: 3, column: 1, endLine: 3, endColumn: 25, severity: "warning", fix: "none", message: "`RewriteCond %{HTTPS} off` and 2 more RewriteCond after it have no Rew" },
      ],
    },
    {
      name: "doc.bad, finding by finding",
      code: testedRule.doc.bad,
      findings: [
      { line: 4, column: 5, endLine: 4, endColumn: 47, severity: "warning", fix: "none", message: "`RewriteCond %{HTTP:Upgrade} websocket [NC]` has no RewriteRule after " },
      ],
    },
  ],
});

describe("rewritecond-dangling", () => {
  it("reports m20: a condition after the last rule of a vhost", () => {
    const text = readFileSync(join(repo, "fixtures/rules/rewritecond-dangling/bad-m20.conf"), "utf8");
    const [f, ...rest] = lint(text);
    expect(rest).toEqual([]);
    expect(f!.ruleId).toBe("rewritecond-dangling");
    expect(at(f!)).toBe("6:5-6:47");
    expect(f!.message).toBe(
      "`RewriteCond %{HTTP:Upgrade} websocket [NC]` has no RewriteRule after it in <VirtualHost *:18080>: mod_rewrite " +
        "attaches conditions only to the next RewriteRule of the same context, so Apache silently drops it.",
    );
    expect(f!.fix).toBeUndefined();
  });

  it("reports a run once, at its first condition, with the others related", () => {
    const text = "RewriteEngine On\nRewriteRule ^ - [L]\nRewriteCond %{HTTPS} off\n# note\n\nRewriteCond %{HTTP_HOST} x\nRewriteCond %{REQUEST_URI} y\n";
    const fs = lint(text, ".htaccess");
    expect(fs.map(at)).toEqual(["3:1-3:25"]);
    expect(fs[0]!.message).toMatch(/^`RewriteCond %\{HTTPS\} off` and 2 more RewriteCond after it have no RewriteRule after them at the top level of this file: .* drops them\.$/);
    expect(fs[0]!.related.map((r) => `${r.line} ${r.message}`)).toEqual(["6 also dropped: no RewriteRule follows", "7 also dropped: no RewriteRule follows"]);
  });

  it("follows mod_rewrite's attachment: other directives, conditional sections, <Limit> and a whole vhost do not break a run", () => {
    const ok = [
      "RewriteCond %{HTTP:X} y\nServerName x\nRewriteRule ^/a$ /b [R,L]\n",
      "<IfModule mod_rewrite.c>\n<IfDefine !NOPE>\nRewriteCond %{HTTP:X} y\n</IfDefine>\n</IfModule>\nRewriteRule ^/a$ /b [R,L]\n",
      "RewriteCond %{HTTP:X} y\n<VirtualHost *:80>\nRewriteEngine On\n</VirtualHost>\nRewriteRule ^/a$ /b [R,L]\n",
      "<Directory /x>\n<Limit GET>\nRewriteCond %{HTTP:X} y\n</Limit>\nRewriteRule ^a$ /b [R,L]\n</Directory>\n",
      "<VirtualHost *:80>\nRewriteCond %{HTTP:X} y\nInclude rules.conf\n</VirtualHost>\n",
    ];
    for (const t of ok) expect(lint(t), t).toEqual([]);
  });

  it("ends a run where a config ends: <VirtualHost>, per-directory sections, <If>", () => {
    const cases: [string, string][] = [
      ["<VirtualHost *:80>\nRewriteCond %{HTTP:X} y\n</VirtualHost>\nRewriteRule ^/a$ /b [R,L]\n", "<VirtualHost *:80>"],
      ["<Location /a>\nRewriteCond %{HTTP:X} y\n</Location>\n<Location /a>\nRewriteRule ^ /b [R,L]\n</Location>\n", "<Location /a>"],
      ['<If "true">\nRewriteCond %{HTTP:X} y\n</If>\nRewriteRule ^/a$ /b [R,L]\n', '<If "true">'],
      ["<FilesMatch x>\nRewriteCond %{HTTP:X} y\n</FilesMatch>\n", "<FilesMatch x>"],
    ];
    for (const [t, where] of cases) {
      const fs = lint(t);
      expect(fs.map((f) => f.line), t).toEqual([2]);
      expect(fs[0]!.message).toContain(`after it in ${where}:`);
    }
  });

  it("a rule after the run's context does not rescue it, and the rule before it is not enough", () => {
    const t = "<VirtualHost *:80>\nRewriteRule ^/a$ /b\nRewriteCond %{HTTP:X} y\n</VirtualHost>\n<VirtualHost *:81>\nRewriteRule ^/c$ /d\n</VirtualHost>\n";
    expect(lint(t).map((f) => f.line)).toEqual([3]);
  });

  live("apache2 -t accepts m20 silently (Syntax OK, exit 0)", () => {
    const dir = mkdtempSync(join(tmpdir(), "apachelint-m20-"));
    try {
      mkdirSync(join(dir, "logs"));
      const conf = join(dir, "m20.conf");
      const fixture = readFileSync(join(repo, "fixtures/rules/rewritecond-dangling/bad-m20.conf"), "utf8");
      writeFileSync(conf, "ServerName localhost\nLoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so\n" + fixture);
      const r = spawnSync(APACHE, ["-t", "-d", dir, "-f", conf], { encoding: "utf8" });
      expect(`${r.stdout}${r.stderr}`.trim()).toBe("Syntax OK");
      expect(r.status).toBe(0);
      expect(lint(fixture)).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
