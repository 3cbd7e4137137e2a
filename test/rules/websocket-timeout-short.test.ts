// websocket-timeout-short: the idle limit is max(Timeout, timeout= | ProxyTimeout | Timeout), measured live
// (test/apache/proxy-silent-live.test.ts: 2 s, 4 s, 4 s, 4 s).
import { describe, expect, it } from "vitest";
import { lintRule, ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/websocket-timeout-short.js";

const idle = (conf: string) => lintRule(testedRule, conf).map((f) => /closed after (\d+) s/.exec(f.message)?.[1]);

ruleTester(testedRule, {
  valid: [
    "ProxyPass /ws/ ws://127.0.0.1:3000/ws/\n",
    "Timeout 30\nProxyPass / http://127.0.0.1:3000/\n",
    "Timeout 30\nProxyTimeout 90\nProxyPass /ws/ ws://127.0.0.1:3000/ws/\n",
    "Timeout 90\nProxyTimeout 5\nProxyPass /ws/ ws://127.0.0.1:3000/ws/\n",
    "Timeout 5\n<VirtualHost *:80>\n  Timeout 120\n  ProxyPass /ws/ ws://127.0.0.1:3000/ws/\n</VirtualHost>\n",
  ],
  invalid: [
    {
      name: "Timeout alone",
      code: "Timeout 10\nProxyPass /chat/ ws://127.0.0.1:3000/chat/\n",
      findings: [
        { line: 2, column: 18, endColumn: 43, severity: "warning", fix: "none", message: { exact: "An idle WebSocket through this backend is closed after 10 s (Timeout 10): clients that stay silent longer are disconnected (1006); raise `timeout=` on the worker or ProxyTimeout." } },
      ],
    },
    {
      name: "the worker's timeout= overrides ProxyTimeout, and the larger of it and Timeout counts",
      code: "Timeout 20\nProxyTimeout 300\nProxyPass /ws/ http://127.0.0.1:3000/ws/ upgrade=websocket timeout=30\n",
      findings: [{ line: 3, column: 16, message: "An idle WebSocket through this backend is closed after 30 s (the larger of Timeout 20 and timeout=30)" }],
    },
    {
      name: "a virtual host inherits the main server's Timeout",
      code: "Timeout 15\n<VirtualHost *:80>\n  ProxyTimeout 40\n  BalancerMember balancer://c ws://10.0.0.1:3000\n</VirtualHost>\n",
      findings: [{ line: 4, column: 31, message: "An idle WebSocket through this backend is closed after 40 s (the larger of Timeout 15 and ProxyTimeout 40)" }],
    },
  ],
});

describe("websocket-timeout-short: the measured rule, max(Timeout, backend timeout)", () => {
  it("gives the numbers measured live on 2.4.71", () => {
    expect(idle("Timeout 2\nProxyPass /ws/ ws://127.0.0.1:1/ws/\n")).toEqual(["2"]);
    expect(idle("Timeout 2\nProxyTimeout 4\nProxyPass /ws/ ws://127.0.0.1:1/ws/\n")).toEqual(["4"]);
    expect(idle("Timeout 4\nProxyTimeout 2\nProxyPass /ws/ ws://127.0.0.1:1/ws/\n")).toEqual(["4"]);
    expect(idle("Timeout 2\nProxyPass /ws/ ws://127.0.0.1:1/ws/ timeout=4\n")).toEqual(["4"]);
    expect(idle("Timeout 2\nProxyPass /ws/ http://127.0.0.1:1/ws/ upgrade=websocket timeout=4\n")).toEqual(["4"]);
  });
  it("reads Timeout's units (ap_timeout_parameter_parse)", () => {
    expect(idle("Timeout 1mi\nProxyPass /ws/ ws://127.0.0.1:1/ws/\n")).toEqual([]);
    expect(idle("Timeout 30000ms\nProxyPass /ws/ ws://127.0.0.1:1/ws/\n")).toEqual(["30"]);
  });
});
