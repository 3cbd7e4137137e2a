// "did you mean" for a rule id that names no rule (--rule, a config's "rules").
import { editDistance } from "../apache/edit-distance.js";

/**
 * ` (did you mean "id"?)` for the known id nearest to `id`, or "" when none is
 * near: at most 2 edits, and fewer than half the letters of the shorter name
 * (so that `bom` does not suggest `foo`), a swap of two letters counting one.
 */
export function didYouMean(id: string, known: Iterable<string>): string {
  const wanted = id.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const limit = Math.min(2, Math.ceil(Math.min(k.length, wanted.length) / 2) - 1);
    const d = editDistance(wanted, k, { max: limit, transpositions: true });
    if (d <= limit && d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  // a prefix of a longer id ("proxypass-trailing") names it well enough
  if (best === undefined && wanted.length >= 4) {
    const prefixed = [...known].filter((k) => k.startsWith(wanted));
    if (prefixed.length === 1) best = prefixed[0];
  }
  return best === undefined ? "" : ` (did you mean "${best}"?)`;
}
