// The lexer splits logical lines from the line index and fills the line table
// in the same pass; this checks it against a straightforward reimplementation
// of Apache's cfg_getline splitting and of the line classification, over
// random texts full of `\`, CRLF, tags, quotes and `#`.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parse } from "../../grammar/index.js";
import { unterminatedQuoteAt } from "../../grammar/arguments.js";

const RUNS = Number(process.env.FC_NUM_RUNS ?? 300);

const isSpace = (c: string | undefined) => c !== undefined && " \t\n\v\f\r".includes(c);
/** length of a `\` + (CR)LF continuation at i, or 0 */
const cont = (t: string, i: number) => (t[i] !== "\\" ? 0 : t[i + 1] === "\n" ? 2 : t[i + 1] === "\r" && t[i + 2] === "\n" ? 3 : 0);

interface Row {
  kind: number;
  start: number;
  end: number;
  to: number;
  nameEnd: number;
}

/** One logical line after another, each classified by its first non-blank character. */
function reference(text: string): { rows: Row[]; starts: number[]; crlf: number; quotes: number[] } {
  const starts = [0];
  let crlf = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "\n") {
      starts.push(i + 1);
      if (text[i - 1] === "\r") crlf++;
    }
  }
  const rows: Row[] = [];
  const quotes: number[] = [];
  let from = text.startsWith("\ufeff") ? 1 : 0;
  while (from < text.length) {
    let to = text.length;
    for (let k = from; k < text.length; k++) {
      if (text[k] !== "\n") continue;
      const continued = text[k - 1] === "\\" || (text[k - 1] === "\r" && text[k - 2] === "\\");
      if (!continued) {
        to = k + 1;
        break;
      }
    }
    let s = from;
    for (;;) {
      if (s < to && isSpace(text[s])) s++;
      else if (s < to && cont(text, s)) s += cont(text, s);
      else break;
    }
    let e = to;
    for (;;) {
      if (e > s && isSpace(text[e - 1])) e--;
      else if (e > s && e < to && text[e - 1] === "\\" && cont(text, e - 1)) e--;
      else break;
    }
    if (s === e) rows.push({ kind: 0, start: from, end: from, to, nameEnd: from });
    else if (text[s] === "#") rows.push({ kind: 1, start: s, end: e, to, nameEnd: s });
    else if (text[s] === "<") rows.push({ kind: text[s + 1] === "/" ? 4 : 3, start: s, end: e, to, nameEnd: -1 });
    else {
      let n = s;
      while (n < e && !isSpace(text[n]) && !cont(text, n)) n++;
      rows.push({ kind: 2, start: s, end: e, to, nameEnd: n });
      const at = unterminatedQuoteAt(text, n, e);
      if (at !== -1) quotes.push(at);
    }
    from = to;
  }
  return { rows, starts, crlf, quotes };
}

const PIECES = ["\\", "\\\n", "\\\r\n", "\r\n", "\n", "\n", "\r", "<", ">", "</", "<Foo", "</Foo>", "<Foo a>", '"', "'", "#", " ", "\t", "\v", "a", "Dir", "x y", "\\\\", '\\"', "\ufeff", "é"];
const texts = fc.array(fc.constantFrom(...PIECES), { maxLength: 60 }).map((p) => p.join(""));

describe("line splitting", () => {
  it("the line table and the line index equal a plain reimplementation", () => {
    fc.assert(
      fc.property(texts, (text) => {
        const file = parse(text);
        const ref = reference(text);
        const t = file.table;
        const rows: Row[] = [];
        for (let r = 0; r < t.count; r++) {
          const k = t.kind[r]!;
          rows.push({ kind: k, start: t.start[r]!, end: t.end[r]!, to: t.to[r]!, nameEnd: k === 3 || k === 4 ? -1 : t.nameEnd[r]! });
        }
        expect(rows).toEqual(ref.rows);
        expect(Array.from(file.lines.starts)).toEqual(ref.starts);
        expect(file.lines.count).toBe(ref.starts.length);
        expect(file.lines.crlfCount).toBe(ref.crlf);
        const quoteErrors = file.errors.filter((e) => e.message.startsWith("Unbalanced") && t.kind[file.lines.lineOf(e.start)] !== undefined);
        const directiveQuotes = quoteErrors.map((e) => e.start).filter((at) => ref.rows.some((r) => r.kind === 2 && r.nameEnd <= at && at < r.end));
        expect(directiveQuotes).toEqual(ref.quotes);
      }),
      { numRuns: RUNS * 10 },
    );
  });

  it("a file of many chunks splits as one string does", () => {
    const block = '<Location /a>\n  Header set X "v"\\\n    more\n</Location>\r\n# c \\\n x\nRewriteRule ^ - [L]\n\n';
    const text = block.repeat(30000);
    const file = parse(text);
    expect(file.errors).toEqual([]);
    const one = parse(block);
    expect(file.table.count).toBe(one.table.count * 30000);
    const step = block.length;
    for (let r = 0; r < one.table.count; r++) {
      for (const k of [0, 12345, 29999]) {
        const row = k * one.table.count + r;
        expect([file.table.kind[row], file.table.start[row]! - k * step, file.table.to[row]! - k * step]).toEqual([one.table.kind[r], one.table.start[r], one.table.to[r]]);
      }
    }
  });
});
