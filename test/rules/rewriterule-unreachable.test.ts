// rewriterule-unreachable: a rule an earlier stopping rule always takes first (issue 12). Apache's answer: test/apache/rewrite-silent-live.test.ts.
import { describe, expect, it } from "vitest";
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/rewriterule-unreachable.js";
import { literalPrefix, patternCovers } from "../../src/apache/rewrite-reading.js";

ruleTester(testedRule, {
  valid: [
    // no stopping flag
    "RewriteRule ^/a /b\nRewriteRule ^/a /c [L]\n",
    // the earlier rule ends with `$`, or is narrower
    "RewriteRule ^/a$ /b [L]\nRewriteRule ^/a/x /c [L]\nRewriteRule ^/abc /x [L]\nRewriteRule ^/ab /y [L]\n",
    // conditions, chains, skips, [N], negation
    "RewriteCond %{HTTPS} on\nRewriteRule ^/a /b [L]\nRewriteRule ^/a /c [L]\n",
    "RewriteRule ^/c /x [C]\nRewriteRule ^/a /b [L]\nRewriteRule ^/a /c [L]\n",
    "RewriteRule ^/s - [S=1]\nRewriteRule ^/a /b [L]\nRewriteRule ^/a /c [L]\n",
    "RewriteRule ^/a /b [N,L]\nRewriteRule ^/a /c [L]\nRewriteRule !^/x /b [L]\nRewriteRule ^/x /c\n",
    // alternation, optional characters in the earlier pattern, case
    "RewriteRule ^/a|^/b /x [L]\nRewriteRule ^/b /y\nRewriteRule ^/q? /x [L]\nRewriteRule ^/q /y\nRewriteRule ^/m /x [L]\nRewriteRule ^/m/x /y [NC]\n",
    // after [R] without [L], a pattern that can match `http://…` still applies
    "RewriteRule ^/r /x [R]\nRewriteRule .* - [E=A:1]\nRewriteRule ^h - [E=B:1]\nRewriteRule (.*) /y\n",
    // different sections are different rule lists
    "RewriteRule ^/a /b [L]\n<VirtualHost *:80>\nRewriteRule ^/a /c [L]\n</VirtualHost>\n<IfModule rewrite_module>\nRewriteRule ^/a /d\n</IfModule>\n",
  ],
  invalid: [
    {
      name: "a duplicate",
      code: "RewriteEngine on\nRewriteRule ^/dup /a.html [L]\nRewriteRule ^/dup /b.html [L]\n",
      findings: [
        { line: 3, column: 13, endColumn: 18, severity: "warning", fix: "none", message: { exact: "This RewriteRule never applies: the rule on line 2 (`^/dup`, [L], no conditions) matches every path `^/dup` does and ends rewriting." } },
      ],
    },
    {
      name: "catch-alls, [END], [NC] and longer literal prefixes",
      code: "RewriteRule ^/old /new [END]\nRewriteRule ^/old/x(.*) /y\nRewriteRule ^/OLD /y\nRewriteRule ^/m /x [L,NC]\nRewriteRule ^/M/x /y [NC]\nRewriteRule ^(.*)$ /index.php [L]\nRewriteRule ^/z /y\n",
      findings: [
        { line: 2, column: 13, message: "This RewriteRule never applies: the rule on line 1 (`^/old`, [END]" },
        { line: 5, column: 13, message: "This RewriteRule never applies: the rule on line 4 (`^/m`, [L]" },
        { line: 7, column: 13, message: "This RewriteRule never applies: the rule on line 6 (`^(.*)$`, [L]" },
      ],
    },
    {
      name: "after [R], a pattern anchored on `/` cannot match the absolute URL",
      code: "RewriteRule ^/r /x [R=301]\nRewriteRule ^/r/deeper /y [L]\n",
      findings: [{ line: 2, column: 13, message: { exact: "This RewriteRule never applies: the rule on line 1 (`^/r`, [R], no conditions) matches every path `^/r/deeper` does and turns it into an absolute redirect URL that this pattern cannot match." } }],
    },
    {
      name: "per-directory, a condition on the later rule does not help it",
      code: "RewriteRule ^ - [L]\nRewriteCond %{REQUEST_FILENAME} !-f\nRewriteRule ^(.*)$ index.php [L]\n",
      path: ".htaccess",
      findings: [{ line: 3, column: 13, message: "This RewriteRule never applies: the rule on line 1 (`^`, [L]" }],
    },
  ],
});

describe("patternCovers and literalPrefix", () => {
  it("decides only certain cases", () => {
    expect(literalPrefix("^/a\\.b/(.*)")).toEqual({ prefix: "/a.b/", whole: false });
    expect(literalPrefix("^/ab?c")).toEqual({ prefix: "/a", whole: false });
    expect(literalPrefix("^/ab+")).toEqual({ prefix: "/ab", whole: false });
    expect(literalPrefix("^/a|b")).toBeNull();
    expect(patternCovers("^/a", "^/ab+", false, false)).toBe(true);
    expect(patternCovers("^/ab", "^/ab?", false, false)).toBe(false);
    expect(patternCovers("^/a$", "^/a$", false, false)).toBe(true);
    expect(patternCovers("^/a$", "^/a/b", false, false)).toBe(false);
    expect(patternCovers("^/a", "^/a", false, true)).toBe(false);
    expect(patternCovers("^/1", "^/1", false, true)).toBe(true);
    expect(patternCovers(".*", "anything(here)", false, true)).toBe(true);
  });
});
