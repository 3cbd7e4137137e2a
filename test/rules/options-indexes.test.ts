// options-indexes against what Apache 2.4.71 was measured to do (test/apache/security-live.test.ts),
// and its fix checked by `apache2 -t`.
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { RULE_FIXTURES, ruleTester } from "../helpers/rule-tester.js";
import { apacheOrSkip, freePort, makeServerRoot, serverConfig } from "../apache/harness.js";
import testedRule from "../../rules/options-indexes.js";

ruleTester(testedRule, {
  valid: [
    "Options FollowSymLinks\n",
    "Options -Indexes\n",
    "<Directory /a>\n  Options Indexes\n  Options None\n</Directory>\n",
    { code: "Options -Indexes +FollowSymLinks\n", path: ".htaccess" },
  ],
  invalid: [
    {
      name: "Debian's /var/www/ line: Indexes removed, FollowSymLinks kept",
      code: "<Directory /var/www/>\n\tOptions Indexes FollowSymLinks\n</Directory>\n",
      findings: [{ line: 2, column: 10, endColumn: 17, severity: "warning", fix: "unsafe", message: "`Indexes` turns on directory listing" }],
      output: "<Directory /var/www/>\n\tOptions FollowSymLinks\n</Directory>\n",
    },
    {
      name: "Indexes last in the list",
      code: "Options FollowSymLinks Indexes\n",
      findings: [{ line: 1, column: 24, message: "`Indexes` turns on" }],
      output: "Options FollowSymLinks\n",
    },
    {
      name: "the only option becomes None",
      code: "Options indexes\n",
      findings: [{ line: 1, column: 9, message: "`indexes` turns on" }],
      output: "Options None\n",
    },
    {
      name: "+Indexes in .htaccess becomes -Indexes",
      code: "Options +Indexes\n",
      path: ".htaccess",
      findings: [{ line: 1, column: 9, message: "`+Indexes` turns on" }],
      output: "Options -Indexes\n",
    },
    {
      name: "a later +X keeps Indexes on: the line that turned it on is reported",
      code: "<Directory /a>\n  Options Indexes\n  Options +FollowSymLinks\n</Directory>\n",
      findings: [{ line: 2, column: 11, message: "`Indexes`" }],
      output: "<Directory /a>\n  Options None\n  Options +FollowSymLinks\n</Directory>\n",
    },
    {
      name: "All includes Indexes, with no fix",
      code: "Options All\n",
      findings: [{ line: 1, column: 9, fix: "none", message: "`All` turns on directory listing" }],
    },
  ],
});

describe.runIf(apacheOrSkip("test/rules/options-indexes.test.ts"))("options-indexes fixes keep apache2 -t passing", () => {
  const dir = join(RULE_FIXTURES, testedRule.id);
  const fixed = readdirSync(dir).filter((n) => n.endsWith(".fixed"));
  it("has fixed fixtures", () => expect(fixed.length).toBeGreaterThan(1));
  for (const name of fixed) {
    it(name, async () => {
      const sr = await makeServerRoot();
      try {
        let text = readFileSync(join(dir, name), "utf8");
        // an .htaccess is checked as the body of a <Directory>, where the same lines are allowed
        if (name.includes(".htaccess")) text = `<Directory ${sr.dir}>\n${text}</Directory>\n`;
        const conf = await sr.write("httpd.conf", serverConfig({ port: await freePort(), modules: ["autoindex"], body: text }));
        const t = await sr.test(conf);
        expect(t.ok, t.output).toBe(true);
      } finally {
        await sr.remove();
      }
    });
  }
});
