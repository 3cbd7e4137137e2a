// What must hold for every parse of every input: the tree covers the text
// exactly once and in order, every range is inside the text, arguments are the
// words Apache would see, and line/column agree with a plain recount. Each check
// throws with a message naming the node, so a fast-check counterexample says
// what broke. Shared by the property, real-config and case tests.
import { parse, print, type ConfigFile, type Node, type Parent, type Position } from "../../grammar/index.js";

const CODES = new Set(["unclosed-section", "wrong-close", "stray-close", "missing-gt", "unbalanced-quote", "broken-continuation", "byte-order-mark"]);

class InvariantError extends Error {}

function fail(msg: string): never {
  throw new InvariantError(msg);
}

const show = (s: string) => JSON.stringify(s.length > 80 ? s.slice(0, 77) + "…" : s);

/** line and column of every offset 0..text.length, counted one character at a time */
export function naivePositions(text: string): { line: Int32Array; column: Int32Array } {
  const line = new Int32Array(text.length + 1);
  const column = new Int32Array(text.length + 1);
  let l = 1;
  let c = 1;
  for (let i = 0; i <= text.length; i++) {
    line[i] = l;
    column[i] = c;
    if (text[i] === "\n") {
      l++;
      c = 1;
    } else {
      c++;
    }
  }
  return { line, column };
}

/** Apache's cfg_getline: a `\` right before (CR)LF is removed together with the line break. */
export function joinContinuations(s: string): string {
  return s.replace(/\\\r?\n/g, "");
}

const isApacheSpace = (c: string) => c === " " || (c >= "\t" && c <= "\r");

/** A direct transcription of ap_getword_conf + substring_conf (server/util.c) over a joined line. */
export function apacheWords(line: string): string[] {
  const words: string[] = [];
  let p = 0;
  for (;;) {
    while (p < line.length && isApacheSpace(line[p]!)) p++;
    if (p >= line.length) return words;
    const q = line[p]!;
    let from: number;
    let to: number;
    let quote = "";
    if (q === '"' || q === "'") {
      quote = q;
      let e = p + 1;
      while (e < line.length && line[e] !== q) {
        if (line[e] === "\\" && e + 1 < line.length && (line[e + 1] === q || line[e + 1] === "\\")) e += 2;
        else e++;
      }
      from = p + 1;
      to = e;
      p = e < line.length ? e + 1 : e;
    } else {
      let e = p;
      while (e < line.length && !isApacheSpace(line[e]!)) e++;
      from = p;
      to = e;
      p = e;
    }
    let w = "";
    for (let i = from; i < to; i++) {
      // substring_conf looks one character past the word: at the closing quote, for instance
      if (line[i] === "\\" && (line[i + 1] === "\\" || (quote !== "" && line[i + 1] === quote))) w += line[++i];
      else w += line[i];
    }
    words.push(w);
  }
}

interface Checker {
  text: string;
  file: ConfigFile;
  pos: { line: Int32Array; column: Int32Array };
}

function checkPosition(k: Checker, what: string, offset: number, p: Position): void {
  if (p.offset !== offset) fail(`${what}: position(${offset}).offset is ${p.offset}`);
  const line = k.pos.line[offset];
  const column = k.pos.column[offset];
  if (p.line !== line || p.column !== column) fail(`${what}: offset ${offset} is ${line}:${column}, position() says ${p.line}:${p.column}`);
}

function checkOffset(k: Checker, what: string, offset: number): void {
  if (!Number.isInteger(offset) || offset < 0 || offset > k.text.length) fail(`${what}: offset ${offset} outside [0, ${k.text.length}]`);
  checkPosition(k, what, offset, k.file.position(offset));
}

function checkRange(k: Checker, what: string, start: number, end: number): void {
  checkOffset(k, `${what} start`, start);
  checkOffset(k, `${what} end`, end);
  if (start > end) fail(`${what}: start ${start} > end ${end}`);
  const r = k.file.range(start, end);
  checkPosition(k, `${what} range.start`, start, r.start);
  checkPosition(k, `${what} range.end`, end, r.end);
}

