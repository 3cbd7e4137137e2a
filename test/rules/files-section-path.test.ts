// files-section-path: <Files> compares the base name, so a `/` never matches (measured on 2.4.71, test/apache/core-silent-live.test.ts).
import { describe, expect, it } from "vitest";
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/files-section-path.js";
import { regexNeedsSlash } from "../../rules/files-section-path.js";

ruleTester(testedRule, {
  valid: [
    '<Files "secret.txt">\n    Require all denied\n</Files>\n',
    '<FilesMatch "^[^/]+\\.php$">\n    Require all denied\n</FilesMatch>\n',
    '<FilesMatch "(^|/)\\.ht">\n    Require all denied\n</FilesMatch>\n',
    '<FilesMatch "^\\.">\n    Require all denied\n</FilesMatch>\n',
    '<Files ~ "\\.(gif|jpe?g)$">\n    Require all denied\n</Files>\n',
    '<FilesMatch "^(.*/)?x\\.txt$">\n    Require all denied\n</FilesMatch>\n',
  ],
  invalid: [
    {
      name: "a relative path",
      code: '<Files "sub/a.txt">\n    Require all denied\n</Files>\n',
      findings: [{ line: 1, column: 8, endColumn: 19, severity: "warning", fix: "none", covers: '"sub/a.txt"', message: '<Files "sub/a.txt"> never matches: <Files> compares the file\'s name without its directory' }],
    },
    {
      name: "an absolute path",
      code: "<Files /var/www/html/b.txt>\n    Require all denied\n</Files>\n",
      findings: [{ line: 1, column: 8, message: "<Files /var/www/html/b.txt> never matches" }],
    },
    {
      name: "a regex that needs a slash",
      code: '<FilesMatch "sub/c\\.txt$">\n    Require all denied\n</FilesMatch>\n',
      findings: [{ line: 1, column: 13, message: '<FilesMatch "sub/c\\.txt$"> never matches' }],
    },
    {
      name: "<Files ~ regex> with an escaped slash",
      code: '<Files ~ "admin\\/.*">\n    Require all denied\n</Files>\n',
      findings: [{ line: 1, column: 10, message: '<Files "admin\\/.*"> never matches' }],
    },
  ],
});

describe("regexNeedsSlash", () => {
  it("needs a slash only when every match has one", () => {
    expect(regexNeedsSlash("a/b")).toBe(true);
    expect(regexNeedsSlash("a\\/b")).toBe(true);
    expect(regexNeedsSlash("[^/]+")).toBe(false);
    expect(regexNeedsSlash("a|b/c")).toBe(false);
    expect(regexNeedsSlash("a/?b")).toBe(false);
    expect(regexNeedsSlash("(x/)?b")).toBe(false);
    expect(regexNeedsSlash("\\.php$")).toBe(false);
  });
});
