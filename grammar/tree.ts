// Turns the flat sequence of lines into the section tree. Sections are matched
// with a stack here rather than nested in the grammar, so that a broken
// structure becomes a precise diagnostic (which tag, where it was seen) instead
// of a parser re-sync that loses half the file.
import {
  Blank,
  Comment,
  ConfigFile,
  Directive,
  Section,
  SectionClose,
  SectionOpen,
  type Node,
  type Parent,
  type ParseError,
} from "./ast.js";
import { unterminatedQuoteAt } from "./arguments.js";

const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);

/** Width of an indentation, tabs counted as 8 like most editors show them. */
function indentWidth(indent: string): number {
  let w = 0;
  for (let i = 0; i < indent.length; i++) w = indent.charCodeAt(i) === 9 ? (w + 8) & ~7 : w + 1;
  return w;
}

export class TreeBuilder {
  private readonly stack: Section[] = [];
  private names = new Map<string, string>();

  constructor(readonly file: ConfigFile) {}

  private get parent(): Parent {
    return this.stack.length ? this.stack[this.stack.length - 1]! : this.file;
  }

  private append(node: Node): void {
    const parent = this.parent;
    node.parent = parent;
    parent.children.push(node);
  }

  private error(e: ParseError): void {
    this.file.errors.push(e);
  }

  /** Lower-cased names are interned: a large file repeats a handful of them. */
  private key(raw: string): string {
    let k = this.names.get(raw);
    if (k === undefined) {
      k = raw.toLowerCase();
      this.names.set(raw, k);
    }
    return k;
  }

  /** Offset of the first non-blank character; a continuation counts as blank. */
  private startOf(from: number, to: number): number {
    const t = this.file.text;
    let s = from;
    for (;;) {
      while (s < to && isSpace(t.charCodeAt(s))) s++;
      if (s < to && t.charCodeAt(s) === 92 && (t.charCodeAt(s + 1) === 10 || (t.charCodeAt(s + 1) === 13 && t.charCodeAt(s + 2) === 10))) {
        s += t.charCodeAt(s + 1) === 10 ? 2 : 3;
        continue;
      }
      break;
    }
    return s;
  }

  /** Offset after the last non-blank character, not before s. */
  private endOf(s: number, to: number): number {
    const t = this.file.text;
    let e = to;
    for (;;) {
      while (e > s && isSpace(t.charCodeAt(e - 1))) e--;
      if (e > s && e < to && t.charCodeAt(e - 1) === 92 && (t.charCodeAt(e) === 10 || (t.charCodeAt(e) === 13 && t.charCodeAt(e + 1) === 10))) {
        e--;
        continue;
      }
      break;
    }
    return e;
  }

  /** End of the first word starting at s (a continuation ends it too). */
  private wordEnd(s: number, end: number): number {
    const t = this.file.text;
    let i = s;
    while (i < end && !isSpace(t.charCodeAt(i)) && t.charCodeAt(i) !== 92) i++;
    return i;
  }

  blank(from: number, to: number): void {
    this.append(new Blank(this.file, from, from, from, to));
  }

  comment(from: number, to: number): void {
    const s = this.startOf(from, to);
    const e = this.endOf(s, to);
    this.append(new Comment(this.file, from, s, e, to));
  }

  directive(from: number, to: number, hasQuote: boolean): void {
    const s = this.startOf(from, to);
    const e = this.endOf(s, to);
    if (s === e) return this.append(new Blank(this.file, from, s, e, to));
    const c = this.file.text.charCodeAt(s);
    // a leading continuation can hide what the line really is
    if (c === 35) return this.comment(from, to);
    if (c === 60) return this.file.text.charCodeAt(s + 1) === 47 ? this.closeTag(from, to) : this.openTag(from, to, hasQuote);
    const nameEnd = this.wordEnd(s, e);
    const d = new Directive(this.file, from, s, e, to, nameEnd, this.key(this.file.text.slice(s, nameEnd)));
    this.append(d);
    if (hasQuote) this.checkQuotes(nameEnd, e);
  }

  private checkQuotes(from: number, to: number): void {
    const at = unterminatedQuoteAt(this.file.text, from, to);
    if (at === -1) return;
    this.error({
      code: "quote-unbalanced",
      start: at,
      end: to,
      message: `Unbalanced ${this.file.text[at]}: the quoted argument runs to the end of the line`,
    });
  }

