// The structural and lexical rules against what Apache 2.4.71 said about each
// measured case (shared/apache-truth, copied to fixtures/grammar/apache-truth):
// the exact line:col of every finding, the line Apache blames (as the finding or
// its related location), Apache's own words in the message, and the fixes.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { lintFile, lintText, type Finding } from "../src/index.js";
import { applyFixes, fixUntilStable } from "../src/core/fixer.js";
import { parse } from "../grammar/index.js";
import type { Rule } from "../src/core/rule.js";
import sectionUnclosed from "../rules/section-unclosed.js";
import sectionMismatched from "../rules/section-mismatched.js";
import continuationTrailingSpace from "../rules/continuation-trailing-space.js";
import bom from "../rules/bom.js";
import trailingComment from "../rules/trailing-comment.js";
import typographicQuotes from "../rules/typographic-quotes.js";
import quoteUnbalanced from "../rules/quote-unbalanced.js";
import parseError from "../rules/parse-error.js";
import suppressionUnused from "../rules/suppression-unused.js";

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
const ROOT = join(import.meta.dirname, "..", "fixtures");
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

describe("section-unclosed", () => {
  it("closes several sections that end at one point innermost first, in one pass", () => {
    const text = "<IfModule mod_proxy.c>\n<VirtualHost *:80>\n<Location /ws/>\nProxyPass ws://127.0.0.1:3000/ws/\n";
    const fixes = lint(text, [sectionUnclosed]).map((f) => f.fix!);
    expect(new Set(fixes.map((x) => x.edits[0]!.start)).size).toBe(1);
    // each finding carries the one edit that closes all three; the fixer applies it once
    expect(applyFixes(text, fixes).applied.length).toBe(1);
    const result = fixUntilStable(text, (t) => lint(t, [sectionUnclosed]), () => true);
    expect(result.output).toBe(`${text}</Location>\n</VirtualHost>\n</IfModule>\n`);
    expect(result.passes).toBe(1);
  });

  it("keeps a file without a final line break without one, and CRLF files CRLF", () => {
    expect(fixAll("<VirtualHost *:80>\r\n  ServerName a\r\n  ServerAlias b", [sectionUnclosed])).toBe(
      "<VirtualHost *:80>\r\n  ServerName a\r\n  ServerAlias b\r\n</VirtualHost>",
    );
    // a dangling `\` would continue onto the close tag: an empty line ends it first
    expect(fixAll("<Location />\n  Require all granted \\", [sectionUnclosed])).toBe("<Location />\n  Require all granted \\\n\n</Location>");
  });

  it("uses the open tag's spelling and indentation (tabs kept)", () => {
    expect(fixAll("<virtualhost *:80>\n\t<ifmodule mod_rewrite.c>\n\t\tRewriteEngine On\n\tServerName a\n</virtualhost>\n", [sectionUnclosed])).toBe(
      "<virtualhost *:80>\n\t<ifmodule mod_rewrite.c>\n\t\tRewriteEngine On\n\t</ifmodule>\n\tServerName a\n</virtualhost>\n",
    );
  });

  it("says what Apache does: silent for a true conditional at the end, refusal otherwise", () => {
    const msg = (text: string) => lint(text, [sectionUnclosed]).map((f) => f.message);
    expect(msg("<IfVersion >= 2.4>\nServerName a\n")[0]).toMatch(/silently ends it .* when its condition is true/);
    // inside an open true conditional, Apache never checks the inner sections
    expect(msg("<IfDefine !X>\n<VirtualHost *:80>\nServerName a\n")[1]).toMatch(/when <IfDefine !X>'s condition is true/);
    // a conditional inside a plain section: the plain one is what Apache names
    expect(msg("<VirtualHost *:80>\n<IfModule x>\nServerName a\n")[1]).toContain('("<VirtualHost> was not closed.")');
    expect(msg("<Directory /x>\nRequire all granted\n")[0]).toContain('("<Directory> was not closed.")');
  });
});

describe("section-mismatched", () => {
  it("deletes a stray close tag only as an unsafe fix", () => {
    const text = "ProxyPass / http://127.0.0.1:13001/\n</VirtualHost>\nServerName a\n";
    const [f] = lint(text, [sectionMismatched]);
    expect(f!.fix!.safety).toBe("unsafe");
    expect(fixAll(text, [sectionMismatched], (x) => (x as { safety: string }).safety === "safe")).toBe(text);
    expect(fixAll(text, [sectionMismatched])).toBe("ProxyPass / http://127.0.0.1:13001/\nServerName a\n");
  });

  it("renames a wrong close tag and quotes what Apache says for a conditional section", () => {
    const text = "<IfModule mod_proxy.c>\n  ProxyRequests Off\n</Proxy>\n";
    const [f] = lint(text, [sectionMismatched]);
    expect(at(f!)).toBe("3:1");
    expect(f!.message).toContain('"</Proxy> without matching <Proxy> section" when the condition is true');
    expect(fixAll(text, [sectionMismatched])).toBe("<IfModule mod_proxy.c>\n  ProxyRequests Off\n</IfModule>\n");
  });

  it("puts a missing `>` before a `#` word on an open tag, and after the name on a close tag", () => {
    expect(fixAll("<Location /ws/ # websocket\n</Location\n", [sectionMismatched])).toBe("<Location /ws/> # websocket\n</Location>\n");
    expect(fixAll("<Location />\n</Location  >\n", [sectionMismatched])).toBe("<Location />\n</Location>\n");
  });
});

describe("bom", () => {
  it("explains the first line Apache then sees, and points at the close tag Apache blames", () => {
    const cases: [string, string][] = [
      ["\ufeff# x\n", "Invalid command '\\xef\\xbb\\xbf#'"],
      ["\ufeffServerName a\n", "Invalid command '\\xef\\xbb\\xbfServerName'"],
      ["\ufeff\nServerName a\n", "Invalid command '\\xef\\xbb\\xbf'"],
    ];
    for (const [text, said] of cases) expect(lint(text, [bom])[0]!.message).toContain(said);
    const [f] = lint("\ufeff<IfModule mod_proxy.c>\nProxyRequests Off\n</IfModule>\n", [bom]);
    expect(at(f!.related[0]!)).toBe("3:1");
    expect(f!.related[0]!.message).toContain('"</IfModule> without matching <IfModule> section"');
  });
});

describe("continuation-trailing-space", () => {
  it("is safe only when the next line is indented deeper, and silent where nothing follows", () => {
    const safety = (text: string) => lint(text, [continuationTrailingSpace]).map((f) => f.fix!.safety);
    expect(safety("ProxyPass /ws/ \\ \n    ws://127.0.0.1:13001/ws/\n")).toEqual(["safe"]);
    expect(safety("RewriteRule ^/a$ /b [L] \\\t\nRewriteRule ^/c$ /d [L]\n")).toEqual(["unsafe"]);
    expect(safety("ProxyPass /ws/ \\ \n    # comment\n")).toEqual(["unsafe"]);
    expect(safety("ProxyPass /ws/ \\  ")).toEqual([]);
    expect(safety("# ProxyPass /ws/ \\ \n    ws://x/\n")).toEqual([]);
  });

  it("also checks section tags", () => {
    const [f] = lint('<If "%{HTTP_HOST} == \'a\'" \\ \n    >\n</If>\n', [continuationTrailingSpace]);
    expect(at(f!)).toBe("1:27");
  });
});

describe("trailing-comment", () => {
  // Every row: a valid line, then ` # note here` and ` #note` appended, and what apache2 -t said.
  const measured = JSON.parse(read(join(ROOT, "rules", "trailing-comment", "apache-2.4.71-measured.json"))) as {
    rows: { line: string; spaced: string; glued: string }[];
  };

  it("is an error exactly where Apache 2.4.71 refused the line, a warning where it said Syntax OK", () => {
    const wrong: string[] = [];
    let errors = 0;
    for (const r of measured.rows) {
      for (const [suffix, said] of [[" # note here", r.spaced], [" #note", r.glued]] as const) {
        const f = lint(`${r.line}${suffix}\n`, [trailingComment]);
        const want = said === "Syntax OK" ? "warning" : "error";
        if (want === "error") errors++;
        const got = f[0]?.severity ?? "none";
        if (got !== want) wrong.push(`${r.line}${suffix}: Apache ${said}, we ${got}`);
      }
    }
    expect(measured.rows.length).toBeGreaterThan(250);
    expect(errors).toBeGreaterThan(300);
    expect(wrong).toEqual([]);
  });

  it("takes a `#word` that fills a required argument for a value", () => {
    expect(lint("Header set X-Color #fff\nServerName #todo\n", [trailingComment])).toEqual([]);
    expect(lint("Header set X-Color #fff # white\n", [trailingComment])[0]!.severity).toBe("error");
  });

  it("moves the comment above, safe only where Apache refuses or ignores the words", () => {
    const safety = (line: string) => lint(line, [trailingComment])[0]!.fix!.safety;
    expect(safety("ProxyTimeout 60 # s\n")).toBe("safe");
    expect(safety("ProxyRequests Off # s\n")).toBe("safe");
    expect(safety("DirectoryIndex index.html # s\n")).toBe("unsafe");
    expect(safety("MadeUpDirective a # s\n")).toBe("unsafe");
    expect(lint("MadeUpDirective a # s\n", [trailingComment])[0]!.message).toBe(
      "Apache has no trailing comments: it passes `#`, `s` to MadeUpDirective as arguments.",
    );
    expect(fixAll("  ProxyPass /a \\\n    http://x/ # backend  \n", [trailingComment])).toBe("  # backend\n  ProxyPass /a \\\n    http://x/\n");
  });
});

describe("typographic-quotes", () => {
  it("flags each look-alike quote outside comments, never an apostrophe inside a word", () => {
    const text = "# “ok” in a comment\nServerAdmin o’brien@example.com\nRewriteCond %{HTTP:Upgrade} ‘websocket’ [NC]\nHeader set X \"it’s\" # “ok”\n";
    expect(lint(text, [typographicQuotes]).map((f) => `${at(f)} ${text.slice(f.start, f.end)}`)).toEqual(["3:29 ‘", "3:39 ’"]);
  });

  it("fixes the tutorial's prose RewriteRule, which then reads as Apache was meant to read it", () => {
    const text = read(join(ROOT, "websocket-tutorial", "prose-rewriterule.conf"));
    expect(lint(text, [typographicQuotes]).every((f) => f.severity === "error" && f.fix!.safety === "safe")).toBe(true);
    expect(fixAll(text, [typographicQuotes])).toBe('RewriteRule .* "wss:/ws-backend%{REQUEST_URI}" [P]');
  });

  it("is a warning with an unsafe fix inside ASCII quotes, except in an expression", () => {
    const [inText] = lint('ErrorDocument 404 "the “page”"\n', [typographicQuotes]);
    expect([inText!.severity, inText!.fix!.safety]).toEqual(["warning", "unsafe"]);
    const [inExpr] = lint('Require expr "%{REMOTE_USER} == ‘bob’"\n', [typographicQuotes]);
    expect([inExpr!.severity, inExpr!.fix!.safety]).toEqual(["error", "safe"]);
  });
});

describe("quote-unbalanced", () => {
  it("says what the open quote swallowed (m23)", () => {
    const [f] = lint(read(join(CASES, "m23-unbalanced-quote.conf")), [quoteUnbalanced]);
    expect(f!.message).toBe(
      "The `\"` in ProxyPass is never closed: Apache silently takes the rest of the line, `/ws/ ws://127.0.0.1:13001/ws/`, " +
        "as its only argument, and any error it then reports for ProxyPass says nothing about the quote.",
    );
    expect(f!.fix).toBeUndefined();
  });
});

describe("parse-error", () => {
  it("never comes from the parser: every input lexes and parses (so the rule's fixture is a NUL byte)", () => {
    const alphabet = fc.constantFrom("a", " ", "\t", "\n", "\r", "\\", "#", "<", "/", ">", '"', "'", "\0", "\ufeff", "é");
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 80 }).map((a) => a.join("")), (text) => {
        expect(parse(text).errors.filter((e) => e.code === "parse-error")).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });

  it("reports what the parser would record, should it ever fail", () => {
    const file = parse("ServerName a\n");
    file.errors.push({ code: "parse-error", start: 0, end: 0, message: "internal parser failure: boom" });
    const found = lintFile(file, { rules: [parseError], reportUnusedSuppressions: false });
    expect(found.map((f) => ({ message: f.message, start: f.start, end: f.end }))).toEqual([
      { message: "apachelint could not parse this: internal parser failure: boom", start: 0, end: 0 },
    ]);
  });

  it("flags a NUL byte on a directive line, not in a comment, and says the continuation is lost", () => {
    const text = "# nul \0 in a comment\nServerAdmin a@b\0 junk \\\n  more words\n";
    const found = lint(text, [parseError]);
    expect(found.map(at)).toEqual(["2:16"]);
    expect(found[0]!.message).toContain("the `\\` continuation: the next line stands alone");
  });
});

describe("suppression-unused", () => {
  it("is reported by the engine, not by the rule's own check", () => {
    const text = "# apachelint-disable-next-line trailing-comment\nProxyRequests Off\n";
    expect(lintFile(parse(text), { rules: [suppressionUnused], reportUnusedSuppressions: false })).toEqual([]);
    const findings = lintText(text, "x.conf", { rules: [trailingComment, suppressionUnused] }).findings;
    expect(findings.map((f) => `${at(f)} ${f.ruleId}`)).toEqual(["1:1 suppression-unused"]);
  });
});
