// regex-invalid: Moved from test/rules-context.test.ts (held to Apache: corpora of apache2 -t verdicts), plus the rule tester.
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/regex-invalid.js";
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

import { lint, ruleRejects } from "../helpers/context-proofs.js";
import { REGEX_CORPUS, UNMODELLED, generatedPatterns, PROXY_CORPUS, LISTEN_CORPUS } from "../helpers/apache-verdicts.js";

ruleTester(testedRule, {
  valid: [
    "RewriteRule \"^/a\\(\" - [L]\n",
    "RewriteCond %{X} -f\n",
    "RewriteCond expr \"%{X} =~ /(/\"\n",
    "RewriteRule (?i)abc - [L]\n",
  ],
  invalid: [
    {
      name: "an unclosed group in RewriteRule",
      code: "RewriteEngine On\nRewriteRule \"(websocket\" - [L]\n",
      findings: [
        { line: 2, column: 13, endLine: 2, endColumn: 25, severity: "error", fix: "none", message: "`(websocket` in RewriteRule is not a valid regular expression (missing" },
      ],
    },
    {
      name: "a blank after \\ stays in the word",
      code: "RewriteRule ^/a\\ (b - [L]\n",
      findings: [
        { line: 1, column: 13, endLine: 1, endColumn: 20, severity: "error", fix: "none", message: "`^/a\\ (b` in RewriteRule is not a valid regular expression (missing cl" },
      ],
    },
    {
      name: "doc.bad, finding by finding",
      code: testedRule.doc.bad,
      findings: [
      { line: 2, column: 29, endLine: 2, endColumn: 39, severity: "error", fix: "none", message: "`(websocket` in RewriteCond is not a valid regular expression (missing" },
      ],
    },
  ],
});

describe("regex-invalid agrees with PCRE2 as Apache compiles", () => {
  it("has a corpus of both verdicts", () => {
    expect(REGEX_CORPUS.filter(([, ok]) => ok).length).toBeGreaterThan(100);
    expect(REGEX_CORPUS.filter(([, ok]) => !ok).length).toBeGreaterThan(80);
  });

  it("judges every recorded pattern as apache2 -t did, or declines the listed ones", () => {
    const wrong: string[] = [];
    for (const [p, ok] of REGEX_CORPUS) {
      const r = checkPcre(p);
      if (UNMODELLED.has(p)) {
        if (r.valid !== null) wrong.push(`${p}: listed as not modelled, but judged ${r.valid}`);
        continue;
      }
      if (r.valid !== ok) wrong.push(`${p}: apache2 -t ${ok ? "accepts" : "rejects"}, checker says ${r.valid}${r.valid === false ? ` (${r.reason})` : ""}`);
      if (ruleRejects(p) !== !ok) wrong.push(`${p}: the rule ${ok ? "reports" : "misses"} it`);
    }
    expect(wrong).toEqual([]);
  });

  it("accepts PCRE2 syntax JavaScript rejects", () => {
    for (const p of ["(?i)abc", "a++", "(?>a|b)", "\\Qa(b\\E", "(?P<n>a)(?P=n)", "[[:alpha:]]", "(?#c)x", "\\Aa\\z", "(*FAIL)|a"]) {
      expect(checkPcre(p), p).toEqual({ valid: true });
    }
  });

  it("reads RewriteRule and RewriteCond words as mod_rewrite does (no escape is removed)", () => {
    // ap_getword_conf would turn "\\(" into \( (a literal paren); mod_rewrite compiles \\( (an open group)
    expect(lint('RewriteRule "^/a\\\\(" - [L]\n', [regexInvalid])).toHaveLength(1);
    expect(lint('RewriteRule "^/a\\(" - [L]\n', [regexInvalid])).toHaveLength(0);
    // a blank after \ stays in the word
    expect(lint("RewriteRule ^/a\\ (b - [L]\n", [regexInvalid]).map((f) => f.message)).toEqual([
      expect.stringContaining("`^/a\\ (b`"),
    ]);
    // CondPatterns that are tests, not regexes
    for (const p of ["-f", "!-d", "=(", "<(", ">=(", "-lt(", "-eq("]) expect(lint(`RewriteCond %{X} ${p}\n`, [regexInvalid]), p).toEqual([]);
    for (const p of ["-x(", "-d(", "!("]) expect(lint(`RewriteCond %{X} ${p}\n`, [regexInvalid]), p).toHaveLength(1);
    expect(lint('RewriteCond expr "%{X} =~ /(/"\n', [regexInvalid])).toEqual([]);
  });
});
