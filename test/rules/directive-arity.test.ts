// directive-arity: the rule tester, then the counts and the sections judged live by apache2 -t.
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ruleTester, lintRule } from "../helpers/rule-tester.js";
import { ensureBuiltCli, PROJECT_ROOT } from "../helpers/built-cli.js";
import testedRule from "../../rules/directive-arity.js";
import { ARITY_WORDS, RAW_ARGS_ARITY, SECTIONS_NEEDING_ARGUMENTS, SECTIONS_TAKING_ONE_ARGUMENT, isCounted, rawArgsArity } from "../../src/apache/arity.js";
import { SECTION_SAMPLES } from "../../src/tools/samples.js";
import { DIRECTIVES } from "../../src/apache/directives.js";
import { DEBIAN_MODULE_DIR } from "../../src/data/modules.js";
import { loadOrder } from "../../src/tools/probe-support.js";

const APACHE = "/usr/sbin/apache2";
const live = spawnSync(APACHE, ["-v"]).status === 0 || process.env.CI ? it : it.skip;
if (live === it.skip) console.warn(`test/rules/directive-arity: ${APACHE} not found, the live apache2 checks are SKIPPED`);

const LOADS = loadOrder("mpm_event").map((m) => `LoadModule ${m.id} ${DEBIAN_MODULE_DIR}/${m.file}`);

