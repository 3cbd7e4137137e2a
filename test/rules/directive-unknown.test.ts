// directive-unknown: the rule tester, then every case judged live by apache2 -t with every Debian module loaded.
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ruleTester, lintRule } from "../helpers/rule-tester.js";
import testedRule from "../../rules/directive-unknown.js";
import { DEBIAN_MODULE_DIR } from "../../src/data/modules.js";
import { loadOrder } from "../../src/tools/probe-support.js";

const APACHE = "/usr/sbin/apache2";
const live = spawnSync(APACHE, ["-v"]).status === 0 || process.env.CI ? it : it.skip;
if (live === it.skip) console.warn(`test/rules/directive-unknown: ${APACHE} not found, the live apache2 checks are SKIPPED`);

const LOADS = loadOrder("mpm_event").map((m) => `LoadModule ${m.id} ${DEBIAN_MODULE_DIR}/${m.file}`);

ruleTester(testedRule, {
  valid: [
    "proxypass / http://b/\n",
    "WSGIDaemonProcess app\nphp_admin_flag engine off\nPassengerEnabled on\n",
    // read only where mod_security is loaded: its words are not judged
    "<IfModule mod_security2.c>\n    SecRuleEngine On\n    SecRule ARGS \"x\" \"id:1\"\n</IfModule>\n",
    "<Macro Site $name>\n    $name on\n    Anything $name\n</Macro>\n",
    "${DIRECTIVE} on\n",
    "<IfModule !mod_proxy.c>\n</IfModule>\n",
  ],
  invalid: [
    {
      name: "a misspelling: Apache's words, the nearest name and an unsafe fix",
      code: "ProxyPassReverese / http://b/\n",
      findings: [
        {
          line: 1,
          column: 1,
          covers: "ProxyPassReverese",
          severity: "error",
          fix: "unsafe",
          message: {
            exact:
              "`ProxyPassReverese` is not a directive of Apache 2.4 or of any module it ships (did you mean `ProxyPassReverse`?): " +
              "Apache refuses to start (\"Invalid command 'ProxyPassReverese', perhaps misspelled or defined by a module not included in the server configuration\").",
          },
        },
      ],
      output: "ProxyPassReverse / http://b/\n",
    },
    {
      name: "a longer word that starts with a directive, and nginx's spelling",
      code: "RewriteCondition %{HTTP:Upgrade} websocket\nproxy_pass http://b/;\n",
      findings: [
        { line: 1, column: 1, covers: "RewriteCondition", fix: "unsafe", message: "`RewriteCondition` is not a directive of Apache 2.4 or of any module it ships (did you mean `RewriteCond`?)" },
        { line: 2, column: 1, covers: "proxy_pass", fix: "unsafe", message: "`proxy_pass` is not a directive of Apache 2.4 or of any module it ships (did you mean `ProxyPass`?)" },
      ],
    },
    {
      name: "a section: the name after <, fixed in the open tag only",
      code: "<VirtualHosts *:80>\n</VirtualHosts>\n",
      findings: [{ line: 1, column: 2, covers: "VirtualHosts", fix: "unsafe", message: "`<VirtualHosts` is not a section of Apache 2.4 or of any module it ships (did you mean `<VirtualHost`?)" }],
      // the close tag is renamed with it, or the fix would make a mismatched pair
      output: "<VirtualHost *:80>\n</VirtualHost>\n",
    },
    {
      name: "no near name: no fix",
      code: "Frobnicate yes\n",
      findings: [{ line: 1, column: 1, fix: "none", message: "`Frobnicate` is not a directive of Apache 2.4 or of any module it ships: Apache refuses to start" }],
    },
    {
      name: "in .htaccess: a 500 per request",
      code: "RewriteRul ^ x\n",
      path: ".htaccess",
      findings: [{ line: 1, column: 1, message: /did you mean `RewriteRule`\?\): Apache answers 500 for every request this \.htaccess applies to/ }],
    },
    {
      name: "in a body Apache skips (the module is not loaded): a warning for the day it is",
      path: "httpd.conf",
      code: `${LOADS.slice(0, 3).join("\n")}\n<IfModule mod_proxy_wstunnel.c>\n    ProxyPas /ws/ ws://b/\n</IfModule>\n`,
      findings: [
        {
          line: 5,
          column: 5,
          severity: "warning",
          message: /^`ProxyPas` is not a directive .*\(did you mean `ProxyPass`\?\): Apache skips it today because `<IfModule mod_proxy_wstunnel\.c>` is false here/,
        },
      ],
    },
  ],
});

describe("directive-unknown against apache2 -t (every Debian module loaded)", () => {
  const root = mkdtempSync(join(tmpdir(), "apachelint-unknown-"));
  mkdirSync(join(root, "logs"));
  mkdirSync(join(root, "run"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const skeleton = ["ServerName localhost", "PidFile run/httpd.pid", "DefaultRuntimeDir run", "ErrorLog logs/error.log", ...LOADS];

  // body lines; Apache's verdict is measured, the expectation is only that the two agree
  const CASES = [
    "ProxyPassReverese / http://b/",
    "RewriteCondition %{HTTP:Upgrade} websocket",
    "proxy_pass http://b/;",
    "<VirtualHosts *:80>\n</VirtualHosts>",
    "Frobnicate yes",
    "proxypassreverse / http://b/",
    "<IfModule mod_nope.c>\n    Frobnicate yes\n</IfModule>",
    "<IfModule !mod_proxy.c>\n    Frobnicate yes\n</IfModule>",
    "<IfModule mod_proxy.c>\n    ProxyPas / http://b/\n</IfModule>",
    "<Macro M $x>\n    Frobnicate $x\n</Macro>",
  ];

  live.each(CASES)("agrees with Apache on %j", (body) => {
    const text = `${skeleton.join("\n")}\n${body}\n`;
    const conf = join(root, "t.conf");
    writeFileSync(conf, text);
    const r = spawnSync(APACHE, ["-t", "-d", root, "-f", conf], { encoding: "utf8" });
    const m = /Syntax error on line (\d+) of [^:]+:\s*\n?(.*)/.exec(r.stderr);
    const errors = lintRule(testedRule, text, join(root, "t.conf")).filter((f) => f.severity === "error");
    if (r.status === 0) {
      expect(errors.map((f) => f.message)).toEqual([]);
    } else {
      expect(m, r.stderr).not.toBeNull();
      expect(m![2]).toMatch(/^Invalid command '/);
      expect(errors.map((f) => f.line)).toContain(Number(m![1]));
      const word = /^Invalid command '([^']*)'/.exec(m![2]!)![1]!;
      expect(errors.find((f) => f.line === Number(m![1]))!.message).toContain(`Invalid command '${word}'`);
    }
  });
});
