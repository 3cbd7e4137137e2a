// require-invalid: Require lines and sections mod_authz_core refuses, against Apache 2.4.71.
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import testedRule from "../../rules/require-invalid.js";
import { moduleByName } from "../../src/apache/modules.js";
import { ipSubnet } from "../../src/apache/ip-subnet.js";
import { AUTHZ_PROVIDERS } from "../../src/data/authz-providers.js";
import { HTTP_METHODS } from "../../src/data/http-methods.js";
import { DEBIAN_MODULE_DIR } from "../../src/data/modules.js";
import { caseText, makeServerRoot, readVerdict, skeleton } from "../../src/tools/differential.js";
import { apacheTest, pool } from "../../src/tools/probe-support.js";
import { APACHE, apacheOrSkip } from "../apache/harness.js";
import { liveDisagreements } from "../helpers/live-agreement.js";
import { lintRule, RULE_FIXTURES, ruleTester } from "../helpers/rule-tester.js";

const dir = (...lines: string[]) => `<Directory "/var/www">\n${lines.join("\n")}\n</Directory>\n`;
const ALL = "Argument for 'Require all' must be 'granted' or 'denied'";

ruleTester(testedRule, {
  valid: [
    dir("Require all granted", "Require all denied", "Require all GRANTED", 'Require "all" granted', "Require all  granted"),
    dir("Require env", "Require env A B", "Require host example.com", "Require local", "Require user", "Require valid-user extra", "Require group admins"),
    dir("Require ip 10.0.0.1 10.0.0.0/8 10.0.0 10. ::1 2001:db8::/32 1.2.3.4/255.0.0.0 01.02.03.04", 'Require ip "10.0.0.1"', 'Require ip 10.0.0.1 ""'),
    dir("Require method GET POST PROPFIND", "Require method", 'Require method GET ""', "Require expr true", "Require ssl"),
    dir("<RequireAll>", "Require not env A", "Require all granted", "</RequireAll>", "<RequireAll>", "Require NOT env A", "<RequireAny>", "Require env B", "</RequireAny>", "</RequireAll>"),
    dir("<RequireAll>", "<Limit GET>", "Require not env A", "</Limit>", "Require all granted", "</RequireAll>"),
    // third-party providers (mod_auth_openidc, mod_authnz_pam): a name far from every known one is left alone
    dir("Require claim sub:alice", "Require pam-account httpd"),
    // defined by the file
    "<AuthzProviderAlias ldap-group ldap-admins cn=admins>\n</AuthzProviderAlias>\n" + dir("Require ldap-admins"),
    "LuaAuthzProvider foo /x.lua authz\n" + dir("Require foo"),
    dir("<Limit BREW>", "Require all granted", "</Limit>", "Require method BREW"),
    dir("Require all granted # a comment is trailing-comment's finding", "Require ${WHO}"),
    // at server level, Require is directive-context's finding
    "Require not env A\n<RequireAll>\n</RequireAll>\n",
  ],
  invalid: [
    {
      name: "the differential's cases: `all` alone, `all granted` and a word",
      code: dir("Require all", "Require all granted extra", "Require all bogus", "Require all 'granted'"),
      findings: [
        { line: 2, column: 1, covers: "Require all", message: { exact: `\`Require all\` needs \`granted\` or \`denied\` after it: Apache refuses to start ("${ALL}").` } },
        { line: 3, column: 21, covers: "extra", message: "`Require all granted` takes nothing after `granted`" },
        { line: 4, column: 13, covers: "bogus", message: "`Require all` takes `granted` or `denied`, not `bogus`" },
        { line: 5, column: 13, message: "`Require all` compares its argument as written: `granted` without quotes" },
      ],
    },
    {
      name: "provider names are case-sensitive: a safe fix; a slip: an unsafe one",
      code: dir("Require ALL granted", "Require Valid-User", "Require vaild-user", "Require not not all granted", "Require", "Require not"),
      findings: [
        { line: 2, column: 9, fix: "safe", message: { exact: '`ALL` is no authorization provider: provider names are case-sensitive, write `all`: Apache refuses to start ("Unknown Authz provider: ALL").' } },
        { line: 3, column: 9, fix: "safe", message: "`Valid-User` is no authorization provider: provider names are case-sensitive, write `valid-user`" },
        { line: 4, column: 9, fix: "unsafe", message: "`vaild-user` is no authorization provider, the nearest is `valid-user`" },
        { line: 5, column: 13, fix: "none", message: '`not` may stand once, before the provider: Apache refuses to start ("Unknown Authz provider: not").' },
        { line: 6, column: 1, message: 'Require needs an authorization provider (all granted, valid-user, ip …): Apache refuses to start ("Unknown Authz provider: ").' },
        { line: 7, column: 1, message: "Require needs an authorization provider (all granted, valid-user, ip …) after `not`" },
      ],
      output: dir("Require all granted", "Require valid-user", "Require valid-user", "Require not not all granted", "Require", "Require not"),
    },
    {
      name: "ip, method, expr and ssl arguments",
      code: dir("Require ip", "Require ip 10.0.0.300", "Require ip localhost", "Require ip 10.0.0.1/33", "Require ip ::ffff:10.0.0.1", "Require method get", "Require method BREW", "Require expr", "Require ssl x"),
      findings: [
        { line: 2, column: 1, message: 'Require ip` needs one or more addresses'.slice(0, 0) + "`Require ip` needs one or more addresses or networks" },
        { line: 3, column: 12, message: { exact: '`10.0.0.300` is no IP address or network: Apache refuses to start ("ip address \'10.0.0.300\' appears to be invalid: The specified IP address is invalid.").' } },
        { line: 4, column: 12, message: '`localhost` is no IP address or network: a host name belongs in `Require host`: Apache refuses to start ("ip address \'localhost\' appears to be invalid").' },
        { line: 5, column: 12, message: "`10.0.0.1/33`: the part after `/` must be a bit count" },
        { line: 6, column: 12, message: "`::ffff:10.0.0.1` is an IPv4-mapped IPv6 address" },
        { line: 7, column: 16, fix: "safe", message: '`method names are case-sensitive: `GET`, not `get`'.slice(1) },
        { line: 8, column: 16, fix: "none", message: "`BREW` is no method Apache knows" },
        { line: 9, column: 1, message: '`Require expr` needs an expression after it: Apache refuses to start ("Cannot parse expression in require line: syntax error, unexpected $end").' },
        { line: 10, column: 13, message: '`Require ssl` takes no arguments: Apache refuses to start ("\'Require ssl\' does not take arguments").' },
      ],
    },
    {
      name: "negation outside <RequireAll>, <RequireNone> in a <RequireAny>, empty sections, a <RequireAll> of exclusions",
      code: dir("Require not env A", "<RequireAny>", "Require not env B", "<RequireNone>", "Require env C", "</RequireNone>", "</RequireAny>", "<RequireAll>", "</RequireAll>", "<RequireAll>", "Require not env D", "</RequireAll>"),
      findings: [
        { line: 2, column: 9, covers: "not", message: { exact: '`Require not` takes effect only inside <RequireAll>, beside a positive Require: outside one, Require lines form an implicit <RequireAny>: Apache refuses to start ("negative Require directive has no effect in <RequireAny> directive").' } },
        { line: 4, column: 9, message: "`Require not` takes effect only inside <RequireAll>, beside a positive Require: here it is in <RequireAny>" },
        { line: 5, column: 1, covers: "<RequireNone>", message: '<RequireNone> takes effect only inside <RequireAll>, beside a positive Require: here it is in <RequireAny>: Apache refuses to start ("<RequireNone> directive has no effect in <RequireAny> directive").' },
        { line: 9, column: 1, message: '<RequireAll> holds no Require line: Apache refuses to start ("<RequireAll> directive contains no authorization directives").' },
        { line: 11, column: 1, message: "a <RequireAll> of only `Require not` lines grants nobody" },
      ],
    },
    {
      name: "in .htaccess: a 500 per request",
      code: "Require all grant\n",
      path: ".htaccess",
      findings: [{ line: 1, column: 13, message: "`Require all` takes `granted` or `denied`, not `grant`: Apache answers 500 for every request" }],
    },
    {
      name: "in a body Apache skips: a warning",
      code: dir("<IfVersion < 2.0>", "Require all", "</IfVersion>"),
      findings: [{ line: 3, column: 1, severity: "warning", message: "`Require all` needs `granted` or `denied` after it: Apache skips it today because `<IfVersion < 2.0>` is false here" }],
    },
  ],
});

