// proxy-url-malformed against what Apache 2.4.71 was measured to do. Moved from test/rules-proxy.test.ts, plus the rule tester.
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/proxy-url-malformed.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync, rmSync } from "node:fs";
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
import { makeServerRoot } from "../../src/tools/differential.js";
import { APACHE, apacheOrSkip } from "../apache/harness.js";
import { liveDisagreements } from "../helpers/live-agreement.js";

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
    "ProxyPass /x/ !\n",
    "ProxyPass /z/ unix:/run/a.sock|ws://localhost/z/\n",
    "ProxyPass /u/ uwsgi://127.0.0.1:3031/\n",
    "RewriteRule ^/c - [P]\n",
    // apr_uri_parse: digits or nothing after the host's colon; a placeholder host, IPv6 and userinfo are fine at startup
    "ProxyPass /a/ http://backend:/\nProxyPass /b/ http://<your-domain>:8080/\nProxyPass /c/ http://[::1]:8080/\nProxyPass /d/ http://u:p@h:81/\n",
    "Define PORT 8080\nProxyPass /e/ http://backend:${PORT}/\nProxyPassReverse /f/ http://backend:APP_PORT/\n",
    // strtol reads a sign and blanks; ProxyPassMatch's worker is the URL up to its first `$`
    'ProxyPass /g/ http://h:+80/\nProxyPass /h/ "http://h: 80/"\nProxyPassMatch ^/i(.*) http://h:8080$1\nProxyPassMatch ^/j(.*) http://[::1]$1\n',
    "BalancerMember balancer://x http://m/\nBalancerMember ://x http://m/\n<Proxy balancer://c>\n  BalancerMember http://m/\n</Proxy>\n",
  ],
  invalid: [
    {
      name: "a placeholder where the port goes (measured: ProxyPass Unable to parse URL)",
      code: "ProxyPass /app/ http://backend:APP_PORT/\n<Proxy balancer://c>\n  BalancerMember http://m:<port>/\n</Proxy>\nProxyPassMatch ^/x http://h:80a/\n",
      findings: [
        {
          line: 1,
          column: 17,
          covers: "http://backend:APP_PORT/",
          severity: "error",
          fix: "none",
          message: {
            exact:
              'ProxyPass URL `http://backend:APP_PORT/`: `APP_PORT` is not a port number: replace the placeholder: Apache refuses to start ("ProxyPass Unable to parse URL: http://backend:APP_PORT/").',
          },
        },
        { line: 3, column: 18, message: { exact: 'BalancerMember URL `http://m:<port>/`: `<port>` is not a port number: replace the placeholder: Apache refuses to start ("BalancerMember Unable to parse URL: http://m:<port>/").' } },
        { line: 5, column: 20, message: { exact: 'ProxyPassMatch URL `http://h:80a/`: `80a` is not a port number: Apache refuses to start ("ProxyPass Unable to parse URL: http://h:80a/").' } },
      ],
    },
    {
      name: "what apr_uri_parse refuses besides a port: an unclosed `[`, a `:` in a URL without scheme",
      code: "ProxyPass /a/ http://[::1/\nProxyPassMatch ^/b(.*) 127.0.0.1:8080$1\nProxyPass /c/ http://::1/\n",
      findings: [
        { line: 1, column: 15, message: { exact: 'ProxyPass URL `http://[::1/`: `[::1/` opens an IPv6 address with `[` and no `]` closes it: Apache refuses to start ("ProxyPass Unable to parse URL: http://[::1/").' } },
        { line: 2, column: 24, message: { exact: 'ProxyPassMatch URL `127.0.0.1:8080$1` has no scheme, so its `:` cannot be read: write `http://127.0.0.1:8080$1`: Apache refuses to start ("ProxyPass Unable to parse URL: 127.0.0.1:8080$1").' } },
        { line: 3, column: 15, message: "ProxyPass URL `http://::1/`: `::1` is an IPv6 address without brackets, so its first `:` starts the port: write `[::1]`" },
      ],
    },
    {
      name: "a balancer name that is not `balancer://…`, its own word or its section's",
      code: "BalancerMember x http://m/\n<Location /x>\n  BalancerMember http://m/\n</Location>\n<Proxy *>\n  BalancerMember http://m:APP_PORT/\n</Proxy>\n",
      findings: [
        { line: 1, column: 16, covers: "x", severity: "error", fix: "none", message: { exact: 'BalancerMember balancer name `x` is not of the form `balancer://name`: Apache refuses to start ("BalancerMember Bad syntax for a balancer name (x)").' } },
        {
          line: 3,
          column: 3,
          covers: "BalancerMember",
          message: {
            exact:
              'BalancerMember takes its balancer name from <Location /x>, and `/x` is not one (`balancer://name`): put the members in <Proxy "balancer://name">: Apache refuses to start ("BalancerMember Bad syntax for a balancer name (/x)").',
          },
        },
        { line: 6, column: 3, message: "BalancerMember takes its balancer name from <Proxy *>, and `*` is not one" },
      ],
    },
    {
      name: "the tutorial's quoted [P,L] target",
      code: "RewriteRule .* \"wss:/localhost:3000/$1\" [P,L]\n",
      findings: [
        { line: 1, column: 16, endLine: 1, endColumn: 40, severity: "error", fix: "safe", message: "RewriteRule [P] target `wss:/localhost:3000/$1` is not an absolute URL" },
      ],
      output: "RewriteRule .* \"wss://localhost:3000/$1\" [P,L]\n",
    },
    {
      name: "columns in UTF-16 units",
      code: "<VirtualHost *:80>\n  ServerAlias é.example\n  ProxyPass /😀/ ws:/h/\n</VirtualHost>\n",
      findings: [
        { line: 3, column: 18, endLine: 3, endColumn: 24, severity: "error", fix: "safe", message: "ProxyPass URL `ws:/h/` is not an absolute URL (`ws:` must be followed " },
      ],
      output: "<VirtualHost *:80>\n  ServerAlias é.example\n  ProxyPass /😀/ ws://h/\n</VirtualHost>\n",
    },
    {
      name: "a local [P] target in .htaccess",
      code: "RewriteRule ^x/(.*) y/$1 [P]\n",
      path: ".htaccess",
      findings: [
        { line: 1, column: 21, endLine: 1, endColumn: 25, severity: "error", fix: "none", message: "RewriteRule [P] target `y/$1` has no scheme: Apache proxies the reques" },
      ],
    },
    {
      name: "doc.bad, finding by finding",
      code: testedRule.doc.bad,
      findings: [
      { line: 1, column: 21, endLine: 1, endColumn: 45, severity: "error", fix: "safe", message: "RewriteRule [P] target `wss:/localhost:3000/$1` is not an absolute URL" },
      { line: 2, column: 16, endLine: 2, endColumn: 38, severity: "error", fix: "safe", message: "ProxyPass URL `ws:/127.0.0.1:3000/ws/` is not an absolute URL (`ws:` m" },
      ],
    },
  ],
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

