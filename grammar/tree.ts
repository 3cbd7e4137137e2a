// Fills the line table and matches sections with a stack. Sections are
// matched here rather than nested in the grammar, so that a broken structure
// becomes a precise diagnostic (which tag, where it was seen) instead of a
// parser re-sync that loses half the file.
import type { ConfigFile, Directive, ParseError, Section, SectionClose, SectionOpen } from "./ast.js";
import { continuationAt, unterminatedQuoteAt } from "./arguments.js";
import { BLANK, CLOSE, COMMENT, DIRECTIVE, OPEN, type LineTable } from "./line-table.js";

const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);

/**
 * Words as Apache splits them when there is no `\` (nor, therefore, any
 * continuation or newline): blanks, then a quoted word that closes or a bare
 * word. It ends exactly at the end of the arguments only when every quoted
 * word closes; it never runs past the physical line.
 */
const PLAIN_WORDS = /(?:[\t\v\f\r ]*(?:"[^"\\\n]*"|'[^'\\\n]*'|[^\t-\r "'\\][^\t-\r \\]*))*/y;

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

  /** offsets of the physical line starts (the file's line index) */
  private readonly starts: Uint32Array;
  /** the physical line on which the next logical line begins */
  private phys = 0;
  /** the next `"` and `'` at or after the last quote query (-1: none left), so each is searched for once */
  private dq = -2;
  private sq = -2;
  /** the tag line a run of plain lines stopped at, scanned once for both the run and the tag */
  private tagFrom = -1;
  private tagTo = 0;
  private tagS = 0;
  private tagE = 0;
  /** where the line of the last tag row ends */
  lastTo = 0;
  /** rows of the tag lines lexed and not yet seen by the parser, a queue reused for every chunk */
  private tagRows = new Int32Array(256);
  private tagsIn = 0;
  private tagsOut = 0;

  constructor(readonly file: ConfigFile) {
    this.table = file.table;
    this.text = file.text;
    this.starts = file.lines.starts;
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
    for (; i < end; i++) {
      const c = t.charCodeAt(i);
      if (c > 32 && c !== 92) continue;
      if (isSpace(c) || continuationAt(t, i)) break;
    }
    return i;
  }

  /**
   * End of the logical line that begins at `from`: the line index already
   * holds every newline, so only the character before each one is looked at
   * (a newline after `\` continues the line).
   */
  private lineEnd(from: number): number {
    const t = this.text;
    const st = this.starts;
    const n = st.length;
    let p = this.phys;
    // normally the cursor is right; a caller that jumps re-finds it
    if (p >= n || (st[p] !== from && !(p === 0 && from === this.table.origin))) p = this.file.lines.lineOf(from);
    for (p++; p < n; p++) {
      const nl = st[p]! - 1;
      const c = t.charCodeAt(nl - 1);
      if (!(c === 92 || (c === 13 && t.charCodeAt(nl - 2) === 92))) break;
    }
    this.phys = p;
    return p < n ? st[p]! : t.length;
  }

  /**
   * Rows for the logical lines from `from` up to the first section tag line or
   * `limit`, each classified by its first non-blank character (after any
   * continuation). Returns where the run ends, or -1 when the line at `from`
   * is a tag line; that line is kept for tagLine.
   */
  plainRun(from: number, limit: number): number {
    if (from === this.tagFrom) return -1;
    const t = this.text;
    let i = from;
    while (i < limit) {
      const to = this.lineEnd(i);
      const s = this.startOf(i, to);
      const e = this.endOf(s, to);
      if (s === e) this.blank(i, to);
      else {
        const c = t.charCodeAt(s);
        if (c === 35) this.table.push(COMMENT, s, e, to, s, 0, -1);
        else if (c === 60) {
          this.tagFrom = i;
          this.tagTo = to;
          this.tagS = s;
          this.tagE = e;
          return i === from ? -1 : i;
        } else this.directive(s, e, to);
      }
      i = to;
    }
    return i;
  }

  /** The row of the tag line at `from` if it is a close tag (`close`) or an open tag (not `close`), else -1. */
  tagLine(from: number, close: boolean): number {
    if (from !== this.tagFrom) {
      // not found by a run first: scan it now
      const to = this.lineEnd(from);
      const s = this.startOf(from, to);
      const e = this.endOf(s, to);
      if (s === e || this.text.charCodeAt(s) !== 60) {
        this.phys = this.file.lines.lineOf(from);
        return -1;
      }
      this.tagFrom = from;
      this.tagTo = to;
      this.tagS = s;
      this.tagE = e;
    }
    if ((this.text.charCodeAt(this.tagS + 1) === 47) !== close) return -1;
    this.tagFrom = -1;
    this.lastTo = this.tagTo;
    const row = close ? this.closeRow(this.tagS, this.tagE, this.tagTo) : this.openRow(this.tagS, this.tagE, this.tagTo);
    if (this.tagsOut === this.tagsIn) this.tagsOut = this.tagsIn = 0;
    if (this.tagsIn === this.tagRows.length) {
      const grown = new Int32Array(this.tagRows.length * 2);
      grown.set(this.tagRows);
      this.tagRows = grown;
    }
    this.tagRows[this.tagsIn++] = row;
    return row;
  }

  /** The row of the next tag line the parser sees. */
  private nextTag(): number {
    return this.tagRows[this.tagsOut++]!;
  }

  /** Is there a quote in [from, e)? Each kind of quote is searched for once per file, not once per line. */
  private hasQuote(from: number, e: number): boolean {
    const t = this.text;
    if (this.dq !== -1 && this.dq < from) this.dq = t.indexOf('"', from);
    if (this.sq !== -1 && this.sq < from) this.sq = t.indexOf("'", from);
    return (this.dq !== -1 && this.dq < e) || (this.sq !== -1 && this.sq < e);
  }

  blank(from: number, to: number): void {
    this.table.push(BLANK, from, from, to, from, 0, -1);
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
      code: "broken-continuation",
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
    PLAIN_WORDS.lastIndex = from;
    PLAIN_WORDS.test(this.text);
    if (PLAIN_WORDS.lastIndex === to) return;
    const at = unterminatedQuoteAt(this.text, from, to);
    if (at === -1) return;
    this.error({
      code: "unbalanced-quote",
      start: at,
      end: to,
      message: `Unbalanced ${this.text[at]}: the quoted argument runs to the end of the line`,
    });
  }

  /** The row of an open tag line, and what is wrong with the line itself. */
  private openRow(s: number, e: number, to: number): number {
    const t = this.text;
    const nameEnd = this.wordEnd(s, e);
    const gtAt = t.lastIndexOf(">", e - 1);
    const gt = gtAt > s ? gtAt : -1;
    const key = this.table.keyAt(t, s + 1, t.charCodeAt(nameEnd - 1) === 62 && nameEnd - 1 > s ? nameEnd - 1 : nameEnd);
    const row = this.table.push(OPEN, s, e, to, nameEnd, key, gt);
    if (t.charCodeAt(e - 1) === 92) this.checkContinuation(row, e, to);
    if (gt === -1) {
      const rawName = this.nameOf(row);
      const file = this.file;
      this.error({
        code: "missing-gt",
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
    return row;
  }

  /** `<Macro>` sections on the stack: inside one, only `<Macro>` and `</Macro>` are structure. */
  private macros = 0;

  private isMacro(row: number): boolean {
    const tb = this.table;
    return tb.names[tb.key[row]!] === "macro";
  }

  /**
   * The parser saw an open tag: its section is open until a close tag or the end.
   * In a `<Macro>` body other tags are template text, as mod_macro reads them: it
   * collects lines up to the `</Macro>` that balances the `<Macro` lines, and
   * one macro may open a section that another closes. Such a tag stays a row
   * of its kind with no partner (an empty section, a close that closes nothing)
   * and no structural error; what it means is decided where the macro is used.
   */
  openSection(): void {
    const row = this.nextTag();
    if (this.macros !== 0 && !this.isMacro(row)) return;
    if (this.isMacro(row)) this.macros++;
    this.stack.push(row);
  }

  /** The row of a close tag line, and what is wrong with the line itself. */
  private closeRow(s: number, e: number, to: number): number {
    const t = this.text;
    const tb = this.table;
    const file = this.file;
    // Apache reads the whole word and strips one final `>`: `</VirtualHost>x>` names
    // `VirtualHost>x`, and `</VirtualHost>x` misses its `>` (measured on 2.4.71).
    let wordEnd = s + 2;
    while (wordEnd < e && !isSpace(t.charCodeAt(wordEnd))) wordEnd++;
    const gt = wordEnd > s + 2 && t.charCodeAt(wordEnd - 1) === 62 ? wordEnd - 1 : -1;
    const nameEnd = gt === -1 ? wordEnd : gt;
    const row = tb.push(CLOSE, s, e, to, nameEnd, tb.keyAt(t, s + 2, nameEnd), gt);
    if (t.charCodeAt(e - 1) === 92) this.checkContinuation(row, e, to);
    if (gt === -1) {
      const name = t.slice(s + 2, nameEnd);
      const closeNode = () => file.nodeAt(row) as SectionClose;
      this.error({
        code: "missing-gt",
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
    return row;
  }

  /** The parser saw a close tag: it closes the innermost open section of its name. */
  closeSection(): void {
    const row = this.nextTag();
    const tb = this.table;
    const stack = this.stack;
    const key = tb.key[row]!;
    if (this.macros !== 0) {
      if (!this.isMacro(row)) return;
      this.macros--;
    }
    // the common case: it closes the innermost section
    if (stack.length !== 0 && tb.key[stack[stack.length - 1]!] === key) {
      const open = stack.pop()!;
      tb.pair[open] = row;
      tb.pair[row] = open;
      tb.extent[open] = row + 1;
      return;
    }
    const file = this.file;
    const s = tb.start[row]!;
    const e = tb.end[row]!;
    const name = this.text.slice(s + 2, tb.nameEnd[row]!);
    const closeNode = () => file.nodeAt(row) as SectionClose;
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
          code: "stray-close",
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
        code: "wrong-close",
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
      code: "unclosed-section",
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
