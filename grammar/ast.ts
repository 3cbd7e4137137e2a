// The AST is a view over the source text: nodes hold offsets, never copies of
// the text, so printing is slicing and every byte survives (fixes rely on it).
// Line and column are derived on demand from a table of line starts, which
// keeps a million-line file cheap to hold.
import { LineIndex, type Position } from "./line-index.js";
import { scanArguments, type Argument } from "./arguments.js";

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

export type ParseErrorCode =
  | "section-unclosed"
  | "section-mismatched"
  | "quote-unbalanced"
  | "bom"
  | "parse-error";

export interface RelatedSpan extends Span {
  message: string;
}

/** A structural problem found while parsing. `code` is the id of the rule that reports it. */
export interface ParseError extends Span {
  code: ParseErrorCode;
  message: string;
  related?: RelatedSpan[];
  /** What a fix needs to know, per code. */
  data?: ParseErrorData;
}

export type ParseErrorData =
  | { kind: "unclosed"; section: Section; insertAt: number; indent: string }
  | { kind: "wrong-close"; close: SectionClose; expected: string }
  | { kind: "stray-close"; close: SectionClose }
  | { kind: "missing-gt"; tag: SectionOpen | SectionClose; insertAt: number };

/** Everything between a line's first physical start and its terminator. */
abstract class LineNode implements Span {
  parent: Section | ConfigFile;
  constructor(
    readonly file: ConfigFile,
    /** offset where the first physical line begins (indentation included) */
    readonly from: number,
    /** offset of the first non-blank character */
    readonly start: number,
    /** offset after the last non-blank character of the logical line */
    readonly end: number,
    /** offset after the line terminator (or end of text) */
    readonly to: number,
  ) {
    this.parent = file;
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
  // A plain field (not #private): node construction is the parser's hot path.
  private _args: Argument[] | undefined = undefined;
  /** where argument scanning starts */
  protected abstract get argsFrom(): number;
  /** where argument scanning stops */
  protected get argsTo(): number {
    return this.end;
  }
  get args(): readonly Argument[] {
    return (this._args ??= scanArguments(this.file.text, this.argsFrom, this.argsTo));
  }
}

export class Directive extends WordsNode {
  readonly kind = "directive" as const;
  constructor(
    file: ConfigFile,
    from: number,
    start: number,
    end: number,
    to: number,
    /** offset after the directive name */
    readonly nameEnd: number,
    /** lower-cased directive name: compare with this, Apache is case-insensitive */
    readonly key: string,
  ) {
    super(file, from, start, end, to);
  }
  get name(): string {
    return this.file.text.slice(this.start, this.nameEnd);
  }
  protected get argsFrom(): number {
    return this.nameEnd;
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
  constructor(
    file: ConfigFile,
    from: number,
    start: number,
    end: number,
    to: number,
    readonly nameEnd: number,
    readonly key: string,
    /** offset of the `>` that ends the tag, or -1 when it is missing */
    readonly gt: number,
  ) {
    super(file, from, start, end, to);
  }
  /** The section name without `<`. */
  get name(): string {
    const raw = this.file.text.slice(this.start + 1, this.nameEnd);
    return raw.endsWith(">") ? raw.slice(0, -1) : raw;
  }
  protected get argsFrom(): number {
    return this.nameEnd;
  }
  protected override get argsTo(): number {
    return this.gt === -1 ? this.end : this.gt;
  }
}

/** `</Name>` */
export class SectionClose extends LineNode {
  readonly kind = "close" as const;
  constructor(
    file: ConfigFile,
    from: number,
    start: number,
    end: number,
    to: number,
    readonly nameEnd: number,
    readonly key: string,
    readonly gt: number,
  ) {
    super(file, from, start, end, to);
  }
  get name(): string {
    return this.file.text.slice(this.start + 2, this.nameEnd);
  }
}

export class Section implements Span {
  readonly kind = "section" as const;
  parent: Section | ConfigFile;
  readonly children: Node[] = [];
  close: SectionClose | null = null;
  constructor(readonly open: SectionOpen) {
    this.parent = open.parent;
  }
  get file(): ConfigFile {
    return this.open.file;
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
  get end(): number {
    if (this.close) return this.close.end;
    const last = this.children[this.children.length - 1];
    return last ? last.end : this.open.end;
  }
  get from(): number {
    return this.open.from;
  }
  get to(): number {
    if (this.close) return this.close.to;
    const last = this.children[this.children.length - 1];
    return last ? last.to : this.open.to;
  }
  get range(): Range {
    return this.file.range(this.start, this.end);
  }
}

/** What can stand in a file or a section. A stray close tag stays in the tree so nothing is lost. */
export type Node = Directive | Section | Comment | Blank | SectionClose;

export class ConfigFile {
  readonly kind = "file" as const;
  readonly children: Node[] = [];
  readonly errors: ParseError[] = [];
  readonly lines: LineIndex;
  constructor(
    /** path as given by the caller, used in findings */
    readonly path: string,
    /** the whole text, BOM included */
    readonly text: string,
  ) {
    this.lines = new LineIndex(text);
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
