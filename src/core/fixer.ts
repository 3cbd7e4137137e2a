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

/**
 * Applies whole fixes (all their edits or none), in the order given; a fix that
 * overlaps one already taken is skipped for a later pass, as ESLint does.
 */
export function applyFixes(text: string, fixes: readonly Fix[]): ApplyResult {
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
    applied.push(...result.applied);
    current = result.text;
    passes++;
    findings = lint(current);
  }
  return { output: current, passes, applied, findings };
}
