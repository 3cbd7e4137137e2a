// proxypass-reverse-unmatched: an unmatched ProxyPassReverse left the backend's Location unchanged (measured live,
// test/apache/proxy-silent-live.test.ts).
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { lintRule, PROJECT_ROOT, ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/proxypass-reverse-unmatched.js";

const TUTORIAL = join(PROJECT_ROOT, "fixtures", "websocket-tutorial");

ruleTester(testedRule, {
  valid: [
    "ProxyPass /a/ http://127.0.0.1:3000/\nProxyPassReverse /a/ http://127.0.0.1:3000/a/\n",
    "ProxyPass /a/ http://127.0.0.1:3000/\nProxyPassReverse /a/ http://app.example.com/\n",
    "ProxyPassReverse /a/ http://127.0.0.1:3001/\n",
    "RewriteRule ^/a/(.*) http://127.0.0.1:3000/$1 [P]\nProxyPassReverse /a/ http://127.0.0.1:3000/\n",
    "<Location /a/>\n  ProxyPass http://10.0.0.1:80/\n  ProxyPassReverse http://10.0.0.1/\n</Location>\n",
    "ProxyPass / http://127.0.0.1:3000/\nProxyPassReverse / ${BACKEND}/\n",
  ],
  invalid: [
    {
      name: "another port on the same host: fixed to the ProxyPass of the same path",
      code: "ProxyPass /app/ http://127.0.0.1:3000/\nProxyPassReverse /app/ http://127.0.0.1:3001/\n",
      findings: [
        { line: 2, column: 24, endColumn: 46, severity: "warning", fix: "unsafe", message: { exact: "ProxyPassReverse `http://127.0.0.1:3001` matches no backend of this file (`http://127.0.0.1:3000` on the same host): a backend's redirects carry the address it was reached at, so this line rewrites nothing and they reach the client unchanged." } },
      ],
      output: "ProxyPass /app/ http://127.0.0.1:3000/\nProxyPassReverse /app/ http://127.0.0.1:3000/\n",
    },
    {
      name: "an IP literal no backend uses, in a <Location>: reported, no path to pick a fix from",
      code: "ProxyPass /x/ http://localhost:4000/\n<Location /y/>\n  ProxyPass http://localhost:4001/\n  ProxyPassReverse http://10.1.1.1:4001/\n</Location>\n",
      findings: [{ line: 4, column: 20, fix: "none", message: "ProxyPassReverse `http://10.1.1.1:4001` matches no backend of this file: " }],
    },
    {
      name: "https where the backend is http",
      code: "ProxyPass / http://10.0.0.2:8080/\nProxyPassReverse / https://10.0.0.2:8080/\n",
      findings: [{ line: 2, column: 20, fix: "unsafe", message: "ProxyPassReverse `https://10.0.0.2:8080` matches no backend" }],
      output: "ProxyPass / http://10.0.0.2:8080/\nProxyPassReverse / http://10.0.0.2:8080/\n",
    },
    {
      name: "a balancer name no member defines",
      code: "<Proxy balancer://app>\n  BalancerMember http://10.0.0.1:3000\n</Proxy>\nProxyPass / balancer://app/\nProxyPassReverse / balancer://ap/\n",
      findings: [{ line: 5, column: 20, fix: "none", message: { exact: "ProxyPassReverse names `balancer://ap`, which no BalancerMember or <Proxy balancer://…> of this file defines: it rewrites nothing." } }],
    },
  ],
});

describe("proxypass-reverse-unmatched on the mission's tutorial", () => {
  it("is silent: `ProxyPassReverse / https://localhost:3000/` and `balancer://backend-cluster/` match their backends", () => {
    for (const f of ["vhost-basic.conf", "vhost-balancer.conf"]) expect(lintRule(testedRule, readFileSync(join(TUTORIAL, f), "utf8"), f), f).toEqual([]);
  });
});
