// macro-param-unused: the rule tester; the live agreement with apache2 -t is test/macros.test.ts.
import testedRule from "../../rules/macro-param-unused.js";
import { ruleTester } from "../helpers/rule-tester.js";

ruleTester(testedRule, {
  valid: [
    "<Macro A $a $b>\nServerAdmin $a@$b\n</Macro>\n",
    // inside a nested definition counts
    "<Macro Outer $a>\n<Macro Inner $b>\nServerAdmin $a$b\n</Macro>\n</Macro>\n",
    // an empty body gets AH02799 alone
    "<Macro E $a>\n# $a\n</Macro>\n",
  ],
  invalid: [
    {
      name: "a parameter only a comment mentions",
      code: "<Macro A $a $b>\n# $b\nServerAdmin $a\n</Macro>\n",
      findings: [
        {
          line: 1,
          column: 13,
          endColumn: 15,
          severity: "warning",
          message: { exact: "Parameter `$b` of macro `A` is never used in its body: every Use passes an argument for nothing (Apache warns \"AH02800: … argument '$b' (#2) never used\")." },
        },
      ],
    },
  ],
});
