// directive-keyword-invalid: the rule tester, then every measured form judged live by apache2 -t (every module
// loaded), and the module-dependent answers (mutex types, LogLevel module names) judged in servers loading a few
// modules only.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import testedRule from "../../rules/directive-keyword-invalid.js";
import { MUTEX_TYPES } from "../../src/data/directive-keywords.js";
import { DEBIAN_MODULE_DIR, MODULES } from "../../src/data/modules.js";
import { makeServerRoot } from "../../src/tools/differential.js";
import { apacheTest, pool } from "../../src/tools/probe-support.js";
import { APACHE, apacheOrSkip } from "../apache/harness.js";
import { liveDisagreements } from "../helpers/live-agreement.js";
import { lintRule, ruleTester } from "../helpers/rule-tester.js";

const LEVELS = "Log level keyword must be one of emerg/alert/crit/error/warn/notice/info/debug/trace1/.../trace8";
const MECHANISMS = "Mutex mechanisms are: 'none', 'default', 'flock:/path/to/file', 'fcntl:/path/to/file', 'file:/path/to/file', 'pthread', 'sysvsem', 'posixsem', 'sem'";
const load = (...names: string[]) => names.map((n) => `LoadModule ${n}_module ${DEBIAN_MODULE_DIR}/mod_${n}.so\n`).join("");
/** A whole server: it loads an MPM, so its LoadModule lines are all the modules there are. */
const server = (...names: string[]) => load("mpm_event", ...names);