ruleTester(testedRule, {
  valid: [
    "Define A\nDefine A b\nDefine A \"b c\"\n",
    "KeepAlive on off\n",
    "ServerName ${HOST} extra\n",
    "ServerName a # a trailing comment is trailing-comment's finding\n",
    "<Macro M $a>\n    ServerName $a\n</Macro>\n",
    "<Directory \"\">\n</Directory>\n<Proxy>\n</Proxy>\n",
    "ServerName 'quoted name'\n",
    // handlers that parse their own line, given words they take
    'RewriteCond "%{HTTP_HOST}"\nRewriteCond %{HTTP_HOST} x\nRewriteRule ^ -\nRewriteCond a\\\n  b\n',
    "BalancerMember timeout=5 balancer://x http://m/\n<Proxy balancer://x>\n    BalancerMember http://m/\n</Proxy>\n",
    'Listen 127.0.0.1:18090 ""\nListen 127.0.0.1:18091 http # a trailing comment is trailing-comment\'s finding\n',
    'SessionCookieName ""\nMDomain "" ""\nSetEnvIf Remote_Addr x y ""\nUserDir x ""\n',
    "SetEnvIf ${ATTRIBUTE}\n<Macro Env $a>\n    BrowserMatch $a\n</Macro>\n",
  ],
  invalid: [
    {
      name: "too many: the extra words, with Apache's words",
      code: "Define BACKEND the address of your backend\n",
      findings: [
        {
          line: 1,
          column: 20,
          covers: "address of your backend",
          severity: "error",
          fix: "none",
          message: { exact: "Define takes one or two arguments, not 6: Apache refuses to start (\"Define takes 1-2 arguments, \u2026\"). Syntax: `Define parameter-name [parameter-value]`" },
        },
      ],
    },
    {
      name: "too few, and an empty word where a value is needed",
      code: "ServerName\nServerAdmin \"\"\nAcceptFilter http\nLoadModule rewrite_module\n",
      findings: [
        { line: 1, column: 1, message: { exact: "ServerName takes one argument, not none: Apache refuses to start (\"ServerName takes one argument, \u2026\"). Syntax: `ServerName [scheme://]domain-name|ip-address[:port]`" } },
        { line: 2, column: 13, covers: '""', message: 'ServerAdmin takes one argument, an empty "" does not count as a value' },
        { line: 3, column: 1, message: "AcceptFilter takes two arguments, not 1" },
        { line: 4, column: 1, message: "LoadModule takes two arguments, not 1" },
      ],
    },
    {
      name: "a section that needs its argument",
      code: "<Location>\n</Location>\n<VirtualHost >\n</VirtualHost>\n",
      findings: [
        { line: 1, column: 1, message: { exact: '<Location> needs an argument: Apache refuses to start ("<Location> directive requires additional arguments"). Syntax: `<Location URL-path|URL> ... </Location>`' } },
        { line: 3, column: 1, message: "<VirtualHost> needs an argument" },
      ],
    },
    {
      name: "a section that takes one argument, given more",
      code: '<Location /a /b>\n</Location>\n<If %{HTTP_HOST} == "example.com">\n</If>\n',
      findings: [
        { line: 1, column: 14, covers: "/b", message: { exact: '<Location> takes one argument, not 2: Apache refuses to start ("Multiple <Location> arguments not (yet) supported."). Syntax: `<Location URL-path|URL> ... </Location>`' } },
        { line: 3, column: 18, message: "<If> takes its expression as one quoted argument, not 3 words" },
      ],
    },
    {
      // measured on 2.4.71: `<Location ~ "^/a">`, `<Directory ~ …>`, `<Files ~ …>` and a lone `~` start; a word after the regex does not
      name: "the `~ regex` form takes the regex as its one argument",
      code: '<Location ~ "^/ctx">\n</Location>\n<Directory ~ "^/tmp">\n</Directory>\n<Files ~ "\\.x$">\n</Files>\n<Location ~ "^/a" extra>\n</Location>\n<LocationMatch ~ "^/a">\n</LocationMatch>\n',
      findings: [
        { line: 7, column: 19, covers: "extra", message: "<Location> takes one argument, not 3" },
        { line: 9, column: 18, covers: '"^/a"', message: "<LocationMatch> takes one argument, not 2" },
      ],
    },
    {
      name: "a handler that parses its own line, given too few words: its own message",
      code: "SetEnvIf Remote_Addr x\nBrowserMatch x\nUserDir\nRewriteCond %{HTTP_HOST}\n",
      findings: [
        {
          line: 1,
          column: 1,
          covers: "SetEnvIf Remote_Addr x",
          severity: "error",
          fix: "none",
          message: {
            exact:
              'SetEnvIf takes at least three arguments, not 2: Apache refuses to start ("Missing envariable expression for SetEnvIf"). ' +
              "Syntax: `SetEnvIf attribute regex [!]env-variable[=value] [[!]env-variable[=value]] ...`",
          },
        },
        { line: 2, column: 1, message: 'BrowserMatch takes at least two arguments, not 1: Apache refuses to start ("Missing envariable expression for BrowserMatch").' },
        { line: 3, column: 1, message: 'UserDir takes at least one argument, not none: Apache refuses to start ("UserDir requires an argument.").' },
        { line: 4, column: 1, message: { exact: "RewriteCond takes at least two arguments, not 1: Apache refuses to start (\"RewriteCond: bad argument line '%{HTTP_HOST}'\"). Syntax: `RewriteCond TestString [!]CondPattern [flags]`" } },
      ],
    },
    {
      name: "an empty word where the handler needs one: at the word",
      code: 'SetEnvIf Remote_Addr "" y\nUserDir "" x\nListen ""\n',
      findings: [
        { line: 1, column: 22, covers: '""', message: 'SetEnvIf takes at least three arguments, an empty "" does not count as a value: Apache refuses to start ("Missing regular expression for SetEnvIf").' },
        { line: 2, column: 9, covers: '""', message: 'UserDir takes at least one argument, an empty "" does not count as a value: Apache refuses to start ("UserDir requires an argument.").' },
        { line: 3, column: 8, covers: '""', message: 'Listen takes one or two arguments, an empty "" does not count as a value: Apache refuses to start ("Listen requires 1 or 2 arguments.").' },
      ],
    },
    {
      name: "a handler with a limit, given more: the words past it",
      code: "Listen 127.0.0.1:18090 http extra words\nAuthnzFcgiDefineProvider authn x fcgi://127.0.0.1:9000/ extra\n",
      findings: [
        { line: 1, column: 29, covers: "extra words", message: { exact: 'Listen takes one or two arguments, not 4: Apache refuses to start ("Listen requires 1 or 2 arguments."). Syntax: `Listen [IP-address:]portnumber [protocol]`' } },
        { line: 2, column: 57, covers: "extra", message: 'AuthnzFcgiDefineProvider takes three arguments, not 4: Apache refuses to start ("AuthnzFcgiDefineProvider: Unexpected parameter extra").' },
      ],
    },
    {
      name: "BalancerMember counts its words without `=`, and a <Proxy> gives the first",
      code: "BalancerMember balancer://x timeout=5\n<Proxy balancer://x>\n    BalancerMember timeout=5\n</Proxy>\n",
      findings: [
        { line: 1, column: 1, message: 'BalancerMember takes at least two arguments besides key=value parameters, not 1: Apache refuses to start ("BalancerMember must define remote proxy server").' },
        { line: 3, column: 5, message: 'BalancerMember takes at least one argument besides key=value parameters inside <Proxy>, which gives the first, not none: Apache refuses to start ("BalancerMember must define remote proxy server").' },
      ],
    },
    {
      name: "mod_rewrite ends its first argument only at a blank it does not escape",
      code: "RewriteRule ^\\ -\n",
      findings: [{ line: 1, column: 1, message: "RewriteRule takes at least two arguments, not 1: Apache refuses to start (\"RewriteRule: bad argument line '^\\\\ -'\")." }],
    },
    {
      name: "in .htaccess",
      code: "RewriteBase\nSetEnvIf Remote_Addr x\n",
      path: ".htaccess",
      findings: [
        { line: 1, column: 1, message: "RewriteBase takes one argument, not none: Apache answers 500 for every request this .htaccess applies to" },
        { line: 2, column: 1, message: 'SetEnvIf takes at least three arguments, not 2: Apache answers 500 for every request this .htaccess applies to ("Missing envariable expression for SetEnvIf").' },
      ],
    },
    {
      name: "in a body Apache skips: a warning",
      path: "httpd.conf",
      code: `${LOADS.slice(0, 3).join("\n")}\n<IfModule mod_proxy.c>\n    ProxyTimeout 30 seconds\n</IfModule>\n`,
      findings: [{ line: 5, column: 21, severity: "warning", message: "ProxyTimeout takes one argument, not 2: Apache skips it today because `<IfModule mod_proxy.c>` is false here, and stops the day it is true" }],
    },
  ],
});

