// Each output format is checked by its consumer's own reading of it: VS Code's
// problem-matcher regexes, GitHub's workflow-command parser, the SARIF 2.1.0
// JSON schema, an XML well-formedness check, ESLint's result types.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import { describe, expect, it } from "vitest";
import { lintText, type Finding } from "../src/index.js";
import { applyFixes } from "../src/core/fixer.js";
import { formatFor, formatNames, formatters } from "../src/formatters/index.js";
import type { FileReport, FormatContext } from "../src/formatters/report.js";
import { defineRule, type Fix, type Report, type Rule, type Severity } from "../src/core/rule.js";

// ---------------------------------------------------------------------------
// Reports made by really linting configs with test rules
// ---------------------------------------------------------------------------

const CWD = "/srv/site";

type FixKind = "safe" | "multi" | "unsafe";

interface Case {
  message: string;
  severity: Severity;
  fix?: FixKind;
  /** the message as a line-based format must show it (line breaks → space, controls escaped) */
  line: string;
  /** ... and as the stylish table shows it (white space folded, first sentence, final period dropped) */
  stylish: string;
}

// `Msg <key>` lines pick a case; the messages hold every character a format must escape.
const CASES: Record<string, Case> = {
  pct: {
    message: "100% of 'ProxyPass' uses: ws, wss",
    severity: "error",
    fix: "safe",
    line: "100% of 'ProxyPass' uses: ws, wss",
    stylish: "100% of 'ProxyPass' uses: ws, wss",
  },
  nl: {
    message: "Line one\nline two\r\nline three",
    severity: "warning",
    line: "Line one line two line three",
    stylish: "Line one line two line three",
  },
  xml: {
    message: `Use "ws://backend:8080/" <not> & 'friends'`,
    severity: "error",
    fix: "multi",
    line: `Use "ws://backend:8080/" <not> & 'friends'`,
    stylish: `Use "ws://backend:8080/" <not> & 'friends'`,
  },
  utf: {
    message: "Übergröße — 日本語 🚀 ends with a period.",
    severity: "info",
    fix: "unsafe",
    line: "Übergröße — 日本語 🚀 ends with a period.",
    stylish: "Übergröße — 日本語 🚀 ends with a period",
  },
  ws: {
    message: "two  spaces\tand a tab",
    severity: "warning",
    line: "two  spaces\tand a tab",
    stylish: "two spaces and a tab",
  },
  ctl: {
    message: "bell\u0007 and esc\u001b[31m",
    severity: "warning",
    line: "bell\\u0007 and esc\\u001b[31m",
    stylish: "bell\\u0007 and esc\\u001b[31m",
  },
  esc: {
    message: "literal %0A and %25 and ::notice::x",
    severity: "error",
    line: "literal %0A and %25 and ::notice::x",
    stylish: "literal %0A and %25 and ::notice::x",
  },
};

function fixFor(kind: FixKind, nameStart: number, nameEnd: number, argStart: number, argEnd: number): Fix {
  if (kind === "safe") return { safety: "safe", title: "Replace the key", edits: [{ start: argStart, end: argEnd, text: "fixed" }] };
  if (kind === "unsafe") return { safety: "unsafe", title: "Delete the key", edits: [{ start: argStart - 1, end: argEnd, text: "" }] };
  // two edits with untouched text between them
  return {
    safety: "safe",
    title: "Upper-case both",
    edits: [
      { start: argStart, end: argEnd, text: "XML" },
      { start: nameStart, end: nameEnd, text: "MSG" },
    ],
  };
}

const doc = {
  problem: "A demo problem with `code`, <angle> & ampersand.",
  bad: "Msg pct\n",
  good: "Msg fixed\n",
  why: "Apache does something unexpected.",
  versions: "2.4.x",
  fix: "Rewrites the key.",
  cases: [],
};

const demoMsg: Rule = defineRule({
  id: "demo-msg",
  severity: "error",
  description: "A demo rule whose messages come from a table",
  fixable: "unsafe",
  doc,
  severities: ["error", "warning", "info"],
  create(ctx) {
    return {
      directive: {
        msg(d) {
          const arg = d.args[0]!;
          const c = CASES[arg.value];
          if (!c) return;
          const r: Report = { message: c.message, start: arg.start, end: arg.end, severity: c.severity };
          if (c.fix) r.fix = fixFor(c.fix, d.start, d.nameEnd, arg.start, arg.end);
          if (arg.value === "xml") r.related = [{ start: d.start, end: d.nameEnd, message: "the directive <here>" }];
          ctx.report(r);
        },
      },
    };
  },
});

// Reports a directive written over several physical lines, whole.
const demoSpan: Rule = defineRule({
  id: "demo-span",
  severity: "warning",
  description: "A demo rule reporting whole multi-line directives",
  fixable: "none",
  doc: { ...doc, fix: undefined },
  create: (ctx) => ({ directive: { span: (d) => ctx.report({ message: "Spans lines", start: d.start, end: d.end }) } }),
});