ruleTester(testedRule, {
  valid: [
    "LogLevel warn rewrite:trace3\nLogLevel INFO ssl:Warn core:debug http_module:info mod_proxy.c:info\n",
    // modules loaded elsewhere: a name in a right form may be any module's
    "LogLevel nosuch:info security2:debug mod_security2.c:info\n",
    "Mutex default\nMutex DEFAULT ssl-cache OmitPID\nMutex file:/var/lock/apache2 default\n",
    "Mutex sysvsem nosuch-type\n", // modules unknown: a third-party module may register it
    "Define LOCK /var/lock\nMutex file:${LOCK} default\nMutex ${MECH} ssl-cache\nLogLevel ${LEVEL}\n",
    "RequestReadTimeout\nRequestReadTimeout handshake=0 Header=20-40,minrate=500 BODY=+20 header=0-20,MinRate=1\n",
    "RequestReadTimeout header=4294967296\n", // strtol, then an int: 2^32 wraps to 0
    'ExtFilterDefine x mode=output cmd="/bin/tr \\"a\\" b" PreservesContentLength intype=text/html outtype= ftype=20\n',
    "ExtFilterDefine\nExtFilterDefine y cmd=\nExtFilterDefine z enableenv=A disableenv=B cmd=/bin/cat\n",
    "AuthnzFcgiCheckAuthnProvider None\nAuthnzFcgiCheckAuthnProvider x Authoritative off DefaultUser bob RequireBasicAuth ON UserExpr %{REMOTE_USER}\n",
    "SSLOCSPEnable leaf no_ocsp_for_cert_ok NO_OCSP_FOR_CERT_OK\nSSLCARevocationCheck chain no_crl_for_cert_ok no_crl_for_cert_ok\n",
    'SetEnvIf ^X-Foo abc y\nSetEnvIf "^(X-A|X-B)$" . y\nSetEnvIfNoCase Remote_Addr "(abc" y\nSetEnvIf ${ATTR} x y\n',
    "ProxyHCExpr ok {%{REQUEST_STATUS} =~ /^[234]/}\nProxyHCExpr a {true\nProxyHCExpr b 'true'\nProxyHCExpr abcdefghijklmno true\n",
    "Mutex default extra # a trailing comment is trailing-comment's finding\n",
    "<Macro M $t>\n    Mutex default $t\n    LogLevel $t\n</Macro>\n",
    // a server without mod_ssl: its block is never read
    `${server()}<IfModule ssl_module>\n    Mutex default ssl-cache\n    LogLevel ssl:info\n</IfModule>\n`,
  ],
  invalid: [
    {
      name: "Mutex: the mechanism, then types; a mechanism where a type goes; case; none",
      code: "Mutex bogus\nMutex ssl-cache default\nMutex default sysvsem\nMutex default SSL-CACHE\nMutex none ssl-cache\nMutex\n",
      findings: [
        { line: 1, column: 7, severity: "error", fix: "none", message: { exact: `\`bogus\` is not a mutex mechanism: use \`default\`, \`file:/dir\`, \`fcntl:/dir\`, \`flock:/dir\`, \`sysvsem\`, \`posixsem\`, \`sem\`, \`pthread\`: Apache refuses to start ("Invalid Mutex argument bogus (${MECHANISMS})").` } },
        { line: 2, column: 7, message: "`ssl-cache` is a mutex type, and Mutex takes the mechanism first (`Mutex default ssl-cache`)" },
        { line: 3, column: 15, message: "`sysvsem` is a mechanism, not a mutex type" },
        { line: 4, column: 15, fix: "unsafe", message: { exact: 'mutex type names are case-sensitive: `SSL-CACHE` is not `ssl-cache`: Apache refuses to start ("Mutex type SSL-CACHE is not valid").' } },
        { line: 5, column: 7, message: /turns a mutex off.*\("None is not allowed for mutex type ssl-cache"\)\.$/ },
        { line: 6, column: 1, message: `Mutex needs a mechanism first` },
      ],
      output: "Mutex bogus\nMutex ssl-cache default\nMutex default sysvsem\nMutex default ssl-cache\nMutex none ssl-cache\nMutex\n",
    },
    {
      name: "Mutex in a whole server: types of modules it does not load, and unknown types",
      code: `${server("rewrite")}Mutex default rewrite-map ssl-cache mpm-accept extra\n`,
      findings: [
        { line: 3, column: 27, message: { exact: '`ssl-cache` is the mutex of mod_ssl, which this server does not load: Apache refuses to start ("Mutex type ssl-cache is not valid").' } },
        { line: 3, column: 37, message: "`mpm-accept` is the accept mutex of the prefork and worker MPMs, and this server runs another MPM" },
        { line: 3, column: 48, message: "`extra` is not a mutex type of this server: its modules register `default`, `watchdog-callback`, `rewrite-map`" },
      ],
    },
    {
      name: "LogLevel: levels, synonyms, the module specifier's forms",
      code: "LogLevel warning\nLogLevel rewrite:trace9 ssl:\nLogLevel mod_rewrite:trace3 REWRITE:info rewrite.c:info\n",
      findings: [
        { line: 1, column: 10, endColumn: 17, fix: "unsafe", message: { exact: `\`warning\` is not a log level (did you mean \`warn\`?): the levels are emerg, alert, crit, error, warn, notice, info, debug and trace1 to trace8: Apache refuses to start ("${LEVELS}").` } },
        { line: 2, column: 18, endColumn: 24, fix: "none", message: { exact: `\`trace9\` is not a log level: the levels are emerg, alert, crit, error, warn, notice, info, debug and trace1 to trace8: Apache refuses to start ("rewrite:trace9: ${LEVELS}").` } },
        { line: 2, column: 25, message: "`ssl:` names a module but no level after the `:` (`ssl:info`): Apache refuses to start (\"Module specifier 'ssl' must be followed by a log level keyword\")." },
        { line: 3, column: 10, endColumn: 21, fix: "unsafe", message: { exact: 'LogLevel knows no module called `mod_rewrite`: write `rewrite`, `rewrite_module` or `mod_rewrite.c` (names are case-sensitive): Apache refuses to start ("Cannot find module mod_rewrite").' } },
        { line: 3, column: 29, fix: "unsafe", message: "LogLevel knows no module called `REWRITE`" },
        { line: 3, column: 42, fix: "unsafe", message: "LogLevel knows no module called `rewrite.c`" },
      ],
      output: "LogLevel warn\nLogLevel rewrite:trace9 ssl:\nLogLevel rewrite:trace3 rewrite:info rewrite:info\n",
    },
    {
      name: "LogLevel in a whole server: a module it does not load, a name no module has",
      code: `${server("rewrite")}LogLevel rewrite:info ssl:info nosuch:info core:info\n`,
      findings: [
        { line: 3, column: 23, endColumn: 26, message: { exact: '`ssl` names mod_ssl, which this server does not load: Apache refuses to start ("Cannot find module ssl").' } },
        { line: 3, column: 32, endColumn: 38, message: "no module this server loads is called `nosuch`" },
      ],
    },
    {
      name: "RequestReadTimeout: key=value, the stages, the values",
      code: "RequestReadTimeout extra headers=20 header=abc body=20-40 header=20,MinRate=0 body=40-20,MinRate=500 header=2147483648\n",
      findings: [
        { line: 1, column: 20, message: { exact: "`extra` is not a key=value parameter: RequestReadTimeout takes `handshake=`, `header=` and `body=`: Apache refuses to start (\"Invalid RequestReadTimeout parameter. Parameter must be in the form 'key=value'\")." } },
        { line: 1, column: 26, endColumn: 33, fix: "unsafe", message: '`headers` is not a RequestReadTimeout stage (did you mean `header`?)' },
        { line: 1, column: 37, message: /\("RequestReadTimeout: header=abc: Value 'abc' not numerical"\)\.$/ },
        { line: 1, column: 48, message: { exact: '`body=20-40`: a range of seconds (`20-40`) needs `,MinRate=<bytes per second>` after it: Apache refuses to start ("RequestReadTimeout: body=20-40: Must set MinRate option if using timeout range").' } },
        { line: 1, column: 59, message: /Minimum data rate must be larger than 0"\)\.$/ },
        { line: 1, column: 79, message: /Maximum timeout must be larger than initial timeout"\)\.$/ },
        { line: 1, column: 102, message: /Value must be non-negative"\)\.$/ },
      ],
    },
    {
      name: "ExtFilterDefine: the first word it cannot read, and the rest of the line in Apache's message",
      code: 'ExtFilterDefine a cmd=/bin/tr a-z A-Z\nExtFilterDefine b mode=both\nExtFilterDefine c cmd="/bin/tr a-z\nExtFilterDefine d cmd=""\nExtFilterDefine e PreservesContentLengthX\nExtFilterDefine f "cmd=/bin/cat"\n',
      findings: [
        { line: 1, column: 31, endColumn: 38, message: /is not an ExtFilterDefine parameter .*\("Unexpected parameter: `a-z A-Z'"\)\.$/ },
        { line: 2, column: 24, message: { exact: "ExtFilterDefine's mode is `output` or `input`, not `both`: Apache refuses to start (\"Invalid mode: `both'\")." } },
        { line: 3, column: 19, message: /no closing `"`: Apache refuses to start \("Expected cmd= delimiter"\)\.$/ },
        { line: 4, column: 19, message: /\("Invalid cmd= parameter"\)\.$/ },
        { line: 5, column: 19, message: /\("mangled argument `PreservesContentLengthX'"\)\.$/ },
        { line: 6, column: 19, message: /\("Unexpected parameter: `"cmd=\/bin\/cat"'"\)\.$/ },
      ],
    },
    {
      name: "AuthnzFcgiCheckAuthnProvider: provider, then option/value pairs",
      code: "AuthnzFcgiCheckAuthnProvider\nAuthnzFcgiCheckAuthnProvider x extra\nAuthnzFcgiCheckAuthnProvider x Authoritive On\nAuthnzFcgiCheckAuthnProvider x RequireBasicAuth yes\nAuthnzFcgiCheckAuthnProvider None Authoritative On\n",
      findings: [
        { line: 1, column: 1, message: /\("AuthnzFcgiCheckAuthnProvider: No provider given"\)\.$/ },
        { line: 2, column: 32, message: { exact: "`extra` is not an option of AuthnzFcgiCheckAuthnProvider (`Authoritative`, `DefaultUser`, `RequireBasicAuth`, `UserExpr`, each followed by its value): Apache refuses to start (\"AuthnzFcgiCheckAuthnProvider: extraneeds an argument\")." } },
        { line: 3, column: 32, fix: "unsafe", message: /did you mean `Authoritative`\?.*\("AuthnzFcgiCheckAuthnProvider: Unexpected option 'Authoritive'"\)\.$/ },
        { line: 4, column: 49, message: /\("AuthnzFcgiCheckAuthnProvider: Bad argument 'yes' to option 'RequireBasicAuth'"\)\.$/ },
        { line: 5, column: 35, message: /\("Options aren't supported with "None""\)\.$/ },
      ],
    },
    {
      name: "mod_ssl modes: no mode, and words after the flag (the mode and the flag themselves are directive-invalid-value's)",
      code: "SSLOCSPEnable\nSSLCARevocationCheck chain no_crl_for_cert_ok extra\nSSLProxyCARevocationCheck chain bogus\n",
      findings: [
        { line: 1, column: 1, message: { exact: "SSLOCSPEnable needs a mode: on, leaf, off: Apache refuses to start (\"SSLOCSPEnable: Invalid argument ''\")." } },
        { line: 2, column: 47, message: /\("SSLCARevocationCheck: Invalid argument 'extra'"\)\.$/ },
      ],
    },
    {
      name: "SetEnvIf's header-name regex",
      code: 'SetEnvIf "^(X-Forwarded" . fwd\nSetEnvIfNoCase X-(a . fwd\n',
      findings: [
        { line: 1, column: 10, message: /missing closing parenthesis\): Apache refuses to start \("SetEnvIfHeader name regex could not be compiled\."\)\.$/ },
        { line: 2, column: 16, message: /\("SetEnvIfNoCaseHeader name regex could not be compiled\."\)\.$/ },
      ],
    },
    {
      name: "ProxyHCExpr: a name, one expression, nothing after it",
      code: "ProxyHCExpr ok {%{REQUEST_STATUS} =~ /^[234]/} extra\nProxyHCExpr x \"true\" \\\n    more\nProxyHCExpr abcdefghijklmnop {true}\nProxyHCExpr x\n",
      findings: [
        { line: 1, column: 48, message: /nothing after it: Apache refuses to start \("error: extra parameter\(s\)"\)\.$/ },
        { line: 3, column: 5, message: /\("error: extra parameter\(s\)"\)\.$/ },
        { line: 4, column: 13, message: /\("Expression name limited to 15 characters"\)\.$/ },
        { line: 5, column: 1, message: /\("Missing expression for ProxyHCExpr"\)\.$/ },
      ],
    },
    {
      name: "in .htaccess: the consequence is a 500",
      path: "site/.htaccess",
      code: "AuthnzFcgiCheckAuthnProvider x Bogus 1\n",
      findings: [{ line: 1, column: 32, severity: "error", message: /: Apache answers 500 for every request this \.htaccess applies to \("AuthnzFcgiCheckAuthnProvider: Unexpected option 'Bogus'"\)\.$/ }],
    },
    {
      name: "a block Apache skips: warnings, and the module-dependent answers (`ssl-cache` without mod_ssl) dropped",
      code: `${server()}<IfModule ssl_module>\n    Mutex default SSL-CACHE ssl-cache\n    LogLevel warning\n</IfModule>\n`,
      findings: [
        { line: 3, column: 19, severity: "warning", message: /Apache skips it today because `<IfModule ssl_module>` is false here, and stops the day it is true \("Mutex type SSL-CACHE is not valid"\)\.$/ },
        { line: 4, column: 14, severity: "warning", message: "`warning` is not a log level" },
      ],
    },
  ],
});

/** Forms measured one error at a time (or none): the rule must give Apache's line and words, and nothing where Apache accepts. */
const FORMS: readonly (readonly string[])[] = [
  "Mutex sysvsem default extra", "Mutex default", "Mutex DEFAULT", "Mutex bogus default", "Mutex", '""', "Mutex yes ssl-cache",
  "Mutex no ssl-cache", "Mutex none", "Mutex file:/tmp default", "Mutex FILE:/tmp default", "Mutex posixsem default", "Mutex pthread default",
  "Mutex default SSL-CACHE", "Mutex default ssl-cache OmitPID", "Mutex default OMITPID ssl-cache", "Mutex default mpm-accept",
  "Mutex default sysvsem", "Mutex ssl-cache default", "Mutex default ssl-stapling-refresh lua-ivm-shm watchdog-callback proxy",
  "LogLevel warn rewrite:trace3", "LogLevel warning", "LogLevel WARN", "LogLevel warn extra", "LogLevel rewrite:trace9", "LogLevel nosuch:info",
  "LogLevel mod_rewrite:info", "LogLevel rewrite_module:info", "LogLevel mod_rewrite.c:info", "LogLevel rewrite.c:info", "LogLevel REWRITE:info",
  "LogLevel rewrite:", "LogLevel :info", "LogLevel rewrite:info:debug", "LogLevel trace8", "LogLevel trace0", "LogLevel core:info",
  "LogLevel http:info", "LogLevel http_module:info", "LogLevel event.c:info", "LogLevel util_ldap.c:info", "LogLevel mod_ldap.c:info",
  "LogLevel dumpio:info", "LogLevel dump_io:info", "LogLevel mpm_event:info", "LogLevel event:info", 'LogLevel "rewrite:info"',
  "LogLevel rewrite::info", "LogLevel rewrite:err", "LogLevel critical", "LogLevel nosuch:trace9",
  "RequestReadTimeout", "RequestReadTimeout header=20 Header=30", "RequestReadTimeout headers=20", "RequestReadTimeout header=abc",
  "RequestReadTimeout header=20abc", "RequestReadTimeout header=-1", "RequestReadTimeout header=", "RequestReadTimeout header=20-40",
  "RequestReadTimeout header=20-40,minrate=500", "RequestReadTimeout header=20-40,MinRate=0", "RequestReadTimeout header=40-20,MinRate=500",
  "RequestReadTimeout header=20-0,MinRate=500", "RequestReadTimeout header=20,MinRatex=500", "RequestReadTimeout header=-40,MinRate=500",
  "RequestReadTimeout header=20-,MinRate=500", "RequestReadTimeout header=2147483648", "RequestReadTimeout header=4294967296",
  "RequestReadTimeout =20", "RequestReadTimeout handshake=5 extra", "RequestReadTimeout header=+20",
  "ExtFilterDefine x extra", "ExtFilterDefine x mode=bogus cmd=/bin/cat", "ExtFilterDefine x MODE=INPUT cmd=/bin/cat",
  'ExtFilterDefine x cmd="/bin/tr a-z A-Z"', 'ExtFilterDefine x cmd="/bin/tr a-z A-Z', 'ExtFilterDefine x cmd=""', "ExtFilterDefine x cmd=",
  "ExtFilterDefine x preservescontentlengthx", "ExtFilterDefine x PreservesContentLength intype=text/html", "ExtFilterDefine x modes=output",
  'ExtFilterDefine "x y" cmd=/bin/cat', 'ExtFilterDefine x cmd="a"extra', 'ExtFilterDefine x cmd="/bin/tr \\"a\\" b"', "ExtFilterDefine",
  "AuthnzFcgiCheckAuthnProvider", "AuthnzFcgiCheckAuthnProvider x extra", "AuthnzFcgiCheckAuthnProvider x Authoritative maybe",
  "AuthnzFcgiCheckAuthnProvider x authoritative OFF", "AuthnzFcgiCheckAuthnProvider x Bogus 1", "AuthnzFcgiCheckAuthnProvider None",
  "AuthnzFcgiCheckAuthnProvider none Authoritative On", 'AuthnzFcgiCheckAuthnProvider ""', 'AuthnzFcgiCheckAuthnProvider x "" On',
  "AuthnzFcgiCheckAuthnProvider x DefaultUser bob RequireBasicAuth off",
  "SSLOCSPEnable", "SSLOCSPEnable on no_ocsp_for_cert_ok extra", "SSLOCSPEnable off no_ocsp_for_cert_ok NO_OCSP_FOR_CERT_OK",
  "SSLCARevocationCheck", "SSLCARevocationCheck chain no_crl_for_cert_ok extra", "SSLProxyCARevocationCheck", "SSLProxyCARevocationCheck leaf",
  'SetEnvIf "^(X-" abc y', "SetEnvIf ^X-Foo abc y", "SetEnvIfNoCase ( abc y", "SetEnvIf Nosuch_Attr abc y", 'SetEnvIf "X-(a|b)" . y',
  "ProxyHCExpr ok234 {%{REQUEST_STATUS} =~ /^[234]/} extra", "ProxyHCExpr x {true", "ProxyHCExpr x 'true' extra", "ProxyHCExpr x {true}extra",
  "ProxyHCExpr x {true} {more}", "ProxyHCExpr abcdefghijklmnop {true}", "ProxyHCExpr abcdefghijklmno {true}", "ProxyHCExpr", "ProxyHCExpr x",
].map((l) => (l === '""' ? ['Mutex ""'] : [l]));

describe.runIf(apacheOrSkip("directive-keyword-invalid (live)"))("directive-keyword-invalid against apache2 -t", () => {
  let root = "";
  beforeAll(() => (root = makeServerRoot()));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("reports exactly the lines apache2 -t refuses, with Apache's words (every module loaded)", { timeout: 120_000 }, async () => {
    expect(APACHE).not.toBeNull();
    const { differ, refused } = await liveDisagreements(testedRule, FORMS, root);
    expect(differ).toEqual([]);
    expect(refused).toBeGreaterThan(60);
  });
});

/** A server of a few modules (and what they need), with one line after them. */
function smallServer(root: string, modules: readonly string[], line: string): string {
  const byName = new Map(MODULES.map((m) => [m.name, m]));
  const order: string[] = [];
  const visit = (n: string) => {
    if (order.includes(n)) return;
    const m = byName.get(n)!;
    for (const d of [...m.loadAfter, ...m.depends]) visit(d);
    order.push(n);
  };
  modules.forEach(visit);
  const loads = order.map((n) => `LoadModule ${byName.get(n)!.id} ${DEBIAN_MODULE_DIR}/${byName.get(n)!.file}`);
  return [`ServerRoot ${root}`, "ServerName localhost", "PidFile run/httpd.pid", "DefaultRuntimeDir run", "ErrorLog logs/error.log", ...loads, line, ""].join("\n");
}

describe.runIf(apacheOrSkip("directive-keyword-invalid (module-dependent, live)"))("what depends on the loaded modules, against apache2 -t", () => {
  let root = "";
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "apachelint-keywords-"));
    mkdirSync(join(root, "logs"));
    mkdirSync(join(root, "run"));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  /** Each (modules, line): apache2 -t's verdict and the rule's must agree, the rule quoting Apache's complaint. */
  async function disagreements(cases: readonly (readonly [readonly string[], string])[]): Promise<string[]> {
    const differ: string[] = [];
    await pool([...cases], 8, async ([modules, line]) => {
      const text = smallServer(root, modules, line);
      const { code, stderr } = await apacheTest(root, text);
      const says = /Syntax error on line \d+ of [^:]+:\s*(.+)/.exec(stderr.replace(/\n/g, " "))?.[1]?.trim() ?? null;
      const found = lintRule(testedRule, text, join(root, "httpd.conf"));
      const ok = code === 0;
      const agree = ok ? found.length === 0 : found.length > 0 && says !== null && found[0]!.message.includes(`("${says}")`);
      if (!agree) differ.push(`${modules.join("+")} / ${line}: apache2 -t ${ok ? "accepts" : stderr.trim()}; rule ${JSON.stringify(found.map((f) => f.message))}`);
    });
    return differ;
  }

  it("each mutex type of the table exists exactly when one of its modules is loaded", { timeout: 120_000 }, async () => {
    const cases: [string[], string][] = [];
    for (const [type, modules] of Object.entries(MUTEX_TYPES)) {
      const mpm = modules.find((m) => m.startsWith("mpm_")) ?? "mpm_event";
      cases.push([["mpm_event"], `Mutex default ${type}`]);
      if (modules.length) cases.push([[mpm, ...modules.filter((m) => !m.startsWith("mpm_"))], `Mutex default ${type}`]);
      cases.push([[mpm, ...modules.filter((m) => !m.startsWith("mpm_"))], `Mutex none ${type}`]);
    }
    expect(await disagreements(cases)).toEqual([]);
    expect(cases.length).toBeGreaterThan(30);
  });

  it("LogLevel finds a module by identifier, short identifier or source file only when it is loaded", { timeout: 120_000 }, async () => {
    const forms = ["rewrite", "rewrite_module", "mod_rewrite.c", "ssl", "mod_ssl.c", "prefork.c", "mpm_prefork", "event.c", "nosuch", "core", "so_module", "mod_watchdog.c", "unixd"];
    const cases: [string[], string][] = [];
    for (const f of forms) for (const mods of [["mpm_event"], ["mpm_prefork", "rewrite"]]) cases.push([mods, `LogLevel warn ${f}:info`]);
    expect(await disagreements(cases)).toEqual([]);
  });
});
