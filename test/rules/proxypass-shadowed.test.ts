// proxypass-shadowed against what Apache 2.4.71 was measured to do. Moved from test/rules-proxy.test.ts, plus the rule tester.
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/proxypass-shadowed.js";
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
    "<VirtualHost *:80>\n    ProxyPass /static/ !\n    ProxyPass / http://a/\n</VirtualHost>\n",
    "<VirtualHost *:80>\n    ProxyPass /ws http://a/ws\n    ProxyPass /wsfoo http://b/wsfoo\n</VirtualHost>\n",
  ],
  invalid: [
    {
      name: "an exclusion after the covering line",
      code: "<VirtualHost *:80>\n    ProxyPass / http://a/\n    ProxyPass /static/ !\n</VirtualHost>\n",
      findings: [
        { line: 3, column: 15, endLine: 3, endColumn: 23, severity: "error", fix: "unsafe", message: "ProxyPass /static/ ! never applies: ProxyPass / (line 2) comes first a" },
      ],
      output: "<VirtualHost *:80>\n    ProxyPass /static/ !\n    ProxyPass / http://a/\n</VirtualHost>\n",
    },
    {
      name: "doc.bad, finding by finding",
      code: testedRule.doc.bad,
      findings: [
      { line: 3, column: 15, endLine: 3, endColumn: 19, severity: "error", fix: "unsafe", message: "ProxyPass /ws/ can never match: ProxyPass / (line 2) comes first and c" },
      ],
    },
  ],
});

