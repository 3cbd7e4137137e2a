// ssl-proxy-engine-missing against what Apache 2.4.71 was measured to do. Moved from test/rules-proxy.test.ts, plus the rule tester.
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/ssl-proxy-engine-missing.js";
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { lintText, type Finding, type Options as LintOptions } from "../../src/index.js";
import { fixUntilStable } from "../../src/core/fixer.js";
import { makeServerInfo } from "../../src/server/server-info.js";
import { isRewriteAbsolute, backendUrl, urlParts } from "../../src/apache/proxy.js";
import { parse, directives } from "../../grammar/index.js";
import proxyUrlMalformed, { classify } from "../../rules/proxy-url-malformed.js";
import proxypassShadowed from "../../rules/proxypass-shadowed.js";
import sslProxyEngineMissing from "../../rules/ssl-proxy-engine-missing.js";
import proxypassTrailingSlash from "../../rules/proxypass-trailing-slash.js";
import type { Rule } from "../../src/core/rule.js";

const MINE: readonly Rule[] = [proxyUrlMalformed, proxypassShadowed, sslProxyEngineMissing, proxypassTrailingSlash];
const CASES = join(import.meta.dirname, "..", "..", "fixtures", "grammar", "apache-truth", "cases");
const TUTORIAL = join(import.meta.dirname, "..", "..", "fixtures", "websocket-tutorial");

function lint(text: string, rules: readonly Rule[] = MINE, path = "test.conf", opts: LintOptions = {}): Finding[] {
  return lintText(text, path, { rules, reportUnusedSuppressions: false, ...opts }).findings;
}

function fixAll(text: string, rules: readonly Rule[] = MINE, path = "test.conf"): string {
  return fixUntilStable(text, (t) => lint(t, rules, path), () => true).output;
}

const caseText = (name: string) => readFileSync(join(CASES, name), "utf8");
/** the text a finding covers */
const covered = (text: string, f: Finding) => text.slice(f.start, f.end);

ruleTester(testedRule, {
  valid: [
    "SSLProxyEngine on\n<VirtualHost *:80>\n  ProxyPass / https://b/\n</VirtualHost>\n",
    { code: "RewriteRule ^(.*)$ https://b/$1 [P]\n", path: ".htaccess" },
  ],
  invalid: [
    {
      name: "one line per vhost, CRLF kept",
      code: "<VirtualHost *:443>\r\n  ProxyPass / https://b/\r\n</VirtualHost>\r\n",
      findings: [
        { line: 2, column: 15, endLine: 2, endColumn: 25, severity: "error", fix: "unsafe", message: "https:// backend `https://b/` needs `SSLProxyEngine on`, which is not " },
      ],
      output: "<VirtualHost *:443>\r\n  SSLProxyEngine on\r\n  ProxyPass / https://b/\r\n</VirtualHost>\r\n",
    },
    {
      name: "doc.bad, finding by finding",
      code: testedRule.doc.bad,
      findings: [
      { line: 2, column: 20, endLine: 2, endColumn: 44, severity: "error", fix: "unsafe", message: "wss:// backend `wss://127.0.0.1:3000/ws/` needs `SSLProxyEngine on`, w" },
      ],
    },
  ],
});

describe("ssl-proxy-engine-missing", () => {
  const one = (text: string, path = "test.conf", opts: LintOptions = {}) => lint(text, [sslProxyEngineMissing], path, opts);

  it("follows inheritance as measured: main on is inherited, vhost off wins, position is irrelevant", () => {
    expect(one("SSLProxyEngine on\n<VirtualHost *:80>\n  ProxyPass / https://b/\n</VirtualHost>\n")).toEqual([]);
    expect(one("<VirtualHost *:80>\n  ProxyPass / https://b/\n  SSLProxyEngine On\n</VirtualHost>\n")).toEqual([]);
    const [f] = one("SSLProxyEngine on\n<VirtualHost *:80>\n  SSLProxyEngine off\n  ProxyPass / https://b/\n</VirtualHost>\n");
    expect(f!.message).toContain("`SSLProxyEngine off` (line 3) is in effect in this virtual host");
    // a vhost's `on` does not help the main server
    const [g] = one("ProxyPass /m/ wss://b/\n<VirtualHost *:80>\n  SSLProxyEngine on\n</VirtualHost>\n");
    expect([g!.line, g!.message]).toEqual([1, expect.stringContaining("not set in the main server")]);
  });

  it("accepts SSLProxyEngine on in a <Proxy> section that covers the backend", () => {
    expect(one("<Proxy balancer://c>\n  SSLProxyEngine on\n  BalancerMember https://a\n</Proxy>\n")).toEqual([]);
    expect(one('<Proxy "https://b/">\n  SSLProxyEngine on\n</Proxy>\nProxyPass / https://b/x/\n')).toEqual([]);
    expect(one('<ProxyMatch "^https://b">\n  SSLProxyEngine on\n</ProxyMatch>\nProxyPass / https://b/x/\n')).toEqual([]);
    expect(one('<Proxy "https://other/">\n  SSLProxyEngine on\n</Proxy>\nProxyPass / https://b/x/\n').length).toBe(1);
  });

  it("ignores ProxyPassReverse, plain schemes, malformed URLs and .htaccess", () => {
    expect(one("ProxyPassReverse / https://b/\nProxyPass /a/ http://b/\nProxyPass /w/ ws://b/\nRewriteRule .* wss:/b/ [P]\n")).toEqual([]);
    expect(one("RewriteRule ^(.*)$ https://b/$1 [P]\n", ".htaccess")).toEqual([]);
  });

  it("inserts one line per vhost, indented like its first directive, whatever the number of backends", () => {
    const text = "<VirtualHost *:443>\n\t# comment\n\tProxyPass /a/ https://b/a/\n\tProxyPass /w/ wss://b/w/\n</VirtualHost>\n";
    expect(one(text).length).toBe(2);
    const fixed = fixAll(text, [sslProxyEngineMissing]);
    expect(fixed).toBe("<VirtualHost *:443>\n\tSSLProxyEngine on\n\t# comment\n\tProxyPass /a/ https://b/a/\n\tProxyPass /w/ wss://b/w/\n</VirtualHost>\n");
    expect(one(fixed)).toEqual([]);
  });

  it("keeps CRLF files CRLF", () => {
    const text = "<VirtualHost *:443>\r\n  ProxyPass / https://b/\r\n</VirtualHost>\r\n";
    expect(fixAll(text, [sslProxyEngineMissing])).toBe("<VirtualHost *:443>\r\n  SSLProxyEngine on\r\n  ProxyPass / https://b/\r\n</VirtualHost>\r\n");
  });

  it("leaves a server that loads modules but not mod_ssl to module-not-loaded (i2; i3 would follow)", () => {
    const text = caseText("i2-https-no-mod-ssl.conf");
    expect(one(text)).toEqual([]);
    // a lone vhost file says nothing about modules: the usual fix is offered
    const alone = one("<VirtualHost *:443>\n  ProxyPass / https://b/\n</VirtualHost>\n", "t.conf", {
      server: makeServerInfo({ managesModules: false, loaded: [] }),
    });
    expect(alone[0]!.fix?.safety).toBe("unsafe");
  });
});
