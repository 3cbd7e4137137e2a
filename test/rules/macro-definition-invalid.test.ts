// macro-definition-invalid: the rule tester; the live agreement with apache2 -t is test/macros.test.ts.
import testedRule from "../../rules/macro-definition-invalid.js";
import { ruleTester } from "../helpers/rule-tester.js";

ruleTester(testedRule, {
  valid: ["<Macro A $a %b @c>\nServerAdmin $a%b@c\n</Macro>\n", "<Macro Blank>\n\n</Macro>\n"],
  invalid: [
    {
      name: "the errors: no name, a parameter twice",
      code: "<Macro>\nServerSignature Off\n</Macro>\n<Macro B $a $a>\nServerAdmin $a\n</Macro>\n",
      findings: [
        { line: 1, column: 1, severity: "error", message: { exact: '`<Macro>` names no macro: Apache refuses to start ("<Macro macro definition: empty name").' } },
        { line: 4, column: 13, severity: "error", message: "Parameter `$a` of macro `B` is named twice (#1 and #2): Apache refuses to start" },
      ],
    },
    {
      name: "the warnings: no sigil, a prefix, no contents",
      code: "<Macro C host $h $hx>\nServerName host$h$hx\n</Macro>\n<Macro D>\n# later\n</Macro>\n",
      findings: [
        { line: 1, column: 10, severity: "warning", message: "Parameter `host` of macro `C` does not start with $, % or @" },
        { line: 1, column: 18, severity: "warning", message: "Parameters `$h` and `$hx` of macro `C`: one is a prefix of the other" },
        { line: 4, column: 1, severity: "warning", message: { exact: 'Macro `D` has no contents: each Use expands to nothing (Apache warns AH02799 "empty contents!").' } },
      ],
    },
  ],
});
