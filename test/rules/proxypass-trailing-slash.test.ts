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
    { name: "Define values that agree", code: 'Define VPATH /ws/\nDefine BACKEND b:3000\nProxyPass ${VPATH} "ws://${BACKEND}/ws/"\n' },
    { name: "a variable no Define sets (environment, -D, another file) is not guessed at", code: "ProxyPass ${VPATH} http://b/x/\n" },
    { name: "a Define in a conditional may not run", code: "<IfDefine PROD>\n  Define VPATH /ws/\n</IfDefine>\nProxyPass ${VPATH} http://b/x\n" },
    { name: "an Include may redefine it", code: "Define VPATH /ws/\nInclude conf.d/*.conf\nProxyPass ${VPATH} http://b/x\n" },
    { name: "UnDefine removes it", code: "Define VPATH /ws/\nUnDefine VPATH\nProxyPass ${VPATH} http://b/x\n" },
    { name: "a Define after the line does not count", code: "ProxyPass ${VPATH} http://b/x\nDefine VPATH /ws/\n" },
    { name: "a value with a space would split the line: not guessed at", code: 'Define VPATH "/ws/ x"\nProxyPass ${VPATH} http://b/x\n' },
    { name: "a wildcard <Location> is a pattern (measured: the whole request is appended)", code: "<Location /app/*>\n  ProxyPass ws://b/w/\n</Location>\n" },
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
      name: "through Define: the values are compared, the finding stays on the URL as written, the fix edits its literal text",
      code: 'Define VPATH /ws\nDefine BACKEND 127.0.0.1:3000\nProxyPass ${VPATH} "http://${BACKEND}/"\n',
      findings: [
        {
          line: 3,
          column: 20,
          endLine: 3,
          endColumn: 40,
          severity: "warning",
          fix: "unsafe",
          covers: '"http://${BACKEND}/"',
          message: {
            exact:
              "ProxyPass URL `http://127.0.0.1:3000/` ends with `/` but path `/ws` does not: `/ws/chat` is proxied to `http://127.0.0.1:3000//chat`. Through Define: `${VPATH}` is `/ws` (Define on line 1), `${BACKEND}` is `127.0.0.1:3000` (Define on line 2).",
          },
        },
      ],
      output: 'Define VPATH /ws\nDefine BACKEND 127.0.0.1:3000\nProxyPass ${VPATH} "http://${BACKEND}"\n',
    },
    {
      name: "through Define, a slash added right after the variable",
      code: "Define BACKEND 127.0.0.1:3000\nProxyPass / http://${BACKEND}\n",
      findings: [{ line: 2, column: 13, fix: "unsafe", message: "ProxyPass path `/` ends with `/` but URL `http://127.0.0.1:3000` does not: `/chat` is proxied to `http://127.0.0.1:3000chat`." }],
      output: "Define BACKEND 127.0.0.1:3000\nProxyPass / http://${BACKEND}/\n",
    },
    {
      name: "through Define, the slash in the variable's value: reported, no fix (the Define has other uses)",
      code: "Define APP http://b/app/\nProxyPass /app ${APP}\nProxyPass /app/ ${APP}\n",
      findings: [{ line: 2, column: 16, fix: "none", message: /^ProxyPass URL `http:\/\/b\/app\/` ends with `\/` but path `\/app` does not: `\/app\/chat` is proxied to `http:\/\/b\/app\/\/chat`\. Through Define: `\$\{APP\}` is `http:\/\/b\/app\/` \(Define on line 1\)\. No fix: / }],
    },
    {
      name: "<Location ${VPATH}>: the section's path through Define",
      code: 'Define VPATH /ws/\n<Location ${VPATH}>\n  ProxyPass "ws://b/ws"\n</Location>\n',
      findings: [{ line: 3, column: 13, fix: "unsafe", message: "ProxyPass path `/ws/` ends with `/` but URL `ws://b/ws` does not: `/ws/chat` is proxied to `ws://b/wschat`. Through Define: `${VPATH}` is `/ws/` (Define on line 1)." }],
      output: 'Define VPATH /ws/\n<Location ${VPATH}>\n  ProxyPass "ws://b/ws/"\n</Location>\n',
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

  it("reads the latest Define before the line, names case-insensitively, and a Define's own variables", () => {
    const text = "Define P /ws\nDefine p /ws/\nDefine HOST b\nDefine URL http://${HOST}/x\nProxyPass ${P} ${url}\n";
    const [f, ...rest] = one(text);
    expect(rest).toEqual([]);
    expect(f!.message).toContain("path `/ws/` ends with `/` but URL `http://b/x` does not");
    expect(f!.message).toContain("`${P}` is `/ws/` (Define on line 2), `${url}` is `http://b/x` (Define on line 4)");
    expect(f!.related.map((r) => r.line)).toEqual([5, 2, 4]);
    // the missing slash goes after the variable: an insertion in the line's own text, the Define untouched
    expect(fixAll(text, [proxypassTrailingSlash])).toBe(text.replace("${url}\n", "${url}/\n"));
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