const RULES = [demoMsg, demoSpan];

function report(rel: string, text: string): FileReport {
  const { findings } = lintText(text, rel, { rules: RULES });
  return { path: rel, absolutePath: path.join(CWD, rel), findings, source: text, fixesApplied: 0 };
}

const MAIN_TEXT = [
  "# apachelint-disable-next-line no-such-rule",
  "ServerName example.org",
  ...Object.keys(CASES).map((k) => `Msg ${k}`),
  "Span one \\",
  "  two",
  "",
].join("\n");

const main = report("conf/httpd.conf", MAIN_TEXT);
const clean = report("conf/clean.conf", "ServerName clean.example\n");
// a path a URI, a shell and XML all treat specially
const odd = report("sites/a,b my site:ä&.conf", "Msg pct\r\nMsg xml\r\n");
const reports = [main, clean, odd];

function ctx(over: Partial<FormatContext> = {}): FormatContext {
  return { cwd: CWD, color: false, rules: RULES, toolVersion: "1.2.3", hiddenUnsafeFixes: 0, ...over };
}

const all = (rs: readonly FileReport[]) => rs.flatMap((r) => r.findings.map((f) => ({ r, f })));

function caseOf(f: Finding): Pick<Case, "line" | "stylish"> {
  if (f.ruleId === "demo-msg") return CASES[Object.keys(CASES).find((k) => CASES[k]!.message === f.message)!]!;
  return { line: f.message, stylish: f.message.replace(/([^ ])\.$/u, "$1") };
}

describe("test setup", () => {
  it("lints real findings of every severity, fix kind and shape", () => {
    const fs = all(reports).map((x) => x.f);
    expect(main.findings.map((f) => f.ruleId)).toContain("suppression-unused");
    expect(new Set(fs.map((f) => f.severity))).toEqual(new Set(["error", "warning", "info"]));
    expect(fs.filter((f) => f.fix?.edits.length === 2)).toHaveLength(2);
    expect(fs.some((f) => f.fix?.safety === "unsafe")).toBe(true);
    expect(fs.some((f) => f.endLine > f.line)).toBe(true);
    expect(clean.findings).toHaveLength(0);
    expect(odd.findings).toHaveLength(2);
  });
});

// ---------------------------------------------------------------------------
// Registry
// ---------------------------------------------------------------------------

describe("formatFor", () => {
  it("returns every registered formatter by name", () => {
    expect([...formatNames].sort()).toEqual(["checkstyle", "compact", "github", "gitlab", "json", "sarif", "stylish", "unix"]);
    for (const name of formatNames) expect(formatFor(name)).toBe(formatters[name]);
  });

  it("throws an Error naming the valid formats for an unknown name", () => {
    expect(() => formatFor("xml")).toThrow(/Unknown format 'xml'.*stylish.*sarif/);
    expect(() => formatFor("toString")).toThrow(Error);
    expect(() => formatFor("")).toThrow(/Unknown format/);
  });
});

// ---------------------------------------------------------------------------
// stylish, read by VS Code's $eslint-stylish
// ---------------------------------------------------------------------------

// microsoft/vscode src/vs/workbench/contrib/tasks/common/problemMatcher.ts, ProblemPatternRegistryImpl.fillDefaults:
//   this.add('eslint-stylish', [
//     { regexp: /^((?:[a-zA-Z]:)*[./\\]+.*?)$/, kind: ProblemLocationKind.Location, file: 1 },
//     { regexp: /^\s+(\d+):(\d+)\s+(error|warning|info)\s+(.+?)(?:\s\s+(.*))?$/,
//       line: 1, character: 2, severity: 3, message: 4, code: 5, loop: true } ]);
// The header is the path as the user named it, not ESLint's absolute one, so
// today's file pattern does not take it (editors read `-f unix` through
// problem-matchers/apachelint.json instead); the rows still read back through
// the problem pattern, under the older file pattern /^([^\s].*)$/.
const STYLISH_FILE = /^([^\s].*)$/;
const STYLISH_PROBLEM = /^\s+(\d+):(\d+)\s+(error|warning|info)\s+(.+?)(?:\s\s+(.*))?$/;

interface Matched {
  file: string;
  line: number;
  column: number;
  severity: string;
  message: string;
  code: string | undefined;
}

/** A file line opens a block; problem lines loop until one does not match. */
function matchStylish(output: string, fileRe: RegExp): Matched[] {
  const out: Matched[] = [];
  let file: string | null = null;
  for (const text of output.split(/\r\n|\r|\n/)) {
    const p = file !== null ? STYLISH_PROBLEM.exec(text) : null;
    if (p && file !== null) {
      out.push({ file, line: +p[1]!, column: +p[2]!, severity: p[3]!, message: p[4]!, code: p[5] });
      continue;
    }
    const f = fileRe.exec(text);
    file = f ? f[1]! : null;
  }
  return out;
}

