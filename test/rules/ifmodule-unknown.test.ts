// ifmodule-unknown: a mistake Apache accepts without a word. Moved from test/rules-silent.test.ts, plus the rule tester.
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/ifmodule-unknown.js";
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
    "<IfModule mod_php.c>\n</IfModule>\n",
    "<IfModule mod_security2.c>\n</IfModule>\n",
    "<IfModule proxy_module>\n</IfModule>\n",
  ],
  invalid: [
    {
      name: "negated and case-wrong names",
      code: "<IfModule ! \"proxy_wstunel_module\">\n</IfModule>\n<IfModule !MOD_PROXY.C>\n</IfModule>\n",
      findings: [
        { line: 1, column: 14, endLine: 1, endColumn: 34, severity: "warning", fix: "unsafe", message: "`proxy_wstunel_module` is not a module name (did you mean `proxy_wstun" },
        { line: 3, column: 12, endLine: 3, endColumn: 23, severity: "warning", fix: "unsafe", message: "`MOD_PROXY.C` is not a module name (did you mean `mod_proxy.c`?): Apac" },
      ],
      output: "<IfModule ! \"proxy_wstunnel_module\">\n</IfModule>\n<IfModule !mod_proxy.c>\n</IfModule>\n",
    },
    {
      name: "as close to two modules: no fix",
      code: "<IfModule mod_authn_dbx.c>\n</IfModule>\n",
      findings: [
        { line: 1, column: 11, endLine: 1, endColumn: 26, severity: "warning", fix: "none", message: "`mod_authn_dbx.c` is not a module name (did you mean one of `mod_authn" },
      ],
    },
    {
      name: "doc.bad, finding by finding",
      code: testedRule.doc.bad,
      findings: [
      { line: 1, column: 11, endLine: 1, endColumn: 30, severity: "warning", fix: "unsafe", message: "`mod_proxy_wstunel.c` is not a module name (did you mean `mod_proxy_ws" },
      ],
    },
  ],
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
