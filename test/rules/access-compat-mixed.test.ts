// access-compat-mixed: 2.2 and 2.4 access lines in one context, and the 2.2 forms with a one-line Require.
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/access-compat-mixed.js";

const dir = (body: string) => `<Directory /srv>\n${body}</Directory>\n`;

ruleTester(testedRule, {
  valid: [
    dir("Require all granted\n"),
    dir("Order deny,allow\nDeny from all\nAllow from 127.0.0.1\n"),
    "<Directory /srv>\n<IfModule mod_authz_core.c>\nRequire all denied\n</IfModule>\n<IfModule !mod_authz_core.c>\nOrder allow,deny\nDeny from all\n</IfModule>\n</Directory>\n",
  ],
  invalid: [
    {
      name: "Deny from all + Require all granted: 403 (AH01797, measured)",
      code: dir("Order deny,allow\nDeny from all\nRequire all granted\n"),
      findings: [{ line: 2, column: 1, endColumn: 6, fix: "none", severity: "warning", message: "`Order` (2.2, mod_access_compat) and `Require` (2.4) in one context: both decide, and a deny from either wins" }],
    },
    {
      name: "a <RequireAny> counts as Require",
      code: dir("Satisfy any\n<RequireAny>\nRequire ip 127.0.0.1\n</RequireAny>\n"),
      findings: [{ line: 2, column: 1, message: "`Satisfy` (2.2, mod_access_compat) and `Require` (2.4)" }],
    },
    {
      code: dir("    Order allow,deny\n    Allow from all\n"),
      findings: [{ line: 2, column: 5, fix: "unsafe", message: { exact: "2.2 access control (mod_access_compat): in 2.4 this is `Require all granted`." } }],
      output: dir("    Require all granted\n"),
    },
    {
      code: dir("Deny from all\n"),
      findings: [{ line: 2, column: 1, fix: "unsafe", message: "2.2 access control (mod_access_compat): in 2.4 this is `Require all denied`" }],
      output: dir("Require all denied\n"),
    },
  ],
});
