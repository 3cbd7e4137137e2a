// The fixer is a pure function of text and edits, so the CLI, the --diff
// output and a language server's quick fixes all share it.
import type { Fix, TextEdit } from "./rule.js";

export interface ApplyResult {
  text: string;
  applied: Fix[];
  /** fixes left out because they overlap one applied earlier in the same pass */
  skipped: Fix[];
}

function overlaps(a: TextEdit, b: TextEdit): boolean {
  const aEmpty = a.start === a.end;
  const bEmpty = b.start === b.end;
  // Two insertions at one point conflict: their order would be a guess.
  if (aEmpty && bEmpty) return a.start === b.start;
  if (aEmpty) return a.start > b.start && a.start < b.end;
  if (bEmpty) return b.start > a.start && b.start < a.end;
  return a.start < b.end && b.start < a.end;
}

const byPosition = (a: TextEdit, b: TextEdit) => a.start - b.start || a.end - b.end;

/** Do two of one fix's own edits overlap? Sorted, only neighbours (and the widest edit so far) can. */
function selfOverlap(edits: readonly TextEdit[]): boolean {
  if (edits.length < 2) return false;
  if (edits.length === 2) return overlaps(edits[0]!, edits[1]!);
  const sorted = [...edits].sort(byPosition);
  let widest = sorted[0]!;
  for (let i = 1; i < sorted.length; i++) {
    const e = sorted[i]!;
    if (overlaps(sorted[i - 1]!, e) || overlaps(widest, e)) return true;
    if (e.end > widest.end) widest = e;
  }
  return false;
}

/** A Fenwick tree of counts over the compressed positions 0..n-1. */
class Counts {
  readonly #tree: Int32Array;
  constructor(n: number) {
    this.#tree = new Int32Array(n + 1);
  }
  add(i: number): void {
    const t = this.#tree;
    for (let k = i + 1; k < t.length; k += k & -k) t[k]!++;
  }
  /** how many were added at positions 0..i-1 */
  before(i: number): number {
    const t = this.#tree;
    let n = 0;
    for (let k = i; k > 0; k -= k & -k) n += t[k]!;
    return n;
  }
}

/**
 * Applies whole fixes (all their edits or none), in the order given; a fix that
 * overlaps one already taken is skipped for a later pass, as ESLint does.
 *
 * The edits taken never overlap one another, so whether a new edit [s, e)
 * overlaps one of them is a matter of counting: a taken replacement that
 * starts before e and does not end at or before s (such a one is unique);
 * a taken insertion strictly inside (s, e); or, for an insertion, a taken
 * insertion at the same point. Three Fenwick trees over the edits' distinct
 * offsets answer each in O(log n), so n edits cost O(n log n), not O(n²).
 */
export function applyFixes(text: string, fixes: readonly Fix[]): ApplyResult {
  const applied: Fix[] = [];
  const skipped: Fix[] = [];
  const length = text.length;
  // the distinct offsets of the edits that can be taken at all
  let count = 0;
  for (const fix of fixes) count += fix.edits.length;
  const points = new Float64Array(2 * count);
  let np = 0;
  for (const fix of fixes) {
    for (const e of fix.edits) {
      if (!Number.isInteger(e.start) || !Number.isInteger(e.end)) return applyFixesByPairs(text, fixes);
      points[np++] = e.start;
      points[np++] = e.end;
    }
  }
  const sortedPoints = points.subarray(0, np).sort();
  let distinct = 0;
  for (let i = 0; i < sortedPoints.length; i++) {
    if (i === 0 || sortedPoints[i] !== sortedPoints[i - 1]) sortedPoints[distinct++] = sortedPoints[i]!;
  }
  const at = sortedPoints.subarray(0, distinct);
  const indexOf = (offset: number): number => {
    let lo = 0;
    let hi = at.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (at[mid]! < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  /** starts and ends of taken replacements, taken insertion points */
  const starts = new Counts(distinct);
  const ends = new Counts(distinct);
  const inserts = new Counts(distinct);
  const insertAt = new Uint8Array(distinct);
  const taken: TextEdit[] = [];
  for (const fix of fixes) {
    const edits = fix.edits;
    let clash = false;
    for (const e of edits) {
      if (e.start < 0 || e.end > length || e.start > e.end) {
        clash = true;
        break;
      }
    }
    if (!clash) clash = selfOverlap(edits);
    if (!clash && taken.length > 0) {
      for (const e of edits) {
        const s = indexOf(e.start);
        const t = e.end === e.start ? s : indexOf(e.end);
        // a replacement [a, b) with a < e.end and b > e.start: starts before t minus ends at or before s
        if (starts.before(t) - ends.before(s + 1) > 0) {
          clash = true;
          break;
        }
        if (s === t ? insertAt[s] !== 0 : inserts.before(t) - inserts.before(s + 1) > 0) {
          clash = true;
          break;
        }
      }
    }
    if (clash) {
      skipped.push(fix);
      continue;
    }
    for (const e of edits) {
      const s = indexOf(e.start);
      if (e.start === e.end) {
        inserts.add(s);
        insertAt[s] = 1;
      } else {
        starts.add(s);
        ends.add(indexOf(e.end));
      }
      taken.push(e);
    }
    applied.push(fix);
  }
  return { text: spliced(text, taken), applied, skipped };
}

/** The text with non-overlapping edits applied. */
function spliced(text: string, taken: TextEdit[]): string {
  if (taken.length === 0) return text;
  taken.sort(byPosition);
  const parts: string[] = [];
  let at = 0;
  for (const e of taken) {
    parts.push(text.slice(at, e.start), e.text);
    at = e.end;
  }
  parts.push(text.slice(at));
  return parts.join("");
}

/** Every edit against every edit taken: for offsets that are not whole numbers, which no rule makes. */
function applyFixesByPairs(text: string, fixes: readonly Fix[]): ApplyResult {
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
    for (const e of edits) taken.push(e);
    applied.push(fix);
  }
  return { text: spliced(text, taken), applied, skipped };
}

export interface FixableFinding {
  fix?: Fix | undefined;
  start: number;
}

export interface FixLoopResult<F> {
  output: string;
  /** passes that changed the text */
  passes: number;
  /** fixes applied over all passes */
  applied: Fix[];
  /** findings of the final text */
  findings: F[];
}

export const MAX_FIX_PASSES = 10;

/**
 * Lints, applies what may be applied, re-lints the result, and repeats until
 * nothing changes or MAX_FIX_PASSES is reached.
 */
export function fixUntilStable<F extends FixableFinding>(
  text: string,
  lint: (text: string) => F[],
  accept: (fix: Fix) => boolean,
): FixLoopResult<F> {
  let current = text;
  let findings = lint(current);
  const applied: Fix[] = [];
  let passes = 0;
  while (passes < MAX_FIX_PASSES) {
    const fixes = findings
      .filter((f) => f.fix && accept(f.fix))
      .sort((a, b) => a.start - b.start)
      .map((f) => f.fix!);
    if (fixes.length === 0) break;
    const result = applyFixes(current, fixes);
    if (result.applied.length === 0 || result.text === current) break;
    for (const fix of result.applied) applied.push(fix);
    current = result.text;
    passes++;
    findings = lint(current);
  }
  return { output: current, passes, applied, findings };
}
