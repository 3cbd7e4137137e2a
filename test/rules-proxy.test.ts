// The four proxy rules against what Apache 2.4.71 was measured to do
// (shared/apache-truth, copied to fixtures/grammar/apache-truth): positions,
// messages, context handling, and the fixes applied until stable.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { lintText, type Finding, type Options as LintOptions } from "../src/index.js";
import { fixUntilStable } from "../src/core/fixer.js";
import { makeServerInfo } from "../src/server/server-info.js";
import { isRewriteAbsolute, backendUrl, urlParts } from "../src/apache/proxy.js";
import { parse, directives } from "../grammar/index.js";
import proxyUrlMalformed, { classify } from "../rules/proxy-url-malformed.js";
import proxypassShadowed from "../rules/proxypass-shadowed.js";
import sslProxyEngineMissing from "../rules/ssl-proxy-engine-missing.js";
import proxypassTrailingSlash from "../rules/proxypass-trailing-slash.js";
import type { Rule } from "../src/core/rule.js";

const MINE: readonly Rule[] = [proxyUrlMalformed, proxypassShadowed, sslProxyEngineMissing, proxypassTrailingSlash];
const CASES = join(import.meta.dirname, "..", "fixtures", "grammar", "apache-truth", "cases");
const TUTORIAL = join(import.meta.dirname, "..", "fixtures", "websocket-tutorial");

function lint(text: string, rules: readonly Rule[] = MINE, path = "test.conf", opts: LintOptions = {}): Finding[] {
  return lintText(text, path, { rules, reportUnusedSuppressions: false, ...opts }).findings;
}

function fixAll(text: string, rules: readonly Rule[] = MINE, path = "test.conf"): string {
  return fixUntilStable(text, (t) => lint(t, rules, path), () => true).output;
}

const caseText = (name: string) => readFileSync(join(CASES, name), "utf8");
/** the text a finding covers */
const covered = (text: string, f: Finding) => text.slice(f.start, f.end);

describe("the measured controls (Apache accepts them and they work)", () => {
  const controls = [
    "00-baseline.conf",
    "a2-percent-http-vars-control.conf",
    "g8-rewrite-p-valid.conf",
    "h2-proxypass-order-control.conf",
    "j4-with-proxypassreverse-control.conf",
    "k1-upgrade-websocket-no-wstunnel.conf",
    "m03-proxypass-in-location-control.conf",
    "m28-proxypassmatch.conf",
  ];
  for (const name of controls) {
    it(`${name}: no finding from the proxy rules`, () => {
      const text = caseText(name);
      // the control must exercise something: every one but the baseline has a backend
      if (name !== "00-baseline.conf") expect(text).toMatch(/ProxyPass|RewriteRule/);
      expect(lint(text).map((f) => `${f.ruleId} ${f.line}: ${f.message}`)).toEqual([]);
    });
  }
});

describe("the measured mistakes, at the line Apache's behaviour points to", () => {
  const table: [string, string, number, string][] = [
    ["b1-wss-single-slash.conf", "proxy-url-malformed", 20, '"wss:/localhost:13001/$1"'],
    ["f1-smart-quotes-rewriterule.conf", "proxy-url-malformed", 19, "“wss:/ws-backend%{REQUEST_URI}”"],
    ["h1-proxypass-order-shadowed.conf", "proxypass-shadowed", 17, "/ws/"],
    ["h3-proxypass-duplicate-path.conf", "proxypass-shadowed", 17, "/ws/"],
    ["i1-wss-no-sslproxyengine.conf", "ssl-proxy-engine-missing", 17, "wss://127.0.0.1:13001/ws/"],
    ["j1-trailing-slash-mismatch.conf", "proxypass-trailing-slash", 16, "ws://127.0.0.1:13001/ws/"],
    ["j2-trailing-slash-mismatch-rev.conf", "proxypass-trailing-slash", 16, "ws://127.0.0.1:13001/ws"],
  ];
  for (const [name, rule, line, text] of table) {
    it(`${name}: ${rule} on line ${line}`, () => {
      const src = caseText(name);
      const found = lint(src);
      expect(found.map((f) => [f.ruleId, f.line])).toEqual([[rule, line]]);
      expect(covered(src, found[0]!)).toBe(text);
    });
  }

  it("leaves context errors and broken continuations to their own rules (m02, m05)", () => {
    expect(lint(caseText("m02-proxypass-in-location-with-path.conf"))).toEqual([]);
    expect(lint(caseText("m05-continuation-trailing-space.conf"))).toEqual([]);
  });
});

