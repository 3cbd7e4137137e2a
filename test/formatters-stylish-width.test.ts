// stylish on a terminal of known width: every row fits it, a message shows its
// first sentence and ends in "…" when cut; with no width known nothing is cut.
// Checked on the formatter, then on the real command line through a pipe with
// COLUMNS and on a pseudo-terminal (util-linux `script`) whose width `stty`
// sets, as a user's terminal would.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, PROJECT_ROOT, ensureBuiltCli } from "./helpers/built-cli.js";
import { lintText } from "../src/index.js";
import { formatFor } from "../src/formatters/index.js";
import type { FileReport, FormatContext } from "../src/formatters/report.js";
import { firstSentence } from "../src/formatters/stylish.js";
import { displayWidth, truncate, wrap } from "../src/formatters/text-width.js";
import { defineRule } from "../src/core/rule.js";

const TUTORIAL = "examples/websocket-tutorial.conf";
const stripAnsi = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, "");
// the tutorial's output is ASCII but for "…" and "✖": one column each
const columns = (s: string) => [...stripAnsi(s)].length;
const rowsOf = (out: string) => out.split(/\r?\n/).filter((l) => /^\s+\d+:\d+\s/.test(stripAnsi(l)));

describe("text width", () => {
  it("counts terminal columns: wide characters two, marks and colour none", () => {
    expect(displayWidth("abc")).toBe(3);
    expect(displayWidth("日本語")).toBe(6);
    expect(displayWidth("🚀 x")).toBe(4);
    expect(displayWidth("e\u0301")).toBe(1);
    expect(displayWidth("\u001b[31merror\u001b[39m")).toBe(5);
  });

  it("cuts at a blank near the end, ending in …, and never past the width", () => {
    expect(truncate("short", 10)).toBe("short");
    expect(truncate("the quick brown fox jumps", 12)).toBe("the quick…");
    expect(truncate("abcdefghijklmnop", 6)).toBe("abcde…");
    expect(truncate("日本語日本語", 7)).toBe("日本語…");
    for (let w = 1; w < 30; w++) expect(displayWidth(truncate("LoadModule proxy_http_module: modules/ names a directory", w))).toBeLessThanOrEqual(w);
  });

  it("wraps a paragraph at blanks", () => {
    expect(wrap("aa bb cc dd", 5)).toEqual(["aa bb", "cc dd"]);
    expect(wrap("a verylongword b", 4)).toEqual(["a", "verylongword", "b"]);
  });

  it("finds the first sentence, not an abbreviation's period nor one inside `code`", () => {
    expect(firstSentence("One thing. Another thing.")).toBe("One thing.");
    expect(firstSentence("Use `a. B` here. Then more.")).toBe("Use `a. B` here.");
    expect(firstSentence("Add a module, e.g. Mod_proxy, first.")).toBe("Add a module, e.g. Mod_proxy, first.");
    expect(firstSentence("No second sentence")).toBe("No second sentence");
    expect(firstSentence("Version 2.4.47 added it")).toBe("Version 2.4.47 added it");
  });
});

const longRule = defineRule({
  id: "demo-long-message-rule",
  severity: "warning",
  description: "A demo",
  fixable: "none",
  doc: { problem: "p", bad: "x\n", good: "y\n", why: "w", versions: "v" },
  create: (ctx) => ({
    directive: {
      msg: (d) =>
        ctx.report({
          message: `${d.args.map((a) => a.value).join(" ")} is a long message about 日本語 and 🚀 that goes on and on past any terminal. A second sentence that stylish leaves out.`,
          start: d.start,
          end: d.end,
        }),
    },
  }),
});

function report(rel: string, text: string): FileReport {
  const { findings } = lintText(text, rel, { rules: [longRule] });
  return { path: rel, absolutePath: join("/srv/site", rel), findings, source: text, fixesApplied: 0 };
}

const ctx = (over: Partial<FormatContext> = {}): FormatContext => ({ cwd: "/srv/site", color: false, rules: [longRule], toolVersion: "0", hiddenUnsafeFixes: 0, ...over });

