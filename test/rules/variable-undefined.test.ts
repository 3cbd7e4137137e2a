// variable-undefined against Apache 2.4.71 (cases m16, a3, and a live apache2 -t). Moved from test/rules-hints.test.ts, plus the rule tester.
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/variable-undefined.js";
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

const DOC_OPTIONS = { server: { ...makeServerInfo({ managesModules: true, debianRoot: "/x", loaded: [] }), environment: new Set<string>() } };

ruleTester(testedRule, {
  valid: [
    "ProxyPass /a/ http://${APP}/\n",
    "LoadModule headers_module ${MODULE_DIR}\n",
  ],
  invalid: [
    {
      name: "across a continuation, in a section tag, after a trailing #",
      code: "Listen 80\nLoadModule headers_module /usr/lib/apache2/modules/mod_headers.so\nHeader set X-A ${CO\\\nNT}\n<VirtualHost ${ADDR}:80>\n</VirtualHost>\nHeader set X-B v # ${TRAIL}\n",
      findings: [
        { line: 3, column: 16, endLine: 4, endColumn: 4, severity: "warning", fix: "none", message: "`${CONT}` in Header is set by no Define before it: Apache warns AH0011" },
        { line: 5, column: 14, endLine: 5, endColumn: 21, severity: "warning", fix: "none", message: "`${ADDR}` in <VirtualHost> is set by no Define before it: Apache warns" },
        { line: 7, column: 20, endLine: 7, endColumn: 28, severity: "warning", fix: "none", message: "`${TRAIL}` in Header is set by no Define before it: Apache warns AH001" },
      ],
    },
  ],
  // doc.bad is a lone vhost file: the rule judges it in a Debian tree, whose environment is known
  docOptions: DOC_OPTIONS,
});

describe("variable-undefined", () => {
  it("m16: reports ${WS_BACKEND} at its place, which Apache's AH00111 does not give", () => {
    const text = caseText("m16-undefined-variable.conf");
    const found = lint(text);
    expect(found.map((f) => [f.ruleId, f.line, f.column, f.severity])).toEqual([["variable-undefined", 16, 25, "warning"]]);
    expect(covered(text, found[0]!)).toBe("${WS_BACKEND}");
    expect(found[0]!.message).toBe(
      "`${WS_BACKEND}` in ProxyPass is set by no Define before it: Apache warns AH00111 without a file or line and keeps the text `${WS_BACKEND}` as it is.",
    );
    expect(found[0]!.fix).toBeUndefined();
    // the variable is what Apache named: `[core:warn] AH00111: Config variable ${WS_BACKEND} is not defined`
    expect(readFileSync(join(CASES, "out", "m16-undefined-variable.t.txt"), "utf8")).toContain(`Config variable ${covered(text, found[0]!)} is not defined`);
  });

  it("a3: reports exactly the two names Apache warned about, not ${HTTP:Upgrade}", () => {
    const text = caseText("a3-which-dollar-forms-warn.conf");
    const found = lint(text);
    const warned = [...readFileSync(join(CASES, "out", "a3-which-dollar-forms-warn.t.txt"), "utf8").matchAll(/Config variable (\$\{[^}]*\})/g)].map((m) => m[1]);
    expect(warned.length).toBe(2);
    expect(found.map((f) => covered(text, f))).toEqual(warned);
    expect(found.map((f) => f.line)).toEqual([15, 18]);
  });

  it("leaves mod_rewrite variables written ${…} in RewriteRule/RewriteCond to rewrite-var-sigil", () => {
    const text = `${WHOLE}RewriteEngine On\nRewriteCond \${REQUEST_URI} ^/a\nRewriteRule ^ - [E=X:\${HTTP_HOST}]\nHeader set X \${REQUEST_URI}\n`;
    // outside mod_rewrite the same name is a plain undefined variable
    expect(lint(text).map((f) => f.line)).toEqual([6]);
  });

  it("finds a variable across a continuation and in a section's tag, and reads a trailing `#` as Apache does", () => {
    const text = `${WHOLE}Header set X-A \${CO\\\nNT}\n<VirtualHost \${ADDR}:80>\n</VirtualHost>\nHeader set X-B v # \${TRAIL}\n`;
    const found = lint(text);
    expect(found.map((f) => [f.line, f.column, f.endLine])).toEqual([[3, 16, 4], [5, 14, 5], [7, 20, 7]]);
    expect(found[0]!.message).toMatch(/^`\$\{CONT\}` in Header /);
    expect(found[1]!.message).toMatch(/^`\$\{ADDR\}` in <VirtualHost> /);
  });

  it("stays silent on a lone vhost file, after an Include outside a Debian tree, and in .htaccess", () => {
    const use = "ProxyPass /a/ http://${APP}/\n";
    const only = (text: string, path = "test.conf") => lint(text, path, {}, [variableUndefined]);
    expect(only(use)).toEqual([]);
    expect(only(`${WHOLE}Include conf.d/x.conf\n${use}`)).toEqual([]);
    expect(only(`${WHOLE}${use}Include conf.d/x.conf\n`).map((f) => f.line)).toEqual([3]);
    expect(only(`${WHOLE}${use}`, "x.htaccess")).toEqual([]);
    // module lines without Listen: a fragment such as RHEL's conf.modules.d/, read after the main config
    expect(only(`LoadModule headers_module \${MODULE_DIR}\n`)).toEqual([]);
  });

  it("in a Debian tree, takes the environment from envvars, case-sensitively as getenv does", () => {
    const server = { ...makeServerInfo({ managesModules: true, debianRoot: "/x", loaded: [] }), environment: new Set(["APACHE_LOG_DIR"]) };
    const text = "ErrorLog ${APACHE_LOG_DIR}/e.log\nErrorLog ${apache_log_dir}/e.log\n";
    const found = lint(text, "site.conf", { server });
    expect(found.map((f) => f.line)).toEqual([2]);
    expect(found[0]!.message).toContain("set by no Define and not exported by envvars");
    // tree Defines are case-insensitive, like the Define table
    expect(lint(text, "site.conf", { server: { ...server, environment: new Set(), treeDefines: new Set(["apache_log_dir"]) } })).toEqual([]);
  });

  it.skipIf(!existsSync(join(DEBIAN, "envvars")))("reads Debian's envvars exports", () => {
    const names = envvarsExports(DEBIAN);
    for (const n of ["APACHE_RUN_USER", "APACHE_RUN_GROUP", "APACHE_PID_FILE", "APACHE_RUN_DIR", "APACHE_LOCK_DIR", "APACHE_LOG_DIR", "LANG"]) {
      expect(names.has(n), n).toBe(true);
    }
    // assigned but not exported, and commented out
    expect(names.has("SUFFIX")).toBe(false);
    expect(names.has("APACHE_LYNX")).toBe(false);
  });
});

