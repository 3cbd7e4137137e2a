// proxypass-reverse-missing against Apache 2.4.71 (cases j3, j4). Moved from test/rules-hints.test.ts, plus the rule tester.
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/proxypass-reverse-missing.js";
import { describe, expect, it } from "vitest";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parse } from "../../grammar/index.js";
import { lintText, type Finding, type Options as LintOptions } from "../../src/index.js";
import { fixUntilStable } from "../../src/core/fixer.js";
import { makeServerInfo } from "../../src/server/server-info.js";
import { envvarsExports, serverInfoForPath } from "../../src/server/debian-tree.js";
import proxypassReverseMissing from "../../rules/proxypass-reverse-missing.js";
import variableUndefined from "../../rules/variable-undefined.js";
import type { Rule } from "../../src/core/rule.js";
import { apacheOrSkip, loadModule, makeServerRoot } from "../apache/harness.js";

const MINE: readonly Rule[] = [proxypassReverseMissing, variableUndefined];
const ROOT = join(import.meta.dirname, "..", "..");
const CASES = join(ROOT, "fixtures", "grammar", "apache-truth", "cases");
const TUTORIAL = join(ROOT, "fixtures", "websocket-tutorial");
const RULE_FIXTURES = join(ROOT, "fixtures", "rules");
const H5BP = join(ROOT, "node_modules", "apache-server-configs", "dist", ".htaccess");
const DEBIAN = "/etc/apache2";

function lint(text: string, path = "test.conf", opts: LintOptions = {}, rules: readonly Rule[] = MINE): Finding[] {
  return lintText(text, path, { rules, reportUnusedSuppressions: false, ...opts }).findings;
}
const caseText = (name: string) => readFileSync(join(CASES, name), "utf8");
const covered = (text: string, f: Finding) => text.slice(f.start, f.end);
const summary = (fs: readonly Finding[]) => fs.map((f) => `${f.ruleId} ${f.line}:${f.column} ${f.message}`);
/** A whole server config to variable-undefined: it loads modules and listens. */
const WHOLE = "Listen 80\nLoadModule headers_module /usr/lib/apache2/modules/mod_headers.so\n";

ruleTester(testedRule, {
  valid: [
    { code: "ProxyPass /a/ http://b/\n", path: "x.htaccess" },
    "<Location /x/>\n  ProxyPass http://10.0.0.1/\n  ProxyPassReverse http://x.example/\n</Location>\n",
  ],
  invalid: [
    {
      name: "CRLF and indentation kept",
      code: "<VirtualHost *:80>\r\n\t\tProxyPass /a/ http://b/\r\n</VirtualHost>\r\n",
      findings: [
        { line: 2, column: 3, endLine: 2, endColumn: 26, severity: "info", fix: "unsafe", message: "ProxyPass /a/ has no ProxyPassReverse: a backend redirect to `http://b" },
      ],
      output: "<VirtualHost *:80>\r\n\t\tProxyPass /a/ http://b/\r\n\t\tProxyPassReverse /a/ http://b/\r\n</VirtualHost>\r\n",
    },
    {
      name: "doc.bad, finding by finding",
      code: testedRule.doc.bad,
      findings: [
      { line: 2, column: 5, endLine: 2, endColumn: 44, severity: "info", fix: "unsafe", message: "ProxyPass /app/ has no ProxyPassReverse: a backend redirect to `http:/" },
      ],
    },
  ],
});

describe("proxypass-reverse-missing", () => {
  it("j3: reports the ProxyPass whose backend redirect leaked, and the fix gives j4", () => {
    const j3 = caseText("j3-no-proxypassreverse.conf");
    const found = lint(j3);
    expect(found.map((f) => [f.ruleId, f.line, f.column, f.severity])).toEqual([["proxypass-reverse-missing", 15, 5, "info"]]);
    expect(covered(j3, found[0]!)).toBe("ProxyPass /app/ http://127.0.0.1:13001/");
    expect(found[0]!.message).toBe(
      "ProxyPass /app/ has no ProxyPassReverse: a backend redirect to `http://127.0.0.1:13001/login` reaches the client unchanged, with the backend's address.",
    );
    expect(found[0]!.fix?.safety).toBe("unsafe");
    const fixed = fixUntilStable(j3, (t) => lint(t), () => true).output;
    const j4 = caseText("j4-with-proxypassreverse-control.conf");
    // the two cases differ only in their first comment line and the ProxyPassReverse
    expect(fixed.split("\n").slice(1)).toEqual(j4.split("\n").slice(1));
  });

  it("j4 (control): silent", () => {
    expect(summary(lint(caseText("j4-with-proxypassreverse-control.conf")))).toEqual([]);
  });

  it("keeps CRLF and the indentation when it inserts", () => {
    const text = "<VirtualHost *:80>\r\n\t\tProxyPass /a/ http://b/\r\n</VirtualHost>\r\n";
    const out = fixUntilStable(text, (t) => lint(t), () => true).output;
    expect(out).toBe("<VirtualHost *:80>\r\n\t\tProxyPass /a/ http://b/\r\n\t\tProxyPassReverse /a/ http://b/\r\n</VirtualHost>\r\n");
  });

  it("pairs per scope: a ProxyPassReverse in another virtual host does not count", () => {
    const text = [
      "<VirtualHost *:80>",
      "  ProxyPass /a/ http://b/",
      "</VirtualHost>",
      "<VirtualHost *:81>",
      "  ProxyPass /a/ http://b/",
      "  ProxyPassReverse /a/ http://b/",
      "</VirtualHost>",
    ].join("\n");
    expect(lint(text).map((f) => f.line)).toEqual([2]);
  });

  it("in a <Location>, a one-argument ProxyPassReverse with another URL but the same location pairs", () => {
    const text = "<Location /x/>\n  ProxyPass http://10.0.0.1/\n  ProxyPassReverse http://x.example/\n</Location>\n";
    expect(lint(text)).toEqual([]);
    expect(lint("<Location /x/>\n  ProxyPass http://10.0.0.1/\n</Location>\n").map((f) => f.line)).toEqual([2]);
  });

  it("skips .htaccess files", () => {
    expect(lint("ProxyPass /a/ http://b/\n", "x.htaccess")).toEqual([]);
  });
});
