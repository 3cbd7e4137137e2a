// proxypass-trailing-slash against what Apache 2.4.71 was measured to do. Moved from test/rules-proxy.test.ts, plus the rule tester.
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/proxypass-trailing-slash.js";
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { lintText, type Finding, type Options as LintOptions } from "../../src/index.js";
import { fixUntilStable } from "../../src/core/fixer.js";
import { makeServerInfo } from "../../src/server/server-info.js";
import { isRewriteAbsolute, backendUrl, urlParts } from "../../src/apache/proxy.js";
import { parse, directives } from "../../grammar/index.js";
import proxyUrlMalformed, { classify } from "../../rules/proxy-url-malformed.js";
import proxypassShadowed from "../../rules/proxypass-shadowed.js";
import sslProxyEngineMissing from "../../rules/ssl-proxy-engine-missing.js";
import proxypassTrailingSlash from "../../rules/proxypass-trailing-slash.js";
import type { Rule } from "../../src/core/rule.js";

const MINE: readonly Rule[] = [proxyUrlMalformed, proxypassShadowed, sslProxyEngineMissing, proxypassTrailingSlash];
const CASES = join(import.meta.dirname, "..", "..", "fixtures", "grammar", "apache-truth", "cases");
const TUTORIAL = join(import.meta.dirname, "..", "..", "fixtures", "websocket-tutorial");

function lint(text: string, rules: readonly Rule[] = MINE, path = "test.conf", opts: LintOptions = {}): Finding[] {
  return lintText(text, path, { rules, reportUnusedSuppressions: false, ...opts }).findings;
}

function fixAll(text: string, rules: readonly Rule[] = MINE, path = "test.conf"): string {
  return fixUntilStable(text, (t) => lint(t, rules, path), () => true).output;
}

const caseText = (name: string) => readFileSync(join(CASES, name), "utf8");
/** the text a finding covers */
const covered = (text: string, f: Finding) => text.slice(f.start, f.end);

ruleTester(testedRule, {
  valid: [
    "ProxyPass /ws http://b\nProxyPass /ws2 ws://b:3000\n",
    "ProxyPass /q/ http://b/q?x=1\n",
  ],
  invalid: [
    {
      name: "the URL changed, never the path",
      code: "ProxyPass /ws ws://b/ws/\n",
      findings: [
        { line: 1, column: 15, endLine: 1, endColumn: 25, severity: "warning", fix: "unsafe", message: "ProxyPass URL `ws://b/ws/` ends with `/` but path `/ws` does not: `/ws" },
      ],
      output: "ProxyPass /ws ws://b/ws\n",
    },
    {
      name: "in a <Location>",
      code: "<Location \"/a/\">\n  ProxyPass http://b/a\n</Location>\n",
      findings: [
        { line: 2, column: 13, endLine: 2, endColumn: 23, severity: "warning", fix: "unsafe", message: "ProxyPass path `/a/` ends with `/` but URL `http://b/a` does not: `/a/" },
      ],
      output: "<Location \"/a/\">\n  ProxyPass http://b/a/\n</Location>\n",
    },
    {
      name: "doc.bad, finding by finding",
      code: testedRule.doc.bad,
      findings: [
      { line: 1, column: 15, endLine: 1, endColumn: 38, severity: "warning", fix: "unsafe", message: "ProxyPass URL `ws://127.0.0.1:3000/ws/` ends with `/` but path `/ws` d" },
      { line: 2, column: 17, endLine: 2, endColumn: 42, severity: "warning", fix: "unsafe", message: "ProxyPass path `/app/` ends with `/` but URL `http://127.0.0.1:8080/ap" },
      { line: 3, column: 13, endLine: 3, endColumn: 34, severity: "warning", fix: "unsafe", message: "ProxyPass path `/` ends with `/` but URL `http://127.0.0.1:8080` does " },
      ],
    },
  ],
});

describe("proxypass-trailing-slash", () => {
  const one = (text: string) => lint(text, [proxypassTrailingSlash]);

  it("computes what the backend receives (j1, j2, measured)", () => {
    expect(one(caseText("j1-trailing-slash-mismatch.conf"))[0]!.message).toContain("`/ws/chat` is proxied to `ws://127.0.0.1:13001/ws//chat`");
    expect(one(caseText("j2-trailing-slash-mismatch-rev.conf"))[0]!.message).toContain("`/ws/chat` is proxied to `ws://127.0.0.1:13001/wschat`");
    expect(one("ProxyPass / http://b:8080\n")[0]!.message).toContain("`/chat` is proxied to `http://b:8080chat`");
    expect(one("ProxyPassReverse / http://b\n")[0]!.message).toContain("a backend redirect to `http://b/login` is rewritten to `//login`");
  });

  it("accepts a URL without a path after a path without a slash", () => {
    expect(one("ProxyPass /ws http://b\nProxyPass /ws2 ws://b:3000\n")).toEqual([]);
  });

  it("changes the URL, never the path (the path decides which requests are proxied)", () => {
    expect(fixAll("ProxyPass /ws ws://b/ws/\n", [proxypassTrailingSlash])).toBe("ProxyPass /ws ws://b/ws\n");
    expect(fixAll("ProxyPass /ws/ ws://b/ws\n", [proxypassTrailingSlash])).toBe("ProxyPass /ws/ ws://b/ws/\n");
    expect(fixAll('ProxyPass /ws "ws://b/"\n', [proxypassTrailingSlash])).toBe('ProxyPass /ws "ws://b"\n');
    expect(fixAll('<Location "/a/">\n  ProxyPass http://b/a\n</Location>\n', [proxypassTrailingSlash])).toBe('<Location "/a/">\n  ProxyPass http://b/a/\n</Location>\n');
  });

  it("points at the URL and relates the path", () => {
    const text = "<Location /ws/>\n  ProxyPass ws://b/ws\n</Location>\n";
    const [f] = one(text);
    expect(covered(text, f!)).toBe("ws://b/ws");
    expect(f!.related.map((r) => [r.line, r.column])).toEqual([[1, 11]]);
  });

  it("stays out of regexes, exclusions, variables and query strings", () => {
    const text = [
      "ProxyPassMatch ^/m/(.*)$ ws://b/m",
      "ProxyPass /x/ !",
      "ProxyPass /v/ http://${HOST}",
      "ProxyPass /q/ http://b/q?x=1",
      '<Location ~ "^/r/">',
      "  ProxyPass ws://b/r",
      "</Location>",
      "<LocationMatch ^/l>",
      "  ProxyPass ws://b/l/",
      "</LocationMatch>",
    ].join("\n");
    expect(one(text)).toEqual([]);
  });
});
