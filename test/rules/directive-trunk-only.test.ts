// directive-trunk-only, and directive-unknown leaving these names to it (one finding per line).
import { describe, expect, it } from "vitest";
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/directive-trunk-only.js";
import directiveUnknown from "../../rules/directive-unknown.js";
import { lintText } from "../../src/index.js";

ruleTester(testedRule, {
  valid: ["ProxyTimeout 300\n", "ProxyWebsocketFallbackToProxyHttp on\n"],
  invalid: [
    {
      code: "ProxyWebsocketIdleTimeout 300\n",
      findings: [{ line: 1, column: 1, endColumn: 26, severity: "error", message: "`ProxyWebsocketIdleTimeout` exists only in httpd trunk, no 2.4 release has it: Apache refuses to start (\"Invalid command 'ProxyWebsocketIdleTimeout'" }],
    },
    {
      code: "proxywebsocketasync On\n",
      findings: [{ line: 1, column: 1, message: /^`proxywebsocketasync` exists only in httpd trunk.*2\.4 has no asynchronous WebSocket tunnel setting/ }],
    },
  ],
});

describe("directive-trunk-only with directive-unknown", () => {
  it("is the only finding on the line", () => {
    const f = lintText("ProxyWebsocketIdleTimeout 300\nProxyWebsocketIdelTimeout 3\n", "t.conf", { rules: [testedRule, directiveUnknown] }).findings;
    expect(f.map((x) => `${x.line} ${x.ruleId}`)).toEqual(["1 directive-trunk-only", "2 directive-unknown"]);
  });
});
