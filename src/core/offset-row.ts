// From a text offset to the line-table row that holds it: rules that find
// their trigger characters by a native search over the whole text map the hits
// to rows this way, and look only at those lines.
import type { LineTable } from "../../grammar/line-table.js";

/**
 * The row whose text [from, to) holds `offset`: the first row at or after
 * `lo` whose `to` is past it (rows' `to` increase). The last row for an
 * offset at or past the end of the text. The search gallops from `lo`, so a
 * caller that walks hits in order and passes the last row back pays for the
 * distance between hits, not for the file's size.
 */
export function rowAt(table: LineTable, offset: number, lo = 0): number {
  const to = table.to;
  const last = table.count - 1;
  if (last < 0) return -1;
  if (lo > last) lo = last;
  if (to[lo]! > offset) return lo;
  // to[lo] <= offset: find a bound hi with to[hi] > offset (or the last row)
  let step = 1;
  let hi = lo + step;
  while (hi < last && to[hi]! <= offset) {
    lo = hi + 1;
    step *= 2;
    hi = lo + step;
  }
  if (hi > last) hi = last;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (to[mid]! > offset) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
