// The AST is a view over the source text: nodes hold a row of the line table
// (line-table.ts), never copies of the text, so printing is slicing and every
// byte survives (fixes rely on it). Node objects are made when a walk first
// reaches them; line and column are derived on demand from the line index.
import { LineIndex, type Position } from "./line-index.js";
import { scanArguments, type Argument } from "./arguments.js";
import { CLOSE, COMMENT, DIRECTIVE, LineTable, OPEN } from "./line-table.js";

export type { Position } from "./line-index.js";
export type { Argument } from "./arguments.js";

export interface Range {
  start: Position;
  end: Position;
}

/** A half-open span of UTF-16 offsets into the file's text. */
export interface Span {
  start: number;
  end: number;
}

/**
 * What the parser found, in its own words (rules decide what to report):
 * - unclosed-section: an open tag with no close tag (data: unclosed);
 * - wrong-close: a close tag naming another section than the innermost open one (data: wrong-close);
 * - stray-close: a close tag with no section open at all (data: stray-close);
 * - missing-gt: an open or close tag without its closing `>` (data: missing-gt);
 * - unbalanced-quote: a quoted word whose quote never closes;
 * - broken-continuation: a `\` followed by blanks before the line break, which continues nothing (data: broken-continuation);
 * - byte-order-mark: the text starts with U+FEFF;
 * - syntax-error: text the lexer or parser could not read, or an internal parser failure.
 */
export type ParseErrorCode =
  | "unclosed-section"
  | "wrong-close"
  | "stray-close"
  | "missing-gt"
  | "unbalanced-quote"
  | "broken-continuation"
  | "byte-order-mark"
  | "syntax-error";

export interface RelatedSpan extends Span {
  message: string;
}

/** A structural problem found while parsing. `code` says what it is in the parser's terms (ParseErrorCode). */
export interface ParseError extends Span {
  code: ParseErrorCode;
  message: string;
  related?: RelatedSpan[];
  /** What a fix needs to know, per code. */
  data?: ParseErrorData;
}

export type ParseErrorData =
  | { readonly kind: "unclosed"; readonly section: Section; readonly insertAt: number; readonly indent: string }
  | { readonly kind: "wrong-close"; readonly close: SectionClose; readonly expected: string }
  | { readonly kind: "stray-close"; readonly close: SectionClose }
  | { readonly kind: "missing-gt"; readonly tag: SectionOpen | SectionClose; readonly insertAt: number }
  | { readonly kind: "broken-continuation"; readonly line: Directive | SectionOpen | SectionClose; readonly blanksEnd: number };

/** Everything between a line's first physical start and its terminator. */
abstract class LineNode implements Span {
  constructor(
    readonly file: ConfigFile,
    /** the row in the file's line table */
    readonly row: number,
    public parent: Section | ConfigFile,
  ) {}
  /** offset where the first physical line begins (indentation included) */
  get from(): number {
    return this.file.table.from(this.row);
  }
  /** offset of the first non-blank character */
  get start(): number {
    return this.file.table.start[this.row]!;
  }
  /** offset after the last non-blank character of the logical line */
  get end(): number {
    return this.file.table.end[this.row]!;
  }
  /** offset after the line terminator (or end of text) */
  get to(): number {
    return this.file.table.to[this.row]!;
  }
  get text(): string {
    return this.file.text.slice(this.start, this.end);
  }
  get indent(): string {
    return this.file.text.slice(this.from, this.start);
  }
  get range(): Range {
    return this.file.range(this.start, this.end);
  }
}

export class Blank extends LineNode {
  readonly kind = "blank" as const;
}

export class Comment extends LineNode {
  readonly kind = "comment" as const;
  /** The comment's text after `#`, continuation lines included. */
  get body(): string {
    return this.file.text.slice(this.start + 1, this.end);
  }
}

/** Arguments are scanned on first use: most rules only look at a few directive names. */
abstract class WordsNode extends LineNode {
  private _args: Argument[] | undefined = undefined;
  /** offset after the name */
  get nameEnd(): number {
    return this.file.table.nameEnd[this.row]!;
  }
  /** lower-cased name: compare with this, Apache is case-insensitive */
  get key(): string {
    return this.file.table.names[this.file.table.key[this.row]!]!;
  }
  protected get argsTo(): number {
    return this.end;
  }
  get args(): readonly Argument[] {
    return (this._args ??= scanArguments(this.file.text, this.nameEnd, this.argsTo));
  }
}

export class Directive extends WordsNode {
  readonly kind = "directive" as const;
  get name(): string {
    return this.file.text.slice(this.start, this.nameEnd);
  }
  /**
   * Index of the first argument that begins with an unquoted `#`: Apache has no
   * trailing comments, it passes these words to the directive. -1 if none.
   */
  get trailingCommentIndex(): number {
    return this.args.findIndex((a) => a.quote === null && a.raw.startsWith("#"));
  }
}