type LineLike = { kind: string; from: number; start: number; end: number; to: number };

function checkLine(k: Checker, n: LineLike): void {
  const what = `${n.kind} ${show(k.text.slice(n.start, n.end))} @${n.from}`;
  if (!(n.from <= n.start && n.start <= n.end && n.end <= n.to)) fail(`${what}: from ${n.from} start ${n.start} end ${n.end} to ${n.to} out of order`);
  checkRange(k, what, n.from, n.to);
  checkRange(k, what, n.start, n.end);
  const t = k.text;
  // the line's content is trimmed: no blank at either end of [start, end)
  if (n.end > n.start && (isApacheSpace(t[n.start]!) || isApacheSpace(t[n.end - 1]!))) fail(`${what}: content is not trimmed`);
  // a node ends at a line break that does not continue, or at the end of the text
  if (n.to < t.length && !(t[n.to - 1] === "\n" && t[n.to - 2] !== "\\" && !(t[n.to - 2] === "\r" && t[n.to - 3] === "\\"))) {
    fail(`${what}: does not end at a line break that ends the logical line`);
  }
}

interface WordsLike extends LineLike {
  nameEnd: number;
  args: readonly { raw: string; value: string; start: number; end: number; quote: string | null; unterminated: boolean }[];
}

function checkArgs(k: Checker, n: WordsLike, argsTo: number): void {
  const what = `${n.kind} ${show(k.text.slice(n.start, n.end))} @${n.from}`;
  if (!(n.start < n.nameEnd && n.nameEnd <= n.end)) fail(`${what}: nameEnd ${n.nameEnd} outside (start, end]`);
  let prev = n.nameEnd;
  for (const [i, a] of n.args.entries()) {
    const w = `${what} arg ${i} ${show(a.raw)}`;
    if (a.start < prev) fail(`${w}: starts at ${a.start}, before ${prev}`);
    if (a.end > argsTo) fail(`${w}: ends at ${a.end}, after ${argsTo}`);
    if (a.end <= a.start) fail(`${w}: empty`);
    checkRange(k, w, a.start, a.end);
    if (a.raw !== k.text.slice(a.start, a.end)) fail(`${w}: raw is not text.slice(start, end)`);
    const q = a.raw[0] === '"' || a.raw[0] === "'" ? a.raw[0] : null;
    if (a.quote !== q) fail(`${w}: quote ${a.quote}, raw starts with ${a.raw[0]}`);
    prev = a.end;
  }
  // the values are the words Apache sees on the joined line
  const expected = apacheWords(joinContinuations(k.text.slice(n.nameEnd, argsTo)));
  const got = n.args.map((a) => a.value);
  if (JSON.stringify(got) !== JSON.stringify(expected)) fail(`${what}: args ${JSON.stringify(got)}, Apache's words ${JSON.stringify(expected)}`);
}

/** Same container: compared by position, so nodes may be views created on demand. */
function sameParent(a: Parent, b: Parent): boolean {
  return a.kind === "file" ? b.kind === "file" : b.kind === "section" && a.open.from === b.open.from;
}

