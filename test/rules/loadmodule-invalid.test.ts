// loadmodule-invalid against Apache 2.4.71, its fixes proven with apache2 -t. Moved from test/rules-modules.test.ts, plus the rule tester.
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/loadmodule-invalid.js";
import { describe, expect, it } from "vitest";
import { makeServerInfo } from "../../src/server/server-info.js";
import { DEBIAN_MODULE_DIR } from "../../src/data/modules.js";
import loadmoduleInvalid from "../../rules/loadmodule-invalid.js";

import {
  withApache,
  fixture,
  lint,
  fix,
  ServerRoot,
  serverRoot,
  SKELETON,
  useModuleProofs,
} from "../helpers/module-proofs.js";

useModuleProofs();

const DEBIAN = { startup: { platform: "debian" as const } };
const RHEL = { startup: { platform: "rhel" as const } };
const LOG_CONFIG = "LoadModule log_config_module modules/mod_log_config.so\n";

ruleTester(testedRule, {
  valid: [
    "LoadModule proxy_module modules/mod_proxy.so\nLoadModule proxy_http_module modules/mod_proxy_http.so\n",
    // compiled in on Debian only: said where the platform is known to be Debian's, not elsewhere
    { name: "a compiled-in-on-Debian module, platform not known", code: LOG_CONFIG },
    { name: "the same on RHEL, where 00-base.conf loads it", code: LOG_CONFIG, options: RHEL },
    { name: "the same in a source build", code: LOG_CONFIG, options: { startup: { platform: "upstream" } } },
    { name: "guarded by <IfModule !mod_version.c>, which Debian makes false", code: "<IfModule !mod_version.c>\n  LoadModule version_module modules/mod_version.so\n</IfModule>\n", options: DEBIAN },
    // (in the main config: no other file is read before it to Define OLD)
    { name: "in an <IfDefine> the -D names make false", path: "/etc/httpd/conf/httpd.conf", code: "<IfDefine OLD>\n  LoadModule version_module modules/mod_version.so\n</IfDefine>\n", options: { startup: { platform: "debian", defines: new Set<string>() } } },
    { name: "core_module is no mod_*.c: Apache tries the file instead", code: "LoadModule core_module modules/mod_core.so\n", options: DEBIAN },
  ],
  invalid: [
    {
      name: "a module Debian compiles in (--platform debian): the line deleted",
      code: `ServerName x\n${LOG_CONFIG}ServerAdmin a@b\n`,
      options: DEBIAN,
      findings: [
        {
          line: 2, column: 12, endColumn: 29, severity: "error", fix: "safe",
          message: { exact: "LoadModule log_config_module: mod_log_config.c is compiled into Debian's apache2, so Apache refuses to start (\"module log_config_module is built-in and can't be loaded\"); the module is there without this line." },
        },
      ],
      output: "ServerName x\nServerAdmin a@b\n",
    },
    {
      name: "a Debian tree is Debian's build without --platform",
      code: "LoadModule unixd_module /usr/lib/apache2/modules/mod_unixd.so\n",
      options: { server: makeServerInfo({ managesModules: true, debianRoot: "/etc/apache2", loaded: [] }) },
      findings: [{ line: 1, column: 12, severity: "error", message: "LoadModule unixd_module: mod_unixd.c is compiled into Debian's apache2" }],
      output: "",
    },
    {
      name: "mod_so is compiled in everywhere: said whatever the platform",
      code: "LoadModule so_module modules/mod_so.so\n",
      findings: [{ line: 1, column: 12, severity: "error", fix: "safe", message: "LoadModule so_module: mod_so.c is compiled into every build of Apache, so Apache refuses to start (\"module so_module is built-in and can't be loaded\")" }],
      output: "",
    },
    {
      name: "in a block that may be read: a warning naming its condition",
      code: "<IfDefine OLD>\n  LoadModule version_module modules/mod_version.so\n</IfDefine>\n",
      options: DEBIAN,
      findings: [{ line: 2, column: 14, severity: "warning", message: "LoadModule version_module: mod_version.c is compiled into Debian's apache2, so Apache refuses to start when `<IfDefine OLD>` is true" }],
      output: "<IfDefine OLD>\n</IfDefine>\n",
    },
    {
      name: "refused before its directory is looked at: one finding, the compiled-in one",
      code: "LoadModule version_module modules/\n",
      options: DEBIAN,
      findings: [{ line: 1, column: 12, severity: "error", message: "LoadModule version_module: mod_version.c is compiled into" }],
      output: "",
    },
    {
      name: "a duplicate deleted, CRLF file",
      code: "LoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so\r\nLoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so",
      findings: [
        { line: 2, column: 1, endLine: 2, endColumn: 62, severity: "warning", fix: "safe", message: "proxy_module is already loaded on line 1: Apache skips this LoadModule" },
      ],
      output: "LoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so",
    },
    {
      name: "an unknown module's directory path, no guess",
      code: "LoadModule wsgi_module modules/\n",
      findings: [
        { line: 1, column: 12, endLine: 1, endColumn: 32, severity: "error", fix: "none", message: "LoadModule wsgi_module: modules/ names a directory, not a shared objec" },
      ],
    },
    {
      name: "doc.bad, finding by finding",
      code: testedRule.doc.bad,
      findings: [
      { line: 2, column: 12, endLine: 2, endColumn: 38, severity: "error", fix: "safe", message: "LoadModule proxy_http_module: modules/ names a directory, not a shared" },
      { line: 3, column: 12, endLine: 3, endColumn: 35, severity: "error", fix: "safe", message: "LoadModule proxy_wstunnel: the identifier must be proxy_wstunnel_modul" },
      ],
    },
  ],
});

