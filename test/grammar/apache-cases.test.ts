// The parser against what Apache 2.4.71 itself said about each measured case
// (shared/apache-truth, copied to fixtures/grammar/apache-truth). Every config
// parses losslessly; each structural rejection by `apache2 -t` is a parse error
// of the matching code at the line Apache names (or at the opening tag, with
// Apache's line as `related`); everything Apache accepts parses clean, except
// the structural mistakes Apache lets through, which we report on purpose.
import { describe, expect, it } from "vitest";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type { ConfigFile, ParseErrorCode } from "../../grammar/index.js";
import { parseChecked } from "./invariants.js";

const FIXTURES = join(import.meta.dirname, "..", "..", "fixtures", "grammar", "apache-truth");
// shared/ sits beside the checkout (CI copies it there); the copy under fixtures/ must match it
const ORIGINAL = [join(import.meta.dirname, "..", "..", "..", "shared", "apache-truth"), "/work/shared/apache-truth"].find((d) => existsSync(d)) ?? "";
const CASES = join(FIXTURES, "cases");

interface Expected {
  code: ParseErrorCode;
  line: number;
  /** the line of the related span (where the problem was detected) */
  related?: number;
}

interface Row {
  errors: Expected[];
  /** why, when it is not simply what Apache says */
  note?: string;
}

/** Per file under cases/ (or e2e/conf/), the parse errors we expect. Files not listed: none. */
const TABLE: Record<string, Row> = {
  "c1-unclosed-virtualhost.conf": { errors: [{ code: "unclosed-section", line: 14, related: 17 }] },
  "c2-unclosed-proxy-balancer.conf": {
    errors: [{ code: "unclosed-section", line: 18, related: 22 }],
    note: "Apache: Expected </Proxy> but saw </VirtualHost> at 22; we point at the <Proxy> and relate 22",
  },
  "c3-mismatched-close.conf": { errors: [{ code: "wrong-close", line: 16, related: 14 }] },
  "c4-stray-close.conf": { errors: [{ code: "stray-close", line: 15 }] },
  "c5-open-tag-missing-gt.conf": { errors: [{ code: "missing-gt", line: 14 }] },
  "m18b-ifmodule-false-unclosed.conf": { errors: [{ code: "unclosed-section", line: 13, related: 15 }] },
  "m23-unbalanced-quote.conf": {
    errors: [{ code: "unbalanced-quote", line: 16 }],
    note: "Apache's message is misleading (the quote swallows the rest of the line); its line is right",
  },
  "m31-bom.conf": { errors: [{ code: "byte-order-mark", line: 1 }] },
  // Apache: "ProxyPass URL must be absolute!: \\" on line 16: the `\` became an argument
  "m05-continuation-trailing-space.conf": { errors: [{ code: "broken-continuation", line: 16 }] },
  "m34-unclosed-location.conf": { errors: [{ code: "unclosed-section", line: 16, related: 18 }] },
  "files/bom.inc": {
    errors: [{ code: "byte-order-mark", line: 1 }],
    note: "m31c: Apache blames line 3 of this file (a </VirtualHost> whose <VirtualHost> the BOM hid); the cause is the BOM on line 1",
  },
  // Accepted by Apache, reported on purpose: the section runs to the end of its file.
  "m18-ifmodule-unclosed.conf": { errors: [{ code: "unclosed-section", line: 13, related: 15 }], note: "c6, silently accepted" },
  "files/unclosed-ifmodule.inc": { errors: [{ code: "unclosed-section", line: 1, related: 3 }], note: "c8 (m18c), silently accepted" },
  "m35-ifdefine-unclosed.conf": { errors: [{ code: "unclosed-section", line: 15, related: 19 }], note: "c9, silently accepted" },
  // e2e: the seed with every mistake; whack-a-mole run 3 reports both sections at once
  "e2e/0-seed-all-mistakes.conf": {
    errors: [
      { code: "unclosed-section", line: 15, related: 28 },
      { code: "unclosed-section", line: 25, related: 28 },
    ],
  },
};

/** Apache accepts these, and we report them anyway (verdicts c6, c8, c9). */
const REPORTED_ON_PURPOSE = new Set(["m18-ifmodule-unclosed.conf", "files/unclosed-ifmodule.inc", "m35-ifdefine-unclosed.conf"]);


function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

interface Verdict {
  exit: number;
  /** the file and line Apache blames, innermost include first */
  file: string;
  line: number;
  message: string;
}

/** Apache's answer for a case, from cases/out/<case>.t.txt. */
function verdict(caseName: string): Verdict {
  const out = readFileSync(join(CASES, "out", caseName.replace(/\.conf$/, ".t.txt")), "latin1");
  const exit = Number(/^\[exit (\d+)\]$/m.exec(out)![1]);
  // chained includes: "line 15 of A: Syntax error on line 3 of B: MSG"; the innermost one is the culprit
  const blames = [...out.matchAll(/Syntax error on line (\d+) of ([^:]+):/g)];
  if (blames.length === 0) return { exit, file: caseName, line: 0, message: "" };
  const last = blames[blames.length - 1]!;
  const after = out.slice(last.index! + last[0].length).replace(/\[exit \d+\][\s\S]*/, "").trim();
  return { exit, file: relative(join("<lab>", "cases"), last[2]!.trim()), line: Number(last[1]), message: after };
}