function checkChildren(k: Checker, parent: Parent, kids: readonly Node[], from: number): number {
  let at = from;
  for (const n of kids) {
    if (!sameParent(n.parent, parent)) fail(`${n.kind} @${n.from}: parent is not its container`);
    if (n.from !== at) fail(`${n.kind} @${n.from}: expected to begin at ${at} (siblings must be contiguous and in order)`);
    if (n.kind === "section") {
      checkLine(k, n.open);
      checkArgs(k, n.open, n.open.gt === -1 ? n.open.end : n.open.gt);
      if (n.open.gt !== -1 && (k.text[n.open.gt] !== ">" || n.open.gt >= n.open.end)) fail(`<${n.name}> @${n.from}: gt ${n.open.gt} is not the tag's '>'`);
      if (n.key !== n.name.toLowerCase()) fail(`<${n.name}>: key ${n.key}`);
      if (n.start !== n.open.start || n.from !== n.open.from) fail(`<${n.name}> @${n.from}: section does not start at its open tag`);
      let inner = checkChildren(k, n, n.children, n.open.to);
      if (n.close) {
        if (!sameParent(n.close.parent, n)) fail(`</${n.close.name}> @${n.close.from}: parent is not its section`);
        if (n.close.key !== n.key && !k.file.errors.some((e) => e.code === "wrong-close" && e.start === n.close!.start)) {
          fail(`<${n.name}> closed by </${n.close.name}> without a wrong-close error`);
        }
        if (n.close.from !== inner) fail(`</${n.close.name}> @${n.close.from}: expected at ${inner}`);
        checkLine(k, n.close);
        inner = n.close.to;
      }
      if (n.to !== inner) fail(`<${n.name}> @${n.from}: to ${n.to}, its content ends at ${inner}`);
      if (n.end < n.start || n.end > n.to) fail(`<${n.name}> @${n.from}: end ${n.end} outside [start, to]`);
      checkRange(k, `<${n.name}>`, n.start, n.end);
      at = n.to;
      continue;
    }
    checkLine(k, n);
    if (n.kind === "directive") {
      checkArgs(k, n, n.end);
      if (n.key !== n.name.toLowerCase()) fail(`directive ${n.name}: key ${n.key}`);
      const tci = n.trailingCommentIndex;
      const expectTci = n.args.findIndex((a) => a.quote === null && a.raw.startsWith("#"));
      if (tci !== expectTci) fail(`directive ${n.name}: trailingCommentIndex ${tci}, expected ${expectTci}`);
    } else if (n.kind === "comment") {
      if (k.text[n.start] !== "#") fail(`comment @${n.from} does not start with #`);
    } else if (n.kind === "blank") {
      if (n.start !== n.end) fail(`blank @${n.from} has content`);
    }
    at = n.to;
  }
  return at;
}

/** Parses `text`, checks every invariant, returns the file. Throws (never returns) on the first violation. */
export function parseChecked(text: string, path = "<input>"): ConfigFile {
  const file = parse(text, path);
  checkInvariants(text, file);
  return file;
}

export function checkInvariants(text: string, file: ConfigFile): void {
  if (file.text !== text) fail("file.text is not the input");
  const printed = print(file);
  if (printed !== text) {
    let i = 0;
    while (i < text.length && printed[i] === text[i]) i++;
    fail(`print(parse(x)) !== x: first difference at offset ${i}: ${show(text.slice(i, i + 40))} vs ${show(printed.slice(i, i + 40))}`);
  }
  const k: Checker = { text, file, pos: naivePositions(text) };
  const bom = text.charCodeAt(0) === 0xfeff;
  if (file.bom !== bom) fail(`file.bom is ${file.bom}`);
  const end = checkChildren(k, file, file.children, bom ? 1 : 0);
  if (end !== text.length) fail(`the tree covers the text up to ${end} of ${text.length}`);
  if (bom !== file.errors.some((e) => e.code === "byte-order-mark" && e.start === 0)) fail("a BOM must be reported exactly when there is one");
  let last = -1;
  for (const e of file.errors) {
    if (!CODES.has(e.code)) fail(`unexpected error code ${e.code}: ${e.message}`);
    checkRange(k, `error ${e.code}`, e.start, e.end);
    for (const r of e.related ?? []) checkRange(k, `error ${e.code} related`, r.start, r.end);
    if (e.start < last) fail("errors are not sorted by offset");
    last = e.start;
    if (!e.message) fail(`error ${e.code} has no message`);
  }
}
