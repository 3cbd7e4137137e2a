// ssl-proxy-verify-off: what each switch lets through was measured live on loopback
// (test/apache/proxy-silent-live.test.ts: 200 / 500 AH02039 / 500 AH00898 / 200).
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/ssl-proxy-verify-off.js";

ruleTester(testedRule, {
  valid: [
    "SSLProxyVerify none\nProxyPass / https://127.0.0.1:8443/\n",
    "SSLProxyCheckPeerName off\nProxyPass / wss://localhost:8443/\n",
    "SSLProxyVerify none\nProxyPass / http://10.0.0.5/\n",
    "SSLProxyVerify require\nSSLProxyCheckPeerName on\nProxyPass / https://10.0.0.5/\n",
    "SSLProxyVerify none\n<VirtualHost *:443>\n  SSLProxyVerify require\n  ProxyPass / https://10.0.0.5/\n</VirtualHost>\n",
    "<Proxy https://127.0.0.1:8443/>\n  SSLProxyVerify none\n</Proxy>\nProxyPass / https://127.0.0.1:8443/\nProxyPass /r/ https://10.0.0.5/\n",
  ],
  invalid: [
    {
      name: "main-server switches reach a virtual host's remote backend",
      code: "SSLProxyVerify none\nSSLProxyCheckPeerName off\n<VirtualHost *:443>\n  ProxyPass /api/ https://api.internal.example/\n</VirtualHost>\n",
      findings: [
        { line: 1, column: 1, endColumn: 20, severity: "warning", fix: "none", message: { exact: "`SSLProxyVerify none` applies to the TLS backend `https://api.internal.example/`, which is not on loopback: any certificate, self-signed or forged, is accepted, so anyone on the path to api.internal.example can read and change the proxied traffic." } },
        { line: 2, column: 1, message: "`SSLProxyCheckPeerName off` applies to the TLS backend `https://api.internal.example/`, which is not on loopback: a certificate for any other name is accepted" },
      ],
    },
    {
      name: "optional_no_ca in a <Proxy balancer://> section, for its wss:// members",
      code: "<Proxy balancer://ws>\n  SSLProxyVerify optional_no_ca\n  BalancerMember wss://10.0.0.7:8443\n</Proxy>\n",
      findings: [{ line: 2, column: 3, message: "`SSLProxyVerify optional_no_ca` applies to the TLS backend `wss://10.0.0.7:8443`" }],
    },
  ],
});
