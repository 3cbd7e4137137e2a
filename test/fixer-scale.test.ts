// The fixer at scale (hundreds of thousands of fixes, as --fix on a 50 MB file
// makes) and against the original all-pairs algorithm on random small edit sets.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { applyFixes, fixUntilStable, type ApplyResult } from "../src/core/fixer.js";
import type { Fix, TextEdit } from "../src/core/rule.js";

// The algorithm as it was before it was made O(n log n), kept verbatim as the reference.
function overlaps(a: TextEdit, b: TextEdit): boolean {
  const aEmpty = a.start === a.end;
  const bEmpty = b.start === b.end;
  if (aEmpty && bEmpty) return a.start === b.start;
  if (aEmpty) return a.start > b.start && a.start < b.end;
  if (bEmpty) return b.start > a.start && b.start < a.end;
  return a.start < b.end && b.start < a.end;
}

function referenceApplyFixes(text: string, fixes: readonly Fix[]): ApplyResult {
  const taken: TextEdit[] = [];
  const applied: Fix[] = [];
  const skipped: Fix[] = [];
  for (const fix of fixes) {
    const edits = fix.edits;
    const bad = edits.some((e) => e.start < 0 || e.end > text.length || e.start > e.end);
    const clash =
      bad ||
      edits.some((e, i) => edits.some((f, j) => j > i && overlaps(e, f))) ||
      edits.some((e) => taken.some((t) => overlaps(e, t)));
    if (clash) {
      skipped.push(fix);
      continue;
    }
    taken.push(...edits);
    applied.push(fix);
  }
  if (taken.length === 0) return { text, applied, skipped };
  taken.sort((a, b) => a.start - b.start || a.end - b.end);
  const parts: string[] = [];
  let at = 0;
  for (const e of taken) {
    parts.push(text.slice(at, e.start), e.text);
    at = e.end;
  }
  parts.push(text.slice(at));
  return { text: parts.join(""), applied, skipped };
}

const fix = (edits: TextEdit[], title = "t"): Fix => ({ safety: "safe", title, edits });

describe("applyFixes at scale", () => {
  it("applies 300,000 fixes without a stack overflow, as the reference does", () => {
    const line = "Option Indexes\n";
    const n = 300_000;
    const text = line.repeat(n);
    const fixes: Fix[] = [];
    for (let i = 0; i < n; i++) {
      const at = i * line.length;
      // replace the name; every tenth fix also inserts a comment before the line
      const edits: TextEdit[] = [{ start: at, end: at + 6, text: "Options" }];
      if (i % 10 === 0) edits.unshift({ start: at, end: at, text: "# fixed\n" });
      fixes.push(fix(edits));
    }
    // a few that clash and must be skipped
    fixes.push(fix([{ start: 0, end: 3, text: "x" }]), fix([{ start: 0, end: 0, text: "y" }]));
    const t0 = performance.now();
    const result = applyFixes(text, fixes);
    const ms = performance.now() - t0;
    expect(result.applied.length).toBe(n);
    expect(result.skipped).toEqual(fixes.slice(n));
    let expected = "";
    for (let i = 0; i < n; i++) expected += (i % 10 === 0 ? "# fixed\n" : "") + "Options Indexes\n";
    expect(result.text).toBe(expected);
    // quadratic would be minutes; allow for a slow, shared machine
    expect(ms).toBeLessThan(10_000);
  });

  it("agrees with the reference on a large set whose fixes come in no particular order", () => {
    const text = "abcdefghij".repeat(2_000);
    const rnd = fc.sample(fc.tuple(fc.nat(text.length), fc.nat(12), fc.boolean()), { numRuns: 5_000, seed: 7 });
    const fixes = rnd.map(([start, len, two]) => {
      const end = Math.min(text.length, start + len);
      const edits: TextEdit[] = [{ start, end, text: "[]" }];
      if (two) edits.push({ start: (start * 7) % text.length, end: (start * 7) % text.length, text: "^" });
      return fix(edits);
    });
    const got = applyFixes(text, fixes);
    const want = referenceApplyFixes(text, fixes);
    expect(got.text).toBe(want.text);
    expect(got.applied.length).toBe(want.applied.length);
    expect(got.applied.every((f, i) => f === want.applied[i])).toBe(true);
    expect(got.skipped.every((f, i) => f === want.skipped[i])).toBe(true);
  });

  it("fixUntilStable takes 300,000 fixes in one pass", () => {
    const n = 300_000;
    const text = "a;".repeat(n);
    // each `a` becomes `b`; findings are reported for `a` only, so the second pass finds none
    const lint = (t: string) => {
      const out: { start: number; fix: Fix }[] = [];
      for (let i = t.indexOf("a"); i !== -1; i = t.indexOf("a", i + 1)) out.push({ start: i, fix: fix([{ start: i, end: i + 1, text: "b" }]) });
      return out;
    };
    const result = fixUntilStable(text, lint, () => true);
    expect(result.applied.length).toBe(n);
    expect(result.passes).toBe(1);
    expect(result.output).toBe("b;".repeat(n));
    expect(result.findings).toEqual([]);
  });
});

describe("applyFixes against the reference (fast-check)", () => {
  const edit = (len: number) =>
    fc
      .tuple(fc.integer({ min: -1, max: len + 1 }), fc.integer({ min: -1, max: 4 }), fc.constantFrom("", "x", "yz"))
      .map(([start, width, text]): TextEdit => ({ start, end: start + width, text }));
  const arbitraryCase = fc.integer({ min: 0, max: 12 }).chain((len) =>
    fc.record({
      text: fc.constant("0123456789ab".slice(0, len)),
      fixes: fc.array(
        fc.array(edit(len), { minLength: 0, maxLength: 4 }).map((edits) => fix(edits)),
        { maxLength: 8 },
      ),
    }),
  );

  it("takes and skips the same fixes in the same order and gives the same text", () => {
    fc.assert(
      fc.property(arbitraryCase, ({ text, fixes }) => {
        const got = applyFixes(text, fixes);
        const want = referenceApplyFixes(text, fixes);
        expect(got.text).toBe(want.text);
        expect(got.applied.length).toBe(want.applied.length);
        expect(got.applied.every((f, i) => f === want.applied[i])).toBe(true);
        expect(got.skipped.every((f, i) => f === want.skipped[i])).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });

  it("agrees on edit sets made mostly of insertions and touching ranges", () => {
    const point = fc.integer({ min: 0, max: 4 });
    const touching = fc.tuple(point, fc.integer({ min: 0, max: 2 })).map(([start, w]): TextEdit => ({ start, end: start + w, text: "i" }));
    fc.assert(
      fc.property(fc.array(fc.array(touching, { minLength: 1, maxLength: 3 }).map((e) => fix(e)), { maxLength: 10 }), (fixes) => {
        const text = "abcdef";
        const got = applyFixes(text, fixes);
        const want = referenceApplyFixes(text, fixes);
        expect(got.text).toBe(want.text);
        expect(got.applied.every((f, i) => f === want.applied[i])).toBe(true);
        expect(got.skipped.every((f, i) => f === want.skipped[i])).toBe(true);
        expect(got.applied.length + got.skipped.length).toBe(fixes.length);
      }),
      { numRuns: 20_000 },
    );
  });
});