/**
 * Which parse error codes Apache's message can correspond to, or null when it is
 * not structural. "Expected </A> but saw </B>" is an unclosed <A> when a <B> is
 * open further out, else a mismatched close tag.
 */
function structuralCodes(message: string): ParseErrorCode[] | null {
  if (/was not closed|before end of configuration/.test(message)) return ["unclosed-section"];
  if (/^Expected <\/[^>]*> but saw <\/[^>]*>/.test(message)) return ["unclosed-section", "wrong-close"];
  if (/without matching <[^>]*> section/.test(message)) return ["stray-close"];
  if (/directive missing closing '>'/.test(message)) return ["missing-gt"];
  if (/^Invalid command '\\xef\\xbb\\xbf/.test(message)) return ["byte-order-mark"];
  return null;
}

function describeErrors(file: ConfigFile): Expected[] {
  return file.errors.map((e) => {
    const x: Expected = { code: e.code, line: file.position(e.start).line };
    if (e.related?.length) x.related = file.position(e.related[0]!.start).line;
    return x;
  });
}

const caseFiles = readdirSync(CASES).filter((n) => n.endsWith(".conf")).sort();
const includedFiles = walk(join(CASES, "files")).map((p) => relative(CASES, p)).sort();
const e2eFiles = readdirSync(join(FIXTURES, "e2e", "conf")).sort();

describe("the fixture copy of shared/apache-truth", () => {
  it("has every case and Apache's answer for it", () => {
    expect(caseFiles.length).toBeGreaterThanOrEqual(95);
    for (const c of caseFiles) expect(existsSync(join(CASES, "out", c.replace(/\.conf$/, ".t.txt"))), c).toBe(true);
  });
  it.skipIf(!existsSync(ORIGINAL))("is identical to the original", () => {
    for (const rel of [...caseFiles, ...includedFiles]) {
      expect(readFileSync(join(CASES, rel)).equals(readFileSync(join(ORIGINAL, "cases", rel))), rel).toBe(true);
    }
    for (const n of readdirSync(join(ORIGINAL, "cases")).filter((x) => x.endsWith(".conf"))) expect(caseFiles).toContain(n);
    for (const n of e2eFiles) expect(readFileSync(join(FIXTURES, "e2e", "conf", n)).equals(readFileSync(join(ORIGINAL, "e2e", "conf", n))), n).toBe(true);
  });
});

describe("the expectation table agrees with Apache's answers (cases/out)", () => {
  for (const c of caseFiles) {
    const v = verdict(c);
    const codes = structuralCodes(v.message);
    if (codes === null) continue;
    it(`${c}: Apache says ${JSON.stringify(v.message.split("\n")[0])} at line ${v.line} of ${v.file}`, () => {
      // a structural rejection must be in the table, for the file Apache blames (or its cause)
      const row = TABLE[v.file] ?? TABLE[c];
      expect(row, `no table row for ${v.file}`).toBeDefined();
      const candidates = row!.errors.filter((e) => codes.includes(e.code));
      if (v.file === "files/bom.inc") {
        // the BOM hides the open tag: Apache trips over the close tag two lines later
        expect(candidates.map((e) => e.code)).toEqual([]);
        expect(row!.errors.map((e) => e.code)).toEqual(["byte-order-mark"]);
        return;
      }
      expect(candidates.some((e) => e.line === v.line || e.related === v.line), `${codes.join(" or ")} at or related to line ${v.line}`).toBe(true);
    });
  }

  it("lists every structural rejection and nothing Apache accepts, except c6/c8/c9", () => {
    for (const c of caseFiles) {
      const v = verdict(c);
      const row = TABLE[c];
      if (v.exit === 0 && row) expect(REPORTED_ON_PURPOSE.has(c), `${c} passes apache2 -t but the table expects errors`).toBe(true);
    }
    // m23 is the one structural problem Apache words as something else
    expect(structuralCodes(verdict("m23-unbalanced-quote.conf").message)).toBeNull();
    expect(verdict("m23-unbalanced-quote.conf").line).toBe(TABLE["m23-unbalanced-quote.conf"]!.errors[0]!.line);
    expect(verdict("m05-continuation-trailing-space.conf").exit).toBe(1);
    // the included file of m18c is accepted too: its case passes
    expect(verdict("m18c-ifmodule-unclosed-in-include.conf").exit).toBe(0);
  });
});

describe("every case config parses as the table says", () => {
  for (const c of [...caseFiles, ...includedFiles]) {
    it(c, () => {
      const text = readFileSync(join(CASES, c), "utf8");
      const file = parseChecked(text, c);
      expect(describeErrors(file)).toEqual(TABLE[c]?.errors ?? []);
      if (!TABLE[c] && !c.startsWith("files/")) {
        const v = verdict(c);
        // clean parse: Apache accepted it, rejected it for a non-structural reason, or blamed an included file
        expect(v.exit === 0 || v.file !== c || structuralCodes(v.message) === null, `${c}: ${v.message}`).toBe(true);
      }
    });
  }
});

describe("every e2e config parses as Apache's runs say", () => {
  const runs = readFileSync(join(FIXTURES, "e2e", "out", "run-e2e.txt"), "utf8");
  const whack = readFileSync(join(FIXTURES, "e2e", "out", "whack-a-mole.txt"), "utf8");
  for (const n of e2eFiles) {
    it(n, () => {
      const file = parseChecked(readFileSync(join(FIXTURES, "e2e", "conf", n), "utf8"), n);
      const ok = new RegExp(`-f e2e/conf/${n.replace(/\./g, "\\.")}\\s+-> exit 0 .*Syntax OK`).test(runs);
      if (ok) {
        expect(describeErrors(file)).toEqual([]);
        return;
      }
      // the seed: Apache lists every unclosed section in one message (whack-a-mole run 3)
      const unclosed = [...whack.matchAll(/seed\.conf:(\d+): <[^>]+> was not closed/g)].map((m) => Number(m[1])).sort((a, b) => a - b);
      expect(unclosed.length).toBeGreaterThan(0);
      const got = describeErrors(file);
      expect(got.filter((e) => e.code === "unclosed-section").map((e) => e.line)).toEqual(unclosed);
      expect(got).toEqual(TABLE[`e2e/${n}`]!.errors);
    });
  }
});

describe("measured behaviour the AST must show", () => {
  const load = (c: string) => parseChecked(readFileSync(join(CASES, c), "utf8"), c);
  const directiveOn = (f: ConfigFile, line: number) => {
    const stack = [...f.children];
    while (stack.length) {
      const n = stack.shift()!;
      if (n.kind === "section") stack.unshift(...n.children);
      else if (n.kind === "directive" && f.position(n.start).line === line) return n;
    }
    throw new Error(`no directive on line ${line}`);
  };

  it("m05: `\\` before trailing blanks is an argument and does not continue (Apache: URL must be absolute!: \\\\)", () => {
    const f = load("m05-continuation-trailing-space.conf");
    const pp = directiveOn(f, 16);
    expect(pp.args.map((a) => a.value)).toEqual(["/ws/", "\\"]);
    expect(directiveOn(f, 17).name).toBe("ws://127.0.0.1:13001/ws/");
  });

  it("m37: an argument on the third line of a continued directive is located on that line (Apache blames 16)", () => {
    const f = load("m37-error-in-continuation.conf");
    const pp = directiveOn(f, 14);
    expect(pp.args.map((a) => a.value)).toEqual(["/app/", "http://127.0.0.1:13001/", "timeout=abc"]);
    expect(f.position(pp.args[2]!.start)).toMatchObject({ line: 16, column: 5 });
    expect(f.range(pp.start, pp.end).end.line).toBe(Number(/line (\d+)/.exec(readFileSync(join(CASES, "out", "m37-error-in-continuation.t.txt"), "utf8"))![1]));
  });

  it("m04: a directive continued over three lines has all its words", () => {
    const pp = directiveOn(load("m04-line-continuation.conf"), 16);
    expect(pp.args.map((a) => a.value)).toEqual(["/ws/", "ws://127.0.0.1:13001/ws/", "upgrade=websocket"]);
  });

  it("m11: section names match whatever their case", () => {
    const f = load("m11-case-insensitive.conf");
    const vh = f.children.find((n) => n.kind === "section")!;
    expect(vh.kind === "section" && vh.name).toBe("virtualhost");
    expect(vh.kind === "section" && vh.close?.name).toBe("VIRTUALHOST");
    expect(vh.kind === "section" && vh.key).toBe("virtualhost");
  });

  it("m31b: CRLF lines keep their CR out of the content and inside the node", () => {
    const f = load("m31b-crlf.conf");
    expect(f.eol).toBe("\r\n");
    const d = directiveOn(f, 2);
    expect(d.text).toBe("ServerName localhost");
    expect(f.text.slice(d.end, d.to)).toBe("\r\n");
  });

  it("m32: a 20,000-character comment and a 10,000-character directive", () => {
    const f = load("m32-long-lines.conf");
    const long = f.children.filter((n) => n.to - n.from > 10_000);
    expect(long.map((n) => n.kind).sort()).toEqual(["comment", "directive"]);
  });

  it("m06-m10: a `#` after the arguments is an argument, marked by trailingCommentIndex", () => {
    const cases: [string, number, number][] = [
      ["m06-trailing-comment-flag.conf", 13, 1],
      ["m06b-trailing-comment-take1.conf", 13, 1],
      ["m07-trailing-comment-proxypass.conf", 16, 2],
      ["m08-trailing-comment-rewriterule.conf", 18, 3],
      ["m09-trailing-comment-rewritecond.conf", 18, 3],
      ["m10-trailing-comment-require.conf", 17, 2],
    ];
    for (const [c, line, index] of cases) {
      const d = directiveOn(load(c), line);
      expect(d.trailingCommentIndex, c).toBe(index);
      expect(d.args[index]!.raw, c).toBe("#");
    }
  });
});
