// proxy-preserve-host: what the backend receives was measured live (test/apache/proxy-silent-live.test.ts).
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { lintRule, PROJECT_ROOT, ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/proxy-preserve-host.js";

const TUTORIAL = join(PROJECT_ROOT, "fixtures", "websocket-tutorial");

ruleTester(testedRule, {
  valid: [
    "ProxyPreserveHost On\nProxyPass /ws/ ws://127.0.0.1:3000/ws/\n",
    "<VirtualHost *:80>\n  <Location /ws/>\n    ProxyPreserveHost On\n    ProxyPass ws://127.0.0.1:3000/ws/\n  </Location>\n</VirtualHost>\n",
    "RequestHeader set X-Forwarded-Proto https\nProxyPass /ws/ ws://127.0.0.1:3000/ws/\n",
    "ProxyPass / http://127.0.0.1:3000/\n",
    "ProxyPass /ws/ ws://${BACKEND}/ws/\n",
    { code: "RewriteRule ^/ws/(.*) ws://127.0.0.1:3000/$1 [P]\n", path: "site/.htaccess" },
  ],
  invalid: [
    {
      name: "ws:// in a virtual host: one finding at the first backend, the others related, the fix before it",
      code: "<VirtualHost *:443>\n    ProxyPass /ws/ ws://127.0.0.1:3000/ws/\n    ProxyPass /b/ wss://10.0.0.5/b/\n</VirtualHost>\n",
      findings: [
        { line: 2, column: 5, endColumn: 43, severity: "info", fix: "unsafe", message: { exact: "The WebSocket backend `ws://127.0.0.1:3000/ws/` (and 1 other WebSocket backend of this server) receives `Host: 127.0.0.1:3000`, not the client's host, next to the browser's Origin: a server that checks Origin against Host refuses the handshake. Apache adds X-Forwarded-Host but never X-Forwarded-Proto; set `ProxyPreserveHost On`." } },
      ],
      output: "<VirtualHost *:443>\n    ProxyPreserveHost On\n    ProxyPass /ws/ ws://127.0.0.1:3000/ws/\n    ProxyPass /b/ wss://10.0.0.5/b/\n</VirtualHost>\n",
    },
    {
      name: "upgrade=websocket on an http worker; a vhost's Off wins over the main server's On",
      code: "ProxyPreserveHost On\n<VirtualHost *:80>\n\tProxyPreserveHost Off\n\tProxyPass /live/ http://127.0.0.1:3000/live/ upgrade=websocket\n</VirtualHost>\n",
      findings: [{ line: 4, column: 2, fix: "unsafe", message: "The WebSocket backend `http://127.0.0.1:3000/live/` receives `Host: 127.0.0.1:3000`" }],
    },
    {
      name: "RewriteRule [P] to wss://, CRLF kept",
      code: "RewriteEngine on\r\nRewriteRule ^/ws/(.*) wss://localhost:3000/ws/$1 [P,L]\r\n",
      findings: [{ line: 2, column: 1, message: "The WebSocket backend `wss://localhost:3000/ws/$1` receives `Host: localhost:3000`" }],
      output: "RewriteEngine on\r\nProxyPreserveHost On\r\nRewriteRule ^/ws/(.*) wss://localhost:3000/ws/$1 [P,L]\r\n",
    },
  ],
});

describe("proxy-preserve-host on the mission's tutorial", () => {
  it("is silent on the tutorial as written: `wss:/localhost` is not a URL, so no WebSocket backend exists", () => {
    for (const f of ["vhost-basic.conf", "vhost-balancer.conf", "prose-rewriterule.conf"]) {
      expect(lintRule(testedRule, readFileSync(join(TUTORIAL, f), "utf8"), f), f).toEqual([]);
    }
  });
});
