// rewrite-proxy-request-splitting: CVE-2023-25690 shapes on targets below 2.4.56.
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/rewrite-proxy-request-splitting.js";
import { parseVersion } from "../../src/apache/version.js";

const at = (v: string) => ({ apacheVersion: parseVersion(v)! });

ruleTester(testedRule, {
  options: at("2.4.55"),
  invalid: [
    {
      code: 'RewriteRule "^/here/(.*)" "http://example.com:8080/elsewhere?$1" [P]\n',
      findings: [{ line: 1, column: 27, severity: "warning", covers: '"http://example.com:8080/elsewhere?$1"', message: "This RewriteRule [P] puts captured request data into the backend URL: on 2.4.55 (fixed in 2.4.56)" }],
    },
    {
      code: "ProxyPassMatch ^/api/(.*)$ http://127.0.0.1:8080/$1\n",
      options: at("2.4.30"),
      findings: [{ line: 1, column: 28, message: "This ProxyPassMatch puts captured request data into the backend URL: on 2.4.30" }],
    },
    {
      code: "RewriteRule ^/x http://127.0.0.1/x?%{QUERY_STRING} [P]\n",
      findings: [{ line: 1, column: 17, message: "This RewriteRule [P]" }],
    },
  ],
  valid: [
    { code: 'RewriteRule "^/here/(.*)" "http://example.com:8080/elsewhere?$1" [P]\n', options: at("2.4.56") },
    'RewriteRule "^/here/(.*)" "http://example.com:8080/elsewhere?$1" [B,P]\n',
    'RewriteRule "^/here/(.*)" "/elsewhere?$1" [L]\n',
    "ProxyPassMatch ^/api/.*$ http://127.0.0.1:8080/api\n",
  ],
});
