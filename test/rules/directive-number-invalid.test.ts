// directive-number-invalid: the rule tester, then every numeric argument of the table judged live by apache2 -t
// with words the table was not generated from.
import { readFileSync, rmSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scanArguments } from "../../grammar/index.js";
import testedRule from "../../rules/directive-number-invalid.js";
import { NUMERIC_ARGUMENTS } from "../../src/data/numeric-arguments.js";
import { caseText, makeServerRoot, readVerdict, skeleton, type DifferentialCase } from "../../src/tools/differential.js";
import { apacheTest, pool } from "../../src/tools/probe-support.js";
import { APACHE, apacheOrSkip, PROJECT_ROOT } from "../apache/harness.js";
import { lintRule, ruleTester } from "../helpers/rule-tester.js";

ruleTester(testedRule, {
  valid: [
    "ProxyTimeout 60\nKeepAliveTimeout 500ms\nLimitRequestBody 1M\n",
    "Define T 60\nProxyTimeout ${T}\n",
    "MaxRanges unlimited\nMaxRanges NONE\n",
    "Timeout ten\n",
    "ProxyTimeout # a trailing comment is trailing-comment's finding\n",
    "ProxyTimeout \"\"\n",
  ],
  invalid: [
    {
      name: "a placeholder, said so, with the handler's words",
      code: "ProxyTimeout APP_TIMEOUT\n",
      findings: [
        {
          line: 1,
          column: 14,
          covers: "APP_TIMEOUT",
          severity: "error",
          fix: "none",
          message: { exact: '`APP_TIMEOUT` is a placeholder, not a number: replace the placeholder: Apache refuses to start ("Proxy Timeout must be at least 1 second.").' },
        },
      ],
    },
    {
      name: "a word, and Apache's message names it",
      code: "LimitRequestBody <size>\nAuthDigestShmemSize big\nAllowCONNECT 443 ssl\n",
      findings: [
        { line: 1, column: 18, message: "`<size>` is a placeholder, not a number" },
        { line: 2, column: 21, message: { exact: 'AuthDigestShmemSize needs a number here, not "big": Apache refuses to start ("Invalid size in AuthDigestShmemSize: big").' } },
        { line: 3, column: 18, message: 'AllowCONNECT needs a number here, not "ssl"' },
      ],
    },
    {
      name: "in .htaccess",
      code: "LimitRequestBody unlimited\n",
      path: ".htaccess",
      findings: [{ line: 1, column: 18, message: 'LimitRequestBody needs a number here, not "unlimited": Apache answers 500 for every request this .htaccess applies to' }],
    },
  ],
});

/** Words the table was not made from: placeholders, a written number, keywords. */
const WORDS = ["APP_PORT", "<max-size>", "five", "unlimited", "default", "none", "off"];

describe.runIf(apacheOrSkip("directive-number-invalid (live)"))("directive-number-invalid against apache2 -t", () => {
  let root = "";
  beforeAll(() => (root = makeServerRoot()));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("reports a word in a numeric argument exactly where apache2 -t refuses it", { timeout: 300_000 }, async () => {
    expect(APACHE).not.toBeNull();
    const corpus = readFileSync(join(PROJECT_ROOT, "fixtures", "differential", "cases.jsonl"), "utf8")
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => JSON.parse(l) as DifferentialCase);
    const probes = corpus
      .filter((c) => c.mutation.startsWith("number-word:") && NUMERIC_ARGUMENTS[c.directive.toLowerCase()])
      .flatMap((c) => WORDS.map((w) => ({ c, w })));
    expect(probes.length).toBeGreaterThan(300);
    const first = skeleton().length;
    const differ: string[] = [];
    await pool(probes, availableParallelism(), async ({ c, w }) => {
      const line = c.body[c.line - 1]!;
      const arg = scanArguments(line, line.search(/\s|$/), line.length)[Number(c.mutation.split(":")[1])]!;
      const body = [...c.body];
      body[c.line - 1] = line.slice(0, arg.start) + w + line.slice(arg.end);
      const { code, stderr } = await apacheTest(root, caseText(body, root));
      const v = readVerdict(code, stderr, root, body.length);
      const text = caseText(body, root);
      const lines = lintRule(testedRule, text, join(root, "httpd.conf")).map((f) => f.line - first);
      const expected = v.ok ? [] : [v.line];
      if (JSON.stringify(lines) !== JSON.stringify(expected)) differ.push(`${body[c.line - 1]}: apache2 -t ${v.ok ? "accepts" : `line ${v.line}: ${v.message}`}, rule ${JSON.stringify(lines)}`);
    });
    expect(differ).toEqual([]);
  });
});
