// The four proxy rules together: the measured controls and mistakes, and the tutorial fixed until stable. Moved from test/rules-proxy.test.ts.
import { ruleTester } from "../helpers/rule-tester.js";
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

describe("the measured controls (Apache accepts them and they work)", () => {
  const controls = [
    "00-baseline.conf",
    "a2-percent-http-vars-control.conf",
    "g8-rewrite-p-valid.conf",
    "h2-proxypass-order-control.conf",
    "j4-with-proxypassreverse-control.conf",
    "k1-upgrade-websocket-no-wstunnel.conf",
    "m03-proxypass-in-location-control.conf",
    "m28-proxypassmatch.conf",
  ];
  for (const name of controls) {
    it(`${name}: no finding from the proxy rules`, () => {
      const text = caseText(name);
      // the control must exercise something: every one but the baseline has a backend
      if (name !== "00-baseline.conf") expect(text).toMatch(/ProxyPass|RewriteRule/);
      expect(lint(text).map((f) => `${f.ruleId} ${f.line}: ${f.message}`)).toEqual([]);
    });
  }
});

describe("the measured mistakes, at the line Apache's behaviour points to", () => {
  const table: [string, string, number, string][] = [
    ["b1-wss-single-slash.conf", "proxy-url-malformed", 20, '"wss:/localhost:13001/$1"'],
    ["f1-smart-quotes-rewriterule.conf", "proxy-url-malformed", 19, "“wss:/ws-backend%{REQUEST_URI}”"],
    ["h1-proxypass-order-shadowed.conf", "proxypass-shadowed", 17, "/ws/"],
    ["h3-proxypass-duplicate-path.conf", "proxypass-shadowed", 17, "/ws/"],
    ["i1-wss-no-sslproxyengine.conf", "ssl-proxy-engine-missing", 17, "wss://127.0.0.1:13001/ws/"],
    ["j1-trailing-slash-mismatch.conf", "proxypass-trailing-slash", 16, "ws://127.0.0.1:13001/ws/"],
    ["j2-trailing-slash-mismatch-rev.conf", "proxypass-trailing-slash", 16, "ws://127.0.0.1:13001/ws"],
  ];
  for (const [name, rule, line, text] of table) {
    it(`${name}: ${rule} on line ${line}`, () => {
      const src = caseText(name);
      const found = lint(src);
      expect(found.map((f) => [f.ruleId, f.line])).toEqual([[rule, line]]);
      expect(covered(src, found[0]!)).toBe(text);
    });
  }

  it("leaves context errors and broken continuations to their own rules (m02, m05)", () => {
    expect(lint(caseText("m02-proxypass-in-location-with-path.conf"))).toEqual([]);
    expect(lint(caseText("m05-continuation-trailing-space.conf"))).toEqual([]);
  });
});

describe("the four rules together on the tutorial", () => {
  it("fixes the tutorial's vhost until stable: scheme, then SSLProxyEngine", () => {
    const text = readFileSync(join(TUTORIAL, "vhost-basic.conf"), "utf8") + "</VirtualHost>\n";
    const before = lint(text).map((f) => f.ruleId);
    expect(before).toEqual(["proxy-url-malformed", "ssl-proxy-engine-missing"]);
    const fixed = fixAll(text);
    expect(fixed).toContain('RewriteRule .* "wss://localhost:3000/$1" [P,L]');
    expect(fixed.split("\n")[1]).toBe("  SSLProxyEngine on");
    expect(lint(fixed)).toEqual([]);
  });

  it("helpers agree with mod_rewrite and URL shapes", () => {
    expect(isRewriteAbsolute("wss:/h")).toBe(false);
    expect(isRewriteAbsolute("WSS://h")).toBe(true);
    expect(isRewriteAbsolute("unix:/s|http://h/")).toBe(true);
    expect(isRewriteAbsolute("uwsgi://h")).toBe(false);
    expect(urlParts("http://h:1/a/b?q")).toEqual({ scheme: "http", authority: "h:1", path: "/a/b", pathEnd: 14 });
    expect(urlParts("http://h")?.path).toBe("");
  });
});
