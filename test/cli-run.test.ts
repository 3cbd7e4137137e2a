// run() in-process with two stand-in rules, so the orchestration is tested
// independently of the real rules: exit codes, fix/unsafe accounting, what
// the formatter receives, where output goes, the changed-on-disk refusal.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineRule, type Rule } from "../src/core/rule.js";
import type { FileReport, FormatContext } from "../src/formatters/report.js";
import { defaultFormat, displayPath, run, useColor, type RunEnvironment, type RunOptions } from "../src/cli/run.js";

const doc = { problem: "p", bad: "b", good: "g", why: "w", versions: "v" };
// `Bad` is an error with a safe fix to `Good`; `Warn` a warning with an unsafe fix to `Okay`.
const rename = (id: string, from: string, to: string, severity: "error" | "warning", safety: "safe" | "unsafe"): Rule =>
  defineRule({
    id,
    severity,
    description: id,
    fixable: safety,
    doc,
    create: (ctx) => ({
      directive: {
        [from.toLowerCase()]: (d) =>
          ctx.report({
            message: `${from} found`,
            start: d.start,
            end: d.nameEnd,
            fix: { safety, title: `use ${to}`, edits: [{ start: d.start, end: d.nameEnd, text: to }] },
          }),
      },
    }),
  });
const rules = [rename("demo-error", "Bad", "Good", "error", "safe"), rename("demo-warning", "Warn", "Okay", "warning", "unsafe")];

