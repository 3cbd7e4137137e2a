// websocket-scheme-mismatch: wss:// toward a plain port answered 500, ws:// toward a TLS port 502 (measured live,
// test/apache/proxy-silent-live.test.ts).
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/websocket-scheme-mismatch.js";

ruleTester(testedRule, {
  valid: [
    "ProxyPass /ws/ ws://127.0.0.1:3000/ws/\nProxyPass / http://127.0.0.1:3000/\n",
    "ProxyPass /ws/ wss://b:3000/ws/\nProxyPass / https://b:3000/\n",
    "ProxyPass /ws/ wss://b/ws/\nProxyPass / http://b/\n",
    "ProxyPass /ws/ ws://${HOST}:3000/ws/\nProxyPass / https://${HOST}:3000/\n",
    "ProxyPass / http://b:3000/\nProxyPassReverse / https://b:3000/\nProxyPass /x/ https://c:3000/\n",
  ],
  invalid: [
    {
      name: "wss:// where ProxyPass / is plain http:// (the fix takes the other line's kind)",
      code: "ProxyPass /ws/ wss://127.0.0.1:3000/ws/\nProxyPass / http://127.0.0.1:3000/\n",
      findings: [
        { line: 1, column: 16, endColumn: 40, severity: "warning", fix: "unsafe", message: { exact: "`wss://` toward 127.0.0.1:3000, which line 2 reaches as `http://`: one port speaks either TLS or plain HTTP, so one of them fails (a WebSocket handshake here gets 500/502); did you mean `ws://`?" } },
      ],
      output: "ProxyPass /ws/ ws://127.0.0.1:3000/ws/\nProxyPass / http://127.0.0.1:3000/\n",
    },
    {
      name: "a RewriteRule [P] ws:// toward a BalancerMember's https:// port, case of the scheme kept apart",
      code: "BalancerMember balancer://c HTTPS://App:8443\nRewriteRule ^/ws/(.*) ws://app:8443/ws/$1 [P]\n",
      findings: [{ line: 2, column: 23, fix: "unsafe", message: "`ws://` toward app:8443, which line 1 reaches as `https://`" }],
      output: "BalancerMember balancer://c HTTPS://App:8443\nRewriteRule ^/ws/(.*) wss://app:8443/ws/$1 [P]\n",
    },
    {
      name: "ws:// and wss:// to the same port: the later one, without a fix (which is right is not known; fixing both swapped them forever, fixtures/fuzz/websocket-scheme-swap.conf)",
      code: "ProxyPass /a/ ws://b:3000/a/\nProxyPass /b/ wss://b:3000/b/\n",
      findings: [{ line: 2, column: 15, fix: "none", message: "`wss://` toward b:3000, which line 1 reaches as `ws://`" }],
    },
  ],
});