describe("proxy-url-malformed", () => {
  const one = (text: string, path = "test.conf") => lint(text, [proxyUrlMalformed], path);

  it("sees the URL inside typographic quotes and fixes only the scheme (tutorial prose)", () => {
    const text = readFileSync(join(TUTORIAL, "prose-rewriterule.conf"), "utf8");
    const [f, ...rest] = one(text);
    expect(rest).toEqual([]);
    expect(f!.line).toBe(1);
    expect(f!.column).toBe(text.indexOf("“") + 1);
    expect(f!.message).toContain("`wss:/ws-backend%{REQUEST_URI}`");
    expect(f!.message).toMatch(/proxies the request to itself/);
    expect(f!.fix?.safety).toBe("safe");
    expect(fixAll(text, [proxyUrlMalformed])).toBe(text.replace("“wss:/ws-", "“wss://ws-"));
  });

  it("fixes the tutorial's quoted [P,L] target", () => {
    const text = 'RewriteRule .* "wss:/localhost:3000/$1" [P,L]\n';
    expect(fixAll(text, [proxyUrlMalformed])).toBe('RewriteRule .* "wss://localhost:3000/$1" [P,L]\n');
    expect(one(text)[0]!.message).toBe(
      "RewriteRule [P] target `wss:/localhost:3000/$1` is not an absolute URL (`wss:` must be followed by `//`): " +
        "Apache proxies the request to itself, to `http://<this server>/wss:/localhost:3000/$1`.",
    );
  });

  it("counts columns in UTF-16 units after non-ASCII text", () => {
    // 😀 is two UTF-16 units: the URL starts at column 2 + 10 + 5 + 1
    const text = "<VirtualHost *:80>\n  ServerAlias é.example\n  ProxyPass /😀/ ws:/h/\n</VirtualHost>\n";
    const [f] = one(text);
    expect([f!.line, f!.column, f!.endColumn]).toEqual([3, 18, 24]);
    expect(fixAll(text, [proxyUrlMalformed])).toContain("ProxyPass /😀/ ws://h/\n");
  });

  it("says what each directive does with the URL", () => {
    const text = [
      "ProxyPass /a/ ws:/h/a/",
      "ProxyPassMatch ^/b/(.*) ws:h/b/$1",
      "ProxyPassReverse /c/ ws:/h/c/",
      "BalancerMember balancer://x http:/h",
      "RewriteRule ^/d(.*) http:///d$1 [P]",
    ].join("\n");
    const found = one(text);
    expect(found.map((f) => [f.line, f.severity])).toEqual([
      [1, "error"],
      [2, "error"],
      [3, "warning"],
      [4, "error"],
      [5, "error"],
    ]);
    expect(found[0]!.message).toMatch(/^ProxyPass URL .*refuses to start/);
    expect(found[1]!.message).toMatch(/^ProxyPassMatch URL .*refuses to start/);
    expect(found[2]!.message).toMatch(/^ProxyPassReverse URL .*never matches a backend's Location header/);
    expect(found[3]!.message).toMatch(/^BalancerMember URL .*BalancerMember URL must be absolute/);
    expect(found[4]!.message).toMatch(/empty host: the proxy request fails with 400/);
    expect(found[4]!.fix).toBeUndefined();
  });

  it("accepts exclusions, variables, UDS, and every scheme mod_rewrite treats as absolute", () => {
    const text = [
      "ProxyPass /x/ !",
      "<Location /y/>",
      "    ProxyPass !",
      "</Location>",
      "ProxyPass /z/ unix:/run/a.sock|ws://localhost/z/",
      "ProxyPass /v/ ${BACKEND}/v/",
      "RewriteRule ^/a(.*) %{ENV:TARGET}$1 [P]",
      "RewriteRule ^/b(.*) $1 [P]",
      "RewriteRule ^/c - [P]",
      ...["ajp", "balancer", "fcgi", "h2", "h2c", "http", "https", "scgi", "ws", "wss", "HTTP"].map((s) => `RewriteRule ^/${s}(.*) ${s}://h$1 [P]`),
    ].join("\n");
    expect(one(text)).toEqual([]);
  });

  it("flags schemes mod_rewrite does not take as absolute (measured: uwsgi:// is proxied to this server)", () => {
    const [f] = one("RewriteRule ^/u(.*) uwsgi://127.0.0.1:3031$1 [P]\n");
    expect(f!.message).toMatch(/`uwsgi:\/\/`, which mod_rewrite does not treat as absolute/);
    expect(f!.fix).toBeUndefined();
    // ProxyPass itself has a uwsgi handler
    expect(one("ProxyPass /u/ uwsgi://127.0.0.1:3031/\n")).toEqual([]);
  });

  it("reports a local [P] target without a fix, per-directory wording in .htaccess", () => {
    const server = one("<VirtualHost *:80>\n  RewriteRule ^/x/(.*) /y/$1 [P]\n</VirtualHost>\n");
    expect(server[0]!.message).toContain("to `http://<this server>/y/$1`");
    expect(server[0]!.fix).toBeUndefined();
    const perDir = one("RewriteRule ^x/(.*) y/$1 [P]\n", ".htaccess");
    expect(perDir[0]!.message).toContain("as a path on this server");
  });

  it("reports an escaped quoted URL but offers no fix it cannot place exactly", () => {
    const [f] = one('ProxyPass /a/ "ws:/h/\\"a"\n');
    expect(f!.message).toContain('`ws:/h/"a`');
    expect(f!.fix).toBeUndefined();
  });

  it("classifies the shapes the issue lists", () => {
    const at = (value: string, kind: Parameters<typeof classify>[1]) => {
      const file = parse(`X ${value}\n`, "t.conf");
      const arg = [...directives(file)][0]!.args[0]!;
      return classify(backendUrl(arg), kind)?.kind ?? null;
    };
    expect(at("wss:/host", "rewrite")).toBe("separator");
    expect(at("ws:host", "proxypass")).toBe("separator");
    expect(at("http:///x", "proxypass")).toBe("empty-host");
    expect(at("http://", "rewrite")).toBe("empty-host");
    expect(at("localhost:3000/x", "proxypass")).toBe("host-port");
    expect(at("/path", "proxypass")).toBe("no-scheme");
    expect(at("/path", "proxypassreverse")).toBe(null);
    expect(at("foo:bar", "rewrite")).toBe(null);
    expect(at("balancer://name", "proxypass")).toBe(null);
    expect(at("unix:/run/a.sock|http://localhost/", "proxypass")).toBe(null);
    expect(at("unix:/run/a.sock|http:/localhost/", "proxypass")).toBe("separator");
  });
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

  it("leaves a server that loads modules but not mod_ssl to websocket-module-missing (i2; i3 would follow)", () => {
    const text = caseText("i2-https-no-mod-ssl.conf");
    expect(one(text)).toEqual([]);
    // a lone vhost file says nothing about modules: the usual fix is offered
    const alone = one("<VirtualHost *:443>\n  ProxyPass / https://b/\n</VirtualHost>\n", "t.conf", {
      server: makeServerInfo({ managesModules: false, loaded: [] }),
    });
    expect(alone[0]!.fix?.safety).toBe("unsafe");
  });
});

describe("proxypass-trailing-slash", () => {
  const one = (text: string) => lint(text, [proxypassTrailingSlash]);

  it("computes what the backend receives (j1, j2, measured)", () => {
    expect(one(caseText("j1-trailing-slash-mismatch.conf"))[0]!.message).toContain("`/ws/chat` is proxied to `ws://127.0.0.1:13001/ws//chat`");
    expect(one(caseText("j2-trailing-slash-mismatch-rev.conf"))[0]!.message).toContain("`/ws/chat` is proxied to `ws://127.0.0.1:13001/wschat`");
    expect(one("ProxyPass / http://b:8080\n")[0]!.message).toContain("`/chat` is proxied to `http://b:8080chat`");
    expect(one("ProxyPassReverse / http://b\n")[0]!.message).toContain("a backend redirect to `http://b/login` is rewritten to `//login`");
  });

  it("accepts a URL without a path after a path without a slash", () => {
    expect(one("ProxyPass /ws http://b\nProxyPass /ws2 ws://b:3000\n")).toEqual([]);
  });

  it("changes the URL, never the path (the path decides which requests are proxied)", () => {
    expect(fixAll("ProxyPass /ws ws://b/ws/\n", [proxypassTrailingSlash])).toBe("ProxyPass /ws ws://b/ws\n");
    expect(fixAll("ProxyPass /ws/ ws://b/ws\n", [proxypassTrailingSlash])).toBe("ProxyPass /ws/ ws://b/ws/\n");
    expect(fixAll('ProxyPass /ws "ws://b/"\n', [proxypassTrailingSlash])).toBe('ProxyPass /ws "ws://b"\n');
    expect(fixAll('<Location "/a/">\n  ProxyPass http://b/a\n</Location>\n', [proxypassTrailingSlash])).toBe('<Location "/a/">\n  ProxyPass http://b/a/\n</Location>\n');
  });

  it("points at the URL and relates the path", () => {
    const text = "<Location /ws/>\n  ProxyPass ws://b/ws\n</Location>\n";
    const [f] = one(text);
    expect(covered(text, f!)).toBe("ws://b/ws");
    expect(f!.related.map((r) => [r.line, r.column])).toEqual([[1, 11]]);
  });

  it("stays out of regexes, exclusions, variables and query strings", () => {
    const text = [
      "ProxyPassMatch ^/m/(.*)$ ws://b/m",
      "ProxyPass /x/ !",
      "ProxyPass /v/ http://${HOST}",
      "ProxyPass /q/ http://b/q?x=1",
      '<Location ~ "^/r/">',
      "  ProxyPass ws://b/r",
      "</Location>",
      "<LocationMatch ^/l>",
      "  ProxyPass ws://b/l/",
      "</LocationMatch>",
    ].join("\n");
    expect(one(text)).toEqual([]);
  });
});

describe("the four rules together on the tutorial", () => {
  it("fixes the tutorial's vhost until stable: scheme, then SSLProxyEngine", () => {
    const text = readFileSync(join(TUTORIAL, "vhost-basic.conf"), "utf8") + "</VirtualHost>\n";
    const before = lint(text).map((f) => f.ruleId);
    expect(before).toEqual(["proxy-url-malformed", "ssl-proxy-engine-missing"]);
    const fixed = fixAll(text);
    expect(fixed).toContain('RewriteRule .* "wss://localhost:3000/$1" [P,L]');
    expect(fixed.split("\n")[1]).toBe("  SSLProxyEngine on");
    expect(lint(fixed)).toEqual([]);
  });

  it("helpers agree with mod_rewrite and URL shapes", () => {
    expect(isRewriteAbsolute("wss:/h")).toBe(false);
    expect(isRewriteAbsolute("WSS://h")).toBe(true);
    expect(isRewriteAbsolute("unix:/s|http://h/")).toBe(true);
    expect(isRewriteAbsolute("uwsgi://h")).toBe(false);
    expect(urlParts("http://h:1/a/b?q")).toEqual({ scheme: "http", authority: "h:1", path: "/a/b", pathEnd: 14 });
    expect(urlParts("http://h")?.path).toBe("");
  });
});