describe("APR's address reader", () => {
  it("tells a host name, a bad address and a bad mask apart", () => {
    const verdicts = ["10.0.0.1", "10.", "1.2.3.4.", "1::2:", "::", "1:2:3:4:5:6:7:8::", "00001::1", "bogus", "", "/8", "1.2.3.256", "12345::1", "::ffff:1.2.3.4", "1.2.3.4/0", "1.2.3.4/033", "::1/255.0.0.0", "10.0.0.1/+8"].map((w) => `${w}=${ipSubnet(w)}`);
    expect(verdicts).toEqual([
      "10.0.0.1=ok", "10.=ok", "1.2.3.4.=ok", "1::2:=ok", "::=ok", "1:2:3:4:5:6:7:8::=ok", "00001::1=ok", "bogus=not-ip", "=not-ip", "/8=not-ip",
      "1.2.3.256=bad-ip", "12345::1=bad-ip", "::ffff:1.2.3.4=bad-ip", "1.2.3.4/0=bad-mask", "1.2.3.4/033=bad-mask", "::1/255.0.0.0=bad-mask", "10.0.0.1/+8=ok",
    ]);
  });
});

const IPS = [
  "10.0.0.1", "10.0.0", "10.", "10", "256", "999", "0", "01.02.03.04", "01.02.03.04/8", "1.2.3.4.", "1.2.3.4.5", "1..", "10..0.1", "10.0.0.a", "bogus", "localhost",
  "10.0.0.1,10.0.0.2", "10.0.0.1/33", "10.0.0.1/0", "10.0.0.1/24/1", "10.0.0.1/", "/8", "10.0.0.1/+8", "1.2.3.4/8x", "1.2.3.4/-1", "1.2.3.4/033",
  "192.168.1.0/255.255.255.0", "192.168.1.0/255.255.0", "1.2.3.4/1.2.3.4.5", "::1", "::", "1::", "1::2:", ":1::2", "::1/128", "::1/129", "::1/0", "::1/64x",
  "::1/255.0.0.0", "2001:db8::/32", "2001:db8:::/32", "00001::1", "12345::1", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8::", "::1.2.3.4",
  "1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:7:1.2.3.4", "::ffff:10.0.0.1", "::ffff:0a00:0001", "fe80::1%eth0", "10/8",
];

