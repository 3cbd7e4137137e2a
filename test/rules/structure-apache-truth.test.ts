// The structural and lexical rules together: every finding where Apache 2.4.71 puts it (shared/apache-truth). Moved from test/rules-structure.test.ts.
import { ruleTester } from "../helpers/rule-tester.js";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { lintFile, lintText, type Finding } from "../../src/index.js";
import { applyFixes, fixUntilStable } from "../../src/core/fixer.js";
import { parse } from "../../grammar/index.js";
import type { Rule } from "../../src/core/rule.js";
import sectionUnclosed from "../../rules/section-unclosed.js";
import sectionMismatched from "../../rules/section-mismatched.js";
import continuationTrailingSpace from "../../rules/continuation-trailing-space.js";
import bom from "../../rules/bom.js";
import trailingComment from "../../rules/trailing-comment.js";
import typographicQuotes from "../../rules/typographic-quotes.js";
import quoteUnbalanced from "../../rules/quote-unbalanced.js";
import parseError from "../../rules/parse-error.js";
import suppressionUnused from "../../rules/suppression-unused.js";

const MINE: readonly Rule[] = [
  sectionUnclosed,
  sectionMismatched,
  continuationTrailingSpace,
  bom,
  trailingComment,
  typographicQuotes,
  quoteUnbalanced,
  parseError,
];
const ROOT = join(import.meta.dirname, "..", "..", "fixtures");
const CASES = join(ROOT, "grammar", "apache-truth", "cases");
const read = (path: string) => readFileSync(path, "utf8");

function lint(text: string, rules: readonly Rule[] = MINE, path = "test.conf"): Finding[] {
  return lintText(text, path, { rules, reportUnusedSuppressions: false }).findings;
}

function fixAll(text: string, rules: readonly Rule[] = MINE, accept = (_: unknown) => true): string {
  return fixUntilStable(text, (t) => lint(t, rules), accept).output;
}

const at = (f: { line: number; column: number }) => `${f.line}:${f.column}`;

/** What `apache2 -t` said: the innermost "line N of FILE" it blames and the message after it. */
function apacheSaid(outName: string): { exit: number; line: number; message: string } {
  const out = readFileSync(join(CASES, "out", outName), "latin1");
  const exit = Number(/^\[exit (\d+)\]$/m.exec(out)![1]);
  const blames = [...out.matchAll(/Syntax error on line (\d+) of [^:]+:/g)];
  if (!blames.length) return { exit, line: 0, message: "" };
  const last = blames[blames.length - 1]!;
  const rest = out.slice(last.index! + last[0].length).replace(/\[exit \d+\][\s\S]*/, "").trim();
  // "<file>:14: <VirtualHost> was not closed." carries the path once more
  return { exit, line: Number(last[1]), message: rest.replace(/^\S+:\d+: /, "") };
}

interface Expect {
  /** case file under cases/ */
  file: string;
  /** its answer under cases/out/ (default: the case's own) */
  out?: string;
  rule: string;
  /** line:col of the finding */
  at: string;
  /** line:col of the related location, when there is one */
  related?: string;
  /** which of the two Apache's line is: the finding's or the related one's (none: Apache accepts the file) */
  apacheLine: "finding" | "related" | "none";
  /** Apache's message is quoted in the finding's message or the related one's (unset where Apache says nothing, or something misleading) */
  quotesApache?: "finding" | "related";
}

