// proxy-open-forward against what Apache 2.4.71 was measured to do (test/apache/security-live.test.ts).
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/proxy-open-forward.js";

ruleTester(testedRule, {
  valid: [
    "ProxyRequests Off\n",
    'ProxyRequests On\n<Proxy "*">\n  Require ip 127.0.0.2\n</Proxy>\n',
    // the main server's restriction covers the virtual hosts
    "<Proxy *>\n  Require local\n</Proxy>\n<VirtualHost *:80>\n  ProxyRequests On\n</VirtualHost>\n",
    "ProxyRequests On\n<Proxy *>\n  <IfModule authz_host_module>\n    Require host example.com\n  </IfModule>\n</Proxy>\n",
    "ProxyRequests On\n<Proxy *>\n  Order deny,allow\n  Deny from all\n</Proxy>\n",
  ],
  invalid: [
    {
      name: "the recipe: ProxyRequests On for WebSockets",
      code: "ProxyRequests On\nProxyPass /ws/ ws://127.0.0.1:3000/ws/\n",
      findings: [{ line: 1, column: 1, endLine: 1, endColumn: 17, severity: "error", fix: "none", message: "`ProxyRequests On` with no `<Proxy *>` that restricts who may use it: Apache serves any client's" }],
    },
    {
      name: "a <Proxy *> with Require all granted restricts nothing",
      code: "ProxyRequests on\n<Proxy *>\n  Require all granted\n</Proxy>\n",
      findings: [{ line: 1, column: 1, message: "`ProxyRequests On` with no" }],
    },
    {
      name: "a restriction in one virtual host does not cover another, nor the main server",
      code: "ProxyRequests On\n<VirtualHost *:1>\n  ProxyRequests On\n</VirtualHost>\n<VirtualHost *:2>\n  <Proxy *>\n    Require ip 10.0.0.1\n  </Proxy>\n</VirtualHost>\n",
      findings: [
        { line: 1, column: 1, message: "`ProxyRequests On`" },
        { line: 3, column: 3, message: "`ProxyRequests On`" },
      ],
    },
    {
      name: "a <Proxy> for one site is not <Proxy *>",
      code: "ProxyRequests On\n<Proxy http://example.com/>\n  Require local\n</Proxy>\n",
      findings: [{ line: 1, column: 1, message: "`ProxyRequests On`" }],
    },
  ],
});