/** Every form measured, each in a <Directory>: what mod_authz_core refuses and what it takes. */
const FORMS: string[][] = [
  ...AUTHZ_PROVIDERS.map((p) => `Require ${p.name} ${p.args === "all" ? "granted" : p.args === "ip" ? "10.0.0.1" : p.args === "method" ? "GET" : p.args === "expr" ? "true" : p.args === "none" ? "" : "x"}`),
  ...AUTHZ_PROVIDERS.filter((p) => p.args === "none").map((p) => `Require ${p.name} x`),
  ...HTTP_METHODS.map((m) => `Require method ${m}`),
  ...["get", "Get", "SEARCH", "BREW", "INVALID", "GET,POST", '""'].map((m) => `Require method ${m}`),
  ...IPS.map((ip) => `Require ip ${ip}`),
  "Require", "Require not", "Require all", "Require all granted extra", "Require all bogus", 'Require all "granted"', "Require all 'granted'", "Require ALL granted",
  "Require Env FOO", "Require not not all denied", "Require vaild-user", "Require expr", 'Require expr ""', "Require ip", 'Require ip ""',
  "Require not env FOO", "Require not all bogus", "Require not ip bogus", "Require not Env FOO",
].map((l) => ['<Directory "/tmp">', l, "</Directory>"]);

