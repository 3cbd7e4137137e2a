// module-not-loaded against Apache 2.4.71, its fixes proven with apache2 -t and a WebSocket through a started server. Moved from test/rules-modules.test.ts, plus the rule tester.
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/module-not-loaded.js";
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import WebSocket from "ws";
import { makeServerInfo } from "../../src/server/server-info.js";
import { parseVersion } from "../../src/apache/version.js";
import { moduleByName } from "../../src/apache/modules.js";
import moduleNotLoaded from "../../rules/module-not-loaded.js";
import { lintText, ruleById } from "../../src/index.js";
import { renderRuleMarkdown } from "../../src/cli/rule-docs.js";

import {
  withApache,
  fixture,
  lint,
  fix,
  serverRoot,
  freePort,
  start,
  wsThrough,
  onPorts,
  useModuleProofs,
} from "../helpers/module-proofs.js";

useModuleProofs();

ruleTester(testedRule, {
  valid: [
    "LoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so\n<IfModule mod_rewrite.c>\n  RewriteEngine On\n</IfModule>\n",
  ],
  invalid: [
    {
      name: "load-order prerequisites added before the module",
      path: "httpd.conf",
      code: "  LoadModule rewrite_module /usr/lib/apache2/modules/mod_rewrite.so\n  RewriteRule ^/(.*) ws://b/$1 [P]\n",
      findings: [
        { line: 2, column: 22, endLine: 2, endColumn: 31, severity: "error", fix: "safe", message: "The ws:// backend needs mod_proxy_http or mod_proxy_wstunnel, and neit" },
      ],
      output: "  LoadModule rewrite_module /usr/lib/apache2/modules/mod_rewrite.so\n  LoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so\n  LoadModule proxy_http_module /usr/lib/apache2/modules/mod_proxy_http.so\n  RewriteRule ^/(.*) ws://b/$1 [P]\n",
    },
    {
      name: "doc.bad, finding by finding",
      code: testedRule.doc.bad,
      findings: [
      { line: 4, column: 20, endLine: 4, endColumn: 43, severity: "error", fix: "safe", message: "The ws:// backend needs mod_proxy_http or mod_proxy_wstunnel, and neit" },
      ],
    },
  ],
});

// ------------------------------------------------------- its former id

describe("websocket-module-missing, the rule's former id", () => {
  const bad = testedRule.doc.bad;
  const ids = (text: string, options = {}) => lintText(text, "t.conf", options).findings.map((f) => f.ruleId);

  it("finds the rule, and findings carry the current id", () => {
    expect(ruleById("websocket-module-missing")).toBe(testedRule);
    expect(ids(bad)).toContain("module-not-loaded");
    expect(renderRuleMarkdown(testedRule)).toContain("Formerly `websocket-module-missing`");
  });

  it("turns the rule off or changes its severity in a config", () => {
    expect(ids(bad, { severities: { "websocket-module-missing": "off" } })).not.toContain("module-not-loaded");
    const warned = lintText(bad, "t.conf", { severities: { "websocket-module-missing": "warning" } }).findings.filter((f) => f.ruleId === "module-not-loaded");
    expect(warned.map((f) => f.severity)).toEqual(["warning"]);
    // the current id wins over the former one
    const both = lintText(bad, "t.conf", { severities: { "websocket-module-missing": "off", "module-not-loaded": "info" } }).findings;
    expect(both.filter((f) => f.ruleId === "module-not-loaded").map((f) => f.severity)).toEqual(["info"]);
  });

  it("suppresses the rule in a comment, and such a suppression counts as used", () => {
    const lines = bad.split("\n");
    const at = lines.findIndex((l) => l.includes("ws://"));
    lines.splice(at, 0, "    # apachelint-disable-next-line websocket-module-missing -- migrating");
    const found = ids(lines.join("\n"));
    expect(found).not.toContain("module-not-loaded");
    expect(found).not.toContain("suppression-unused");
  });
});

// ------------------------------------------------------- module-not-loaded

