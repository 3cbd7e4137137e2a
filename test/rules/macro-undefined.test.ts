// macro-undefined: the rule tester; the live agreement with apache2 -t is test/macros.test.ts.
import testedRule from "../../rules/macro-undefined.js";
import { ruleTester } from "../helpers/rule-tester.js";

const WHOLE = "LoadModule mpm_event_module modules/mod_mpm_event.so\n";

ruleTester(testedRule, {
  valid: [
    // a fragment: the macro may come from another file
    "Use Site example.com\n",
    "<Macro Site $h>\nServerName $h\n</Macro>\nuse SITE example.com\n",
    // defined by another macro's body: it exists once that one is used
    "<Macro Outer>\n<Macro Inner $b>\nServerAdmin $b\n</Macro>\n</Macro>\nUse Outer\nUse Inner a@b\n",
    // a whole server that Includes other files may find its macros there
    `${WHOLE}Include conf.d/*.conf\nUse Site example.com\n`,
  ],
  invalid: [
    {
      name: "before its definition, and after UndefMacro",
      code: "Use Site a.example\n<Macro Site $h>\nServerName $h\n</Macro>\nUndefMacro Site\nUse Site b.example\n",
      findings: [
        { line: 1, column: 1, severity: "error", message: { exact: '`Use Site` comes before the macro\'s definition on line 2: Apache expands it where it stands and refuses to start ("no macro defined before Use"). Move the definition up.' } },
        { line: 6, column: 1, message: "`Use Site` comes after `UndefMacro` removed it on line 5: Apache refuses to start (\"macro 'site' undefined\")" },
      ],
    },
    {
      name: "a whole server without Include: a name nothing defines, with a suggestion",
      code: `${WHOLE}<Macro Site $h>\nServerName $h\n</Macro>\nUse Stie example.com\nUndefMacro Other\n`,
      findings: [
        { line: 5, column: 1, message: { exact: "No macro `Stie` is defined (did you mean `Site`?): Apache refuses to start (\"macro 'stie' undefined\")." } },
        { line: 6, column: 1, message: "`UndefMacro Other` removes a macro that is not defined: Apache refuses to start (\"cannot remove undefined macro 'other'\")" },
      ],
    },
  ],
});
