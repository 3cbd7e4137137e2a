// include-missing: the rule tester (its fixtures resolve Include lines on disk with `# fixture: server-root=`).
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/include-missing.js";
import { resolvedIncludes } from "../helpers/rule-tester.js";


ruleTester(testedRule, {
  valid: [
    "IncludeOptional /nonexistent-apachelint/*.conf\n",
  ],
  // doc.bad names ServerRoot /etc/apache2: its Include lines are resolved there, as the CLI does
  docPath: "/tmp/apachelint-doc/apache2.conf",
  docOptions: (code) => resolvedIncludes(code, "/tmp/apachelint-doc/apache2.conf", "/etc/apache2"),
});
