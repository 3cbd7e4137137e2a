// server-tokens-verbose against what Apache 2.4.71 was measured to do (test/apache/security-live.test.ts),
// and its fix checked by `apache2 -t`.
import { describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lintRule, resolvedIncludes, RULE_FIXTURES, ruleTester } from "../helpers/rule-tester.js";
import { apacheOrSkip, freePort, makeServerRoot, serverConfig } from "../apache/harness.js";
import testedRule from "../../rules/server-tokens-verbose.js";

const MPM = "LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so\n";

ruleTester(testedRule, {
  valid: [
    "ServerTokens Prod\nServerSignature Off\nTraceEnable Off\n",
    "ServerTokens ProductOnly\n",
    // a fragment is never told about what it does not set
    "Listen 80\n",
    { code: "ServerSignature Off\n", path: ".htaccess" },
    { code: `${MPM}ServerTokens Prod\nTraceEnable off\n`, path: "httpd.conf" },
    // unknown includes: the setting may be there
    { code: `${MPM}Include conf.d/*.conf\n`, path: "httpd.conf" },
  ],
  invalid: [
    {
      name: "Debian's security.conf values, each fixed in place",
      code: "ServerTokens OS\nServerSignature On\nTraceEnable On\n",
      findings: [
        { line: 1, column: 14, endColumn: 16, severity: "info", fix: "safe", message: "`ServerTokens OS` puts Apache's version" },
        { line: 2, column: 17, fix: "safe", message: "`ServerSignature On` adds the server's version, name and port to every error page. Use `ServerSignature Off`." },
        { line: 3, column: 13, fix: "safe", message: "`TraceEnable On` makes Apache echo TRACE requests back" },
      ],
      output: "ServerTokens Prod\nServerSignature Off\nTraceEnable Off\n",
      fixes: "safe",
    },
    {
      name: "Full, Minor and EMail in .htaccess",
      code: "ServerSignature EMail\n",
      path: ".htaccess",
      findings: [{ line: 1, column: 17, message: "`ServerSignature EMail` adds" }],
      output: "ServerSignature Off\n",
    },
    {
      name: "a whole server config that sets neither ServerTokens nor TraceEnable: the defaults are told, at its first line",
      code: `${MPM}Listen 80\n`,
      path: "httpd.conf",
      findings: [
        { line: 1, column: 1, fix: "none", message: "ServerTokens is not set: the default, Full, sends `Server: Apache/2.4.71 (Debian)`" },
        { line: 1, column: 1, fix: "none", message: "TraceEnable is not set: the default, On, answers TRACE requests with 200" },
      ],
    },
    {
      name: "extended TRACE",
      code: "TraceEnable extended\nServerTokens Full\n",
      findings: [
        { line: 1, column: 13, message: "`TraceEnable extended`" },
        { line: 2, column: 14, message: "`ServerTokens Full`" },
      ],
      output: "TraceEnable Off\nServerTokens Prod\n",
    },
  ],
});

describe("server-tokens-verbose over included files", () => {
  it("reads the settings from the files a whole server includes (Debian's conf-enabled/security.conf)", () => {
    const dir = mkdtempSync(join(tmpdir(), "apachelint-tokens-"));
    try {
      const main = join(dir, "apache2.conf");
      const text = `${MPM}IncludeOptional conf-enabled/*.conf\n`;
      writeFileSync(main, text);
      mkdirSync(join(dir, "conf-enabled"));
      writeFileSync(join(dir, "conf-enabled", "security.conf"), "ServerTokens OS\nTraceEnable Off\n");
      expect(lintRule(testedRule, text, main, resolvedIncludes(text, main, dir))).toEqual([]);
      writeFileSync(join(dir, "conf-enabled", "security.conf"), "ServerTokens OS\n");
      const f = lintRule(testedRule, text, main, resolvedIncludes(text, main, dir));
      expect(f.map((x) => x.message.slice(0, 25))).toEqual(["TraceEnable is not set: t"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.runIf(apacheOrSkip("test/rules/server-tokens-verbose.test.ts"))("server-tokens-verbose fixes keep apache2 -t passing", () => {
  const dir = join(RULE_FIXTURES, testedRule.id);
  const fixed = readdirSync(dir).filter((n) => n.endsWith(".fixed"));
  it("has fixed fixtures", () => expect(fixed.length).toBeGreaterThan(1));
  for (const name of fixed) {
    it(name, async () => {
      const sr = await makeServerRoot();
      try {
        let text = readFileSync(join(dir, name), "utf8");
        if (name.includes(".htaccess")) text = `<Directory ${sr.dir}>\n${text}</Directory>\n`;
        const conf = await sr.write("httpd.conf", serverConfig({ port: await freePort(), body: text }));
        const t = await sr.test(conf);
        expect(t.ok, t.output).toBe(true);
      } finally {
        await sr.remove();
      }
    });
  }
});