// ------------------------------------------------------------ loadmodule-invalid

describe("loadmodule-invalid", () => {
  const rule = loadmoduleInvalid;
  const dir = "loadmodule-invalid";

  it("reports the wrong identifier and the directory path of d3 in one finding, at the line Apache names", () => {
    const [f, ...rest] = lint(rule, fixture(dir, "bad-d3-loadmodule-name-and-dir.conf"));
    expect(rest).toEqual([]);
    expect(f!.line).toBe(14);
    expect(f!.message).toContain("proxy_wstunnel_module");
    expect(f!.message).toContain("modules/ names a directory");
    expect(f!.fix?.safety).toBe("safe");
  });

  it("reports the load order on the submodule's line, pointing at mod_proxy's line (d7)", () => {
    const [f] = lint(rule, fixture(dir, "bad-d7-loadmodule-order.conf"));
    expect([f!.line, f!.related.map((r) => r.line)]).toEqual([12, [13]]);
    expect(f!.message).toMatch(/needs proxy_module loaded first/);
  });

  it("reports a duplicate as a warning (Apache only warns, AH01574) and deletes it (d8)", () => {
    const [f] = lint(rule, fixture(dir, "bad-d8-duplicate-loadmodule.conf"));
    expect([f!.line, f!.severity]).toEqual([13, "warning"]);
    const text = "LoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so\r\nLoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so";
    expect(fix(rule, text)).toBe("LoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so");
  });

  it("keeps the written modules/ directory in a RHEL-style tree, where ServerRoot has one", () => {
    const text = fixture(dir, "bad-tutorial.conf");
    const out = fix(rule, text, "/etc/httpd/conf.modules.d/00-proxy.conf");
    expect(out).toContain("LoadModule proxy_http_module modules/mod_proxy_http.so\n");
    expect(out).toContain("LoadModule proxy_wstunnel_module modules/mod_proxy_wstunnel.so\n");
    // elsewhere Debian's absolute directory, which works whatever ServerRoot is
    expect(fix(rule, text, "site.conf")).toContain("LoadModule proxy_http_module /usr/lib/apache2/modules/mod_proxy_http.so\n");
  });

  it("makes a relative path absolute: safe in a Debian tree, unsafe when only inferred from the other lines (d6)", () => {
    const text = fixture(dir, "bad-d6-loadmodule-rhel-path.conf");
    expect(lint(rule, text)[0]!.fix?.safety).toBe("unsafe");
    const debian = makeServerInfo({ managesModules: true, debianRoot: "/etc/apache2", loaded: [] });
    expect(lint(rule, text, "/etc/apache2/conf-available/x.conf", { server: debian })[0]!.fix?.safety).toBe("safe");
    // a RHEL-style file whose lines all agree on modules/ is fine
    expect(lint(rule, "LoadModule proxy_module modules/mod_proxy.so\nLoadModule proxy_http_module modules/mod_proxy_http.so\n")).toEqual([]);
  });

  it("reports an unknown module's directory path without guessing a file name", () => {
    const [f] = lint(rule, "LoadModule wsgi_module modules/\n");
    expect(f!.message).toContain("modules/ names a directory");
    expect(f!.fix).toBeUndefined();
  });

  const failing: [string, RegExp][] = [
    ["bad-d3-loadmodule-name-and-dir.conf", /Cannot load modules\/ into server/],
    ["bad-d4-loadmodule-dir-only.conf", /Cannot load modules\/ into server/],
    ["bad-d5-loadmodule-wrong-id.conf", /Can't locate API module structure `proxy_wstunnel'/],
    ["bad-d6-loadmodule-rhel-path.conf", /Cannot load modules\/mod_proxy_http.so into server/],
    ["bad-d7-loadmodule-order.conf", /undefined symbol: ap_proxy_pass_brigade/],
    ["bad-identifier-case.conf", /Can't locate API module structure `PROXY_module'/],
  ];
  for (const [name, apacheSays] of failing) {
    withApache(`${name}: apache2 -t fails before the fix and says Syntax OK after it`, () => {
      const sr = serverRoot();
      const text = fixture(dir, name);
      const before = sr.test(text.includes("ServerName") ? text : `${SKELETON}\n${text}`);
      expect(before.code).toBe(1);
      expect(before.output).toMatch(apacheSays);
      const fixed = fix(rule, text);
      expect(lint(rule, fixed)).toEqual([]);
      const after = sr.test(fixed.includes("ServerName") ? fixed : `${SKELETON}\n${fixed}`);
      expect(after.output).toContain("Syntax OK");
      expect(after.code).toBe(0);
    });
  }

  // The file's last line with trailing blanks and no line break: its blanks are not a line break, so the moved
  // line gets the file's own and the line before it gives up its break (the file still ends without one).
  const WSTUNNEL = "LoadModule proxy_wstunnel_module /usr/lib/apache2/modules/mod_proxy_wstunnel.so";
  const PROXY = "LoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so";
  it("moves a last line that has trailing blanks and no line break onto a line of its own (d7)", () => {
    expect(fix(rule, `${WSTUNNEL}\n${PROXY}  \t`)).toBe(`${PROXY}  \t\n${WSTUNNEL}`);
    expect(fix(rule, `${WSTUNNEL}\r\n${PROXY} `)).toBe(`${PROXY} \r\n${WSTUNNEL}`);
  });

  it("deletes a duplicate last line that has trailing blanks and no line break with the line break before it (d8)", () => {
    expect(fix(rule, `${PROXY}\n${PROXY}   `)).toBe(PROXY);
  });

  withApache("a moved last line with trailing blanks and no line break: apache2 -t says Syntax OK after the fix", () => {
    const sr = serverRoot();
    const text = `${SKELETON}\n${WSTUNNEL}\n${PROXY}   `;
    expect(sr.test(text).output).toMatch(/undefined symbol: ap_proxy_pass_brigade/);
    const fixed = fix(rule, text);
    expect(lint(rule, fixed)).toEqual([]);
    const after = sr.test(fixed);
    expect([after.code, after.output.trim()]).toEqual([0, "Syntax OK"]);
  });

  withApache("bad-d8-duplicate-loadmodule.conf: the AH01574 warning is gone after the fix", () => {
    const sr = serverRoot();
    const text = fixture(dir, "bad-d8-duplicate-loadmodule.conf");
    expect(sr.test(text).output).toMatch(/AH01574: module proxy_module is already loaded/);
    const after = sr.test(fix(rule, text));
    expect([after.code, /AH01574/.test(after.output)]).toEqual([0, false]);
  });

  withApache("the tutorial's CentOS lines: fixed for Debian (absolute) and for a RHEL ServerRoot (modules/), both load", () => {
    const text = fixture(dir, "bad-tutorial.conf");
    // mod_proxy comes from another file of the tree (00-proxy.conf loads it first on CentOS)
    const withProxy = (body: string, moddir: string) => `${SKELETON}\nLoadModule proxy_module ${moddir}mod_proxy.so\n${body}`;
    const debian = serverRoot();
    expect(debian.test(withProxy(text, `${DEBIAN_MODULE_DIR}/`)).code).toBe(1);
    const forDebian = debian.test(withProxy(fix(rule, text), `${DEBIAN_MODULE_DIR}/`));
    expect([forDebian.code, forDebian.output.trim()]).toEqual([0, "Syntax OK"]);
    const rhel = serverRoot({ modulesLink: true });
    expect(rhel.test(withProxy(text, "modules/")).code).toBe(1);
    const forRhel = rhel.test(withProxy(fix(rule, text, "/etc/httpd/conf.modules.d/00-proxy.conf"), "modules/"));
    expect([forRhel.code, forRhel.output.trim()]).toEqual([0, "Syntax OK"]);
  });
});

describe("the documented examples", () => {
  for (const rule of [loadmoduleInvalid]) {
    it(`${rule.id}: doc.bad fires and doc.good is silent`, () => {
      expect(lint(rule, rule.doc.bad).length).toBeGreaterThan(0);
      expect(lint(rule, rule.doc.good)).toEqual([]);
    });
  }
});
