// directive-too-new: directives dated by the manual's Compatibility row, flags by src/data/version-facts.ts.
import { describe, expect, it } from "vitest";
import { ruleTester, lintRule } from "../helpers/rule-tester.js";
import testedRule from "../../rules/directive-too-new.js";
import { parseVersion } from "../../src/apache/version.js";
import { ARGUMENT_FACTS } from "../../src/data/version-facts.js";
import { directiveDocTable } from "../../src/data/directive-docs.js";

const at = (v: string) => ({ apacheVersion: parseVersion(v)! });

ruleTester(testedRule, {
  options: at("2.4.46"),
  valid: [
    "ProxyPass /a http://127.0.0.1:1/\n",
    { code: "H2WebSockets on\n", options: at("2.4.58") },
    { code: "RewriteRule ^/a /b [L,UnsafeAllow3F]\n", options: at("2.4.60") },
    // the manual's "2.5.1" rows are trunk numbering: 2.4.71 has H2MaxStreamErrors (apache2 -t: Syntax OK)
    { code: "H2MaxStreamErrors 5\n", options: at("2.4.71") },
    "<IfDirective H2WebSockets>\nH2WebSockets on\n</IfDirective>\n",
    // reported by websocket-prefer-upgrade-param, not twice
    "ProxyPass /ws http://127.0.0.1:1/ upgrade=websocket\n",
  ],
  invalid: [
    {
      code: "H2WebSockets on\n",
      findings: [{ line: 1, column: 1, endColumn: 13, severity: "error", fix: "none", message: { exact: "`H2WebSockets` arrived in Apache 2.4.58: 2.4.46 refuses to start (\"Invalid command 'H2WebSockets', perhaps misspelled or defined by a module not included in the server configuration\")." } }],
    },
    {
      code: "RewriteRule ^/a /b [L,UnsafePrefixStat]\n",
      options: at("2.4.59"),
      findings: [{ line: 1, column: 23, covers: "UnsafePrefixStat", message: "The RewriteRule flag `UnsafePrefixStat` arrived in Apache 2.4.60: 2.4.59 refuses to start (\"RewriteRule: unknown flag 'UnsafePrefixStat'\")" }],
    },
    {
      code: "ProxyWebsocketFallbackToProxyHttp off\n",
      options: at("2.4.47"),
      findings: [{ line: 1, column: 1, message: "`ProxyWebsocketFallbackToProxyHttp` arrived in Apache 2.4.48: 2.4.47 refuses" }],
    },
  ],
});

describe("directive-too-new facts", () => {
  it("takes the directive releases from the generated manual table", () => {
    expect(directiveDocTable()["h2websockets"]!.since).toBe("2.4.58");
    expect(directiveDocTable()["proxywebsocketfallbacktoproxyhttp"]!.since).toBe("2.4.48");
  });
  it("names a source for every parameter and flag fact", () => {
    for (const f of ARGUMENT_FACTS) expect(f.source, f.spelling).toMatch(/CHANGES|manual/);
  });
  it("is silent on the default target", () => {
    expect(lintRule(testedRule, "H2WebSockets on\nRewriteRule ^/a /b [UnsafeAllow3F]\n")).toEqual([]);
  });
});
