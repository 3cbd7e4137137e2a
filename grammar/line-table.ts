// The parser's output: one row per logical line, in columns of typed arrays.
// A million-line file is a few dozen megabytes of numbers instead of a million
// objects for the garbage collector to trace; AST node objects are views onto
// rows, created when a rule first walks to them (ast.ts).

export const BLANK = 0;
export const COMMENT = 1;
export const DIRECTIVE = 2;
export const OPEN = 3;
export const CLOSE = 4;
export type LineKind = typeof BLANK | typeof COMMENT | typeof DIRECTIVE | typeof OPEN | typeof CLOSE;

/** most slots of keyAt's table of spellings (a power of two) */
const SPELL_SLOTS = 2048;
/** columns of 32 bits per row (start, end, to, nameEnd, key, gt, pair, extent), then one byte of kind */
const WORD_COLUMNS = 8;

export class LineTable {
  count = 0;
  kind: Uint8Array;
  /** offset of the first non-blank character */
  start: Uint32Array;
  /** offset after the last non-blank character */
  end: Uint32Array;
  /** offset after the line terminator; a line begins where the previous one ends */
  to: Uint32Array;
  /** offset after the directive or tag name */
  nameEnd: Uint32Array;
  /** index into `names` of the lower-cased name */
  key: Uint32Array;
  /** tags: offset of the closing `>`, or -1 */
  gt: Int32Array;
  /** open tag: row of its close tag or -1; close tag: row of its open tag or -1 (stray) */
  pair: Int32Array;
  /** open tag: the row after the section's last row (its close tag, or its last child when unclosed) */
  extent: Uint32Array;
  /** interned lower-cased names */
  readonly names: string[] = [];
  private readonly nameIds = new Map<string, number>();

  constructor(
    /** offset where the first line begins (after a BOM) */
    readonly origin: number,
    /** rows to allocate: the physical line count is an upper bound for logical lines */
    capacity = 1024,
  ) {
    const n = Math.max(16, capacity);
    // a small file is most files of a tree: its spelling table is sized by its lines
    let slots = 64;
    while (slots < SPELL_SLOTS && slots < n * 2) slots *= 2;
    this.spellMask = slots - 1;
    this.spellRaw = new Array<string | null>(slots).fill(null);
    this.spellId = new Int32Array(slots);
    // one buffer for all columns: one allocation (and one backing store to free) per file, not nine
    const columns = LineTable.columns(n);
    this.kind = columns.kind;
    this.start = columns.start;
    this.end = columns.end;
    this.to = columns.to;
    this.nameEnd = columns.nameEnd;
    this.key = columns.key;
    this.gt = columns.gt;
    this.pair = columns.pair;
    this.extent = columns.extent;
  }

  private static columns(n: number) {
    const buffer = new ArrayBuffer(n * (WORD_COLUMNS * 4 + 1));
    const word = (i: number) => i * n * 4;
    return {
      start: new Uint32Array(buffer, word(0), n),
      end: new Uint32Array(buffer, word(1), n),
      to: new Uint32Array(buffer, word(2), n),
      nameEnd: new Uint32Array(buffer, word(3), n),
      key: new Uint32Array(buffer, word(4), n),
      gt: new Int32Array(buffer, word(5), n),
      pair: new Int32Array(buffer, word(6), n),
      extent: new Uint32Array(buffer, word(7), n),
      kind: new Uint8Array(buffer, word(8), n),
    };
  }

  from(row: number): number {
    return row === 0 ? this.origin : this.to[row - 1]!;
  }

  /** raw spellings seen and their keys, open-addressed by a cheap hash of the text, for keyAt */
  private readonly spellRaw: (string | null)[];
  private readonly spellId: Int32Array;
  private readonly spellMask: number;

  /**
   * The key of the name text[s, e), without slicing it in the common case: a
   * large config repeats a few spellings, found by hash and startsWith.
   */
  keyAt(text: string, s: number, e: number): number {
    const len = e - s;
    const h = (len << 16) ^ (text.charCodeAt(s) << 8) ^ text.charCodeAt(e - 1) ^ (text.charCodeAt(s + (len >> 1)) << 3);
    const raws = this.spellRaw;
    const mask = this.spellMask;
    let slot = (h ^ (h >>> 11)) & mask;
    for (let probe = 0; probe < 8; probe++) {
      const raw = raws[slot]!;
      if (raw === null) {
        const fresh = text.slice(s, e);
        const id = this.keyId(fresh);
        raws[slot] = fresh;
        this.spellId[slot] = id;
        return id;
      }
      if (raw.length === len && text.startsWith(raw, s)) return this.spellId[slot]!;
      slot = (slot + 1) & mask;
    }
    return this.keyId(text.slice(s, e));
  }

  /** The key of a lower-cased name, if the file has it. */
  keyOfName(lower: string): number | undefined {
    return this.nameIds.get(lower);
  }

  /** Interns a raw name; lower-cases each distinct spelling once. */
  keyId(raw: string): number {
    let id = this.nameIds.get(raw);
    if (id === undefined) {
      const lower = raw.toLowerCase();
      id = this.nameIds.get(lower);
      if (id === undefined) {
        id = this.names.length;
        this.names.push(lower);
        this.nameIds.set(lower, id);
      }
      this.nameIds.set(raw, id);
    }
    return id;
  }

  push(kind: LineKind, start: number, end: number, to: number, nameEnd: number, key: number, gt: number): number {
    if (this.count === this.kind.length) this.grow();
    const r = this.count++;
    this.kind[r] = kind;
    this.start[r] = start;
    this.end[r] = end;
    this.to[r] = to;
    this.nameEnd[r] = nameEnd;
    this.key[r] = key;
    this.gt[r] = gt;
    this.pair[r] = -1;
    this.extent[r] = r + 1;
    return r;
  }

  private grow(): void {
    const c = LineTable.columns(this.kind.length * 2);
    c.kind.set(this.kind);
    c.start.set(this.start);
    c.end.set(this.end);
    c.to.set(this.to);
    c.nameEnd.set(this.nameEnd);
    c.key.set(this.key);
    c.gt.set(this.gt);
    c.pair.set(this.pair);
    c.extent.set(this.extent);
    this.kind = c.kind;
    this.start = c.start;
    this.end = c.end;
    this.to = c.to;
    this.nameEnd = c.nameEnd;
    this.key = c.key;
    this.gt = c.gt;
    this.pair = c.pair;
    this.extent = c.extent;
  }

  /** The row after the last child of the section opened at `open` (-1: the file). */
  childrenEnd(open: number): number {
    if (open === -1) return this.count;
    const close = this.pair[open]!;
    return close >= 0 ? close : this.extent[open]!;
  }

  /** The row after `row` and everything nested in it. */
  skip(row: number): number {
    return this.kind[row] === OPEN ? this.extent[row]! : row + 1;
  }

  /** Rows of the direct children of the section opened at `open` (-1: the file), up to `stop`. */
  childRows(open: number, stop = this.childrenEnd(open)): number[] {
    const out: number[] = [];
    let r = open + 1;
    while (r < stop) {
      out.push(r);
      r = this.skip(r);
    }
    return out;
  }
}
