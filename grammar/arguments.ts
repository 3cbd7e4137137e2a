// Splits a directive's text into words exactly as Apache's ap_getword_conf
// does, on the physical text: a `\` + newline continuation is invisible to
// Apache (cfg_getline joins the lines), so it is skipped here but stays inside
// the raw text and the ranges of the arguments that span it.

export interface Argument {
  /** the argument as written, quotes and continuations included */
  readonly raw: string;
  /** what Apache passes to the directive: quotes removed, `\\` and `\"` unescaped */
  readonly value: string;
  /** offsets into the file text */
  readonly start: number;
  readonly end: number;
  /** the quote character that opened it, or null */
  readonly quote: '"' | "'" | null;
  /** a quoted argument whose closing quote is missing: it ran to the end of the line */
  readonly unterminated: boolean;
}

const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);

/** length of a continuation (`\` LF or `\` CR LF) at i, or 0 */
export function continuationAt(text: string, i: number): number {
  if (text.charCodeAt(i) !== 92) return 0;
  const c1 = text.charCodeAt(i + 1);
  if (c1 === 10) return 2;
  if (c1 === 13 && text.charCodeAt(i + 2) === 10) return 3;
  return 0;
}

export function scanArguments(text: string, from: number, to: number): Argument[] {
  const out: Argument[] = [];
  let i = from;
  for (;;) {
    // skip blanks and continuations between words
    for (;;) {
      if (i >= to) return out;
      const k = continuationAt(text, i);
      if (k) {
        i += k;
        continue;
      }
      if (!isSpace(text.charCodeAt(i))) break;
      i++;
    }
    const start = i;
    const first = text.charCodeAt(i);
    const quoted = first === 34 || first === 39;
    // value is built from slices between escapes and continuations
    let value = "";
    if (quoted) i++;
    let seg = i;
    let closed = false;
    while (i < to) {
      const c = text.charCodeAt(i);
      if (c === 92) {
        const k = continuationAt(text, i);
        if (k) {
          value += text.slice(seg, i);
          i += k;
          seg = i;
          continue;
        }
        const n = text.charCodeAt(i + 1);
        if (i + 1 < to && (n === 92 || (quoted && n === first))) {
          value += text.slice(seg, i);
          seg = i + 1;
          i += 2;
          continue;
        }
      } else if (quoted ? c === first : isSpace(c)) {
        closed = quoted;
        break;
      }
      i++;
    }
    value += text.slice(seg, i);
    if (closed) i++;
    out.push({
      raw: text.slice(start, i),
      value,
      start,
      end: i,
      quote: quoted ? (first === 34 ? '"' : "'") : null,
      unterminated: quoted && !closed,
    });
  }
}
