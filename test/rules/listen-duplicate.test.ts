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

import { lint, errors } from "../helpers/context-proofs.js";
import { REGEX_CORPUS, UNMODELLED, generatedPatterns, PROXY_CORPUS, LISTEN_CORPUS } from "../helpers/apache-verdicts.js";

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
