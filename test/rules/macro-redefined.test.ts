// macro-redefined: the rule tester; the live agreement with apache2 -t is test/macros.test.ts.
import testedRule from "../../rules/macro-redefined.js";
import { ruleTester } from "../helpers/rule-tester.js";

const M = (name: string) => `<Macro ${name} $h>\nServerName $h\n</Macro>\n`;

ruleTester(testedRule, {
  valid: [M("A") + M("B"), `${M("A")}UndefMacro A\n${M("A")}`],
  invalid: [
    {
      name: "the same name, another case",
      code: M("Site") + M("SITE"),
      findings: [
        {
          line: 4,
          column: 1,
          severity: "warning",
          message: { exact: "Macro `SITE` is already defined on line 1: this definition replaces it for every later Use (Apache warns \"AH02802: macro 'site' multiply defined\")." },
        },
      ],
    },
  ],
});
