// htaccess-override-all against what Apache 2.4.71 was measured to do (test/apache/security-live.test.ts):
// the suggested AllowOverride list comes from the .htaccess files of the linted tree.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lintRule, ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/htaccess-override-all.js";
import { overrideClassesOf } from "../../src/server/server-settings.js";
import { parse } from "../../grammar/index.js";
import { serverInfoFromFile } from "../../src/server/server-info.js";
import { IncludeResolver } from "../../src/server/includes.js";

ruleTester(testedRule, {
  valid: [
    "<Directory /var/www/html>\n  AllowOverride None\n</Directory>\n",
    "<Directory /var/www/html>\n  AllowOverride FileInfo AuthConfig\n</Directory>\n",
    // "All" with a list of directives is AllowOverrideList's business, not All
    "<Directory /var/www/html>\n  AllowOverride All Options\n</Directory>\n",
  ],
  invalid: [
    {
      name: "a tree outside the linted one: no list",
      code: "<Directory /var/www/html>\n    AllowOverride All\n</Directory>\n",
      findings: [{ line: 2, column: 19, endColumn: 22, severity: "info", fix: "none", message: { exact: "`AllowOverride All` lets any .htaccess below this directory change options, handlers and access control. List only the classes the site's .htaccess files need (most need only `FileInfo` for mod_rewrite)." } }],
    },
  ],
});

describe("htaccess-override-all reads the linted tree's .htaccess files", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "apachelint-override-"));
    mkdirSync(join(dir, "public", "admin"), { recursive: true });
    mkdirSync(join(dir, "public", "node_modules", "x"), { recursive: true });
    mkdirSync(join(dir, "empty"));
    writeFileSync(join(dir, "public", ".htaccess"), "RewriteEngine On\nRewriteRule ^old$ new [L]\nExpiresActive On\n");
    writeFileSync(join(dir, "public", "admin", ".htaccess"), "AuthType Basic\nAuthName admin\nAuthUserFile /x\nRequire valid-user\n<Files secret>\n  Require all denied\n</Files>\n");
    // skipped like the linter's own walk
    writeFileSync(join(dir, "public", "node_modules", "x", ".htaccess"), "Options +Indexes\n");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const lintIn = (sub: string) => {
    const conf = join(dir, "site.conf");
    const text = `<Directory ${join(dir, sub)}>\n  AllowOverride All\n</Directory>\n`;
    // the file system as the CLI gives it; without one (the playground) there is no list
    return lintRule(testedRule, text, conf, { server: { ...serverInfoFromFile(parse(text, conf)), files: new IncludeResolver().files } });
  };

  it("suggests the classes the files use: FileInfo (mod_rewrite, mod_expires' ExpiresActive is Indexes) and AuthConfig", () => {
    const f = lintIn("public");
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toContain("The 2 .htaccess file(s) under");
    expect(f[0]!.message).toMatch(/`AllowOverride AuthConfig FileInfo Indexes`\.$/);
  });

  it("without the file system (the playground) gives the general advice", () => {
    const conf = join(dir, "site.conf");
    const f = lintRule(testedRule, `<Directory ${join(dir, "public")}>\n  AllowOverride All\n</Directory>\n`, conf);
    expect(f[0]!.message).toContain("List only the classes the site's .htaccess files need");
  });

  it("says None is enough when no .htaccess is there", () => {
    expect(lintIn("empty")[0]!.message).toContain("No .htaccess file is under");
  });

  it("maps directives to the manual's Override classes", () => {
    expect([...overrideClassesOf(parse("RewriteRule a b\nOptions -Indexes\nRequire all denied\nAddType text/plain .x\n", ".htaccess"))].sort()).toEqual(["AuthConfig", "FileInfo", "Options"]);
  });
});
