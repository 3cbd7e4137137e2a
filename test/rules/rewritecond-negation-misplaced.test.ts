// rewritecond-negation-misplaced: `RewriteCond !%{VAR} pattern` (issue 12). Apache's answer: test/apache/rewrite-silent-live.test.ts.
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/rewritecond-negation-misplaced.js";

ruleTester(testedRule, {
  valid: [
    "RewriteCond %{HTTP_USER_AGENT} !curl\nRewriteRule ^/ /x\n",
    // a literal `!` string, or a lone `!`
    "RewriteCond !important =!important\nRewriteCond ! x\nRewriteRule ^/ /x\n",
    'RewriteCond expr "!(%{HTTPS} == \'on\')"\nRewriteRule ^/ /x\n',
  ],
  invalid: [
    {
      name: "the `!` moves to the pattern",
      code: "RewriteCond !%{HTTPS} =on\nRewriteRule ^/ https://example.com/ [R,L]\n",
      findings: [
        { line: 1, column: 13, endColumn: 22, severity: "error", fix: "safe", message: { exact: "The `!` of `!%{HTTPS}` is part of the test string, not a negation: mod_rewrite tests the text `!` plus the value against `=on`; to negate the condition write `%{HTTPS} !=on`." } },
      ],
      output: "RewriteCond %{HTTPS} !=on\nRewriteRule ^/ https://example.com/ [R,L]\n",
      fixes: "safe",
    },
    {
      name: "quoted arguments, back-references and map lookups",
      code: 'RewriteCond "!%{HTTP_HOST}" "^www\\."\nRewriteCond !$1 -f\nRewriteCond !${map:x} y\nRewriteRule ^/(.*) /x\n',
      findings: [
        { line: 1, column: 13, fix: "safe", message: "The `!` of `!%{HTTP_HOST}`" },
        { line: 2, column: 13, fix: "safe", message: "The `!` of `!$1`" },
        { line: 3, column: 13, fix: "safe", message: "The `!` of `!${map:x}`" },
      ],
      output: 'RewriteCond "%{HTTP_HOST}" "!^www\\."\nRewriteCond $1 !-f\nRewriteCond ${map:x} !y\nRewriteRule ^/(.*) /x\n',
    },
    {
      name: "an already negated pattern: no fix",
      code: "RewriteCond !%{HTTP_USER_AGENT} !^curl\nRewriteRule ^/ /x\n",
      findings: [{ line: 1, column: 13, fix: "none", message: { exact: "The `!` of `!%{HTTP_USER_AGENT}` is part of the test string, not a negation: mod_rewrite tests the text `!` plus the value against `!^curl`." } }],
    },
  ],
});
