// status-page-exposed against what Apache 2.4.71 was measured to do (test/apache/security-live.test.ts).
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/status-page-exposed.js";

ruleTester(testedRule, {
  valid: [
    "<Location /server-status>\n  SetHandler server-status\n  Require local\n</Location>\n",
    "<Location /server-info>\n  SetHandler server-info\n  AuthType Basic\n  AuthName admin\n  AuthUserFile /etc/apache2/htpasswd\n  Require valid-user\n</Location>\n",
    "<Location /s>\n  SetHandler server-status\n  <RequireAll>\n    Require ip 10.0.0.0/8\n  </RequireAll>\n</Location>\n",
    "<Location /s>\n  SetHandler server-status\n  <If \"%{REMOTE_ADDR} != '127.0.0.1'\">\n    Require all denied\n  </If>\n</Location>\n",
    "<Location /app>\n  SetHandler proxy:fcgi://127.0.0.1:9000\n</Location>\n",
    { code: "SetHandler server-status\nRequire ip 192.0.2.1\n", path: ".htaccess" },
  ],
  invalid: [
    {
      name: "server-status without Require",
      code: "<Location /server-status>\n    SetHandler server-status\n</Location>\n",
      findings: [{ line: 2, column: 16, endColumn: 29, severity: "warning", fix: "none", message: "`SetHandler server-status` without a Require restriction in its section: anyone who can reach the server gets the server's status" }],
    },
    {
      name: "Require all granted is no restriction; the handler name is case-insensitive",
      code: "<Location /balancer-manager>\n  SetHandler Balancer-Manager\n  Require all granted\n</Location>\n",
      findings: [{ line: 2, column: 14, message: "`SetHandler Balancer-Manager` without a Require restriction in its section: anyone who can reach the server gets a page that changes the balancers'" }],
    },
    {
      name: "a Require in another section does not count",
      code: "<Location /server-info>\n  SetHandler server-info\n</Location>\n<Location /other>\n  Require local\n</Location>\n",
      findings: [{ line: 2, column: 14, message: "`SetHandler server-info` without" }],
    },
  ],
});
