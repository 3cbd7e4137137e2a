// nginx-syntax: one finding per line, replacing directive-unknown's for nginx's names.
import { describe, expect, it } from "vitest";
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/nginx-syntax.js";
import directiveUnknown from "../../rules/directive-unknown.js";
import { lintText } from "../../src/index.js";

ruleTester(testedRule, {
  valid: [
    "Listen 8080\nInclude /dev/null\n",
    'Header set X-XSS-Protection "1; mode=block"\n',
    'RewriteRule "^/a/(.*)$" "/b/$1" [L]\n',
    "Define host example\nServerAlias ${host}\n",
  ],
  invalid: [
    {
      code: "proxy_pass http://127.0.0.1:3000;\n",
      findings: [{ line: 1, column: 1, endColumn: 11, severity: "error", message: "`proxy_pass` is nginx syntax, not Apache (Apache refuses to start: \"Invalid command 'proxy_pass'" }],
    },
    {
      code: "location /ws {\n}\n",
      findings: [
        { line: 1, column: 1, message: "`location` is nginx syntax, not Apache" },
        { line: 2, column: 1, message: "`}` is nginx syntax, not Apache" },
      ],
    },
    {
      name: "accepted by Apache with the `;` in the value (measured: ServerName example.com; → Syntax OK)",
      code: "ServerName example.com;\n",
      findings: [{ line: 1, column: 23, covers: ";", message: "`;` ends lines in nginx, not in Apache: here it is part of ServerName's last argument" }],
    },
    {
      code: "RequestHeader set Upgrade $http_upgrade\n",
      findings: [{ line: 1, column: 27, covers: "$http_upgrade", message: "`$http_upgrade` is an nginx variable: Apache passes the text `$http_upgrade` as it is; in Apache: `%{HTTP:Upgrade}`" }],
    },
    {
      name: "a `$variable` on a line that ends in `;`: one finding, the `;`",
      code: "ProxyPass /a http://$host/;\n",
      findings: [{ line: 1, column: 27, covers: ";", severity: "warning", message: "`;` ends lines in nginx" }],
    },
    {
      name: "a header value holds `;` of its own: the variable is what is reported",
      code: "RequestHeader set X-Host $host;\n",
      findings: [{ line: 1, column: 26, covers: "$host", message: "`$host` is an nginx variable" }],
    },
    {
      code: "Header set X-Real-IP $remote_addr\n",
      findings: [{ line: 1, column: 22, message: "`$remote_addr` is an nginx variable" }],
    },
  ],
});

describe("nginx-syntax with directive-unknown", () => {
  it("gives one finding per line, the nginx one", () => {
    const text = "location /ws {\n  proxy_set_header Upgrade $http_upgrade;\n  proxy_passs http://x;\n}\n";
    const f = lintText(text, "t.conf", { rules: [testedRule, directiveUnknown] }).findings;
    expect(f.map((x) => `${x.line} ${x.ruleId}`)).toEqual(["1 nginx-syntax", "2 nginx-syntax", "3 directive-unknown", "4 nginx-syntax"]);
  });
});
