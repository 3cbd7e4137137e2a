// addtype-handler: content types that modules read as handler names; the fix is AddHandler.
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/addtype-handler.js";
import { parseVersion } from "../../src/apache/version.js";

ruleTester(testedRule, {
  valid: ["AddType text/html .shtml\n", "AddHandler application/x-httpd-php .php\n", "AddType application/x-httpd-php\n", "AddType application/json .json\n"],
  invalid: [
    {
      code: "AddType application/x-httpd-php .php\n",
      findings: [{ line: 1, column: 1, endColumn: 8, severity: "warning", fix: "safe", message: "`AddType application/x-httpd-php` wires a handler through a content type: from 2.4.60" }],
      output: "AddHandler application/x-httpd-php .php\n",
    },
    {
      code: "<Directory /srv>\n  addtype Application/X-Type-Map .var\n</Directory>\n",
      options: { apacheVersion: parseVersion("2.4.61")! },
      findings: [{ line: 2, column: 3, message: "`AddType Application/X-Type-Map` wires a handler through a content type: on 2.4.61 the handler is not run for some requests" }],
      output: "<Directory /srv>\n  AddHandler Application/X-Type-Map .var\n</Directory>\n",
    },
  ],
});
