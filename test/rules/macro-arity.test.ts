// macro-arity: the rule tester; the live agreement with apache2 -t is test/macros.test.ts.
import testedRule from "../../rules/macro-arity.js";
import { ruleTester } from "../helpers/rule-tester.js";

const DEF = "<Macro Backend $path $port>\nProxyPass $path http://127.0.0.1:$port$path\n</Macro>\n";

ruleTester(testedRule, {
  valid: [`${DEF}Use Backend /app/ 3000\nUse Backend "/a b/" 3001\n`, "Use Unknown 1 2 3\n", "<Macro Z>\nServerSignature Off\n</Macro>\nUse Z\n"],
  invalid: [
    {
      name: "too few and too many",
      code: `${DEF}Use Backend /app/\nUse Backend /app/ 3000 x\n`,
      findings: [
        {
          line: 4,
          column: 1,
          severity: "error",
          message: {
            exact:
              "`Use Backend` gives 1 argument, the macro takes 2 ($path $port): Apache refuses to start (\"macro 'backend' (defined on line 1 …) used with 1 arguments instead of 2\").",
          },
        },
        { line: 5, column: 1, message: "`Use Backend` gives 3 arguments, the macro takes 2" },
      ],
    },
    {
      name: "the definition in effect is the latest one",
      code: `${DEF}UndefMacro Backend\n<Macro Backend $path>\nProxyPass $path http://127.0.0.1:3000$path\n</Macro>\nUse Backend /app/ 3000\n`,
      findings: [{ line: 8, column: 1, message: "`Use Backend` gives 2 arguments, the macro takes 1 ($path)" }],
    },
  ],
});