describe("stylish rows", () => {
  const r = report("conf/a.conf", "Msg one\nMsg two three\n" + "\n".repeat(120) + "Msg four\n");

  it("fit the width given, in colour too, with the rule id whole", () => {
    for (const width of [60, 80, 100, 140]) {
      for (const color of [false, true]) {
        const out = formatFor("stylish")([r], ctx({ columns: width, color }));
        const rows = rowsOf(out);
        expect(rows).toHaveLength(3);
        for (const row of rows) {
          expect(displayWidth(row), row).toBeLessThanOrEqual(width);
          expect(stripAnsi(row)).toMatch(/ demo-long-message-rule$/);
        }
      }
    }
  });

  it("show the first sentence only, cut with … when it does not fit", () => {
    const wide = formatFor("stylish")([r], ctx());
    expect(wide).not.toContain("A second sentence");
    expect(wide).not.toContain("\u2026");
    expect(wide).toContain("one is a long message about 日本語 and 🚀 that goes on and on past any terminal  ");
    const narrow = formatFor("stylish")([r], ctx({ columns: 80 }));
    for (const row of rowsOf(narrow)) expect(row).toMatch(/\u2026 +demo-long-message-rule$/);
  });

  it("head each file with the path as the user named it", () => {
    expect(formatFor("stylish")([r], ctx()).split("\n")[1]).toBe("conf/a.conf");
  });
});

let dir = "";
beforeAll(() => {
  ensureBuiltCli();
  dir = realpathSync(mkdtempSync(join(tmpdir(), "apachelint-stylish-")));
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function pipe(args: string[], env: Record<string, string> = {}) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== "COLUMNS" && k !== "GITHUB_ACTIONS"));
  return spawnSync(process.execPath, [CLI, ...args], { cwd: PROJECT_ROOT, encoding: "utf8", env: { ...clean, NO_COLOR: "1", ...env } });
}

/** The CLI on a pseudo-terminal `cols` wide, as `stty` sets a real one. */
function onTerminal(args: string[], cols: number): string | null {
  const cmd = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== "COLUMNS" && k !== "GITHUB_ACTIONS"));
  const r = spawnSync("script", ["-qec", `stty cols ${cols} rows 50; ${cmd}`, "/dev/null"], { cwd: PROJECT_ROOT, env: clean, input: "", encoding: "utf8" });
  return r.error ? null : r.stdout;
}

const haveScript = spawnSync("script", ["--version"]).status === 0;
if (!haveScript) {
  if (process.env.CI) throw new Error("test/formatters-stylish-width: util-linux `script` is missing, and CI must run the terminal checks");
  console.warn("test/formatters-stylish-width: util-linux `script` not found, the pseudo-terminal checks are SKIPPED");
}

describe("stylish from the command line", () => {
  it("fits 100 columns (COLUMNS=100) on the tutorial, and cuts what does not fit", () => {
    const r = pipe(["-f", "stylish", TUTORIAL], { COLUMNS: "100" });
    expect(r.status).toBe(1);
    const rows = rowsOf(r.stdout);
    expect(rows.length).toBeGreaterThan(10);
    for (const line of r.stdout.split("\n")) expect(columns(line), line).toBeLessThanOrEqual(100);
    expect(rows.some((row) => row.includes("\u2026"))).toBe(true);
    expect(r.stdout.split("\n")[1]).toBe(TUTORIAL);
  });

  (haveScript ? it : it.skip)("fits a 100-column terminal, with colour, and a 60-column one", () => {
    for (const cols of [100, 60]) {
      const out = onTerminal([TUTORIAL], cols)!;
      expect(out).toContain("\u001b[");
      const rows = rowsOf(out);
      expect(rows.length).toBeGreaterThan(10);
      for (const row of rows) expect(columns(row), row).toBeLessThanOrEqual(cols);
    }
  });

  it("cuts nothing when no width is known: a pipe without COLUMNS, or -o", () => {
    const r = pipe(["-f", "stylish", TUTORIAL]);
    expect(r.stdout).not.toContain("\u2026");
    expect(Math.max(...rowsOf(r.stdout).map(columns))).toBeGreaterThan(100);
    const file = join(dir, "report.txt");
    pipe(["-f", "stylish", "-o", file, TUTORIAL], { COLUMNS: "100" });
    expect(readFileSync(file, "utf8")).not.toContain("\u2026");
  });

  it("keeps the whole message in the other formats", () => {
    const full = pipe(["-f", "json", TUTORIAL], { COLUMNS: "40" });
    const messages = JSON.parse(full.stdout)[0].messages.map((m: { message: string }) => m.message);
    expect(messages.some((m: string) => m.length > 150)).toBe(true);
    expect(messages.join("")).not.toContain("\u2026");
  });
});
