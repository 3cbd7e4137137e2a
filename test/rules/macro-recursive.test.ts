// macro-recursive: the rule tester; the live agreement with apache2 -t is test/macros.test.ts.
import testedRule from "../../rules/macro-recursive.js";
import { ruleTester } from "../helpers/rule-tester.js";

ruleTester(testedRule, {
  valid: ["<Macro A $x>\nUse B $x\n</Macro>\n<Macro B $x>\nServerAlias $x\n</Macro>\nUse A a\n"],
  invalid: [
    {
      name: "itself, and through another macro",
      code: "<Macro S $x>\nUse S $x\n</Macro>\n<Macro A $x>\nUse B $x\n</Macro>\n<Macro B $x>\nUse A $x\n</Macro>\n",
      findings: [
        {
          line: 2,
          column: 1,
          severity: "error",
          message: { exact: "`Use S` inside macro `S` leads back to `S` so it can never expand: Apache refuses to start at its first Use (\"recursive use of macro 's' is invalid\")." },
        },
        { line: 5, column: 1, message: "`Use B` inside macro `A` leads back to `A`, through `B`, so it can never expand" },
        { line: 8, column: 1, message: "`Use A` inside macro `B` leads back to `B`, through `A`, so it can never expand" },
      ],
    },
  ],
});
