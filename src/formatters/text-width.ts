// How many terminal columns text takes, and text cut or wrapped to a width.
// A config may hold any character (a CJK ServerAlias comment, an emoji), so
// columns are counted as terminals draw them: wide East Asian characters and
// emoji take two, combining marks and zero-width characters none, escape
// sequences none. (The table is the common ranges of Unicode's
// EastAsianWidth W/F, not all of it: enough to keep a row inside the screen.)

// [first, last] code points two columns wide
const WIDE: readonly [number, number][] = [
  [0x1100, 0x115f],
  [0x231a, 0x231b],
  [0x2329, 0x232a],
  [0x23e9, 0x23ec],
  [0x25fd, 0x25fe],
  [0x2614, 0x2615],
  [0x2648, 0x2653],
  [0x26aa, 0x26ab],
  [0x26bd, 0x26be],
  [0x26c4, 0x26c5],
  [0x2705, 0x2705],
  [0x270a, 0x270b],
  [0x274c, 0x274c],
  [0x2753, 0x2755],
  [0x2795, 0x2797],
  [0x2b1b, 0x2b1c],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xa960, 0xa97f],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe10, 0xfe19],
  [0xfe30, 0xfe6f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1f004, 0x1f004],
  [0x1f0cf, 0x1f0cf],
  [0x1f18e, 0x1f18e],
  [0x1f191, 0x1f19a],
  [0x1f200, 0x1f251],
  [0x1f300, 0x1f64f],
  [0x1f680, 0x1f6ff],
  [0x1f7e0, 0x1f7eb],
  [0x1f90c, 0x1f9ff],
  [0x1fa70, 0x1faff],
  [0x20000, 0x3fffd],
];

const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]$/u;
// ECMA-48 CSI sequences, which is all the human formats ever write
const CSI = /\u001b\[[0-9;]*m/g;

function charWidth(cp: number, ch: string): number {
  if (ZERO_WIDTH.test(ch)) return 0;
  let lo = 0;
  let hi = WIDE.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [a, b] = WIDE[mid]!;
    if (cp < a) hi = mid - 1;
    else if (cp > b) lo = mid + 1;
    else return 2;
  }
  return 1;
}

/** The columns `s` takes on a terminal; colour sequences take none. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s.replace(CSI, "")) w += charWidth(ch.codePointAt(0)!, ch);
  return w;
}

export const ELLIPSIS = "\u2026";

/**
 * `s` (plain text, no escape sequences) cut to at most `width` columns, ending
 * in "…" when cut; at a blank when one is near the end, so a word is not split.
 */
export function truncate(s: string, width: number): string {
  if (displayWidth(s) <= width) return s;
  if (width <= 0) return "";
  let out = "";
  let w = 0;
  for (const ch of s) {
    const cw = charWidth(ch.codePointAt(0)!, ch);
    if (w + cw > width - 1) break;
    out += ch;
    w += cw;
  }
  // back to the last blank when that loses at most a fifth of the room
  const blank = out.search(/\s\S*$/u);
  if (blank > 0 && blank >= out.length - Math.ceil(width / 5)) out = out.slice(0, blank);
  return `${out.replace(/[\s,;:]+$/u, "")}${ELLIPSIS}`;
}

/** A paragraph broken into lines of at most `width` columns at blanks (a longer word keeps its own line). */
export function wrap(paragraph: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of paragraph.split(/\s+/u).filter(Boolean)) {
    if (line === "") line = word;
    else if (displayWidth(line) + 1 + displayWidth(word) <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== "") lines.push(line);
  return lines;
}
