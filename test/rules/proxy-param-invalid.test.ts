// proxy-param-invalid: Moved from test/rules-context.test.ts (held to Apache: corpora of apache2 -t verdicts), plus the rule tester.
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/proxy-param-invalid.js";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { makeServerRoot as makeDifferentialRoot } from "../../src/tools/differential.js";
import { liveDisagreements } from "../helpers/live-agreement.js";
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
    // a ${VAR} may stand for any number of words, with any keys
    "Define T 5\nProxyPass /a http://127.0.0.1:13001/ timeout=${T} ${MORE}\n<Proxy http://127.0.0.1:13002/ ${PARAMS}>\n</Proxy>\n",
    '<Proxy "http://127.0.0.1:13001/" timeout=5 "keepalive=On">\n</Proxy>\n<Proxy "proxy:http://127.0.0.1:13002/" enablereuse=on>\n</Proxy>\n',
    "<Proxy balancer://app lbmethod=bybusyness growth=2>\n    BalancerMember http://127.0.0.1:13001/\n</Proxy>\n<Proxy *>\n</Proxy>\n",
    "ProxyHCTemplate t\nProxyHCTemplate t2 hcmethod=cping hcinterval=100ms HCPASSES=2 hcfails=abc hcuri=/health hcexpr=ok hctemplate=t\n",
  ],
  invalid: [
    {
      name: "<Proxy URL key=value>: a word that is not key=value, a worker key on a balancer, a typo",
      code: '<Proxy "http://127.0.0.1:13001/" extra>\n</Proxy>\n<Proxy balancer://app retry=5>\n</Proxy>\n<Proxy http://127.0.0.1:13002/ timout=5 nocanon>\n</Proxy>\n',
      findings: [
        { line: 1, column: 34, severity: "error", fix: "none", message: { exact: "`extra` after the URL of <Proxy> is not a key=value parameter: Apache refuses to start (\"Invalid Proxy parameter. Parameter must be in the form 'key=value'\")." } },
        { line: 3, column: 23, message: { exact: '`retry` is a worker parameter, not a balancer one: it belongs on the BalancerMember lines; Apache refuses to start ("<Proxy unknown Balancer parameter retry=5; balancer://app").' } },
        { line: 5, column: 32, fix: "unsafe", message: { exact: '`timout` is not a <Proxy> worker parameter (did you mean `timeout`?): Apache refuses to start ("<Proxy unknown Worker parameter timout=5; http://127.0.0.1:13002/").' } },
        { line: 5, column: 41, message: "`nocanon` after the URL of <Proxy> is not a key=value parameter" },
      ],
      output: '<Proxy "http://127.0.0.1:13001/" extra>\n</Proxy>\n<Proxy balancer://app retry=5>\n</Proxy>\n<Proxy http://127.0.0.1:13002/ timeout=5 nocanon>\n</Proxy>\n',
    },
    {
      name: "<Proxy> parameters after a wildcard or a path",
      code: "<Proxy * timeout=5>\n</Proxy>\n<Proxy /app timeout=5 retry=0>\n</Proxy>\n",
      findings: [
        { line: 1, column: 10, message: { exact: '<Proxy> takes key=value parameters only after a single URL, and `*` is a wildcard: set them on the ProxyPass or BalancerMember line of the backend, or on a <Proxy> of its exact URL; Apache refuses to start ("<Proxy> arguments are not supported for wildchar url.").' } },
        { line: 3, column: 13, endColumn: 30, message: /`\/app` is a path, not a URL: .*\("<Proxy> arguments are not supported for non url\."\)\.$/ },
      ],
    },
    {
      name: "ProxyHCTemplate: health-check parameters only, with their values checked",
      code: "ProxyHCTemplate t timeout=5\nProxyHCTemplate t extra\nProxyHCTemplate t hcmethod=bogus hcinterval=50ms hcpasses=-1 hcmethod=provider\nProxyHCTemplate t hcintervall=5\n",
      findings: [
        { line: 1, column: 19, message: { exact: '`timeout` is a worker parameter: a ProxyHCTemplate takes only the health-check ones (hcmethod, hcexpr, hcinterval, hcpasses, hcfails, hcuri, hctemplate); Apache refuses to start ("ProxyHCTemplate: unknown Worker hcheck parameter timeout=5; t").' } },
        { line: 2, column: 19, message: { exact: "`extra` after the template name of ProxyHCTemplate is not a key=value parameter: Apache refuses to start (\"Invalid ProxyHCTemplate parameter. Parameter must be in the form 'key=value'\")." } },
        { line: 3, column: 19, message: /\("ProxyHCTemplate: Unknown method hcmethod=bogus; t"\)\.$/ },
        { line: 3, column: 34, message: /\("ProxyHCTemplate: Interval must be a positive value greater than 100ms hcinterval=50ms; t"\)\.$/ },
        { line: 3, column: 50, message: /\("ProxyHCTemplate: Passes must be a positive value hcpasses=-1; t"\)\.$/ },
        { line: 3, column: 62, message: /\("ProxyHCTemplate: Health check method provider not \(yet\) implemented hcmethod=provider; t"\)\.$/ },
        { line: 4, column: 19, fix: "unsafe", message: "`hcintervall` is not a ProxyHCTemplate health-check parameter (did you mean `hcinterval`?)" },
      ],
    },
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

/** <Proxy URL key=value>, ProxyHCTemplate and the hc… values, one error at a time: measured on 2.4.71 with every module loaded. */
const SECTION_FORMS: readonly (readonly string[])[] = [
  ['<Proxy "http://z/" timeout=5>', "</Proxy>"], ['<Proxy "http://z/" timeoutx=5>', "</Proxy>"], ['<Proxy "http://z/" timeout=abc>', "</Proxy>"],
  ['<Proxy "http://z/" lbmethod=byrequests>', "</Proxy>"], ['<Proxy "balancer://b" lbmethod=byrequests>', "</Proxy>"],
  ['<Proxy "balancer://b" lbmethod=bogus>', "</Proxy>"], ['<Proxy "balancer://b" retry=5>', "</Proxy>"], ['<Proxy "balancer://b" extra>', "</Proxy>"],
  ['<Proxy "http://z/*" timeout=5>', "</Proxy>"], ["<Proxy * timeout=5>", "</Proxy>"], ["<Proxy /path timeout=5>", "</Proxy>"],
  ['<Proxy "http://z/" hcmethod=GET hcinterval=5>', "</Proxy>"], ['<Proxy "http://z/" mapping=servlet>', "</Proxy>"],
  ['<Proxy "http://z/" upgrade=websocket nocanon>', "</Proxy>"], ['<Proxy "proxy:http://z/" timeout=5>', "</Proxy>"],
  ['<Proxy "http://z/" hcmethod=bogus>', "</Proxy>"], ['<Proxy "http://z/" hcinterval=abc>', "</Proxy>"], ['<Proxy "http://z/" =5>', "</Proxy>"],
  ['<Proxy "http://z/" "timeout=5">', "</Proxy>"], ['<Proxy "unix:/run/php.sock|fcgi://localhost" timeout=5>', "</Proxy>"],
  ["ProxyHCTemplate t"], ["ProxyHCTemplate t timeout=5"], ["ProxyHCTemplate t hcmethod=cping"], ["ProxyHCTemplate t hcmethod=provider"],
  ["ProxyHCTemplate t hcmethod=GET11"], ["ProxyHCTemplate t hcmethod=bogus"], ["ProxyHCTemplate t hcinterval=50ms"], ["ProxyHCTemplate t hcinterval=100ms"],
  ["ProxyHCTemplate t hcinterval=0"], ["ProxyHCTemplate t hcinterval=-1"], ["ProxyHCTemplate t hcpasses=-1"], ["ProxyHCTemplate t hcfails=abc"],
  ["ProxyHCTemplate t HCMETHOD=GET extra"], ["ProxyHCTemplate tcp5 hcmethod=tcp hcinterval=5 extra"],
  ['ProxyPass "/x" "http://z/" timeoutx=5'], ['ProxyPass "/x" "http://z/" hcmethod=bogus'], ['ProxyPass "/x" "http://z/" hcinterval=10ms'],
  ["<Proxy balancer://b>", "BalancerMember http://z/ timeoutx=5", "</Proxy>"], ["<Proxy balancer://b>", "BalancerMember http://z/ hcfails=-2", "</Proxy>"],
];

describe.runIf(apacheOrSkip("proxy-param-invalid (live sections and templates)"))("proxy-param-invalid against apache2 -t: <Proxy> and ProxyHCTemplate", () => {
  let root = "";
  beforeAll(() => (root = makeDifferentialRoot()));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("reports exactly the lines apache2 -t refuses, with Apache's words (mod_proxy_hcheck loaded)", { timeout: 120_000 }, async () => {
    const { differ, refused } = await liveDisagreements(testedRule, SECTION_FORMS, root);
    expect(differ).toEqual([]);
    expect(refused).toBeGreaterThan(20);
  });
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