interface Captured {
  stdout: string;
  stderr: string;
  calls: { name: string; reports: readonly FileReport[]; ctx: FormatContext }[];
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "apachelint-run-"));
  mkdirSync(join(dir, ".git"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function options(o: Partial<RunOptions> = {}): RunOptions {
  return { paths: [], stdin: false, fix: false, unsafeFixes: false, diff: false, quiet: false, rules: {}, ...o };
}

async function go(o: Partial<RunOptions>, env: Partial<RunEnvironment> & { stdin?: string; tty?: boolean } = {}) {
  const cap: Captured = { stdout: "", stderr: "", calls: [] };
  const dec = (d: string | Uint8Array) => (typeof d === "string" ? d : Buffer.from(d).toString("utf8"));
  const code = await run(options(o), {
    cwd: dir,
    env: {},
    stdout: { write: (d) => (cap.stdout += dec(d)), isTTY: env.tty ?? false },
    stderr: { write: (d) => (cap.stderr += dec(d)), isTTY: false },
    readStdin: async () => Buffer.from(env.stdin ?? ""),
    formatNames: ["stylish", "unix", "github", "json"],
    formatFor: (name) => (reports, ctx) => {
      cap.calls.push({ name, reports, ctx });
      return reports.flatMap((r) => r.findings.map((f) => `${r.path}:${f.line}:${f.column}: ${f.ruleId} ${f.severity}\n`)).join("");
    },
    toolVersion: "9.9.9",
    rules,
    ...env,
  });
  return { code, ...cap };
}

function write(rel: string, text: string) {
  const p = join(dir, rel);
  mkdirSync(join(p, ".."), { recursive: true });
  writeFileSync(p, text);
  return p;
}

describe("exit codes and reports", () => {
  it("0 for a clean file, 1 for an error, warnings alone are 0", async () => {
    write("clean.conf", "Listen 80\n");
    write("err.conf", "Bad x\n");
    write("warn.conf", "Warn x\n");
    expect((await go({ paths: ["clean.conf"] })).code).toBe(0);
    const e = await go({ paths: ["err.conf"] });
    expect(e.code).toBe(1);
    expect(e.stdout).toBe("err.conf:1:1: demo-error error\n");
    expect((await go({ paths: ["warn.conf"] })).code).toBe(0);
  });

  it("--max-warnings: more warnings than allowed is 1, with a line on stderr", async () => {
    write("w.conf", "Warn a\nWarn b\n");
    expect((await go({ paths: ["w.conf"], maxWarnings: 2 })).code).toBe(0);
    const r = await go({ paths: ["w.conf"], maxWarnings: 1 });
    expect(r.code).toBe(1);
    expect(r.stderr.split("\n")).toContain("apachelint: too many warnings (2); --max-warnings allows 1");
  });

  it("-q keeps errors only in the report but --max-warnings still counts warnings", async () => {
    write("m.conf", "Warn a\nBad b\n");
    const r = await go({ paths: ["m.conf"], quiet: true });
    expect(r.calls[0]!.reports[0]!.findings.map((f) => f.ruleId)).toEqual(["demo-error"]);
    write("w.conf", "Warn a\n");
    expect((await go({ paths: ["w.conf"], quiet: true, maxWarnings: 0 })).code).toBe(1);
  });

  it("2 when an input cannot be read, while the others are still linted", async () => {
    write("err.conf", "Bad x\n");
    const r = await go({ paths: ["missing.conf", "err.conf"] });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("apachelint: missing.conf: no such file or directory\n");
    expect(r.stdout).toBe("err.conf:1:1: demo-error error\n");
  });

  it("2 for an unknown --rule id or format", async () => {
    write("a.conf", "Listen 80\n");
    const r = await go({ paths: ["a.conf"], rules: { nope: "off" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('apachelint: --rule: unknown rule "nope" (see --list-rules)\n');
    expect((await go({ paths: ["a.conf"], format: "xml" })).stderr).toMatch(/unknown format "xml"/);
  });
});

describe("severities", () => {
  it("config severities apply and --rule overrides them", async () => {
    write(".apachelintrc.json", JSON.stringify({ rules: { "demo-error": "warning", "demo-warning": "off" } }));
    write("a.conf", "Bad x\nWarn y\n");
    const r = await go({ paths: ["a.conf"] });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("a.conf:1:1: demo-error warning\n");
    const o = await go({ paths: ["a.conf"], rules: { "demo-error": "off", "demo-warning": "error" } });
    expect(o.stdout).toBe("a.conf:2:1: demo-warning error\n");
    expect(o.code).toBe(1);
  });

  it("--no-config (config: false) ignores the file; -c uses the named one for all", async () => {
    write(".apachelintrc.json", JSON.stringify({ rules: { "demo-error": "off" } }));
    write("alt.json", JSON.stringify({ rules: { "demo-error": "info" } }));
    write("a.conf", "Bad x\n");
    expect((await go({ paths: ["a.conf"] })).code).toBe(0);
    expect((await go({ paths: ["a.conf"], config: false })).code).toBe(1);
    expect((await go({ paths: ["a.conf"], config: "alt.json" })).stdout).toBe("a.conf:1:1: demo-error info\n");
  });

  it("a broken config stops the run with 2 and names the file and key", async () => {
    write(".apachelintrc.json", JSON.stringify({ rules: { "demo-eror": "off" } }));
    write("a.conf", "Bad x\n");
    const r = await go({ paths: ["a.conf"] });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('apachelint: .apachelintrc.json: rules: unknown rule "demo-eror" (did you mean "demo-error"?)\n');
    expect(r.stdout).toBe("");
  });
});

describe("fixing", () => {
  it("--fix applies safe fixes, reports what is left and the hidden unsafe count", async () => {
    const p = write("a.conf", "Bad x\nWarn y\n");
    const r = await go({ paths: ["a.conf"], fix: true });
    expect(readFileSync(p, "utf8")).toBe("Good x\nWarn y\n");
    expect(r.code).toBe(0);
    const report = r.calls[0]!.reports[0]!;
    expect(report.fixesApplied).toBe(1);
    expect(report.source).toBe("Good x\nWarn y\n");
    expect(report.findings.map((f) => f.ruleId)).toEqual(["demo-warning"]);
    expect(r.calls[0]!.ctx.hiddenUnsafeFixes).toBe(1);
    expect(r.stderr).toBe("apachelint: 1 more fix is available with --unsafe-fixes\n");
  });

  it("--unsafe-fixes applies both and hides nothing", async () => {
    const p = write("a.conf", "Bad x\nWarn y\n");
    const r = await go({ paths: ["a.conf"], fix: true, unsafeFixes: true });
    expect(readFileSync(p, "utf8")).toBe("Good x\nOkay y\n");
    expect(r.calls[0]!.ctx.hiddenUnsafeFixes).toBe(0);
    expect(r.stderr).toBe("");
  });

  it("the hidden-unsafe line is left to the stylish formatter", async () => {
    write("a.conf", "Warn y\n");
    const r = await go({ paths: ["a.conf"], format: "stylish" });
    expect(r.calls[0]!.ctx.hiddenUnsafeFixes).toBe(1);
    expect(r.stderr).toBe("");
  });

  it("refuses to overwrite a file changed on disk after it was read (exit 2)", async () => {
    const p = write("a.conf", "Bad x\n");
    const r = await go({ paths: ["a.conf"], fix: true }, { beforeReplace: (path) => writeFileSync(path, "Bad x\nBad y\n") });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("apachelint: a.conf: changed on disk since it was read; not overwritten\n");
    expect(readFileSync(p, "utf8")).toBe("Bad x\nBad y\n");
    // the report describes the file as it was read, unfixed
    expect(r.calls[0]!.reports[0]!.fixesApplied).toBe(0);
    expect(r.calls[0]!.reports[0]!.source).toBe("Bad x\n");
  });

  it("--fix keeps mode 0640", async () => {
    const p = write("a.conf", "Bad x\n");
    chmodSync(p, 0o640);
    await go({ paths: ["a.conf"], fix: true });
    expect(statSync(p).mode & 0o777).toBe(0o640);
  });

  it("--diff writes nothing, prints a patch on stdout, the report on stderr, exits 1", async () => {
    const p = write("sub/a.conf", "Bad x\n");
    const r = await go({ paths: ["sub"], diff: true });
    expect(readFileSync(p, "utf8")).toBe("Bad x\n");
    expect(r.stdout).toBe("--- a/sub/a.conf\n+++ b/sub/a.conf\n@@ -1,1 +1,1 @@\n-Bad x\n+Good x\n");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    write("clean.conf", "Warn\n");
    const clean = await go({ paths: ["clean.conf"], diff: true });
    expect(clean.stdout).toBe("");
    expect(clean.code).toBe(0);
  });

  it("stdin --fix prints the fixed text on stdout and the report on stderr", async () => {
    const r = await go({ stdin: true, fix: true, stdinFilename: "x/site.conf" }, { stdin: "Bad x\nWarn y\n" });
    expect(r.stdout).toBe("Good x\nWarn y\n");
    expect(r.stderr).toContain("x/site.conf:2:1: demo-warning warning\n");
    expect(r.code).toBe(0);
  });
});

describe("defaults", () => {
  it("format: stylish on a terminal, unix otherwise, github under GitHub Actions", async () => {
    write("a.conf", "Listen 80\n");
    expect((await go({ paths: ["a.conf"] }, { tty: true })).calls[0]!.name).toBe("stylish");
    expect((await go({ paths: ["a.conf"] }, { tty: false })).calls[0]!.name).toBe("unix");
    expect((await go({ paths: ["a.conf"] }, { tty: true, env: { GITHUB_ACTIONS: "true" } })).calls[0]!.name).toBe("github");
    expect(defaultFormat({ GITHUB_ACTIONS: "true" }, false, ["unix"])).toBe("unix");
  });

  it("color: flag, then NO_COLOR, then the terminal", () => {
    expect(useColor(true, { NO_COLOR: "1" }, false)).toBe(true);
    expect(useColor(false, {}, true)).toBe(false);
    expect(useColor(undefined, { NO_COLOR: "1" }, true)).toBe(false);
    expect(useColor(undefined, { NO_COLOR: "" }, true)).toBe(true);
    expect(useColor(undefined, {}, false)).toBe(false);
  });

  it("display paths are cwd-relative inside it, absolute outside, always /-separated", () => {
    expect(displayPath("/w/a/b.conf", "/w")).toBe("a/b.conf");
    expect(displayPath("/x/b.conf", "/w")).toBe("/x/b.conf");
    expect(displayPath("/w/..b/c.conf", "/w")).toBe("..b/c.conf");
    expect(displayPath("/w", "/w")).toBe(".");
  });

  it("the formatter context carries cwd, version and rules", async () => {
    write("a.conf", "Listen 80\n");
    const { ctx } = (await go({ paths: ["a.conf"] })).calls[0]!;
    expect(ctx.cwd).toBe(dir);
    expect(ctx.toolVersion).toBe("9.9.9");
    expect(ctx.rules.map((r) => r.id)).toEqual(["demo-error", "demo-warning"]);
  });
});
