// Fills the line table and matches sections with a stack. Sections are
// matched here rather than nested in the grammar, so that a broken structure
// becomes a precise diagnostic (which tag, where it was seen) instead of a
// parser re-sync that loses half the file.
import type { ConfigFile, Directive, ParseError, Section, SectionClose, SectionOpen } from "./ast.js";
import { continuationAt, unterminatedQuoteAt } from "./arguments.js";
import { BLANK, CLOSE, COMMENT, DIRECTIVE, OPEN, type LineTable } from "./line-table.js";

const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);

/** Everything up to the first quote or the end of the logical line. */
const QUOTE_SCAN = /[^"'\\\n]*(?:\\(?:\r?\n)?[^"'\\\n]*)*/y;

/** Width of an indentation, tabs counted to the next multiple of 8 as most editors show them. */
function indentWidth(text: string, from: number, to: number): number {
  let w = 0;
  for (let i = from; i < to; i++) w = text.charCodeAt(i) === 9 ? (w + 8) & ~7 : w + 1;
  return w;
}

export class TreeBuilder {
  /** rows of the open tags of the sections still open */
  private readonly stack: number[] = [];
  private readonly table: LineTable;
  private readonly text: string;

  constructor(readonly file: ConfigFile) {
    this.table = file.table;
    this.text = file.text;
  }

  private error(e: ParseError): void {
    this.file.errors.push(e);
  }

  /** Offset of the first non-blank character; a continuation counts as blank. */
  private startOf(from: number, to: number): number {
    const t = this.text;
    let s = from;
    for (;;) {
      while (s < to && isSpace(t.charCodeAt(s))) s++;
      if (s < to && t.charCodeAt(s) === 92 && (t.charCodeAt(s + 1) === 10 || (t.charCodeAt(s + 1) === 13 && t.charCodeAt(s + 2) === 10))) {
        s += t.charCodeAt(s + 1) === 10 ? 2 : 3;
        continue;
      }
      return s;
    }
  }

  /** Offset after the last non-blank character, not before s. */
  private endOf(s: number, to: number): number {
    const t = this.text;
    let e = to;
    for (;;) {
      while (e > s && isSpace(t.charCodeAt(e - 1))) e--;
      if (e > s && e < to && t.charCodeAt(e - 1) === 92 && (t.charCodeAt(e) === 10 || (t.charCodeAt(e) === 13 && t.charCodeAt(e + 1) === 10))) {
        e--;
        continue;
      }
      return e;
    }
  }

  /** End of the first word starting at s (a continuation ends it too; any other `\` is part of it, as for Apache). */
  private wordEnd(s: number, end: number): number {
    const t = this.text;
    let i = s;
    while (i < end && !isSpace(t.charCodeAt(i)) && !continuationAt(t, i)) i++;
    return i;
  }

  /** Splits a run of non-tag lines into logical lines: a newline after `\` continues the line. */
  plainLines(from: number, to: number): void {
    const t = this.text;
    let i = from;
    while (i < to) {
      let j = t.indexOf("\n", i);
      while (j !== -1 && j < to && (t.charCodeAt(j - 1) === 92 || (t.charCodeAt(j - 1) === 13 && t.charCodeAt(j - 2) === 92))) {
        j = t.indexOf("\n", j + 1);
      }
      const end = j === -1 || j >= to ? to : j + 1;
      this.line(i, end);
      i = end;
    }
  }

  /** One logical line, classified by its first non-blank character (after any continuation). */
  private line(from: number, to: number): void {
    const s = this.startOf(from, to);
    const e = this.endOf(s, to);
    if (s === e) return this.blank(from, to);
    const c = this.text.charCodeAt(s);
    if (c === 35) return this.comment(from, to);
    if (c === 60) return this.text.charCodeAt(s + 1) === 47 ? this.closeTag(from, to) : this.openTag(from, to);
    this.directive(s, e, to);
  }

  /** Does the logical line hold a quote after `from`? A native scan that stops at the line's end. */
  private hasQuote(from: number, e: number): boolean {
    QUOTE_SCAN.lastIndex = from;
    QUOTE_SCAN.test(this.text);
    return QUOTE_SCAN.lastIndex < e;
  }

  blank(from: number, to: number): void {
    this.table.push(BLANK, from, from, to, from, 0, -1);
  }

  comment(from: number, to: number): void {
    const s = this.startOf(from, to);
    this.table.push(COMMENT, s, this.endOf(s, to), to, s, 0, -1);
  }

  private directive(s: number, e: number, to: number): void {
    const nameEnd = this.wordEnd(s, e);
    const row = this.table.push(DIRECTIVE, s, e, to, nameEnd, this.table.keyAt(this.text, s, nameEnd), -1);
    if (this.hasQuote(nameEnd, e)) this.checkQuotes(nameEnd, e);
    if (this.text.charCodeAt(e - 1) === 92) this.checkContinuation(row, e, to);
  }

  /**
   * A line whose last non-blank character is `\` followed by blanks: Apache
   * continues a line only when `\` comes right before the newline, so this `\`
   * becomes an argument and the next line is read on its own (m05).
   */
  private checkContinuation(row: number, e: number, to: number): void {
    const t = this.text;
    if (t.charCodeAt(e - 1) !== 92) return;
    let b = e;
    while (b < to && (t.charCodeAt(b) === 32 || t.charCodeAt(b) === 9 || t.charCodeAt(b) === 11 || t.charCodeAt(b) === 12)) b++;
    const c = t.charCodeAt(b);
    // there must be blanks, and then a newline: at the end of the text nothing could be continued
    if (b === e || !(c === 10 || (c === 13 && t.charCodeAt(b + 1) === 10))) return;
    const file = this.file;
    this.error({
      code: "continuation-trailing-space",
      start: e - 1,
      end: b,
      message: "`\\` followed by blanks does not continue the line",
      data: {
        kind: "broken-continuation",
        get line() {
          const n = file.nodeAt(row);
          return n.kind === "section" ? n.open : (n as Directive | SectionClose);
        },
        blanksEnd: b,
      },
    });
  }

  private checkQuotes(from: number, to: number): void {
    const at = unterminatedQuoteAt(this.text, from, to);
    if (at === -1) return;
    this.error({
      code: "quote-unbalanced",
      start: at,
      end: to,
      message: `Unbalanced ${this.text[at]}: the quoted argument runs to the end of the line`,
    });
  }

  openTag(from: number, to: number): void {
    const t = this.text;
    const s = this.startOf(from, to);
    const e = this.endOf(s, to);
    const nameEnd = this.wordEnd(s, e);
    let rawName = t.slice(s + 1, nameEnd);
    if (rawName.endsWith(">")) rawName = rawName.slice(0, -1);
    const gtAt = t.lastIndexOf(">", e - 1);
    const gt = gtAt > s ? gtAt : -1;
    const row = this.table.push(OPEN, s, e, to, nameEnd, this.table.keyId(rawName), gt);
    this.stack.push(row);
    if (t.charCodeAt(e - 1) === 92) this.checkContinuation(row, e, to);
    if (gt === -1) {
      const file = this.file;
      this.error({
        code: "section-mismatched",
        start: s,
        end: e,
        message: `<${rawName}> is missing its closing '>'`,
        data: {
          kind: "missing-gt",
          get tag() {
            return (file.nodeAt(row) as Section).open as SectionOpen;
          },
          insertAt: e,
        },
      });
    }
    const argsEnd = gt === -1 ? e : gt;
    if (this.hasQuote(nameEnd, argsEnd)) this.checkQuotes(nameEnd, argsEnd);
  }

  closeTag(from: number, to: number): void {
    const t = this.text;
    const tb = this.table;
    const file = this.file;
    const s = this.startOf(from, to);
    const e = this.endOf(s, to);
    let nameEnd = s + 2;
    while (nameEnd < e && t.charCodeAt(nameEnd) !== 62 && !isSpace(t.charCodeAt(nameEnd))) nameEnd++;
    const gt = t.charCodeAt(nameEnd) === 62 ? nameEnd : -1;
    const name = t.slice(s + 2, nameEnd);
    const key = tb.keyId(name);
    const row = tb.push(CLOSE, s, e, to, nameEnd, key, gt);
    if (t.charCodeAt(e - 1) === 92) this.checkContinuation(row, e, to);
    const closeNode = () => file.nodeAt(row) as SectionClose;
    if (gt === -1) {
      this.error({
        code: "section-mismatched",
        start: s,
        end: e,
        message: `</${name}> is missing its closing '>'`,
        data: {
          kind: "missing-gt",
          get tag() {
            return closeNode();
          },
          insertAt: nameEnd,
        },
      });
    }
    let match = -1;
    for (let i = this.stack.length - 1; i >= 0; i--) {
      if (tb.key[this.stack[i]!] === key) {
        match = i;
        break;
      }
    }
    if (match === -1) {
      if (this.stack.length === 0) {
        this.error({
          code: "section-mismatched",
          start: s,
          end: e,
          message: `</${name}> without matching <${name}> section`,
          data: {
            kind: "stray-close",
            get close() {
              return closeNode();
            },
          },
        });
        return;
      }
      // Most likely a typo for the innermost open section: close that one.
      const top = this.stack[this.stack.length - 1]!;
      const expected = this.nameOf(top);
      this.error({
        code: "section-mismatched",
        start: s,
        end: e,
        message: `Expected </${expected}> but saw </${name}>`,
        related: [{ start: tb.start[top]!, end: tb.end[top]!, message: `<${expected}> opened here` }],
        data: {
          kind: "wrong-close",
          get close() {
            return closeNode();
          },
          expected,
        },
      });
      match = this.stack.length - 1;
    }
    while (this.stack.length - 1 > match) this.unclosed(this.stack.pop()!, row, s, e, `</${name}>`);
    const open = this.stack.pop()!;
    tb.pair[open] = row;
    tb.pair[row] = open;
    tb.extent[open] = row + 1;
  }

  /** The section name as written in its open tag. */
  private nameOf(open: number): string {
    const raw = this.text.slice(this.table.start[open]! + 1, this.table.nameEnd[open]!);
    return raw.endsWith(">") ? raw.slice(0, -1) : raw;
  }

  /**
   * A section that was never closed, found out at row `seen` (a close tag of an
   * enclosing section, or the end). Its extent is guessed from indentation: the
   * block ends before the first line indented no deeper than the open tag, and
   * the lines after it belong to the enclosing parent. A block that is not
   * indented at all extends to where the problem was found.
   */
  private unclosed(open: number, seen: number, seenStart: number, seenEnd: number, seenText: string): void {
    const tb = this.table;
    const t = this.text;
    const openWidth = indentWidth(t, tb.from(open), tb.start[open]!);
    const kids = tb.childRows(open, seen);
    let firstOut = -1;
    let lastIn = -1;
    for (let i = 0; i < kids.length; i++) {
      const r = kids[i]!;
      const k = tb.kind[r];
      if (k === BLANK || k === COMMENT) continue;
      if (indentWidth(t, tb.from(r), tb.start[r]!) <= openWidth) {
        firstOut = i;
        break;
      }
      lastIn = i;
    }
    let lastRow: number;
    if (firstOut !== -1 && lastIn !== -1) {
      lastRow = kids[lastIn]!;
    } else {
      // the section keeps everything up to its last line with something on it
      let i = kids.length - 1;
      while (i > 0 && tb.kind[kids[i]!] === BLANK) i--;
      lastRow = i >= 0 ? kids[i]! : open;
    }
    tb.extent[open] = lastRow === open ? open + 1 : tb.skip(lastRow);
    const insertAt = tb.to[tb.extent[open]! - 1]!;
    const file = this.file;
    const name = this.nameOf(open);
    this.error({
      code: "section-unclosed",
      start: tb.start[open]!,
      end: tb.end[open]!,
      message: `<${name}> was not closed`,
      related: [{ start: seenStart, end: seenEnd, message: seenText === "" ? "end of file reached" : `${seenText} seen here first` }],
      data: {
        kind: "unclosed",
        get section() {
          return file.nodeAt(open) as Section;
        },
        insertAt,
        indent: t.slice(tb.from(open), tb.start[open]!),
      },
    });
  }

  finish(): void {
    const end = this.text.length;
    const rows = this.table.count;
    while (this.stack.length) this.unclosed(this.stack.pop()!, rows, end, end, "");
    this.file.errors.sort((a, b) => a.start - b.start || a.end - b.end);
  }
}
