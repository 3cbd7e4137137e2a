// Rules for mistakes Apache accepts without a word (rewritecond-dangling,
// ifmodule-unknown): positions and messages, the boundaries the rules draw
// (checked against a live apache2 where one is installed), and silence on real
// configs: h5bp's .htaccess, Debian's /etc/apache2, the tutorial, and every
// rule's good fixtures.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lintText, type Finding } from "../src/index.js";
import { fixUntilStable } from "../src/core/fixer.js";
import { ruleById } from "../rules/index.js";
import type { Rule } from "../src/core/rule.js";

const IDS = ["rewritecond-dangling", "ifmodule-unknown"] as const;
const mine: Rule[] = IDS.map((id) => ruleById(id)!);
const repo = join(import.meta.dirname, "..");

function lint(text: string, path = "test.conf", rules: readonly Rule[] = mine): Finding[] {
  return lintText(text, path, { rules, reportUnusedSuppressions: false }).findings;
}
const at = (f: Finding) => `${f.line}:${f.column}-${f.endLine}:${f.endColumn}`;
const fixAll = (text: string) => fixUntilStable(text, (t) => lint(t), () => true).output;

const APACHE = "/usr/sbin/apache2";
const haveApache = existsSync(APACHE);
if (!haveApache && !process.env.CI) console.warn(`rules-silent: ${APACHE} not found, the live apache2 checks are SKIPPED`);
const live = haveApache || process.env.CI ? it : it.skip;

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

