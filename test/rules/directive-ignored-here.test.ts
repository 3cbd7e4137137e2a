// directive-ignored-here: the manual's "only in <Directory>" notes (src/apache/ignored-here.ts), each measured live in test/apache/core-silent-live.test.ts.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/directive-ignored-here.js";
import { IGNORED_HERE } from "../../src/apache/ignored-here.js";

ruleTester(testedRule, {
  valid: [
    "<Directory /var/www>\n    Options FollowSymLinks\n    AllowOverride All\n</Directory>\n",
    "Options FollowSymLinks\n",
    "<Location /x>\n    Options Indexes\n</Location>\n",
    "<Location /x>\n    Options All\n</Location>\n",
    { code: "Options +FollowSymLinks\n", path: ".htaccess" },
    "<Directory /var/www>\n    <IfModule mod_rewrite.c>\n        Options +SymLinksIfOwnerMatch\n    </IfModule>\n</Directory>\n",
  ],
  invalid: [
    {
      name: "FollowSymLinks in <Location>",
      code: "<Location /lnk>\n    Options FollowSymLinks\n</Location>\n",
      findings: [{ line: 2, column: 5, endColumn: 27, severity: "warning", fix: "none", message: "Options FollowSymLinks does nothing inside <Location>: The FollowSymLinks and SymLinksIfOwnerMatch Options work only in <Directory> sections or .htaccess files." }],
    },
    {
      name: "+SymLinksIfOwnerMatch in <FilesMatch>, through <IfModule>",
      code: '<FilesMatch "\\.html$">\n    <IfModule mod_mime.c>\n        Options Indexes +SymLinksIfOwnerMatch\n    </IfModule>\n</FilesMatch>\n',
      findings: [{ line: 3, column: 9, message: "Options +SymLinksIfOwnerMatch does nothing inside <FilesMatch>:" }],
    },
    {
      name: "AllowOverride in <DirectoryMatch> and <Directory ~>",
      code: '<DirectoryMatch "^/var/www/a">\n    AllowOverride All\n</DirectoryMatch>\n<Directory ~ "^/var/www/b">\n    AllowOverrideList Redirect\n</Directory>\n',
      findings: [
        { line: 2, column: 5, message: "AllowOverride does nothing inside <DirectoryMatch>: AllowOverride is valid only in <Directory> sections specified without regular expressions" },
        { line: 5, column: 5, message: "AllowOverrideList does nothing inside <Directory ~>:" },
      ],
    },
    {
      name: "AllowOverride in <Location> (AH00114) and in <Files> inside <Directory>",
      code: "<Location /x>\n    AllowOverride All\n</Location>\n<Directory /var/www>\n    <Files x.txt>\n        AllowOverride None\n    </Files>\n</Directory>\n",
      findings: [
        { line: 2, column: 5, message: /inside <Location>: .*AH00114: Useless use of AllowOverride/ },
        { line: 6, column: 9, message: "AllowOverride does nothing inside <Files>:" },
      ],
    },
  ],
});

describe("the ignored-here table", () => {
  const manual = (page: string) => {
    try {
      return readFileSync(`/usr/share/doc/apache2-doc/manual/en/mod/${page}`, "utf8").replace(/<[^>]*>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/\s+/g, " ");
    } catch {
      return null;
    }
  };
  it.each(IGNORED_HERE.map((e) => [`${e.directive} in ${e.sections.join(", ")}`, e] as const))("%s quotes the manual verbatim", (_, e) => {
    const text = manual(e.source.split("#")[0]!);
    if (text === null) {
      if (process.env.CI === "true") throw new Error("apache2-doc is not installed");
      console.warn("SKIPPED: apache2-doc is not installed: the manual sentences are not checked");
      return;
    }
    expect(text).toContain(e.manual);
  });
});