/** `<Name args>`: the line that opens a section. */
export class SectionOpen extends WordsNode {
  readonly kind = "open" as const;
  /** offset of the `>` that ends the tag, or -1 when it is missing */
  get gt(): number {
    return this.file.table.gt[this.row]!;
  }
  /** The section name without `<`. */
  get name(): string {
    const raw = this.file.text.slice(this.start + 1, this.nameEnd);
    return raw.endsWith(">") ? raw.slice(0, -1) : raw;
  }
  protected override get argsTo(): number {
    return this.gt === -1 ? this.end : this.gt;
  }
}

/** `</Name>` */
export class SectionClose extends LineNode {
  readonly kind = "close" as const;
  get nameEnd(): number {
    return this.file.table.nameEnd[this.row]!;
  }
  get key(): string {
    return this.file.table.names[this.file.table.key[this.row]!]!;
  }
  get gt(): number {
    return this.file.table.gt[this.row]!;
  }
  get name(): string {
    return this.file.text.slice(this.start + 2, this.nameEnd);
  }
}

export class Section implements Span {
  readonly kind = "section" as const;
  private _children: Node[] | undefined = undefined;
  private _open: SectionOpen | undefined = undefined;
  private _close: SectionClose | null | undefined = undefined;
  constructor(
    readonly file: ConfigFile,
    /** the row of the open tag */
    readonly row: number,
    public parent: Section | ConfigFile,
  ) {}
  get open(): SectionOpen {
    return (this._open ??= new SectionOpen(this.file, this.row, this.parent));
  }
  get close(): SectionClose | null {
    if (this._close === undefined) {
      const r = this.file.table.pair[this.row]!;
      this._close = r >= 0 ? new SectionClose(this.file, r, this) : null;
    }
    return this._close;
  }
  get children(): readonly Node[] {
    return (this._children ??= this.file.nodesAt(this.file.table.childRows(this.row), this));
  }
  /** lower-cased section name */
  get key(): string {
    return this.open.key;
  }
  get name(): string {
    return this.open.name;
  }
  get args(): readonly Argument[] {
    return this.open.args;
  }
  get start(): number {
    return this.open.start;
  }
  private get lastRow(): number {
    const t = this.file.table;
    const r = t.pair[this.row]!;
    return r >= 0 ? r : t.extent[this.row]! - 1;
  }
  get end(): number {
    return this.file.table.end[this.lastRow]!;
  }
  get from(): number {
    return this.open.from;
  }
  get to(): number {
    return this.file.table.to[this.lastRow]!;
  }
  get range(): Range {
    return this.file.range(this.start, this.end);
  }
}

/** What can stand in a file or a section. A stray close tag stays in the tree so nothing is lost. */
export type Node = Directive | Section | Comment | Blank | SectionClose;

export class ConfigFile {
  readonly kind = "file" as const;
  readonly errors: ParseError[] = [];
  readonly lines: LineIndex;
  readonly table: LineTable;
  private _children: Node[] | undefined = undefined;
  constructor(
    /** path as given by the caller, used in findings */
    readonly path: string,
    /** the whole text, BOM included */
    readonly text: string,
  ) {
    this.lines = new LineIndex(text);
    this.table = new LineTable(this.bom ? 1 : 0, this.lines.count);
  }
  get children(): readonly Node[] {
    return (this._children ??= this.nodesAt(this.table.childRows(-1), this));
  }
  /** Node objects for rows that share a parent. */
  nodesAt(rows: readonly number[], parent: Section | ConfigFile): Node[] {
    const kinds = this.table.kind;
    return rows.map((r) => {
      switch (kinds[r]) {
        case OPEN:
          return new Section(this, r, parent);
        case DIRECTIVE:
          return new Directive(this, r, parent);
        case COMMENT:
          return new Comment(this, r, parent);
        case CLOSE:
          return new SectionClose(this, r, parent);
        default:
          return new Blank(this, r, parent);
      }
    });
  }
  /** The node at a row, reached from the root so that its parents are right; a close tag's row gives the close tag. */
  nodeAt(row: number): Node | SectionClose {
    let kids = this.children;
    for (;;) {
      let lo = 0;
      let hi = kids.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1;
        if (kids[mid]!.row <= row) lo = mid;
        else hi = mid - 1;
      }
      const n = kids[lo]!;
      if (n.row === row || n.kind !== "section") return n;
      if (this.table.pair[n.row] === row) return n.close!;
      kids = n.children;
    }
  }
  /** true when the text starts with U+FEFF */
  get bom(): boolean {
    return this.text.charCodeAt(0) === 0xfeff;
  }
  /** the line terminator most of the file uses, for inserted lines */
  get eol(): "\n" | "\r\n" {
    return this.lines.crlfCount * 2 > this.lines.count - 1 ? "\r\n" : "\n";
  }
  position(offset: number): Position {
    return this.lines.position(offset);
  }
  range(start: number, end: number): Range {
    return { start: this.lines.position(start), end: this.lines.position(end) };
  }
}

export type Parent = Section | ConfigFile;