const TABLE: Expect[] = [
  { file: "c1-unclosed-virtualhost.conf", rule: "section-unclosed", at: "14:1", related: "17:1", apacheLine: "finding", quotesApache: "finding" },
  { file: "c2-unclosed-proxy-balancer.conf", rule: "section-unclosed", at: "18:5", related: "22:1", apacheLine: "related", quotesApache: "finding" },
  { file: "c3-mismatched-close.conf", rule: "section-mismatched", at: "16:1", related: "14:1", apacheLine: "finding", quotesApache: "finding" },
  { file: "c4-stray-close.conf", rule: "section-mismatched", at: "15:1", apacheLine: "finding", quotesApache: "finding" },
  { file: "c5-open-tag-missing-gt.conf", rule: "section-mismatched", at: "14:1", apacheLine: "finding", quotesApache: "finding" },
  { file: "m05-continuation-trailing-space.conf", rule: "continuation-trailing-space", at: "16:20", apacheLine: "finding" },
  { file: "m18-ifmodule-unclosed.conf", rule: "section-unclosed", at: "13:1", related: "15:1", apacheLine: "none" },
  { file: "m18b-ifmodule-false-unclosed.conf", rule: "section-unclosed", at: "13:1", related: "15:1", apacheLine: "finding", quotesApache: "finding" },
  { file: "files/unclosed-ifmodule.inc", out: "m18c-ifmodule-unclosed-in-include.t.txt", rule: "section-unclosed", at: "1:1", related: "3:1", apacheLine: "none" },
  { file: "m23-unbalanced-quote.conf", rule: "quote-unbalanced", at: "16:15", apacheLine: "finding" },
  { file: "m31-bom.conf", rule: "bom", at: "1:1", apacheLine: "finding", quotesApache: "finding" },
  { file: "files/bom.inc", out: "m31c-bom-in-include.t.txt", rule: "bom", at: "1:1", related: "3:1", apacheLine: "related", quotesApache: "related" },
  { file: "m34-unclosed-location.conf", rule: "section-unclosed", at: "16:5", related: "18:1", apacheLine: "related", quotesApache: "finding" },
  { file: "m35-ifdefine-unclosed.conf", rule: "section-unclosed", at: "15:1", related: "19:1", apacheLine: "none" },
  { file: "m06b-trailing-comment-take1.conf", rule: "trailing-comment", at: "13:17", apacheLine: "finding" },
  { file: "m07-trailing-comment-proxypass.conf", rule: "trailing-comment", at: "16:45", apacheLine: "finding" },
  { file: "m08b-trailing-comment-rewriterule-noflags.conf", rule: "trailing-comment", at: "18:54", apacheLine: "finding" },
  { file: "m09b-trailing-comment-rewritecond-noflags.conf", rule: "trailing-comment", at: "18:43", apacheLine: "finding" },
  { file: "m10-trailing-comment-require.conf", rule: "trailing-comment", at: "17:29", apacheLine: "finding" },
  { file: "m06-trailing-comment-flag.conf", rule: "trailing-comment", at: "13:19", apacheLine: "none" },
  { file: "m08-trailing-comment-rewriterule.conf", rule: "trailing-comment", at: "18:60", apacheLine: "none" },
  { file: "m09-trailing-comment-rewritecond.conf", rule: "trailing-comment", at: "18:48", apacheLine: "none" },
  { file: "f2-smart-quotes-proxypass.conf", rule: "typographic-quotes", at: "16:15", apacheLine: "finding" },
];

describe("findings where Apache 2.4.71 puts them", () => {
  for (const x of TABLE) {
    it(`${x.file}: ${x.rule} at ${x.at}`, () => {
      const text = read(join(CASES, x.file));
      const found = lint(text).filter((f) => f.ruleId === x.rule);
      expect(found.length, found.map((f) => `${at(f)} ${f.message}`).join("\n")).toBeGreaterThan(0);
      const f = found[0]!;
      expect(at(f)).toBe(x.at);
      expect(f.related[0] ? at(f.related[0]) : undefined).toBe(x.related);
      const said = apacheSaid(x.out ?? x.file.replace(/\.conf$/, ".t.txt"));
      if (x.apacheLine === "none") {
        expect(said.exit).toBe(0);
        return;
      }
      expect(said.exit).toBe(1);
      const where = x.apacheLine === "finding" ? f : f.related[0]!;
      expect(where.line).toBe(said.line);
      // the gist: Apache's sentence without its closing period or its "perhaps misspelled …" advice
      const gist = said.message.replace(/, perhaps misspelled[\s\S]*/, "").replace(/\.$/, "");
      if (x.quotesApache) expect((x.quotesApache === "finding" ? f : f.related[0]!).message).toContain(gist);
    });
  }

  it("reports nothing structural on the cases Apache accepts", () => {
    for (const name of ["00-baseline.conf", "m04-line-continuation.conf", "m31b-crlf.conf", "m11-case-insensitive.conf", "m37-error-in-continuation.conf", "m36-two-errors.conf"]) {
      expect(lint(read(join(CASES, name))).map((f) => `${name} ${at(f)} ${f.ruleId}`)).toEqual([]);
    }
  });

  it("reports every unclosed section of the tutorial's two vhosts, at the open tags", () => {
    const tutorial = join(ROOT, "websocket-tutorial");
    const text = `${read(join(tutorial, "vhost-basic.conf"))}\n\n${read(join(tutorial, "vhost-balancer.conf"))}`;
    expect(read(join(ROOT, "rules", "section-unclosed", "bad-tutorial.conf"))).toBe(text);
    const found = lint(text, [sectionUnclosed]);
    expect(found.map((f) => `${at(f)} ${text.slice(f.start, f.end)}`)).toEqual([
      "1:1 <VirtualHost *:443>",
      "10:1 <VirtualHost *:443>",
      "15:3 <Proxy balancer://backend-cluster>",
    ]);
    // the detection point is the end of the text, which has no final line break
    for (const f of found) expect(at(f.related[0]!)).toBe("22:20");
  });
});
