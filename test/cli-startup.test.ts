// What the command line does to start quickly and to write large reports:
// formatters loaded on demand (the same table as formatters/index.ts), the
// JSON report streamed in pieces that add up to exactly the one-string form,
// and the modules only some runs need (diff, tinyglobby, crypto) kept out of
// the start-up path.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { formatters, formatNames } from "../src/formatters/index.js";
import * as lazy from "../src/formatters/lazy.js";
import { json, writeJson } from "../src/formatters/json.js";
import type { FileReport, FormatContext } from "../src/formatters/report.js";
import type { Finding } from "../src/core/engine.js";

const ctx: FormatContext = { cwd: "/srv", color: false, rules: [], toolVersion: "1.0.0", hiddenUnsafeFixes: 0 };

function finding(i: number, message: string, withFix: boolean): Finding {
  const f: Finding = {
    ruleId: i % 2 ? "bom" : "quote-unbalanced",
    severity: i % 3 === 0 ? "error" : i % 3 === 1 ? "warning" : "info",
    message,
    path: "a.conf",
    line: i + 1,
    column: 1,
    endLine: i + 1,
    endColumn: 3,
    start: i,
    end: i + 2,
    related: [],
  } as Finding;
  if (withFix) f.fix = { safety: i % 2 ? "safe" : "unsafe", title: "t", edits: [{ start: i, end: i + 1, text: "x" }] };
  return f;
}

const streamed = (reports: FileReport[], c = ctx) => {
  const chunks: string[] = [];
  writeJson(reports, c, (s) => chunks.push(s));
  return chunks;
};

describe("formatters loaded on demand", () => {
  it("lists the same formats, in the same order, as formatters/index.ts", async () => {
    expect(lazy.formatNames).toEqual(formatNames);
    for (const name of formatNames) expect(await lazy.formatFor(name)).toBe(formatters[name]);
    await expect(lazy.formatFor("xml")).rejects.toThrow(/Unknown format 'xml'.*stylish.*sarif/);
    await expect(lazy.formatFor("toString")).rejects.toThrow(/Unknown format/);
  });

  it("the CLI imports no formatter, diff, tinyglobby or crypto module at start-up", () => {
    const main = readFileSync(join(import.meta.dirname, "..", "src", "cli", "main.ts"), "utf8");
    expect(main).toContain('import("../formatters/lazy.js")');
    expect(main).not.toContain("formatters/index.js");
    const run = readFileSync(join(import.meta.dirname, "..", "src", "cli", "run.ts"), "utf8");
    expect(run).not.toMatch(/^import .*["']\.\/diff\.js["']/m);
    const files = readFileSync(join(import.meta.dirname, "..", "src", "cli", "files.ts"), "utf8");
    expect(files).not.toMatch(/^import .*tinyglobby/m);
    const io = readFileSync(join(import.meta.dirname, "..", "src", "server", "io.ts"), "utf8");
    expect(io).not.toMatch(/^import .*node:crypto/m);
  });
});

describe("the JSON report, streamed", () => {
  it("is exactly the one-string report, in pieces of bounded size", () => {
    const source = "Listen 80\n".repeat(20_000) + "# caf\u00e9 \ud83d\ude00 \udc80 \u2028\n";
    const reports: FileReport[] = [
      { path: "a.conf", absolutePath: "/srv/a.conf", findings: Array.from({ length: 5_000 }, (_, i) => finding(i, `m "${i}" \n\t\u0001`, i % 4 === 0)), source, fixesApplied: 0 },
      { path: "b.conf", absolutePath: "/srv/b.conf", findings: [], source: "", fixesApplied: 0 },
      { path: "c.conf", absolutePath: "/srv/c \"q\".conf", findings: [finding(1, "x", true)], source, fixesApplied: 3 },
    ];
    for (const c of [ctx, { ...ctx, unsafeFixes: true }]) {
      const chunks = streamed(reports, c);
      expect(chunks.join("")).toBe(json(reports, c));
      expect(chunks.length).toBeGreaterThan(3);
      // a piece is a buffer of at most ~64 Ki characters plus one item, or a slice of a long string
      expect(Math.max(...chunks.map((s) => s.length))).toBeLessThan(1 << 18);
    }
    expect(streamed([]).join("")).toBe(json([], ctx));
    expect(json.stream).toBe(writeJson);
  });

  it("escapes a long source exactly as JSON.stringify does, wherever the slices fall", () => {
    const unit = fc.constantFrom("a", "\"", "\\", "\n", "\u0000", "\u00e9", "\ud83d\ude00", "\ud800", "\udfff", "\u2028");
    fc.assert(
      fc.property(fc.array(unit, { minLength: 0, maxLength: 40 }), fc.integer({ min: 0, max: 3 }), (parts, pad) => {
        // long enough to be sliced, with the interesting characters around the slice boundaries
        const source = "x".repeat((1 << 16) - pad - 10) + parts.join("") + "y".repeat(70_000);
        const reports: FileReport[] = [{ path: "a", absolutePath: "/a", findings: [finding(0, "m", false)], source, fixesApplied: 0 }];
        expect(streamed(reports).join("")).toBe(json(reports, ctx));
      }),
      // a lone high surrogate at the cut, before a pair: the cut used to move into the pair (found by this property)
      { numRuns: 200, examples: [[["a", "a", "a", "a", "a", "\ud83d\ude00", "a", "a", "\ud800", "\ud83d\ude00"], 0]] },
    );
  });
});
