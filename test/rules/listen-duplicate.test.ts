// listen-duplicate: Moved from test/rules-context.test.ts (held to Apache: corpora of apache2 -t verdicts), plus the rule tester.
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/listen-duplicate.js";
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

const MINE: readonly Rule[] = [directiveContext, listenDuplicate, regexInvalid, proxyParamInvalid];
const FIXTURES = join(PROJECT_ROOT, "fixtures");

function lint(text: string, rules: readonly Rule[], path = "test.conf"): Finding[] {
  return lintText(text, path, { rules, reportUnusedSuppressions: false }).findings;
}
const errors = (fs: readonly Finding[]) => fs.filter((f) => f.severity === "error");

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Modules loaded for the configs below, a provider before its users. */
const MODULES = [
  "setenvif", "socache_shmcb", "ssl", "alias", "headers", "rewrite", "proxy", "proxy_http", "proxy_wstunnel",
  "slotmem_shm", "proxy_balancer", "lbmethod_byrequests", "lbmethod_bytraffic", "lbmethod_bybusyness",
];

/** `apache2 -t` on `body` at server level: ok, or Apache's message and the line and file it names. */
async function apacheT(sr: ServerRoot, name: string, body: string): Promise<{ ok: boolean; output: string; line: number | null; file: string | null }> {
  const port = 18000 + (Math.abs([...name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) | 0, 7)) % 1000);
  const conf = await sr.write(`${name}.conf`, serverConfig({ port, modules: MODULES, body }));
  const r = await sr.test(conf);
  const m = [...r.output.matchAll(/Syntax error on line (\d+) of ([^:\n]+):/g)].pop();
  return { ok: r.ok, output: r.output, line: m ? Number(m[1]) : null, file: m ? m[2]! : null };
}
import { REGEX_CORPUS, UNMODELLED, generatedPatterns, PROXY_CORPUS, LISTEN_CORPUS } from "../helpers/apache-verdicts.js";

/** Does regex-invalid report the pattern, written as a RewriteRule pattern? */
function ruleRejects(pattern: string): boolean {
  return lint(`RewriteEngine On\nRewriteRule "${pattern}" - [L]\n`, [regexInvalid]).length > 0;
}

ruleTester(testedRule, {
  valid: [
    "Listen 80\n<IfModule ssl_module>\n\tListen 443\n</IfModule>\n<IfModule mod_gnutls.c>\n\tListen 443\n</IfModule>\n",
  ],
  invalid: [
    {
      name: "the same port written twice",
      code: "Listen 18081\nListen *:18081\n",
      findings: [
        { line: 2, column: 1, endLine: 2, endColumn: 15, severity: "error", fix: "safe", message: "Listen *:18081 repeats Listen 18081 (line 1): Apache refuses to start " },
      ],
      output: "Listen 18081\n",
    },
    {
      name: "a wildcard and a specific address: a warning",
      code: "Listen 18081\nListen 127.0.0.1:18081\n",
      findings: [
        { line: 2, column: 1, endLine: 2, endColumn: 23, severity: "warning", fix: "none", message: "Listen 127.0.0.1:18081 and Listen 18081 (line 1) both take port 18081:" },
      ],
    },
    {
      name: "doc.bad, finding by finding",
      code: testedRule.doc.bad,
      findings: [
      { line: 3, column: 1, endLine: 3, endColumn: 23, severity: "error", fix: "safe", message: "Listen 127.0.0.1:18080 repeats Listen 127.0.0.1:18080 (line 1): Apache" },
      ],
    },
  ],
});

describe("listen-duplicate normalises addresses as Apache does", () => {
  it("reports an error for exactly the pairs apache2 -t refused", () => {
    const wrong = LISTEN_CORPUS.filter(([text, ok]) => (errors(lint(`${text}\n`, [listenDuplicate])).length === 0) !== ok);
    expect(wrong.map(([t, ok]) => `${ok ? "false alarm" : "missed"}: ${t.replace(/\n/g, " | ")}`)).toEqual([]);
  });

  it("parses addresses as apr_parse_addr_port", () => {
    expect(parseListen("80")).toEqual({ host: null, port: 80 });
    expect(parseListen("*:080")).toEqual({ host: null, port: 80 });
    expect(parseListen("[::1]:443")).toEqual({ host: "::1", port: 443 });
    expect(parseListen("example.com:8080")).toEqual({ host: "example.com", port: 8080 });
    expect([parseListen(":80"), parseListen("0x10"), parseListen("70000")]).toEqual([null, null, null]);
  });

  it("keeps Debian's ports.conf (one Listen 443 per TLS module) silent", () => {
    const text = "Listen 80\n<IfModule ssl_module>\n\tListen 443\n</IfModule>\n<IfModule mod_gnutls.c>\n\tListen 443\n</IfModule>\n";
    expect(lint(text, [listenDuplicate])).toEqual([]);
  });
});