describe("module-not-loaded", () => {
  const rule = moduleNotLoaded;
  const dir = "module-not-loaded";

  it("says nothing about a lone vhost file: its modules are loaded elsewhere", () => {
    expect(lint(rule, fixture(dir, "good-lone-vhost.conf"))).toEqual([]);
  });

  it("reports each missing module once, at its first use, with the other uses related (g1)", () => {
    const found = lint(rule, fixture(dir, "bad-g1-rewrite-not-loaded.conf"));
    expect(found.map((f) => [f.line, f.related.map((r) => r.line)])).toEqual([[16, [17, 18]]]);
    expect(found[0]!.message).toMatch(/RewriteEngine needs mod_rewrite.*Invalid command 'RewriteEngine'/);
  });

  it("does not ask for mod_proxy_wstunnel when mod_proxy_http is loaded on 2.4.47+, but does below (d1, k1)", () => {
    const d1 = fixture("loadmodule-invalid", "good-d1-ws-without-wstunnel.conf");
    expect(lint(rule, d1)).toEqual([]);
    expect(lint(rule, d1, "t.conf", { apacheVersion: parseVersion("2.4.47")! })).toEqual([]);
    const old = lint(rule, d1, "t.conf", { apacheVersion: parseVersion("2.4.46")! });
    expect(old.map((f) => f.message)).toEqual([expect.stringContaining("needs mod_proxy_wstunnel, which is not loaded")]);
    expect(lint(rule, fixture(dir, "good-k1-upgrade-websocket-no-wstunnel.conf"))).toEqual([]);
  });

  it("in a Debian tree names the a2enmod command and offers no fix", () => {
    const server = makeServerInfo({
      managesModules: true,
      debianRoot: "/etc/apache2",
      loaded: [{ module: moduleByName("proxy"), id: "proxy_module", source: "/etc/apache2/mods-enabled/proxy.load" }],
    });
    const text = "<VirtualHost *:80>\n    RewriteEngine On\n    ProxyPass /ws/ ws://127.0.0.1:3000/ws/\n</VirtualHost>\n";
    const found = lint(rule, text, "/etc/apache2/sites-available/ws.conf", { server });
    expect(found.map((f) => [f.line, f.fix])).toEqual([
      [2, undefined],
      [3, undefined],
    ]);
    expect(found[0]!.message).toContain("run `a2enmod rewrite`");
    expect(found[1]!.message).toContain("run `a2enmod proxy_http`");
    expect(found[1]!.message).toContain("/etc/apache2/mods-enabled");
  });

  it("follows <IfModule>: a false block is never read (g6), a true negated one is", () => {
    expect(lint(rule, fixture(dir, "good-g6-ifmodule-hides-missing-module.conf"))).toEqual([]);
    const text = "LoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so\n<IfModule !mod_rewrite.c>\n  RewriteEngine On\n</IfModule>\n";
    expect(lint(rule, text, "httpd.conf").map((f) => f.line)).toEqual([3]);
  });

  it("says nothing about the modules a fragment does not load: only a whole server config lists them all", () => {
    // a conf.d/ file loading one module of its own (the tutorial's CentOS lines): the main config loads the rest
    const fragment = "LoadModule proxy_wstunnel_module modules/mod_proxy_wstunnel.so\n<VirtualHost *:80>\n  RewriteEngine On\n  DirectoryIndex index.html\n  ProxyPass /ws/ ws://127.0.0.1:3000/ws/\n</VirtualHost>\n";
    expect(lint(rule, fragment, "conf.d/ws.conf")).toEqual([]);
    // the same lines in a file named as a main config, or with an MPM loaded, are a whole server
    expect(lint(rule, fragment, "httpd.conf").map((f) => f.line)).toEqual([3, 4, 5]);
    expect(lint(rule, fragment, "/etc/apache2/apache2.conf").length).toBe(3);
    const withMpm = `LoadModule mpm_event_module modules/mod_mpm_event.so\n${fragment}`;
    expect(lint(rule, withMpm, "conf.d/ws.conf").map((f) => f.line)).toEqual([4, 5, 6]);
  });

  it("asks for the lbmethod a ProxySet names, and for the default one only when none is named", () => {
    const g7 = lint(rule, fixture(dir, "bad-g7-lbmethod-not-loaded.conf"));
    expect(g7.map((f) => f.message)).toEqual([expect.stringContaining("ProxySet lbmethod=bybusyness needs mod_lbmethod_bybusyness")]);
    const g4 = lint(rule, fixture(dir, "bad-g4-balancer-no-lbmethod.conf"));
    expect(g4.map((f) => f.message)).toEqual([expect.stringContaining("an lbmethod module such as mod_lbmethod_byrequests")]);
  });

  it("adds the module's load-order prerequisites before it, indented like the other lines", () => {
    const text = "  LoadModule rewrite_module /usr/lib/apache2/modules/mod_rewrite.so\n  RewriteRule ^/(.*) ws://b/$1 [P]\n";
    expect(fix(rule, text, "httpd.conf")).toBe(
      "  LoadModule rewrite_module /usr/lib/apache2/modules/mod_rewrite.so\n" +
        "  LoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so\n" +
        "  LoadModule proxy_http_module /usr/lib/apache2/modules/mod_proxy_http.so\n" +
        "  RewriteRule ^/(.*) ws://b/$1 [P]\n",
    );
  });

  // apache2 -t refuses these, and accepts them fixed.
  const refused: [string, RegExp][] = [
    ["bad-g1-rewrite-not-loaded.conf", /Invalid command 'RewriteEngine'/],
    ["bad-g5-proxy-not-loaded.conf", /Invalid command '<Proxy'/],
    ["bad-i3-sslproxyengine-without-mod-ssl.conf", /Invalid command 'SSLProxyEngine'/],
    ["bad-g7-lbmethod-not-loaded.conf", /unknown lbmethod lbmethod=bybusyness/],
  ];
  for (const [name, apacheSays] of refused) {
    withApache(`${name}: apache2 -t fails before the fix and says Syntax OK after it`, () => {
      const sr = serverRoot();
      const text = fixture(dir, name);
      const before = sr.test(text);
      expect(before.code).toBe(1);
      expect(before.output).toMatch(apacheSays);
      const fixed = fix(rule, text);
      expect(lint(rule, fixed)).toEqual([]);
      const after = sr.test(fixed);
      expect([after.code, after.output]).toEqual([0, expect.stringContaining("Syntax OK")]);
    });
  }

  // apache2 -t accepts these either way: the fix must keep it so and load the missing module.
  const accepted: [string, string[]][] = [
    ["bad-d2-ws-mod-proxy-only.conf", ["proxy_http_module"]],
    ["bad-d1-before-2.4.47.conf", ["proxy_wstunnel_module"]],
    ["bad-g2-balancer-modules-missing.conf", ["proxy_balancer_module", "slotmem_shm_module", "lbmethod_byrequests_module"]],
    ["bad-g3-balancer-no-slotmem.conf", ["slotmem_shm_module"]],
    ["bad-g4-balancer-no-lbmethod.conf", ["lbmethod_byrequests_module"]],
    ["bad-g9-rewrite-p-without-mod-proxy.conf", ["proxy_module", "proxy_http_module"]],
    ["bad-i2-https-no-mod-ssl.conf", ["ssl_module"]],
  ];
  for (const [name, added] of accepted) {
    withApache(`${name}: the fixed config passes apache2 -t and loads ${added.join(", ")}`, () => {
      const sr = serverRoot();
      const text = fixture(dir, name);
      const before = sr.modules(text);
      for (const id of added) expect(before).not.toContain(id);
      const fixed = fix(rule, text);
      expect(lint(rule, fixed)).toEqual([]);
      expect(sr.test(fixed).code).toBe(0);
      const after = sr.modules(fixed);
      for (const id of added) expect(after).toContain(id);
    });
  }

  // What -t cannot see: the server at start and a WebSocket through it.
  const runtime: [string, string][] = [
    ["bad-d2-ws-mod-proxy-only.conf", "500"],
    ["bad-g2-balancer-modules-missing.conf", "500"],
    ["bad-g3-balancer-no-slotmem.conf", "AH01177"],
    ["bad-g4-balancer-no-lbmethod.conf", "AH02432"],
    ["bad-g9-rewrite-p-without-mod-proxy.conf", "403"],
  ];
  for (const [name, broken] of runtime) {
    withApache(`${name}: before the fix ${/^\d+$/.test(broken) ? `a WebSocket gets ${broken}` : `Apache does not start (${broken})`}; after it the WebSocket gets 101 and its echo`, async () => {
      const sr = serverRoot();
      const text = fixture(dir, name);
      const outcome = async (config: string): Promise<string> => {
        const port = await freePort();
        const s = await start(sr, onPorts(config, port), port);
        if (!s.ok) return /AH0\d{4}/g.exec(s.log.replace(/.*AH00020.*/g, ""))?.[0] ?? `exited: ${s.log}`;
        try {
          const r = await wsThrough(`ws://127.0.0.1:${port}/ws/chat`);
          return r.status === 101 ? `101 ${r.echo}` : String(r.status);
        } finally {
          await s.stop();
        }
      };
      expect(await outcome(text)).toBe(broken);
      expect(await outcome(fix(rule, text))).toBe("101 echo /ws/chat hello");
    });
  }
});

describe("the documented examples", () => {
  for (const rule of [moduleNotLoaded]) {
    it(`${rule.id}: doc.bad fires and doc.good is silent`, () => {
      expect(lint(rule, rule.doc.bad).length).toBeGreaterThan(0);
      expect(lint(rule, rule.doc.good)).toEqual([]);
    });
  }
});
