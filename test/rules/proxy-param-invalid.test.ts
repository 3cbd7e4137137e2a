// proxy-param-invalid: Moved from test/rules-context.test.ts (held to Apache: corpora of apache2 -t verdicts), plus the rule tester.
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/proxy-param-invalid.js";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lintText, type Finding } from "../../src/index.js";
import { allRules } from "../../rules/index.js";
import directiveContext from "../../rules/directive-context.js";
import listenDuplicate, { parseListen } from "../../rules/listen-duplicate.js";
import regexInvalid from "../../rules/regex-invalid.js";
import proxyParamInvalid, { suggestKey } from "../../rules/proxy-param-invalid.js";
import { checkPcre } from "../../src/apache/pcre.js";
import { atoi, timeoutMicros } from "../../src/apache/proxy-params.js";
import { DIRECTIVE_CONTEXTS } from "../../src/data/directive-contexts.js";
import type { Rule } from "../../src/core/rule.js";
import {
  APACHE,
  apacheOrSkip,
  freePort,
  httpGet,
  makeServerRoot,
  pool,
  PROJECT_ROOT,
  serverConfig,
  type ServerRoot,
} from "../apache/harness.js";

import { lint } from "../helpers/context-proofs.js";
import { REGEX_CORPUS, UNMODELLED, generatedPatterns, PROXY_CORPUS, LISTEN_CORPUS } from "../helpers/apache-verdicts.js";

ruleTester(testedRule, {
  valid: [
    "ProxyPass /ws/ ws://127.0.0.1:13001/ws/ # websocket endpoint=1\n",
    "ProxyPass /a http://127.0.0.1:13001/ hcmethod=GET hcinterval=5\n",
  ],
  invalid: [
    {
      name: "a misspelt key with a suggestion",
      code: "ProxyPass /ws/ ws://127.0.0.1:13001/ws/ upgrades=websocket\n",
      findings: [
        { line: 1, column: 41, endLine: 1, endColumn: 59, severity: "error", fix: "unsafe", message: "`upgrades` is not a ProxyPass worker parameter (did you mean `upgrade`" },
      ],
      output: "ProxyPass /ws/ ws://127.0.0.1:13001/ws/ upgrade=websocket\n",
    },
    {
      name: "the physical line of a continued directive (m37)",
      code: "ProxyPass /app/ \\\n    http://127.0.0.1:13001/ \\\n    timeout=abc\n",
      findings: [
        { line: 3, column: 5, endLine: 3, endColumn: 16, severity: "error", fix: "none", message: "`timeout=abc`: timeout takes whole seconds, at least 1, so Apache refu" },
      ],
    },
    {
      name: "doc.bad, finding by finding",
      code: testedRule.doc.bad,
      findings: [
      { line: 1, column: 41, endLine: 1, endColumn: 59, severity: "error", fix: "unsafe", message: "`upgrades` is not a ProxyPass worker parameter (did you mean `upgrade`" },
      { line: 4, column: 5, endLine: 4, endColumn: 16, severity: "error", fix: "none", message: "`timeout=abc`: timeout takes whole seconds, at least 1, so Apache refu" },
      ],
    },
  ],
});

describe("proxy-param-invalid agrees with mod_proxy", () => {
  it("reports exactly the lines apache2 -t refused", () => {
    const wrong = PROXY_CORPUS.filter(([text, ok]) => (lint(`${text}\n`, [proxyParamInvalid]).length === 0) !== ok);
    expect(wrong.map(([t, ok]) => `${ok ? "false alarm" : "missed"}: ${t}`)).toEqual([]);
  });

  it("names the key and suggests the parameter a typo was meant to be", () => {
    const [f] = lint("ProxyPass /ws/ ws://127.0.0.1:13001/ws/ upgrades=websocket\n", [proxyParamInvalid]);
    expect(f!.message).toContain("`upgrades`");
    expect(f!.message).toContain("did you mean `upgrade`?");
    expect(f!.fix).toMatchObject({ safety: "unsafe", edits: [{ text: "upgrade" }] });
    expect(suggestKey("upgrades", ["upgrade", "route"])).toBe("upgrade");
    expect(suggestKey("mix", ["min", "max"])).toBeNull(); // two at the same distance
    expect(suggestKey("tout", ["timeout", "route"])).toBeNull(); // short keys: distance 1 only
    expect(suggestKey("zzzzzzzz", ["timeout"])).toBeNull();
  });

  it("knows the hc… parameters exist only with mod_proxy_hcheck", () => {
    const line = "ProxyPass /a http://127.0.0.1:13001/ hcmethod=GET hcinterval=5\n";
    // a whole server config: an MPM is loaded, so its LoadModule lines are all the modules there are
    const load = (m: string) => `LoadModule ${m}_module /usr/lib/apache2/modules/mod_${m}.so\n`;
    const mpm = load("mpm_event");
    expect(lint(line, [proxyParamInvalid])).toEqual([]); // modules are loaded elsewhere: nothing known
    expect(lint(mpm + load("proxy") + load("proxy_http") + line, [proxyParamInvalid]).map((f) => f.message)).toEqual([
      expect.stringContaining("mod_proxy_hcheck"),
      expect.stringContaining("mod_proxy_hcheck"),
    ]);
    expect(lint(mpm + load("proxy") + load("proxy_hcheck") + line, [proxyParamInvalid])).toEqual([]);
  });

  it("leaves a trailing `# comment` to trailing-comment (m07)", () => {
    expect(lint("ProxyPass /ws/ ws://127.0.0.1:13001/ws/ # websocket endpoint=1\n", [proxyParamInvalid])).toEqual([]);
  });

  it("points at the physical line of a continued directive (m37)", () => {
    const text = "ProxyPass /app/ \\\n    http://127.0.0.1:13001/ \\\n    timeout=abc\n";
    const [f] = lint(text, [proxyParamInvalid]);
    expect([f!.line, f!.column, text.slice(f!.start, f!.end)]).toEqual([3, 5, "timeout=abc"]);
  });

  it("reads numbers as C's atoi and times as ap_timeout_parameter_parse", () => {
    expect([atoi("5abc"), atoi("abc"), atoi(" -3"), atoi("")]).toEqual([5, 0, -3, 0]);
    expect([timeoutMicros("5", "s"), timeoutMicros("100ms", "s"), timeoutMicros("2mi", "s"), timeoutMicros("5", "ms")]).toEqual([5e6, 1e5, 120e6, 5e3]);
    expect([timeoutMicros("abc", "s"), timeoutMicros("-5", "s"), timeoutMicros("1H", "s"), timeoutMicros("", "s")]).toEqual([null, null, null, 0]);
  });
});
