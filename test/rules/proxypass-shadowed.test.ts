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
    { name: "<Location>: the general section first", code: "<Location /app>\n  ProxyPass http://b/app\n</Location>\n<Location /app/socket>\n  ProxyPass ws://b/app/socket\n</Location>\n" },
    { name: "<Location /app> does not match /apple (measured: 404)", code: "<Location /apple>\n  ProxyPass ws://b/apple\n</Location>\n<Location /app>\n  ProxyPass http://b/app\n</Location>\n" },
    { name: "<Location /app/> does not match /app (measured: 404)", code: "<Location /app>\n  ProxyPass ws://b/app\n</Location>\n<Location /app/>\n  ProxyPass http://b/app/\n</Location>\n" },
    { name: "a later section without a ProxyPass overrides nothing (measured: 101)", code: "<Location /app/socket>\n  ProxyPass ws://b/app/socket\n</Location>\n<Location /app>\n  ProxyPassReverse http://b/app\n  Require all granted\n</Location>\n" },
    { name: "a wildcard path is a pattern (measured: /app/* does not match /app/x/y): not judged", code: "<Location /app/x/y>\n  ProxyPass ws://b/y\n</Location>\n<Location /app/*>\n  ProxyPass http://b/w\n</Location>\n" },
    { name: "a regex that is more than a literal prefix is not guessed at", code: "<Location /app/socket>\n  ProxyPass ws://b/s\n</Location>\n<LocationMatch \"^/(app|web)\">\n  ProxyPass http://b/\n</LocationMatch>\n" },
    { name: "main server and virtual host are different scopes", code: "<Location /app/socket>\n  ProxyPass ws://b/s\n</Location>\n<VirtualHost *:80>\n  <Location /app>\n    ProxyPass http://b/app\n  </Location>\n</VirtualHost>\n" },
    { name: "two virtual hosts", code: "<VirtualHost *:80>\n  <Location /app/socket>\n    ProxyPass ws://b/s\n  </Location>\n</VirtualHost>\n<VirtualHost *:81>\n  <Location /app>\n    ProxyPass http://b/app\n  </Location>\n</VirtualHost>\n" },
    { name: "an overriding section that a conditional may leave out is not counted", code: "<Location /app/socket>\n  ProxyPass ws://b/s\n</Location>\n<IfDefine PROD>\n  <Location /app>\n    ProxyPass http://b/app\n  </Location>\n</IfDefine>\n" },
    { name: "…nor its ProxyPass in a conditional", code: "<Location /app/socket>\n  ProxyPass ws://b/s\n</Location>\n<Location /app>\n  <IfDefine PROD>\n    ProxyPass http://b/app\n  </IfDefine>\n</Location>\n" },
    { name: "a variable with no known value is not guessed at", code: "<Location /app/socket>\n  ProxyPass ws://b/s\n</Location>\n<Location ${APP}>\n  ProxyPass http://b/app\n</Location>\n" },
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
      { line: 6, column: 15, endLine: 6, endColumn: 26, severity: "error", fix: "unsafe", message: "`ProxyPass ws://127.0.0.1:3000/app/socket` (line 7) in <Location /app/socket> (line 6) never applies: <Location /app> (line 9) comes later" },
      ],
      output: testedRule.doc.good,
    },
    {
      name: "<Location>: a later section that covers an earlier one overrides its ProxyPass (measured: 200, not 101)",
      code: "<Location /app/socket>\n    ProxyPass ws://b/app/socket\n</Location>\n<Location /app>\n    ProxyPass http://b/app\n</Location>\n",
      findings: [
        {
          line: 1,
          column: 11,
          endLine: 1,
          endColumn: 22,
          severity: "error",
          fix: "unsafe",
          covers: "/app/socket",
          message: {
            exact:
              "`ProxyPass ws://b/app/socket` (line 2) in <Location /app/socket> (line 1) never applies: <Location /app> (line 4) comes later and matches all its requests, and the last matching section's ProxyPass applies (Apache merges <Location> sections in the order they appear), so `ProxyPass http://b/app` wins. Move <Location /app/socket> below it.",
          },
        },
      ],
      output: "<Location /app>\n    ProxyPass http://b/app\n</Location>\n<Location /app/socket>\n    ProxyPass ws://b/app/socket\n</Location>\n",
    },
    {
      name: "<Location>: a later `ProxyPass !` section (measured: 404)",
      code: "<VirtualHost *:80>\n  <Location /ws>\n    ProxyPass ws://b/ws\n  </Location>\n  <Location />\n    ProxyPass !\n  </Location>\n</VirtualHost>\n",
      findings: [{ line: 2, column: 13, fix: "unsafe", message: /^`ProxyPass ws:\/\/b\/ws` \(line 3\) in <Location \/ws> \(line 2\) never applies: <Location \/> \(line 5\) .* so `ProxyPass !` wins and they are not proxied\. Move <Location \/ws> below it\.$/ }],
      output: "<VirtualHost *:80>\n  <Location />\n    ProxyPass !\n  </Location>\n  <Location /ws>\n    ProxyPass ws://b/ws\n  </Location>\n</VirtualHost>\n",
    },
    {
      name: "<Location>: a dead exclusion, a <LocationMatch> and <Location ~>, the last of two covering sections named",
      code: [
        "<Location /static>",
        "    ProxyPass !",
        "</Location>",
        '<LocationMatch "^/api/">',
        "    ProxyPass http://b/api/",
        "</LocationMatch>",
        "<Location /api>",
        "    ProxyPass http://c/api",
        "</Location>",
        '<Location ~ "^/">',
        "    ProxyPass http://d/",
        "</Location>",
        "",
      ].join("\n"),
      findings: [
        { line: 1, column: 11, fix: "unsafe", message: /^`ProxyPass !` \(line 2\) in <Location \/static> \(line 1\) never applies: <Location ~ "\^\/"> \(line 10\) .* wins and they are still proxied\./ },
        { line: 4, column: 16, covers: '"^/api/"', fix: "unsafe", message: /in <LocationMatch "\^\/api\/"> \(line 4\) never applies: <Location ~ "\^\/"> \(line 10\)/ },
        { line: 7, column: 11, fix: "unsafe", message: /in <Location \/api> \(line 7\) never applies: <Location ~ "\^\/"> \(line 10\)/ },
      ],
    },
    {
      name: "<Location>: the same path twice: the earlier is dead, no fix",
      code: "<Location /app>\n    ProxyPass ws://b/1\n</Location>\n<Location /app>\n    ProxyPass http://b/2\n</Location>\n",
      findings: [{ line: 1, column: 11, fix: "none", message: { exact: "<Location /app> (line 1) repeats the path of <Location /app> (line 4), which comes later: the last matching section's ProxyPass applies (Apache merges <Location> sections in the order they appear), so `ProxyPass ws://b/1` (line 2) is dead." } }],
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

  describe("the <Location> form", () => {
    const loc = (path: string, url: string, open = "Location") => `<${open} ${path}>\n    ProxyPass ${url}\n</${open}>\n`;

    it("reports a dead section in a conditional that may be read, without a fix (the move would leave the conditional)", () => {
      const text = `<IfModule mod_proxy_wstunnel.c>\n${loc("/ws", "ws://b/ws")}</IfModule>\n${loc("/", "http://b/")}`;
      const [f, ...rest] = one(text);
      expect(rest).toEqual([]);
      expect([f!.line, f!.column, f!.fix]).toEqual([2, 11, undefined]);
    });

    it("never counts a section Apache is known to skip, and counts one it certainly reads", () => {
      // `mod_proxy` (no `.c`) names no module: <IfModule mod_proxy> is always false (measured, ifmodule-unknown)
      const skipped = `${loc("/ws", "ws://b/ws")}<IfModule mod_proxy>\n${loc("/", "http://b/")}</IfModule>\n`;
      expect(one(skipped)).toEqual([]);
      expect(one(`<IfModule mod_proxy>\n${loc("/ws", "ws://b/ws")}</IfModule>\n${loc("/", "http://b/")}`)).toEqual([]);
      // core.c is compiled in: always true
      const read = `${loc("/ws", "ws://b/ws")}<IfModule core.c>\n${loc("/", "http://b/")}</IfModule>\n`;
      expect(one(read).map((f) => [f.line, f.fix])).toEqual([[1, undefined]]);
    });

    it("reads a path through Define, and names the value", () => {
      const text = `Define APP /app\n${loc("/app/socket", "ws://b/s")}${loc("${APP}", "http://b/app")}`;
      const [f] = one(text);
      expect(f!.message).toContain("<Location ${APP}> (`/app`) (line 5) comes later");
      expect(fixAll(text, [proxypassShadowed])).toBe(`Define APP /app\n${loc("${APP}", "http://b/app")}${loc("/app/socket", "ws://b/s")}`);
      // a Define that comes after the section does not count
      expect(one(`${loc("/app/socket", "ws://b/s")}${loc("${APP}", "http://b/app")}Define APP /app\n`)).toEqual([]);
    });

    it("moves the section with its comments below the overriding one, and keeps a file's missing final newline", () => {
      const text = `# the socket\n${loc("/app/socket", "ws://b/s")}\n# the app\n${loc("/app", "http://b/app")}`.replace(/\n$/, "");
      expect(fixAll(text, [proxypassShadowed])).toBe(`\n# the app\n${loc("/app", "http://b/app")}# the socket\n${loc("/app/socket", "ws://b/s")}`.replace(/\n$/, ""));
    });

    it("converges to general-first when several sections are overridden", () => {
      const text = loc("/a/b/c", "ws://b/c") + loc("/x", "http://x/") + loc("/a/b", "ws://b/b") + loc("/a", "http://b/a");
      const fixed = fixAll(text, [proxypassShadowed]);
      expect(one(fixed)).toEqual([]);
      expect([...fixed.matchAll(/<Location (\S+)>/g)].map((m) => m[1])).toEqual(["/x", "/a", "/a/b", "/a/b/c"]);
    });

    it("keeps the ProxyPass form's order rule apart: a <Location> ProxyPass beats a server-level one whatever the order (measured)", () => {
      expect(one(`ProxyPass /app/socket http://b/srv\n${loc("/app/socket", "ws://b/s")}`)).toEqual([]);
    });
  });

  it("offers no fix across <IfModule> boundaries but still reports", () => {
    const [f] = one(vhost("ProxyPass / http://a/", "<IfModule proxy_wstunnel_module>", "    ProxyPass /ws/ ws://a/", "</IfModule>"));
    expect(f!.line).toBe(4);
    expect(f!.fix).toBeUndefined();
  });
});