const SECTIONS: string[][] = [
  ["<RequireAll>", "Require not env A", "Require all granted", "</RequireAll>"],
  ["<RequireAny>", "Require not env A", "</RequireAny>"],
  ["<RequireNone>", "Require not env A", "</RequireNone>"],
  ["<RequireNone>", "Require env A", "</RequireNone>"],
  ["<RequireAll>", "<RequireNone>", "Require env A", "</RequireNone>", "Require all granted", "</RequireAll>"],
  ["<RequireAny>", "<RequireNone>", "Require env A", "</RequireNone>", "</RequireAny>"],
  ["<RequireAll>", "<RequireAny>", "Require not env A", "</RequireAny>", "</RequireAll>"],
  ["<RequireAll>", "</RequireAll>"],
  ["<RequireAny>", "</RequireAny>"],
  ["<Limit GET>", "Require not env A", "</Limit>"],
  ["<RequireAll>", "<Limit GET>", "Require not env A", "</Limit>", "Require all granted", "</RequireAll>"],
].map((b) => ['<Directory "/tmp">', ...b, "</Directory>"]);

describe.runIf(apacheOrSkip("require-invalid (live)"))("require-invalid against apache2 -t", () => {
  let root = "";
  beforeAll(() => (root = makeServerRoot()));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("reports exactly the lines apache2 -t refuses, at Apache's line, quoting Apache's words", { timeout: 300_000 }, async () => {
    expect(APACHE).not.toBeNull();
    const { differ, refused } = await liveDisagreements(testedRule, [...FORMS, ...SECTIONS, ["<Directory /tmp>", "<Limit BREW>", "Require all granted", "</Limit>", "Require method BREW", "</Directory>"]], root);
    expect(differ).toEqual([]);
    expect(refused).toBeGreaterThan(50);
  });

  it("AH01624: a <RequireAll> of exclusions fails after the syntax check, with no line: reported at its tag", { timeout: 30_000 }, async () => {
    const body = ['<Directory "/tmp">', "<RequireAll>", "Require not env A", "Require not env B", "</RequireAll>", "</Directory>"];
    const text = caseText(body, root);
    const { code, stderr } = await apacheTest(root, text);
    expect(readVerdict(code, stderr, root, body.length)).toEqual({ ok: false, line: null, message: "AH01624: <RequireAll> directive contains only negative authorization directives" });
    const found = lintRule(testedRule, text, join(root, "httpd.conf"));
    expect(found.map((f) => [f.line - skeleton().length, f.message.endsWith('("AH01624: <RequireAll> directive contains only negative authorization directives").')])).toEqual([[2, true]]);
  });

  it("knows each provider only with its module loaded", { timeout: 120_000 }, async () => {
    const load = (names: string[]) => {
      const out: string[] = [];
      const visit = (n: string) => {
        if (out.includes(n)) return;
        const m = moduleByName(n)!;
        for (const d of [...m.loadAfter, ...m.depends]) visit(d);
        out.push(n);
      };
      for (const n of ["mpm_event", "authz_core", ...names]) visit(n);
      return out.map((n) => `LoadModule ${moduleByName(n)!.id} ${DEBIAN_MODULE_DIR}/${moduleByName(n)!.file}`);
    };
    const head = ["ServerName localhost", "PidFile run/httpd.pid", "DefaultRuntimeDir run", "ErrorLog logs/error.log"];
    const line = (name: string) => ['<Directory "/tmp">', `Require ${name}${name === "all" ? " granted" : name === "expr" ? " true" : name === "ip" ? " 10.0.0.1" : ""}`, "</Directory>"];
    const results = await pool([...AUTHZ_PROVIDERS], 2, async (p) => {
      const withIt = await apacheTest(root, [...head, ...load([p.module]), ...line(p.name)].join("\n") + "\n");
      const without = p.module === "authz_core" ? null : await apacheTest(root, [...head, ...load([]), ...line(p.name)].join("\n") + "\n");
      return `${p.name}: ${withIt.code === 0 ? "ok" : withIt.stderr.trim()} / ${without === null ? "core" : /Unknown Authz provider/.test(without.stderr) ? "unknown" : without.stderr.trim()}`;
    });
    expect(results).toEqual(AUTHZ_PROVIDERS.map((p) => `${p.name}: ok / ${p.module === "authz_core" ? "core" : "unknown"}`));
  });

  it("takes the good fixture", { timeout: 30_000 }, async () => {
    const text = readFileSync(join(RULE_FIXTURES, "require-invalid", "good-access.conf"), "utf8");
    const { code, stderr } = await apacheTest(root, caseText(text.split("\n"), root));
    expect([code, stderr]).toEqual([0, expect.any(String)]);
  });
});