/** The URLs mod_proxy reads at startup, each form measured on 2.4.71 (apr_uri_parse, then an absolute URL, then the balancer name). */
const STARTUP_URLS = [
  "http://b:APP_PORT/", "http://<your-domain>/", "b/", "http://h:+80/", '"http://h: 80/"', "http://h:-1/", "http://h:65536/", "http://h:0/",
  "http://[::1/", "http://[::1]x/", "http://::1/", "http://u:p@h:xx/", "http://u:p@h:81/", "http://h:80:90/", "http://h:/", "http://[::1]:x/",
  "h:8080", "127.0.0.1:8080/", "//h:80/", "//h:x/", "http:x", "http:/x:y", "http://h?x:y", "http://h/x:y", "http:///x", "http://",
  "ws:/h/", "ws:h", "/path", "foo:bar", "unix:/run/a.sock|http://h:x/", "unix:/run/a.sock|http:/h/", "http://h:9999999999999999999999/",
];
const PROXY_FORMS: string[][] = [
  ...STARTUP_URLS.map((u) => [`ProxyPass /a ${u}`]),
  ...STARTUP_URLS.map((u) => ["<Proxy balancer://c>", `BalancerMember ${u}`, "</Proxy>"]),
  ...["http://h:8080$1", "http://h:x$1/", "http://h:80x$1", "127.0.0.1:80$1", "http://[::1$1]/", "http://[::1]$1", "http://h:$1x", "http:127.0.0.1/$1"].map((u) => [`ProxyPassMatch ^/a(.*) ${u}`]),
  ["<Location /a>", "ProxyPass http://h:x/", "</Location>"], ["<LocationMatch ^/a>", "ProxyPass http://h:80$1", "</LocationMatch>"],
  ...["x", "balancer://x", "BALANCER://x", "http://x", "balancer:/x", "balancer:x", "balancer://", "://x", "x:", "balancer://x:APP_PORT", '"balancer://x y"'].map((n) => [`BalancerMember ${n} http://m/`]),
  ...["<Proxy x>", "<Proxy *>", '<Proxy "balancer:/c">', "<ProxyMatch x>", "<ProxyMatch ^balancer://x>", "<Location /x>", "<Files x>"].map((open) => [
    open,
    "BalancerMember http://m/",
    `</${open.slice(1).split(/[ >]/)[0]}>`,
  ]),
  ["<VirtualHost *:80>", "BalancerMember x http://m/", "</VirtualHost>"],
  // Unix domain sockets: the URL after `|` needs a scheme; `scheme:` alone is made `scheme://localhost`
  ...["http:", "fcgi:", "/path", "", "h:80/", "127.0.0.1:80/", "http:///x", "http:/h/", ":x", "http://h:x/"].map((u) => [`ProxyPass /a "unix:/run/a.sock|${u}"`]),
  ["<Proxy balancer://c>", "BalancerMember unix:/run/a.sock|/path", "</Proxy>"], ["ProxyPassMatch ^/a(.*) unix:/run/a.sock|/path$1"],
];

/** The rule with its errors only: Apache's verdict speaks to those (a warning is for a config Apache starts with). */
const errorsOnly: Rule = {
  ...testedRule,
  create(ctx) {
    const only = Object.create(ctx) as typeof ctx;
    only.report = (r) => (r.severity ?? testedRule.severity) === "error" && ctx.report(r);
    return testedRule.create(only);
  },
};

describe.runIf(apacheOrSkip("proxy-url-malformed (live)"))("proxy-url-malformed against apache2 -t", () => {
  let root = "";
  beforeAll(() => (root = makeServerRoot()));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("reports exactly the ProxyPass, ProxyPassMatch and BalancerMember lines apache2 -t refuses, with Apache's words", { timeout: 300_000 }, async () => {
    expect(APACHE).not.toBeNull();
    const { differ, refused } = await liveDisagreements(errorsOnly, PROXY_FORMS, root);
    expect(differ).toEqual([]);
    expect(refused).toBeGreaterThan(50);
  });
});
