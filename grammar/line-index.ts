/** 1-based line and column (UTF-16 code units, as ESLint and LSP count) plus the 0-based offset. */
export interface Position {
  offset: number;
  line: number;
  column: number;
}

/** Offsets of line starts, so positions are computed only for what is reported. */
export class LineIndex {
  readonly starts: Uint32Array;
  readonly count: number;
  /** how many line terminators are CRLF */
  readonly crlfCount: number;

  constructor(text: string) {
    let starts = new Uint32Array(Math.max(16, (text.length >>> 5) + 1));
    let n = 1;
    let crlf = 0;
    let i = text.indexOf("\n");
    while (i !== -1) {
      if (n === starts.length) {
        const grown = new Uint32Array(starts.length * 2);
        grown.set(starts);
        starts = grown;
      }
      starts[n++] = i + 1;
      if (i > 0 && text.charCodeAt(i - 1) === 13) crlf++;
      i = text.indexOf("\n", i + 1);
    }
    this.starts = starts.subarray(0, n);
    this.count = n;
    this.crlfCount = crlf;
  }

  /** 0-based index of the line that holds `offset` */
  lineOf(offset: number): number {
    const s = this.starts;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (s[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  position(offset: number): Position {
    const line = this.lineOf(offset);
    return { offset, line: line + 1, column: offset - this.starts[line]! + 1 };
  }

  /** offset of the start of 1-based `line` */
  lineStart(line: number): number {
    return this.starts[Math.min(Math.max(line - 1, 0), this.starts.length - 1)]!;
  }
}