  openTag(from: number, to: number, hasQuote: boolean): void {
    const t = this.file.text;
    const s = this.startOf(from, to);
    const e = this.endOf(s, to);
    const nameEnd = this.wordEnd(s, e);
    let rawName = t.slice(s + 1, nameEnd);
    if (rawName.endsWith(">")) rawName = rawName.slice(0, -1);
    const gtAt = t.lastIndexOf(">", e - 1);
    const gt = gtAt > s ? gtAt : -1;
    const open = new SectionOpen(this.file, from, s, e, to, nameEnd, this.key(rawName), gt);
    open.parent = this.parent;
    const section = new Section(open);
    this.append(section);
    this.stack.push(section);
    if (gt === -1) {
      this.error({
        code: "section-mismatched",
        start: s,
        end: e,
        message: `<${open.name}> is missing its closing '>'`,
        data: { kind: "missing-gt", tag: open, insertAt: e },
      });
    }
    if (hasQuote) this.checkQuotes(nameEnd, gt === -1 ? e : gt);
  }

  closeTag(from: number, to: number): void {
    const t = this.file.text;
    const s = this.startOf(from, to);
    const e = this.endOf(s, to);
    let nameEnd = s + 2;
    while (nameEnd < e && t.charCodeAt(nameEnd) !== 62 && !isSpace(t.charCodeAt(nameEnd))) nameEnd++;
    const gt = t.charCodeAt(nameEnd) === 62 ? nameEnd : -1;
    const close = new SectionClose(this.file, from, s, e, to, nameEnd, this.key(t.slice(s + 2, nameEnd)), gt);
    if (gt === -1) {
      this.error({
        code: "section-mismatched",
        start: s,
        end: e,
        message: `</${close.name}> is missing its closing '>'`,
        data: { kind: "missing-gt", tag: close, insertAt: nameEnd },
      });
    }
    let match = -1;
    for (let i = this.stack.length - 1; i >= 0; i--) {
      if (this.stack[i]!.key === close.key) {
        match = i;
        break;
      }
    }
    if (match === -1) {
      if (this.stack.length === 0) {
        this.append(close);
        this.error({
          code: "section-mismatched",
          start: s,
          end: e,
          message: `</${close.name}> without matching <${close.name}> section`,
          data: { kind: "stray-close", close },
        });
        return;
      }
      // Most likely a typo for the innermost open section: close that one.
      const top = this.stack[this.stack.length - 1]!;
      this.error({
        code: "section-mismatched",
        start: s,
        end: e,
        message: `Expected </${top.name}> but saw </${close.name}>`,
        related: [{ start: top.open.start, end: top.open.end, message: `<${top.name}> opened here` }],
        data: { kind: "wrong-close", close, expected: top.name },
      });
      match = this.stack.length - 1;
    }
    while (this.stack.length - 1 > match) this.unclosed(this.stack.pop()!, s, e, `</${close.name}>`);
    const section = this.stack.pop()!;
    section.close = close;
    close.parent = section;
  }

  /**
   * A section that was never closed. Its extent is guessed from indentation:
   * the block ends before the first line indented no deeper than the open tag,
   * and the lines after it go back to the enclosing parent. A block that is not
   * indented at all extends to where the problem was detected.
   */
  private unclosed(section: Section, seenStart: number, seenEnd: number, seen: string): void {
    const openWidth = indentWidth(section.open.indent);
    const kids = section.children;
    let firstOut = -1;
    let lastIn = -1;
    for (let i = 0; i < kids.length; i++) {
      const k = kids[i]!;
      if (k.kind === "blank" || k.kind === "comment") continue;
      if (indentWidth(k.kind === "section" ? k.open.indent : k.indent) <= openWidth) {
        firstOut = i;
        break;
      }
      lastIn = i;
    }
    if (firstOut !== -1 && lastIn !== -1) {
      const moved = kids.splice(lastIn + 1);
      const parent = section.parent;
      for (const m of moved) {
        m.parent = parent;
        if (m.kind === "section") m.open.parent = parent;
        parent.children.push(m);
      }
    } else {
      // the section keeps everything: its last content line is where it ends
      while (kids.length > 1 && kids[kids.length - 1]!.kind === "blank") {
        const b = kids.pop()!;
        b.parent = section.parent;
        section.parent.children.push(b);
      }
    }
    const last = kids[kids.length - 1];
    const insertAt = last ? last.to : section.open.to;
    this.error({
      code: "section-unclosed",
      start: section.open.start,
      end: section.open.end,
      message: `<${section.name}> was not closed`,
      related: [{ start: seenStart, end: seenEnd, message: seen === "" ? "end of file reached" : `${seen} seen here first` }],
      data: { kind: "unclosed", section, insertAt, indent: section.open.indent },
    });
  }

  finish(): void {
    const end = this.file.text.length;
    while (this.stack.length) this.unclosed(this.stack.pop()!, end, end, "");
    this.file.errors.sort((a, b) => a.start - b.start || a.end - b.end);
  }
}
