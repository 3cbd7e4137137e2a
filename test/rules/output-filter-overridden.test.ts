// output-filter-overridden: a repeated SetOutputFilter in one scope replaces the first; AddOutputFilterByType repeats add up (measured on 2.4.71, test/apache/core-silent-live.test.ts).
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/output-filter-overridden.js";

ruleTester(testedRule, {
  valid: [
    "SetOutputFilter BROTLI_COMPRESS;DEFLATE\n",
    "AddOutputFilterByType DEFLATE text/plain\nAddOutputFilterByType BROTLI_COMPRESS text/plain\n",
    "SetOutputFilter DEFLATE\n<Directory /var/www>\n    SetOutputFilter BROTLI_COMPRESS\n</Directory>\n",
    "<IfModule mod_brotli.c>\n    SetOutputFilter BROTLI_COMPRESS\n</IfModule>\n<IfModule !brotli_module>\n    SetOutputFilter DEFLATE\n</IfModule>\n",
    "<Location /a>\n    SetOutputFilter DEFLATE\n</Location>\n<Location /b>\n    SetOutputFilter INCLUDES\n</Location>\n",
    '<If "%{HTTP_HOST} == \'a\'">\n    SetOutputFilter DEFLATE\n</If>\nSetOutputFilter INCLUDES\n',
  ],
  invalid: [
    {
      name: "the gzip fallback replaced by a brotli block",
      code: "<Directory /var/www>\n    SetOutputFilter DEFLATE\n    <IfModule mod_brotli.c>\n        SetOutputFilter BROTLI_COMPRESS\n    </IfModule>\n</Directory>\n",
      findings: [
        {
          line: 4,
          column: 9,
          endColumn: 40,
          severity: "warning",
          fix: "none",
          message: { exact: "`SetOutputFilter BROTLI_COMPRESS` replaces `SetOutputFilter DEFLATE` (line 2) in the same scope: SetOutputFilter keeps only its last value, so DEFLATE no longer runs. Name both on one line, e.g. `SetOutputFilter BROTLI_COMPRESS;DEFLATE`." },
        },
      ],
    },
    {
      name: "three lines at the top: each replaces the one before",
      path: ".htaccess",
      code: "SetOutputFilter INCLUDES\nSetOutputFilter DEFLATE\nSetOutputFilter BROTLI_COMPRESS\n",
      findings: [
        { line: 2, column: 1, message: "`SetOutputFilter DEFLATE` replaces `SetOutputFilter INCLUDES` (line 1)" },
        { line: 3, column: 1, message: "`SetOutputFilter BROTLI_COMPRESS` replaces `SetOutputFilter DEFLATE` (line 2)" },
      ],
    },
  ],
});
