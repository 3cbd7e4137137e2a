// rewrite-literal-percent: `%NAME` without braces (issue 12). Apache's answer: test/apache/rewrite-silent-live.test.ts.
import { describe, expect, it } from "vitest";
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/rewrite-literal-percent.js";
import { literalPercents } from "../../src/apache/rewrite-reading.js";

ruleTester(testedRule, {
  valid: [
    "RewriteCond %{DOCUMENT_ROOT}/x -f\nRewriteRule ^/(.*) /%{HTTP_HOST}/%1/$1 [L]\n",
    // URL escapes, escaped percents, a lone percent
    "RewriteRule ^/c /caf%C3%A9%2Fx%ab [NE,L]\nRewriteRule ^/p /100\\%off [L]\nRewriteRule ^/q /50% [L]\n",
    'RewriteCond expr "%{HTTP_HOST} =~ /%foo/"\nRewriteRule ^/ /x\n',
    // the pattern is a regex, not an expanded string
    "RewriteCond %{QUERY_STRING} %foo\nRewriteRule %bar /x\n",
  ],
  invalid: [
    {
      name: "a known variable without its braces",
      code: "RewriteCond %DOCUMENT_ROOT/maint.html -f\nRewriteRule ^/ /maint.html [L]\n",
      findings: [
        { line: 1, column: 13, endColumn: 27, severity: "warning", fix: "none", message: { exact: "`%DOCUMENT_ROOT` in the RewriteCond test string is copied as literal text; the server variable is `%{DOCUMENT_ROOT}`." } },
      ],
    },
    {
      name: "in a substitution, quoted, next to real specials",
      code: 'RewriteRule ^/(.*) "/%{HTTP_HOST}/%HTTP_HOST/%zz/$1" [L]\n',
      findings: [
        { line: 1, column: 35, covers: "%HTTP_HOST", message: "`%HTTP_HOST` in the RewriteRule substitution is copied as literal text; the server variable is `%{HTTP_HOST}`." },
        { line: 1, column: 46, covers: "%zz", message: { exact: "`%zz` in the RewriteRule substitution is copied as literal text; mod_rewrite expands only `%{NAME}` and `%0`-`%9`." } },
      ],
    },
  ],
});

describe("literalPercents", () => {
  it("finds only the `%` words mod_rewrite copies", () => {
    expect(literalPercents("%{A}%1%C3%name\\%esc%{unclosed").map((p) => p.word)).toEqual(["name"]);
    expect(literalPercents("/%DOCUMENT_ROOT/x")).toEqual([{ start: 1, end: 15, word: "DOCUMENT_ROOT" }]);
  });
});
