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

/**
 * The first offset at or after i that does not begin a continuation. Apache
 * joins continued lines before it splits words, so the character a `\`
 * escapes can be on the next physical line (`a\\` + newline + `b` is `a\b`).
 */
function afterContinuations(text: string, i: number): number {
  for (let k = continuationAt(text, i); k; k = continuationAt(text, i)) i += k;
  return i;
}

/** The start of the next word at or after i (blanks and continuations skipped), or `to`. */
function skipBlanks(text: string, i: number, to: number): number {
  while (i < to) {
    const k = continuationAt(text, i);
    if (k) i += k;
    else if (isSpace(text.charCodeAt(i))) i++;
    else break;
  }
  return i;
}

/**
 * The end of the word that starts at i. A quoted word ends after its closing
 * quote; one whose quote never closes runs to `to` and is returned as `~to`.
 */
function wordEnd(text: string, i: number, to: number): number {
  const first = text.charCodeAt(i);
  const quoted = first === 34 || first === 39;
  if (quoted) i++;
  while (i < to) {
    const c = text.charCodeAt(i);
    if (c === 92) {
      const k = continuationAt(text, i);
      if (k) {
        i += k;
        continue;
      }
      const j = afterContinuations(text, i + 1);
      const n = text.charCodeAt(j);
      if (j < to && (n === 92 || (quoted && n === first))) {
        i = j + 1;
        continue;
      }
    } else if (quoted ? c === first : isSpace(c)) {
      return quoted ? i + 1 : i;
    }
    i++;
  }
  return quoted ? ~to : to;
}

/**
 * How many words Apache splits text[from, to) into, without making them;
 * -1 when a quote never closes. For counting checks over every directive.
 */
export function countArguments(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = skipBlanks(text, from, to); i < to; i = skipBlanks(text, i, to)) {
    const end = wordEnd(text, i, to);
    if (end < 0) return -1;
    n++;
    i = end;
  }
  return n;
}

/** What Apache passes on: quotes removed, `\\` and `\"` unescaped, continuations dropped. */
function wordValue(text: string, start: number, end: number, quote: number, closed: boolean): string {
  let i = quote ? start + 1 : start;
  const stop = quote && closed ? end - 1 : end;
  let value = "";
  let seg = i;
  while (i < stop) {
    if (text.charCodeAt(i) === 92) {
      const k = continuationAt(text, i);
      if (k) {
        value += text.slice(seg, i);
        i += k;
        seg = i;
        continue;
      }
      const j = afterContinuations(text, i + 1);
      const n = text.charCodeAt(j);
      if (j < stop && (n === 92 || (quote !== 0 && n === quote))) {
        value += text.slice(seg, i);
        seg = j;
        i = j + 1;
        continue;
      }
    }
    i++;
  }
  return value + text.slice(seg, stop);
}

export function scanArguments(text: string, from: number, to: number): Argument[] {
  const out: Argument[] = [];
  for (let i = skipBlanks(text, from, to); i < to; i = skipBlanks(text, i, to)) {
    const start = i;
    const first = text.charCodeAt(i);
    const quote = first === 34 || first === 39 ? first : 0;
    let end = wordEnd(text, i, to);
    const unterminated = end < 0;
    if (unterminated) end = ~end;
    out.push({
      raw: text.slice(start, end),
      value: wordValue(text, start, end, quote, !unterminated),
      start,
      end,
      quote: quote === 34 ? '"' : quote === 39 ? "'" : null,
      unterminated,
    });
    i = end;
  }
  return out;
}

/** Offset of the first quoted word that never closes, or -1. Allocates nothing: the parser calls it on every line with a quote. */
export function unterminatedQuoteAt(text: string, from: number, to: number): number {
  for (let i = skipBlanks(text, from, to); i < to; i = skipBlanks(text, i, to)) {
    const end = wordEnd(text, i, to);
    if (end < 0) return i;
    i = end;
  }
  return -1;
}

/** A logical line's text with its `\` + newline continuations removed, and the way back to file offsets. */
export interface JoinedLine {
  /** text[from, to) without continuations, as Apache's cfg_getline joins it */
  readonly text: string;
  /** the file offset of `text[i]`; `to` for i = text.length */
  offsetAt(i: number): number;
}

const CONTINUATION = /\\\r?\n/g;

/**
 * Joins text[from, to) as Apache does before it splits words. Native searches
 * only: a line without continuations (nearly all) is one slice and an offset
 * addition; otherwise one slice per physical piece and a search over the pieces.
 */
export function joinedLine(text: string, from: number, to: number): JoinedLine {
  const line = text.slice(from, to);
  if (!line.includes("\\")) return { text: line, offsetAt: (i) => from + i };
  // searched within the line (and the newline a last `\` may take): a search
  // of the whole text from each line made a large file quadratic
  const piece = text.slice(from, Math.min(text.length, to + 2));
  CONTINUATION.lastIndex = 0;
  let m = CONTINUATION.exec(piece);
  if (m === null || m.index >= to - from) return { text: line, offsetAt: (i) => from + i };
  // piece k starts at joined index at[k] and file offset src[k]
  const at: number[] = [0];
  const src: number[] = [from];
  let joined = "";
  let seg = from;
  while (m !== null && from + m.index < to) {
    joined += text.slice(seg, from + m.index);
    seg = from + m.index + m[0].length;
    at.push(joined.length);
    src.push(seg);
    m = CONTINUATION.exec(piece);
  }
  // a continuation that starts before `to` is dropped whole, as continuationAt does
  if (seg < to) joined += text.slice(seg, to);
  return {
    text: joined,
    offsetAt(i) {
      if (i >= joined.length) return to;
      let lo = 0;
      let hi = at.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1;
        if (at[mid]! <= i) lo = mid;
        else hi = mid - 1;
      }
      return src[lo]! + (i - at[lo]!);
    },
  };
}
