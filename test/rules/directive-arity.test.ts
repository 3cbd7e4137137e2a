// directive-arity: the rule tester, then the counts and the sections judged live by apache2 -t.
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ruleTester, lintRule } from "../helpers/rule-tester.js";
import testedRule from "../../rules/directive-arity.js";
import { ARITY_WORDS, SECTIONS_NEEDING_ARGUMENTS, SECTIONS_TAKING_ONE_ARGUMENT, isCounted } from "../../src/apache/arity.js";
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
        { line: 2, column: 1, message: 'ServerAdmin takes one argument, an empty "" does not count as a value' },
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
      name: "in .htaccess",
      code: "RewriteBase\n",
      path: ".htaccess",
      findings: [{ line: 1, column: 1, message: "RewriteBase takes one argument, not none: Apache answers 500 for every request this .htaccess applies to" }],
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
    // a count error has config.c's fixed words; any other refusal is the handler's, not this rule's
    const isCount = counted && isCounted(counted.arity) && r.message.startsWith(`${counted.name} ${ARITY_WORDS[counted.arity]}`);
    if (isCount) expect(errors.map((f) => f.line), r.message).toEqual([r.line]);
    else expect(errors.map((f) => f.message), r.message).toEqual([]);
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
