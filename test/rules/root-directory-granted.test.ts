// root-directory-granted against what Apache 2.4.71 was measured to do (test/apache/security-live.test.ts).
import { describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lintRule, resolvedIncludes, ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/root-directory-granted.js";

const MPM = "LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so\n";

ruleTester(testedRule, {
  valid: [
    "<Directory />\n  Require all denied\n</Directory>\n",
    // a fragment (no MPM, not httpd.conf) never gets the missing-default report
    "DocumentRoot /var/www/html\n",
    { code: "Require all granted\n", path: ".htaccess" },
    { code: `${MPM}<Directory />\n  <RequireAll>\n    Require ip 10.0.0.0/8\n  </RequireAll>\n</Directory>\n`, path: "httpd.conf" },
    // an Include whose files are not known: the default deny may be there
    { code: "Include conf.d/*.conf\n", path: "httpd.conf" },
  ],
  invalid: [
    {
      name: "Require all granted in <Directory />",
      code: "<Directory />\n    Require all granted\n</Directory>\n",
      findings: [{ line: 2, column: 5, endColumn: 24, severity: "error", fix: "none", message: "`Require all granted` in `<Directory />` opens the whole filesystem" }],
    },
    {
      name: "granted is reported once, not also as a missing default in a whole server",
      code: `${MPM}<Directory "/">\n  Require all granted\n</Directory>\n`,
      path: "httpd.conf",
      findings: [{ line: 3, column: 3, message: "`Require all granted` in `<Directory />`" }],
    },
    {
      name: "a whole server config without <Directory />",
      code: "ServerRoot /etc/httpd\nListen 80\n",
      path: "httpd.conf",
      findings: [{ line: 1, column: 1, endColumn: 22, message: "This server config has no `<Directory />` with `Require all denied`" }],
    },
    {
      name: "a <Directory /> that only sets options is no default deny",
      code: `${MPM}Listen 80\n<Directory />\n  Options None\n</Directory>\n`,
      findings: [{ line: 1, column: 1, message: "This server config has no `<Directory />`" }],
    },
  ],
});

describe("root-directory-granted over included files", () => {
  it("finds the default deny in an included file, and reports it missing when no included file has it", () => {
    const dir = mkdtempSync(join(tmpdir(), "apachelint-rootdir-"));
    try {
      const main = join(dir, "httpd.conf");
      const text = `ServerRoot ${dir}\n${MPM}Include extra.conf\n`;
      writeFileSync(main, text);
      writeFileSync(join(dir, "extra.conf"), "<Directory />\n    Require all denied\n</Directory>\n");
      const run = () => lintRule(testedRule, text, main, resolvedIncludes(text, main, dir));
      expect(run()).toEqual([]);
      writeFileSync(join(dir, "extra.conf"), "Listen 80\n");
      const after = run();
      expect(after.map((f) => [f.line, f.message.slice(0, 40)])).toEqual([[1, "This server config has no `<Directory />"]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("is silent on a text with an Include it cannot follow", () => {
    expect(lintRule(testedRule, `${MPM}IncludeOptional /nonexistent/*.conf\n`, "httpd.conf")).toEqual([]);
  });
});
