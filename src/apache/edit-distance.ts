// The one edit distance of the project, for "did you mean" suggestions
// (module names, proxy parameters, RewriteRule flags). Strings are short
// (names, keys, flags), so two rows of numbers are all it needs.

export interface EditDistanceOptions {
  /**
   * Give up once the distance is certain to exceed `max`, and return
   * `max + 1` (callers only care whether a candidate is close enough).
   */
  max?: number;
  /**
   * Count a swap of two adjacent letters as one edit (optimal string
   * alignment), as a typist's slip usually is. Default: plain Levenshtein.
   */
  transpositions?: boolean;
}

/**
 * Levenshtein distance between `a` and `b` (insertions, deletions and
 * substitutions of UTF-16 units), or the optimal-string-alignment distance
 * with `transpositions`. With `max`, any result above it is `max + 1`.
 */
export function editDistance(a: string, b: string, options: EditDistanceOptions = {}): number {
  const max = options.max ?? Infinity;
  const swaps = options.transpositions === true;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  let prev2: number[] = [];
  let prev: number[] = new Array(n + 1);
  for (let j = 0; j <= n; j++) prev[j] = j;
  let prevBest = 0;
  for (let i = 1; i <= a.length; i++) {
    const cur: number[] = new Array(n + 1);
    cur[0] = i;
    let best = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const cb = b.charCodeAt(j - 1);
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (ca === cb ? 0 : 1));
      if (swaps && i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < best) best = v;
    }
    // Every later cell is at least the smallest of this row (Levenshtein), or of
    // this row and the one before it plus one (a swap reaches back two rows).
    if (best > max && (!swaps || prevBest + 1 > max)) return max + 1;
    prevBest = best;
    prev2 = prev;
    prev = cur;
  }
  const d = prev[n]!;
  return d > max ? max + 1 : d;
}