describe("proxypass-shadowed", () => {
  const one = (text: string) => lint(text, [proxypassShadowed]);
  const vhost = (...lines: string[]) => `<VirtualHost *:80>\n${lines.map((l) => `    ${l}\n`).join("")}</VirtualHost>\n`;

  it("reports the dead line with the covering one as related (h1)", () => {
    const text = caseText("h1-proxypass-order-shadowed.conf");
    const [f] = one(text);
    expect(f!.message).toBe("ProxyPass /ws/ can never match: ProxyPass / (line 16) comes first and covers it (Apache uses the first match).");
    expect(f!.related.map((r) => r.line)).toEqual([16]);
    expect(fixAll(text, [proxypassShadowed])).toBe(caseText("h2-proxypass-order-control.conf").replace(
      "# h2 (control): most specific ProxyPass first",
      "# h1: ProxyPass / placed BEFORE ProxyPass /ws/ (the /ws/ line can never match)",
    ));
  });

  it("matches on path-segment boundaries (j1: /ws does not match /wsfoo)", () => {
    expect(one(vhost("ProxyPass /ws http://a/ws", "ProxyPass /wsfoo http://b/wsfoo"))).toEqual([]);
    expect(one(vhost("ProxyPass /ws/ http://a/ws/", "ProxyPass /ws http://b/ws"))).toEqual([]);
    expect(one(vhost("ProxyPass /ws http://a/ws", "ProxyPass /ws/ http://b/ws/")).map((f) => f.line)).toEqual([3]);
    expect(one(vhost("ProxyPass /ws http://a/ws", "ProxyPass /ws/x http://b/x")).map((f) => f.line)).toEqual([3]);
  });

  it("treats exclusions as mappings: before is correct, after is dead", () => {
    expect(one(vhost("ProxyPass /static/ !", "ProxyPass / http://a/"))).toEqual([]);
    const [f] = one(vhost("ProxyPass / http://a/", "ProxyPass /static/ !"));
    expect(f!.message).toMatch(/^ProxyPass \/static\/ ! never applies: .* so `\/static\/` is still proxied\.$/);
    const [g] = one(vhost("ProxyPass / !", "ProxyPass /ws/ ws://a/ws/"));
    expect(g!.message).toContain("ProxyPass / ! (line 2) comes first");
  });

  it("reports a duplicate without a fix, slashes collapsed as alias_match does (h3)", () => {
    const found = one(vhost("ProxyPass /ws/ ws://a/", "ProxyPass //ws/ ws://b/", "ProxyPassMatch ^/x(.*) http://a", "ProxyPassMatch ^/x(.*) http://b"));
    expect(found.map((f) => [f.line, f.fix === undefined])).toEqual([
      [3, true],
      [5, true],
    ]);
    expect(found[0]!.message).toMatch(/repeats the path of line 2/);
  });

  it("understands ProxyPassMatch literal prefixes and match-all regexes", () => {
    expect(one(vhost("ProxyPassMatch ^/(.*)$ http://a/$1", "ProxyPass /ws/ ws://a/")).map((f) => f.line)).toEqual([3]);
    expect(one(vhost("ProxyPassMatch .* http://a/", "ProxyPass /ws/ ws://a/")).map((f) => f.line)).toEqual([3]);
    expect(one(vhost("ProxyPass /ws/ ws://a/", "ProxyPassMatch ^/ws/(.*)$ ws://b/$1")).map((f) => f.line)).toEqual([3]);
    expect(one(vhost("ProxyPassMatch ^/ws\\/x ws://a/", "ProxyPass /ws/x/ ws://b/")).map((f) => f.line)).toEqual([3]);
    // a regex with more than a literal prefix is not guessed at
    expect(one(vhost("ProxyPassMatch ^/(a|b)/ http://a/", "ProxyPass /a/ http://b/"))).toEqual([]);
    expect(one(vhost("ProxyPassMatch \\.php$ fcgi://a/", "ProxyPass /x.php http://b/"))).toEqual([]);
  });

  it("keeps contexts apart: vhosts, <Location>, and ProxyPassInherit Off", () => {
    const text = [
      "<VirtualHost *:80>",
      "    ProxyPass / http://a/",
      "</VirtualHost>",
      "<VirtualHost *:81>",
      "    ProxyPass /ws/ ws://a/",
      "    <Location /ws/>",
      "        ProxyPass ws://b/",
      "    </Location>",
      "</VirtualHost>",
    ].join("\n");
    expect(one(text)).toEqual([]);
    const inherited = "ProxyPass / http://a/\n<VirtualHost *:80>\n    ProxyPass /ws/ ws://a/\n</VirtualHost>\n";
    const [f] = one(inherited);
    expect([f!.line, f!.fix]).toEqual([3, undefined]);
    expect(f!.message).toMatch(/the main server's ProxyPass \/ \(line 1\) .*ProxyPassInherit/);
    expect(one(inherited.replace("<VirtualHost *:80>\n", "<VirtualHost *:80>\n    ProxyPassInherit Off\n"))).toEqual([]);
    expect(one(`ProxyPassInherit off\n${inherited}`)).toEqual([]);
  });

  it("moves the line with its comments above the covering line and its comments", () => {
    const text = vhost("# app", "ProxyPass / http://a/", "", "# socket", "ProxyPass /ws/ ws://a/");
    expect(fixAll(text, [proxypassShadowed])).toBe(vhost("# socket", "ProxyPass /ws/ ws://a/", "# app", "ProxyPass / http://a/", ""));
  });

  it("converges to most-specific-first when several lines are shadowed", () => {
    const text = vhost("ProxyPass / http://a/", "ProxyPass /ws/ ws://a/", "ProxyPass /ws/chat/ ws://b/", "ProxyPass /api http://c/");
    const fixed = fixAll(text, [proxypassShadowed]);
    expect(one(fixed)).toEqual([]);
    const order = [...fixed.matchAll(/ProxyPass (\S+)/g)].map((m) => m[1]);
    expect(order.indexOf("/ws/chat/")).toBeLessThan(order.indexOf("/ws/"));
    expect(order.at(-1)).toBe("/");
  });

  it("offers no fix across <IfModule> boundaries but still reports", () => {
    const [f] = one(vhost("ProxyPass / http://a/", "<IfModule proxy_wstunnel_module>", "    ProxyPass /ws/ ws://a/", "</IfModule>"));
    expect(f!.line).toBe(4);
    expect(f!.fix).toBeUndefined();
  });
});