describe("ifmodule-unknown", () => {
  it("reports m17 at the misspelt name, with an unsafe fix that keeps the form", () => {
    const text = readFileSync(join(repo, "fixtures/rules/ifmodule-unknown/bad-m17.conf"), "utf8");
    const fs = lint(text);
    expect(fs.map(at)).toEqual(["13:11-13:30"]);
    expect(fs[0]!.message).toBe(
      "`mod_proxy_wstunel.c` is not a module name (did you mean `mod_proxy_wstunnel.c`?): no module has that name, " +
        "so the block is always false and Apache skips its body without parsing it.",
    );
    expect(fs[0]!.fix?.safety).toBe("unsafe");
    expect(fixAll(text)).toBe(text.replace("mod_proxy_wstunel.c", "mod_proxy_wstunnel.c"));
  });

  it("offers no fix when the false block holds text Apache never parsed (the case m17 itself)", () => {
    const text = "<IfModule mod_proxy_wstunel.c>\n    This is garbage that Apache never parses\n</IfModule>\n";
    const fs = lint(text);
    expect(fs).toHaveLength(1);
    expect(fs[0]!.fix).toBeUndefined();
  });

  it("says a negated test is always true, and keeps `!`, the space after it and quotes out of the range", () => {
    const fs = lint('<IfModule ! "proxy_wstunel_module">\n</IfModule>\n<IfModule !MOD_PROXY.C>\n</IfModule>\n');
    expect(fs.map(at)).toEqual(["1:14-1:34", "3:12-3:23"]);
    expect(fs[0]!.message).toContain("so `<IfModule !proxy_wstunel_module>` is always true and its body always applies");
    expect(fs[1]!.message).toContain("did you mean `mod_proxy.c`?): Apache compares module names case-sensitively");
    expect(fixAll('<IfModule ! "proxy_wstunel_module">\n</IfModule>\n')).toBe('<IfModule ! "proxy_wstunnel_module">\n</IfModule>\n');
  });

  it("maps other forms of a shipped module to the accepted one", () => {
    const fix = (name: string) => fixAll(`<IfModule ${name}>\n</IfModule>\n`).split("\n")[0];
    expect(fix("mod_proxy")).toBe("<IfModule mod_proxy.c>");
    expect(fix("mod_proxy.so")).toBe("<IfModule mod_proxy.c>");
    expect(fix("proxy")).toBe("<IfModule mod_proxy.c>");
    expect(fix("PROXY_MODULE")).toBe("<IfModule proxy_module>");
    expect(fix("mod_ldap.c")).toBe("<IfModule util_ldap.c>");
    expect(fix("mod_mpm_event.c")).toBe("<IfModule event.c>");
    expect(fix("mpm_event_modul")).toBe("<IfModule mpm_event_module>");
  });

  it("lists the candidates and offers no fix when a typo is as close to two modules", () => {
    const fs = lint("<IfModule mod_authn_dbx.c>\n</IfModule>\n");
    expect(fs).toHaveLength(1);
    expect(fs[0]!.message).toContain("did you mean one of `mod_authn_dbd.c`, `mod_authn_dbm.c`?");
    expect(fs[0]!.fix).toBeUndefined();
  });

  it("never reports third-party or short names that are only near a short module name", () => {
    for (const n of ["mod_php.c", "mod_php7.c", "mod_fcgid.c", "mod_qos.c", "mod_bw.c", "mod_evasive20.c", "mod_wsgi.c", "mod_sz.c", "foo_module", "mod_security2.c"]) {
      expect(lint(`<IfModule ${n}>\n</IfModule>\n`), n).toEqual([]);
    }
  });

  live("agrees with apache2 -t on which spellings of a loaded module make the block true", () => {
    const dir = mkdtempSync(join(tmpdir(), "apachelint-ifmodule-"));
    try {
      mkdirSync(join(dir, "logs"));
      const head =
        "ServerName localhost\nListen 127.0.0.1:18099\nPidFile logs/httpd.pid\nDefaultRuntimeDir logs\nErrorLog logs/error.log\n" +
        "LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so\n" +
        "LoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so\n" +
        "LoadModule proxy_wstunnel_module /usr/lib/apache2/modules/mod_proxy_wstunnel.so\n" +
        "LoadModule ldap_module /usr/lib/apache2/modules/mod_ldap.so\n";
      const names = ["mod_proxy.c", "proxy_module", "mod_proxy", "proxy", "mod_proxy.so", "MOD_PROXY.C", "Mod_Proxy.c", "PROXY_MODULE",
        "mod_proxy_wstunnel.c", "mod_proxy_wstunel.c", "util_ldap.c", "mod_ldap.c", "ldap_module", "event.c", "mod_mpm_event.c", "mpm_event_module", "core.c", "http_module"];
      const verdicts = names.map((name) => {
        const conf = join(dir, "t.conf");
        writeFileSync(conf, `${head}<IfModule ${name}>\nNotADirectiveAtAll\n</IfModule>\n`);
        const r = spawnSync(APACHE, ["-t", "-d", dir, "-f", conf], { encoding: "utf8" });
        const apacheTrue = `${r.stdout}${r.stderr}`.includes("NotADirectiveAtAll");
        const reported = lint(`<IfModule ${name}>\n</IfModule>\n`).length > 0;
        return `${name}: apache ${apacheTrue ? "true" : "false"}, reported ${reported}`;
      });
      // every name Apache treats as false (for a loaded module) is reported, and no name it accepts
      for (const v of verdicts) expect(v.endsWith("apache true, reported false") || v.endsWith("apache false, reported true"), v).toBe(true);
      expect(verdicts.filter((v) => v.includes("apache true")).length).toBe(9);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("rewritecond-dangling and ifmodule-unknown: silent on real configs", () => {
  const expectSilent = (path: string, text = readFileSync(path, "utf8")) =>
    expect(lint(text, path).map((f) => `${f.path}:${f.line} ${f.ruleId} ${f.message}`)).toEqual([]);

  it("h5bp's .htaccess (many <IfModule> blocks and rewrite runs)", () => {
    const path = join(repo, "node_modules/apache-server-configs/dist/.htaccess");
    const text = readFileSync(path, "utf8");
    expect((text.match(/<IfModule /g) ?? []).length).toBeGreaterThan(20);
    expectSilent(path, text);
  });

  const etc = "/etc/apache2";
  const debianFiles = (): string[] => {
    const out: string[] = [];
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.isFile() && /\.(conf|load)$/.test(e.name)) out.push(p);
      }
    };
    walk(etc);
    return out;
  };
  (existsSync(etc) || process.env.CI ? it : it.skip)("Debian's /etc/apache2 (every .conf and .load file)", () => {
    const files = debianFiles();
    expect(files.length).toBeGreaterThan(100);
    for (const f of files) expectSilent(f);
  });

  it("the tutorial fixtures", () => {
    const dir = join(repo, "fixtures/websocket-tutorial");
    const files = readdirSync(dir).filter((n) => n.endsWith(".conf"));
    expect(files.length).toBeGreaterThan(0);
    for (const n of files) expectSilent(join(dir, n));
  });

  it("every good fixture of every rule", () => {
    const root = join(repo, "fixtures/rules");
    let count = 0;
    for (const id of readdirSync(root)) {
      for (const n of readdirSync(join(root, id)).filter((x) => /^good.*\.(conf|htaccess)$/.test(x))) {
        expectSilent(join(root, id, n));
        count++;
      }
    }
    expect(count).toBeGreaterThan(30);
  });
});
