// errordocument-literal: ErrorDocument values that core.c takes as message text (measured on 2.4.71, test/apache/core-silent-live.test.ts).
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/errordocument-literal.js";

ruleTester(testedRule, {
  valid: [
    "ErrorDocument 404 /index.php\n",
    'ErrorDocument 404 "Sorry, not here"\n',
    'ErrorDocument 404 "index.php"\n',
    "ErrorDocument 404 default\n",
    "ErrorDocument 404 http://example.com/404.html\n",
    "ErrorDocument 404 https://example.com/404.html\n",
    "ErrorDocument 404 ${ERRORS}/404.html\n",
    { code: "ErrorDocument 403 /forbidden.html\n", path: ".htaccess" },
  ],
  invalid: [
    {
      name: "a file name without its slash",
      code: "ErrorDocument 404 index.php\n",
      findings: [{ line: 1, column: 19, endColumn: 28, severity: "warning", fix: "unsafe", covers: "index.php", message: "`ErrorDocument 404 index.php` is not a page: a value without a leading `/`" }],
      output: "ErrorDocument 404 /index.php\n",
    },
    {
      name: "a relative path in .htaccess",
      path: ".htaccess",
      code: "ErrorDocument 500 errors/500.html\n",
      findings: [{ line: 1, column: 19, fix: "unsafe", message: /Write `\/errors\/500\.html` for the page\.$/ }],
      output: "ErrorDocument 500 /errors/500.html\n",
    },
    {
      name: "a bare word: reported, no fix (it may be meant as text)",
      code: "<VirtualHost *:80>\n    ErrorDocument 403 Forbidden\n</VirtualHost>\n",
      findings: [{ line: 2, column: 23, fix: "none", message: /Quote it if the text is meant/ }],
    },
  ],
});