describe("directive-arity against apache2 -t (every Debian module loaded)", () => {
  const root = mkdtempSync(join(tmpdir(), "apachelint-arity-"));
  mkdirSync(join(root, "logs"));
  mkdirSync(join(root, "run"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const skeleton = ["ServerName localhost", "PidFile run/httpd.pid", "DefaultRuntimeDir run", "ErrorLog logs/error.log", ...LOADS].join("\n");
  let n = 0;
  const apache = (body: string) => {
    const text = `${skeleton}\n${body}\n`;
    const conf = join(root, `t${n++}.conf`);
    writeFileSync(conf, text);
    const r = spawnSync(APACHE, ["-t", "-d", root, "-f", conf], { encoding: "utf8" });
    const m = /Syntax error on line (\d+) of [^:]+:\s*\n?(.*)/.exec(r.stderr);
    return { text, path: conf, ok: r.status === 0, line: m ? Number(m[1]) : 0, message: m ? m[2]! : r.stderr };
  };

  const CASES = [
    "Define BACKEND the address of your backend",
    "Define A b",
    "ServerName",
    "ServerName a b",
    'ServerName ""',
    "ServerName 'a b'",
    "AcceptFilter http",
    "AcceptFilter http none extra",
    "KeepAlive on off",
    "LoadModule rewrite_module",
    "ProxyTimeout 30 seconds",
    "Alias /a /b /c",
    "AddType text/html",
    "SetEnv A",
    "SetEnv A b c",
    "BrowserMatch x",
    "UseCanonicalName on extra",
    "CacheDisable",
  ];

  live.each(CASES)("agrees with Apache on %j", (body) => {
    const r = apache(body);
    const errors = lintRule(testedRule, r.text, r.path).filter((f) => f.severity === "error");
    if (r.ok) {
      expect(errors.map((f) => f.message)).toEqual([]);
      return;
    }
    const name = body.split(" ")[0]!;
    const counted = DIRECTIVES.find((d) => d.name.toLowerCase() === name.toLowerCase());
    // a count error has config.c's fixed words, or is one a RAW_ARGS handler was measured to give; any other refusal is not this rule's
    const isCount =
      (counted && isCounted(counted.arity) && r.message.startsWith(`${counted.name} ${ARITY_WORDS[counted.arity]}`)) ||
      (rawArgsArity(name.toLowerCase()) !== undefined && errors.some((f) => f.message.includes(`("${r.message}")`)));
    if (isCount) expect(errors.map((f) => f.line), r.message).toEqual([r.line]);
    else expect(errors.map((f) => f.message), r.message).toEqual([]);
  });

  /**
   * Handlers that parse their own line (src/data/raw-args-arity.ts), at least one
   * short line for each, with what apache2 -t 2.4.71 says (verbatim; null: it starts).
   * Re-judged live: the rule has an error on Apache's line quoting Apache's words,
   * or none when Apache starts.
   */
  const RAW_CASES: readonly (readonly [string, string | null])[] = [
    ["AuthnzFcgiDefineProvider authn x", "AuthnzFcgiDefineProvider: No backend-address given"],
    ["AuthnzFcgiDefineProvider authn x fcgi://127.0.0.1:9000/ extra", "AuthnzFcgiDefineProvider: Unexpected parameter extra"],
    ['AuthnzFcgiDefineProvider authn x fcgi://127.0.0.1:9000/ ""', null],
    ["BalancerMember", "BalancerMember must define balancer name when outside <Proxy > section"],
    ["BalancerMember balancer://x", "BalancerMember must define remote proxy server"],
    ["BalancerMember balancer://x timeout=5", "BalancerMember must define remote proxy server"],
    ["BalancerMember timeout=5 balancer://x http://m/", null],
    ["<Proxy balancer://x>\nBalancerMember timeout=5\n</Proxy>", "BalancerMember must define remote proxy server"],
    ["<Proxy balancer://x>\nBalancerMember http://m/\n</Proxy>", null],
    ["BrowserMatch x", "Missing envariable expression for BrowserMatch"],
    ['BrowserMatch "" y', "Missing regular expression for BrowserMatch"],
    ["BrowserMatchNoCase x", "Missing envariable expression for BrowserMatchNoCase"],
    ["Listen", "Listen requires 1 or 2 arguments."],
    ['Listen ""', "Listen requires 1 or 2 arguments."],
    ['Listen 127.0.0.1:18090 ""', null],
    ["Listen 127.0.0.1:18090 http extra", "Listen requires 1 or 2 arguments."],
    ["MDomain", "needs at least one domain name"],
    ['MDomain "" ""', null],
    ['MDPrivateKeys ""', "needs to specify the private key type"],
    ['ProxyHCTemplate "" hcmethod=tcp', "Missing template name for ProxyHCTemplate"],
    ['RemoteIPProxyProtocolExceptions ""', "RemoteIPProxyProtocolExceptions requires an argument"],
    ["RewriteCond %{HTTP_HOST}", "RewriteCond: bad argument line '%{HTTP_HOST}'"],
    ['RewriteCond "%{HTTP_HOST}"', null],
    ["RewriteCond %{HTTP_HOST}\\ x", "RewriteCond: bad argument line '%{HTTP_HOST}\\\\ x'"],
    ["RewriteCond a\\\n  b", null],
    ["RewriteRule ^", "RewriteRule: bad argument line '^'"],
    ["RewriteRule", "RewriteRule: bad argument line ''"],
    ["SessionCookieName", "SessionCookieName cannot be empty, or contain '=' or '&'."],
    ['SessionCookieName ""', null],
    ["SessionCookieName2", "SessionCookieName2 cannot be empty, or contain '=' or '&'."],
    ["SessionDBDCookieName", "SessionDBDCookieName requires at least one argument!"],
    ["SessionDBDCookieName2", "SessionDBDCookieName2 requires at least one argument!"],
    ["SetEnvIf Remote_Addr x", "Missing envariable expression for SetEnvIf"],
    ['SetEnvIf Remote_Addr "" y', "Missing regular expression for SetEnvIf"],
    ['SetEnvIf Remote_Addr x y ""', null],
    ["SetEnvIfExpr true", "Missing envariable expression for SetEnvIfExpr"],
    ["SetEnvIfNoCase Remote_Addr", "Missing regular expression for SetEnvIfNoCase"],
    ["UserDir", "UserDir requires an argument."],
    ['UserDir "" x', "UserDir requires an argument."],
    ['UserDir x ""', null],
  ];

  it("has a short line for every handler of src/data/raw-args-arity.ts", () => {
    const named = new Set(RAW_CASES.flatMap(([b, m]) => (m === null ? [] : [b.split("\n").find((l) => !l.startsWith("<"))!.split(" ")[0]!.toLowerCase()])));
    expect([...named].sort()).toEqual(Object.keys(RAW_ARGS_ARITY).sort());
  });

  live.each(RAW_CASES)("a handler that parses its own line: %j", (body, said) => {
    const r = apache(body);
    expect(r.ok ? null : r.message.trim(), "apache2 -t no longer says this").toBe(said);
    const errors = lintRule(testedRule, r.text, r.path).filter((f) => f.severity === "error");
    if (said === null) {
      expect(errors.map((f) => f.message)).toEqual([]);
      return;
    }
    expect(errors.map((f) => f.line)).toEqual([r.line]);
    expect(errors[0]!.message).toContain(`("${said}")`);
  });

  live("src/data/raw-args-arity.ts is what src/tools/gen-raw-args-arity.ts measures today", { timeout: 120_000 }, () => {
    ensureBuiltCli();
    const gen = spawnSync(process.execPath, [join(PROJECT_ROOT, "dist", "src", "tools", "gen-raw-args-arity.js")], { encoding: "utf8" });
    expect(gen.status, gen.stderr).toBe(0);
    expect(gen.stdout).toBe(readFileSync(join(PROJECT_ROOT, "src", "data", "raw-args-arity.ts"), "utf8"));
  });

  /** `open`+`close` where the section may stand: the top level, else inside a <Directory> (<Limit>, <LimitExcept>). */
  const placed = (lines: string) => {
    const top = apache(lines);
    return / not allowed here| not allowed in </.test(top.message) ? apache(`<Directory "/tmp">\n${lines}\n</Directory>`) : top;
  };

  live("refuses exactly the sections of SECTIONS_NEEDING_ARGUMENTS without an argument, and the rule says so", () => {
    const sections = DIRECTIVES.filter((d) => d.arity === "section").map((d) => d.name.slice(1));
    const refused: string[] = [];
    for (const s of sections) {
      const r = placed(`<${s}>\n</${s}>`);
      if (!r.ok && r.message.includes(`<${s}> directive requires additional arguments`)) refused.push(s.toLowerCase());
      const errors = lintRule(testedRule, r.text, r.path);
      expect(errors.length, s).toBe(SECTIONS_NEEDING_ARGUMENTS.has(s.toLowerCase()) ? 1 : 0);
    }
    expect(refused.sort()).toEqual([...SECTIONS_NEEDING_ARGUMENTS].sort());
  });

  live("refuses a second argument in exactly the sections of SECTIONS_TAKING_ONE_ARGUMENT, and the rule says so", () => {
    const refused: string[] = [];
    for (const [name, sample] of Object.entries(SECTION_SAMPLES)) {
      const s = name.slice(1);
      const open = sample.open.replace(/>$/, " extra>");
      const r = placed([...(sample.before ?? []), open, ...(sample.body ?? []), `</${s}>`].join("\n"));
      if (!r.ok && /^Multiple <\w+> arguments not (\(yet\) )?supported\.$/.test(r.message.trim())) refused.push(s.toLowerCase());
      const errors = lintRule(testedRule, r.text, r.path).filter((f) => f.message.includes("takes"));
      expect(errors.map((f) => f.line), `${open}: ${r.message}`).toEqual(SECTIONS_TAKING_ONE_ARGUMENT.has(s.toLowerCase()) ? [r.line] : []);
    }
    expect(refused.sort()).toEqual([...SECTIONS_TAKING_ONE_ARGUMENT].sort());
  });

  live("an unquoted <If> expression is refused, and the rule says so", () => {
    const r = apache('<If %{HTTP_HOST} == "example.com">\n</If>');
    expect(r.ok).toBe(false);
    expect(lintRule(testedRule, r.text, r.path).map((f) => f.line)).toEqual([r.line]);
  });
});