const live = apacheOrSkip("variable-undefined live checks");
describe.skipIf(!live)("variable-undefined: what apache2 -t warns about agrees with the rule", () => {
  const lines = [
    "Header set X-Early ${LATER}",
    "Define LATER 1",
    "Header set X-Late ${LATER}",
    "Define FLAG",
    "Header set X-Flag ${FLAG}",
    "Define MiXed v",
    "Header set X-Case ${mixed}",
    "Define GONE 1",
    "UnDefine GONE",
    "Header set X-Gone ${GONE}",
    "# ${IN_COMMENT}",
    "Header set X-Trail v # ${TRAIL}",
    "Header set X-Map ${HTTP:Upgrade}",
    "<Macro M $p>",
    "  Header set X-Macro ${NEVER_USED} $p",
    "</Macro>",
    "<IfDefine NOPE>",
    "  Define COND 1",
    "</IfDefine>",
  ];

  it("reports the variables Apache warns about, in the same order", async () => {
    const sr = await makeServerRoot();
    try {
      const head = [
        "ServerName 127.0.0.1",
        "Listen 127.0.0.1:18999",
        "PidFile run/httpd.pid",
        "DefaultRuntimeDir run",
        "ErrorLog logs/error.log",
        ...["mpm_event", "authz_core", "headers", "macro"].map(loadModule),
      ];
      const text = [...head, ...lines, ""].join("\n");
      const conf = await sr.write("t.conf", text);
      const t = await sr.test(conf);
      // Header's extra word after `#` is an error, but core expanded the line before that
      const warned = [...t.output.matchAll(/AH00111: Config variable (\$\{[^}]*\}) is not defined/g)].map((m) => m[1]);
      expect(warned).toEqual(["${LATER}", "${FLAG}", "${GONE}", "${TRAIL}"]);
      const found = lint(text, conf).filter((f) => f.ruleId === "variable-undefined");
      expect(found.map((f) => covered(text, f))).toEqual(warned);
    } finally {
      await sr.remove();
    }
  });

  it("a Define inside an <IfDefine> that is false does not run: the rule counts it anyway (documented silence)", async () => {
    const sr = await makeServerRoot();
    try {
      const text = ["ServerName 127.0.0.1", "Listen 127.0.0.1:18999", "PidFile run/httpd.pid", "DefaultRuntimeDir run", "ErrorLog logs/error.log",
        ...["mpm_event", "authz_core", "headers"].map(loadModule), "<IfDefine NOPE>", "  Define COND 1", "</IfDefine>", "Header set X ${COND}", ""].join("\n");
      const t = await sr.test(await sr.write("c.conf", text));
      expect(t.output).toContain("Config variable ${COND} is not defined");
      expect(lint(text)).toEqual([]);
    } finally {
      await sr.remove();
    }
  });
});