const stripAnsi = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, "");

describe("stylish", () => {
  it("is ESLint's layout, under the path as the user named it", () => {
    const r: FileReport = {
      path: "a.conf",
      absolutePath: "/srv/site/a.conf",
      source: "",
      fixesApplied: 0,
      findings: [
        mk({ line: 1, column: 1, severity: "error", message: "Msg one.", ruleId: "rule-a", fix: safeFix }),
        mk({ line: 12, column: 10, severity: "warning", message: "Longer message", ruleId: "rule-bb" }),
      ],
    };
    expect(formatFor("stylish")([r], ctx())).toBe(
      [
        "",
        "a.conf",
        "   1:1   error    Msg one         rule-a",
        "  12:10  warning  Longer message  rule-bb",
        "",
        "\u2716 2 problems (1 error, 1 warning)",
        "  1 error and 0 warnings potentially fixable with the `--fix` option.",
        "",
      ].join("\n"),
    );
  });

  it("gives a problem matcher every problem, colours or not", () => {
    for (const color of [false, true]) {
      const out = formatFor("stylish")(reports, ctx({ color }));
      // the task system hands the matcher lines without escape sequences
      const got = matchStylish(stripAnsi(out), STYLISH_FILE);
      const want = all(reports).map(({ r, f }) => ({
        file: r.path,
        line: f.line,
        column: f.column,
        severity: f.severity,
        message: caseOf(f).stylish,
        code: f.ruleId,
      }));
      expect(got).toEqual(want);
    }
  });

  it("colours only when asked, and colour changes nothing else", () => {
    const plain = formatFor("stylish")(reports, ctx());
    const coloured = formatFor("stylish")(reports, ctx({ color: true }));
    expect(plain).not.toMatch(/\u001b/);
    expect(coloured).toMatch(/\u001b\[31merror\u001b\[39m/);
    expect(stripAnsi(coloured)).toBe(plain);
  });

  it("counts info, counts unsafe fixes only with --unsafe-fixes, and tells about hidden ones", () => {
    const out = formatFor("stylish")(reports, ctx({ hiddenUnsafeFixes: 1 }));
    const fs = all(reports).map((x) => x.f);
    const n = (s: Severity) => fs.filter((f) => f.severity === s).length;
    expect(out).toContain(`\u2716 ${fs.length} problems (${n("error")} errors, ${n("warning")} warnings, 1 info)\n`);
    const safeErrors = fs.filter((f) => f.severity === "error" && f.fix?.safety === "safe").length;
    expect(safeErrors).toBeGreaterThan(1);
    // the unsafe fix is the info one: not fixable by --fix
    expect(out).toContain(`  ${safeErrors} errors and 0 warnings potentially fixable with the \`--fix\` option.\n`);
    expect(out).toContain("  1 more fix available with the `--unsafe-fixes` option.\n");
    const unsafe = formatFor("stylish")(reports, ctx({ unsafeFixes: true }));
    expect(unsafe).toContain(`  ${safeErrors} errors, 0 warnings and 1 info potentially fixable with the \`--fix\` option.\n`);
    expect(unsafe).not.toContain("--unsafe-fixes");
  });

  it("prints nothing when there is nothing to say", () => {
    expect(formatFor("stylish")([clean], ctx())).toBe("");
    expect(formatFor("stylish")([], ctx())).toBe("");
  });
});

// ---------------------------------------------------------------------------
// compact, read by VS Code's $eslint-compact; unix, read by a gcc-style regex
// ---------------------------------------------------------------------------

// Same file as above: this.add('eslint-compact', {
//   regexp: /^(.+):\sline\s(\d+),\scol\s(\d+),\s(Error|Warning|Info)\s-\s(.+)\s\((.+)\)$/,
//   file: 1, kind: ProblemLocationKind.Location, line: 2, character: 3, severity: 4, message: 5, code: 6 });
const COMPACT = /^(.+):\sline\s(\d+),\scol\s(\d+),\s(Error|Warning|Info)\s-\s(.+)\s\((.+)\)$/;
const UNIX = /^(.+?):(\d+):(\d+): (error|warning|info): (.*) \[([^\]]+)\]$/;

describe("compact", () => {
  it("gives VS Code every problem, one a line, then the count", () => {
    const out = formatFor("compact")(reports, ctx());
    const lines = out.split("\n");
    const total = all(reports).length;
    expect(lines.slice(total)).toEqual(["", `${total} problems`, ""]);
    const got = lines.slice(0, total).map((l) => {
      const m = COMPACT.exec(l);
      expect(m, l).not.toBeNull();
      return { file: m![1], line: +m![2]!, column: +m![3]!, severity: m![4]!.toLowerCase(), message: m![5], code: m![6] };
    });
    expect(got).toEqual(
      all(reports).map(({ r, f }) => ({
        file: r.absolutePath,
        line: f.line,
        column: f.column,
        severity: f.severity,
        message: caseOf(f).line,
        code: f.ruleId,
      })),
    );
  });

  it("prints nothing for no problems", () => {
    expect(formatFor("compact")([clean], ctx())).toBe("");
  });
});

describe("unix", () => {
  it("writes path:line:col: severity: message [rule] with the user's relative path", () => {
    const out = formatFor("unix")(reports, ctx());
    const lines = out.split("\n");
    expect(lines.pop()).toBe("");
    const got = lines.map((l) => {
      const m = UNIX.exec(l);
      expect(m, l).not.toBeNull();
      return { file: m![1], line: +m![2]!, column: +m![3]!, severity: m![4], message: m![5], code: m![6] };
    });
    expect(got).toEqual(
      all(reports).map(({ r, f }) => ({
        file: r.path,
        line: f.line,
        column: f.column,
        severity: f.severity,
        message: caseOf(f).line,
        code: f.ruleId,
      })),
    );
    expect(formatFor("unix")([clean], ctx())).toBe("");
  });
});

// ---------------------------------------------------------------------------
// json: ESLint's LintResult[]
// ---------------------------------------------------------------------------

type Check = (v: unknown, where: string) => void;
const isInt: Check = (v, w) => expect(Number.isInteger(v) && (v as number) >= 0, w).toBe(true);
const isStr: Check = (v, w) => expect(typeof v, w).toBe("string");

function checkFix(v: unknown, where: string, source: string): void {
  const fix = v as { range: unknown; text: unknown };
  expect(Object.keys(fix).sort(), where).toEqual(["range", "text"]);
  expect(Array.isArray(fix.range) && fix.range.length === 2, where).toBe(true);
  const [a, b] = fix.range as unknown[];
  isInt(a, where);
  isInt(b, where);
  expect((a as number) <= (b as number) && (b as number) <= source.length, where).toBe(true);
  isStr(fix.text, where);
}

describe("json", () => {
  const parsed = JSON.parse(formatFor("json")(reports, ctx())) as Record<string, unknown>[];

  it("has ESLint's result and message types, field by field", () => {
    expect(parsed).toHaveLength(reports.length);
    parsed.forEach((res, i) => {
      const r = reports[i]!;
      expect(res.filePath).toBe(r.absolutePath);
      expect(path.isAbsolute(res.filePath as string)).toBe(true);
      for (const k of ["errorCount", "fatalErrorCount", "warningCount", "fixableErrorCount", "fixableWarningCount"]) isInt(res[k], k);
      expect(res.suppressedMessages).toEqual([]);
      expect(res.usedDeprecatedRules).toEqual([]);
      const msgs = res.messages as Record<string, unknown>[];
      expect(msgs).toHaveLength(r.findings.length);
      msgs.forEach((m, j) => {
        const f = r.findings[j]!;
        const allowed = ["ruleId", "severity", "message", "line", "column", "endLine", "endColumn", "fix", "suggestions"];
        expect(Object.keys(m).every((k) => allowed.includes(k)), JSON.stringify(m)).toBe(true);
        isStr(m.ruleId, "ruleId");
        expect([1, 2]).toContain(m.severity);
        expect(m.severity).toBe(f.severity === "error" ? 2 : 1);
        expect(m.message).toBe(f.message);
        for (const k of ["line", "column", "endLine", "endColumn"]) isInt(m[k], k);
        expect([m.line, m.column, m.endLine, m.endColumn]).toEqual([f.line, f.column, f.endLine, f.endColumn]);
        if (m.fix !== undefined) checkFix(m.fix, "fix", r.source);
        if (m.suggestions !== undefined) {
          for (const s of m.suggestions as Record<string, unknown>[]) {
            expect(Object.keys(s).sort()).toEqual(["desc", "fix"]);
            isStr(s.desc, "desc");
            checkFix(s.fix, "suggestion", r.source);
          }
        }
      });
      const sev = (n: 1 | 2) => msgs.filter((m) => m.severity === n);
      expect(res.errorCount).toBe(sev(2).length);
      expect(res.warningCount).toBe(sev(1).length);
      expect(res.fixableErrorCount).toBe(sev(2).filter((m) => m.fix).length);
      expect(res.fixableWarningCount).toBe(sev(1).filter((m) => m.fix).length);
      // ESLint: source only when there are problems and no output
      if (msgs.length > 0) expect(res.source).toBe(r.source);
      else expect("source" in res).toBe(false);
      expect("output" in res).toBe(false);
    });
  });

  it("folds each fix into one range whose application equals applying its edits", () => {
    let checked = 0;
    parsed.forEach((res, i) => {
      const r = reports[i]!;
      (res.messages as { fix?: { range: [number, number]; text: string }; suggestions?: { fix: { range: [number, number]; text: string } }[] }[]).forEach(
        (m, j) => {
          const fix = m.fix ?? m.suggestions?.[0]?.fix;
          const f = r.findings[j]!;
          expect(fix !== undefined).toBe(f.fix !== undefined);
          if (!fix) return;
          const eslintApplied = r.source.slice(0, fix.range[0]) + fix.text + r.source.slice(fix.range[1]);
          expect(eslintApplied).toBe(applyFixes(r.source, [f.fix!]).text);
          checked++;
        },
      );
    });
    expect(checked).toBe(5);
  });

  it("offers an unsafe fix as a suggestion, or as a fix with --unsafe-fixes", () => {
    const utf = (p: Record<string, unknown>[]) =>
      (p[0]!.messages as Record<string, unknown>[]).find((m) => m.message === CASES.utf!.message)!;
    expect(utf(parsed).fix).toBeUndefined();
    expect((utf(parsed).suggestions as { desc: string }[])[0]!.desc).toBe("Delete the key");
    const withUnsafe = JSON.parse(formatFor("json")(reports, ctx({ unsafeFixes: true })));
    expect(utf(withUnsafe).fix).toBeDefined();
    expect(withUnsafe[0].fixableWarningCount).toBe(parsed[0]!.fixableWarningCount as number + 1);
  });

  it("puts the fixed text in output, not source, after --fix", () => {
    const fixed = { ...clean, fixesApplied: 2 };
    const [res] = JSON.parse(formatFor("json")([fixed], ctx()));
    expect(res.output).toBe(clean.source);
    expect("source" in res).toBe(false);
    expect(JSON.parse(formatFor("json")([], ctx()))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------
// github: parsed as the Actions runner parses workflow commands
// ---------------------------------------------------------------------------

// A port of actions/runner src/Runner.Common/ActionCommand.cs TryParseV2 with
// UnescapeProperty / UnescapeData (each replaces its mappings in order, %25 last).
const PROPERTY_ESCAPES: [string, string][] = [["%0D", "\r"], ["%0A", "\n"], ["%3A", ":"], ["%2C", ","], ["%25", "%"]];
const DATA_ESCAPES: [string, string][] = [["%0D", "\r"], ["%0A", "\n"], ["%25", "%"]];
const unescape = (s: string, map: [string, string][]) => map.reduce((acc, [from, to]) => acc.split(from).join(to), s);

interface ActionCommand {
  command: string;
  properties: Map<string, string>;
  data: string;
}

function tryParseV2(message: string, registered: Set<string>): ActionCommand | null {
  message = message.trimStart();
  if (!message.startsWith("::")) return null;
  const endIndex = message.indexOf("::", 2);
  if (endIndex < 0) return null;
  const cmdInfo = message.slice(2, endIndex);
  const space = cmdInfo.indexOf(" ");
  const command = space < 0 ? cmdInfo : cmdInfo.slice(0, space);
  if (!registered.has(command)) return null;
  const properties = new Map<string, string>();
  if (space > 0) {
    for (const prop of cmdInfo.slice(space + 1).trim().split(",").filter(Boolean)) {
      const eq = prop.indexOf("=");
      // String.Split('=', 2, RemoveEmptyEntries)
      const pair = eq < 0 ? [prop] : [prop.slice(0, eq), prop.slice(eq + 1)].filter(Boolean);
      if (pair.length === 2) properties.set(pair[0]!.toLowerCase(), unescape(pair[1]!, PROPERTY_ESCAPES));
    }
  }
  return { command, properties, data: unescape(message.slice(endIndex + 2), DATA_ESCAPES) };
}

describe("github", () => {
  const registered = new Set(["error", "warning", "notice"]);

  it("round-trips every message and location through the runner's parser", () => {
    const out = formatFor("github")(reports, ctx());
    const lines = out.split("\n");
    expect(lines.pop()).toBe("");
    const found = all(reports);
    expect(lines).toHaveLength(found.length);
    lines.forEach((l, i) => {
      const { r, f } = found[i]!;
      const cmd = tryParseV2(l, registered);
      expect(cmd, l).not.toBeNull();
      expect(cmd!.command).toBe({ error: "error", warning: "warning", info: "notice" }[f.severity]);
      expect(cmd!.data).toBe(f.message);
      const p = Object.fromEntries(cmd!.properties);
      expect(p.file).toBe(r.path);
      expect(p.title).toBe(`apachelint (${f.ruleId})`);
      expect([+p.line!, +p.endline!]).toEqual([f.line, f.endLine]);
      if (f.line === f.endLine) expect([+p.col!, +p.endcolumn!]).toEqual([f.column, f.endColumn]);
      // the annotations API takes no columns on a span of several lines
      else expect([p.col, p.endcolumn]).toEqual([undefined, undefined]);
    });
    expect(found.some(({ f }) => f.line !== f.endLine)).toBe(true);
  });

  it("escapes what the runner would split on", () => {
    const out = formatFor("github")([odd], ctx());
    expect(out).toContain("file=sites/a%2Cb my site%3Aä&.conf,");
    expect(out).toContain("::error file=sites/a%2Cb my site%3Aä&.conf,line=1,col=5,endColumn=8,endLine=1,title=apachelint (demo-msg)::100%25 of 'ProxyPass' uses: ws, wss\n");
  });

  it("names files outside the working directory absolutely, and prints nothing for no problems", () => {
    const outside = { ...odd, path: "../elsewhere/x.conf", absolutePath: "/srv/elsewhere/x.conf" };
    const cmd = tryParseV2(formatFor("github")([outside], ctx()).split("\n")[0]!, registered);
    expect(cmd!.properties.get("file")).toBe("/srv/elsewhere/x.conf");
    expect(formatFor("github")([clean], ctx())).toBe("");
  });
});

// ---------------------------------------------------------------------------
// sarif: validated against the SARIF 2.1.0 schema
// ---------------------------------------------------------------------------

// test/data/formatters/sarif-schema-2.1.0.json: see README.md there for where it comes from.
const here = path.dirname(fileURLToPath(import.meta.url));
const schema = JSON.parse(readFileSync(path.join(here, "data/formatters/sarif-schema-2.1.0.json"), "utf8"));
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validateSarif = ajv.compile(schema);

function expectValid(log: unknown): void {
  const ok = validateSarif(log);
  expect(ok ? [] : validateSarif.errors).toEqual([]);
}

/** The offset where 1-based `line` starts. */
function lineStartOffset(text: string, line: number): number {
  let at = 0;
  for (let l = 1; l < line; l++) at = text.indexOf("\n", at) + 1;
  return at;
}

/** Line and column of an offset, counted here independently of the project's line index. */
function lineCol(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const nl = before.lastIndexOf("\n");
  return { line: before.split("\n").length, column: offset - nl };
}

interface SarifRegion {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
  charOffset?: number;
  charLength?: number;
}

describe("sarif", () => {
  const c = ctx({ docsUrl: "https://example.test/apachelint/v1.2.3/docs/", homepage: "https://example.test/apachelint" });
  const log = JSON.parse(formatFor("sarif")(reports, c));
  const run = log.runs[0];

  it("validates against the SARIF 2.1.0 schema, with and without findings", () => {
    expectValid(log);
    expectValid(JSON.parse(formatFor("sarif")([clean], ctx())));
    expectValid(JSON.parse(formatFor("sarif")([], ctx())));
  });

  it("is checked by a live validator", () => {
    const broken = structuredClone(log);
    broken.runs[0].results[0].level = "info";
    expect(validateSarif(broken)).toBe(false);
    const noUri = structuredClone(log);
    noUri.runs[0].tool.driver.informationUri = "not a uri";
    expect(validateSarif(noUri)).toBe(false);
  });

  it("describes the tool and every rule, with docs links", () => {
    const d = run.tool.driver;
    expect([d.name, d.fullName, d.version, d.semanticVersion, d.informationUri]).toEqual(["apachelint", "apachelint 1.2.3", "1.2.3", "1.2.3", "https://example.test/apachelint"]);
    expect(JSON.parse(formatFor("sarif")([], ctx({ toolVersion: "dev" }))).runs[0].tool.driver.semanticVersion).toBeUndefined();
    expect(d.rules.map((r: { id: string }) => r.id)).toEqual(["demo-msg", "demo-span", "suppression-unused"]);
    const msg = d.rules[0];
    expect(msg.shortDescription.text).toBe(`${demoMsg.description}.`);
    expect(msg.fullDescription.text).toBe(doc.problem);
    expect(msg.name).toBe("DemoMsg");
    expect(msg.properties.tags).toEqual(["apache-httpd"]);
    expect(msg.help.markdown).toContain("```apacheconf\nMsg pct\n```");
    expect(msg.helpUri).toBe("https://example.test/apachelint/v1.2.3/docs/rules/demo-msg.md");
    expect(msg.defaultConfiguration.level).toBe("error");
    expect(d.rules[1].defaultConfiguration.level).toBe("warning");
    const bare = JSON.parse(formatFor("sarif")(reports, ctx())).runs[0].tool.driver;
    expect(bare.informationUri).toBeUndefined();
    expect(bare.rules[0].helpUri).toBeUndefined();
  });

  it("gives each result its rule, level, message and region", () => {
    const found = all(reports);
    expect(run.results).toHaveLength(found.length);
    run.results.forEach((res: Record<string, any>, i: number) => {
      const { r, f } = found[i]!;
      expect(run.tool.driver.rules[res.ruleIndex].id).toBe(res.ruleId);
      expect(res.ruleId).toBe(f.ruleId);
      expect(res.level).toBe({ error: "error", warning: "warning", info: "note" }[f.severity]);
      expect(res.message.text).toBe(f.message);
      const loc = res.locations[0].physicalLocation;
      const base = run.originalUriBaseIds[loc.artifactLocation.uriBaseId].uri;
      expect(fileURLToPath(new URL(loc.artifactLocation.uri, base))).toBe(r.absolutePath);
      expect(loc.region).toEqual({ startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn, snippet: { text: r.source.slice(f.start, f.end) } });
      // the context is whole lines around the region, and holds it
      const cr = loc.contextRegion;
      const from = lineStartOffset(r.source, cr.startLine);
      expect(cr.startColumn).toBe(1);
      expect(from + cr.snippet.text.length).toBe(lineStartOffset(r.source, cr.endLine) + cr.endColumn - 1);
      expect(from).toBeLessThanOrEqual(f.start);
      expect(from + cr.snippet.text.length).toBeGreaterThanOrEqual(f.end);
      expect(r.source.slice(from, from + cr.snippet.text.length)).toBe(cr.snippet.text);
      expect(cr.snippet.text.length).toBeGreaterThan(f.end - f.start);
      expect((res.relatedLocations ?? []).map((x: any) => x.message.text)).toEqual(f.related.map((x) => x.message));
    });
    expect(run.originalUriBaseIds["%SRCROOT%"].uri).toBe("file:///srv/site/");
  });

  it("carries fixes whose replacements rebuild what the fixer produces", () => {
    let checked = 0;
    const found = all(reports);
    run.results.forEach((res: Record<string, any>, i: number) => {
      const { r, f } = found[i]!;
      expect(res.fixes !== undefined).toBe(f.fix !== undefined);
      if (!f.fix) return;
      const [fix] = res.fixes;
      expect(fix.description.text).toBe(f.fix.title);
      expect(fix.properties.safety).toBe(f.fix.safety);
      const regions = fix.artifactChanges[0].replacements.map((x: { deletedRegion: SarifRegion }) => x.deletedRegion);
      for (const g of regions) {
        const s = lineCol(r.source, g.charOffset!);
        const e = lineCol(r.source, g.charOffset! + g.charLength!);
        expect([g.startLine, g.startColumn, g.endLine, g.endColumn]).toEqual([s.line, s.column, e.line, e.column]);
      }
      // apply back to front so earlier offsets stay valid
      let text = r.source;
      const reps = [...fix.artifactChanges[0].replacements].reverse();
      for (const x of reps) text = text.slice(0, x.deletedRegion.charOffset) + x.insertedContent.text + text.slice(x.deletedRegion.charOffset + x.deletedRegion.charLength);
      expect(text).toBe(applyFixes(r.source, [f.fix]).text);
      checked++;
    });
    expect(checked).toBe(5);
  });

  it("uses an absolute file URI for a file outside the working directory", () => {
    const outside = { ...odd, path: "../x y.conf", absolutePath: "/srv/x y.conf" };
    const res = JSON.parse(formatFor("sarif")([outside], ctx())).runs[0].results[0];
    expect(res.locations[0].physicalLocation.artifactLocation).toEqual({ uri: "file:///srv/x%20y.conf" });
  });
});

// ---------------------------------------------------------------------------
// checkstyle: strict XML well-formedness, then the attributes read back
// ---------------------------------------------------------------------------

interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
}

// XML 1.0 Char production (§2.2)
const isXmlChar = (cp: number) =>
  cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);

const PREDEFINED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/** An attribute value as a parser reports it: literal white space normalised (§3.3.3), then references replaced. */
function attrValue(raw: string): string {
  if (/</.test(raw)) throw new Error(`'<' in attribute value: ${raw}`);
  return raw.replace(/[\t\n\r]/g, " ").replace(/&([^;]*);|&/g, (m, ref: string | undefined) => {
    if (ref === undefined) throw new Error(`bare '&' in ${raw}`);
    if (ref in PREDEFINED) return PREDEFINED[ref]!;
    const num = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(ref);
    if (!num) throw new Error(`unknown entity &${ref};`);
    const cp = num[1] ? parseInt(num[1], 16) : parseInt(num[2]!, 10);
    if (!isXmlChar(cp)) throw new Error(`reference to a non-Char &${ref};`);
    return String.fromCodePoint(cp);
  });
}

/** A strict reader for the subset of XML the checkstyle format uses; throws on anything malformed. */
function parseXml(xml: string): XmlElement {
  for (const ch of xml) if (!isXmlChar(ch.codePointAt(0)!)) throw new Error(`non-Char U+${ch.codePointAt(0)!.toString(16)}`);
  let i = 0;
  const decl = /^<\?xml version="1\.0" encoding="utf-8"\?>/.exec(xml);
  if (decl) i = decl[0].length;
  const ws = () => {
    while (/[ \t\r\n]/.test(xml[i] ?? "")) i++;
  };
  const NAME = /[A-Za-z_][\w.-]*/y;
  const name = () => {
    NAME.lastIndex = i;
    const m = NAME.exec(xml);
    if (!m) throw new Error(`name expected at ${i}`);
    i += m[0].length;
    return m[0];
  };
  const element = (): XmlElement => {
    if (xml[i] !== "<") throw new Error(`'<' expected at ${i}`);
    i++;
    const el: XmlElement = { name: name(), attrs: {}, children: [] };
    for (;;) {
      const before = i;
      ws();
      if (xml.startsWith("/>", i)) {
        i += 2;
        return el;
      }
      if (xml[i] === ">") {
        i++;
        break;
      }
      if (i === before) throw new Error(`white space expected before attribute at ${i}`);
      const key = name();
      if (key in el.attrs) throw new Error(`duplicate attribute ${key}`);
      ws();
      if (xml[i] !== "=") throw new Error(`'=' expected at ${i}`);
      i++;
      ws();
      const q = xml[i];
      if (q !== '"' && q !== "'") throw new Error(`quote expected at ${i}`);
      const close = xml.indexOf(q, i + 1);
      if (close < 0) throw new Error("unterminated attribute");
      el.attrs[key] = attrValue(xml.slice(i + 1, close));
      i = close + 1;
    }
    for (;;) {
      ws();
      if (xml.startsWith("</", i)) {
        i += 2;
        if (name() !== el.name) throw new Error(`mismatched end tag for ${el.name}`);
        ws();
        if (xml[i++] !== ">") throw new Error(`'>' expected at ${i}`);
        return el;
      }
      if (i >= xml.length) throw new Error(`unclosed ${el.name}`);
      el.children.push(element());
    }
  };
  ws();
  const root = element();
  ws();
  if (i !== xml.length) throw new Error(`content after the root element at ${i}`);
  return root;
}

describe("checkstyle", () => {
  it("the XML reader rejects what is not well-formed", () => {
    expect(() => parseXml('<a b="<"/>')).toThrow();
    expect(() => parseXml('<a b="&"/>')).toThrow();
    expect(() => parseXml('<a b="&#0;"/>')).toThrow();
    expect(() => parseXml("<a><b></a></b>")).toThrow();
    expect(() => parseXml('<a b="1" b="2"/>')).toThrow();
    expect(() => parseXml("<a>\u0001</a>")).toThrow();
    expect(parseXml('<a b="x&#10;&lt;"/>').attrs.b).toBe("x\n<");
  });

  it("is well-formed and reads back every file and problem", () => {
    const root = parseXml(formatFor("checkstyle")(reports, ctx()));
    expect(root.name).toBe("checkstyle");
    expect(root.attrs.version).toBe("4.3");
    expect(root.children.map((f) => [f.name, f.attrs.name])).toEqual(reports.map((r) => ["file", r.absolutePath]));
    root.children.forEach((file, i) => {
      const r = reports[i]!;
      expect(file.children).toHaveLength(r.findings.length);
      file.children.forEach((e, j) => {
        const f = r.findings[j]!;
        // XML cannot carry most C0 controls at all: they arrive as U+FFFD
        const message = f.message.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "\ufffd");
        expect(e).toEqual({
          name: "error",
          attrs: {
            line: String(f.line),
            column: String(f.column),
            severity: f.severity,
            message,
            source: `apachelint.${f.ruleId}`,
          },
          children: [],
        });
      });
    });
  });

  it("keeps line breaks inside a message", () => {
    const root = parseXml(formatFor("checkstyle")([main], ctx()));
    const messages = root.children[0]!.children.map((e) => e.attrs.message);
    expect(messages).toContain(CASES.nl!.message);
  });

  it("lists a clean file with no errors", () => {
    const root = parseXml(formatFor("checkstyle")([clean], ctx()));
    expect(root.children).toEqual([{ name: "file", attrs: { name: clean.absolutePath }, children: [] }]);
  });
});

// ---------------------------------------------------------------------------

const safeFix: Fix = { safety: "safe", title: "t", edits: [{ start: 0, end: 0, text: "x" }] };

function mk(p: Pick<Finding, "line" | "column" | "severity" | "message" | "ruleId"> & { fix?: Fix }): Finding {
  const f: Finding = {
    ...p,
    start: 0,
    end: 0,
    endLine: p.line,
    endColumn: p.column,
    path: "a.conf",
    related: [],
  };
  return f;
}
