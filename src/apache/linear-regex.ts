// Running a regex from a config on text from a config, in time linear in the
// text: the pattern is parsed (regexpp) into an NFA that is simulated one
// character at a time over the set of its states (Thompson/Pike), never
// backtracked. `<ProxyMatch "^https://(a+)+$">` over a 40-character URL takes
// V8's backtracking engine minutes; here it is microseconds. What an NFA cannot
// express (back-references, lookaround, Unicode properties, inline modifiers)
// or a pattern whose automaton would be too large gives null: no answer, and
// the caller decides without running it.
import { RegExpParser, type AST } from "@eslint-community/regexpp";

const parser = new RegExpParser({ ecmaVersion: 2025 });

/** More NFA states than this (a{1000}{1000}) is no answer rather than a large allocation. */
const MAX_STATES = 20_000;

type Test = (c: number) => boolean;
type State =
  | { kind: "char"; test: Test; next: number }
  | { kind: "split"; next: number; alt: number }
  | { kind: "assert"; test: (prev: number, cur: number, pos: number, len: number) => boolean; next: number }
  | { kind: "match" };

class Unsupported extends Error {}

const isWord = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isDigit = (c: number) => c >= 48 && c <= 57;
// ECMAScript's WhiteSpace and LineTerminator
const SPACES = new Set([9, 10, 11, 12, 13, 32, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff]);
const isSpace = (c: number) => SPACES.has(c) || (c >= 0x2000 && c <= 0x200a);
const isLineTerminator = (c: number) => c === 10 || c === 13 || c === 0x2028 || c === 0x2029;

function escapeSet(kind: "digit" | "space" | "word", negate: boolean): Test {
  const base = kind === "digit" ? isDigit : kind === "space" ? isSpace : isWord;
  return negate ? (c) => !base(c) : base;
}

class Compiler {
  readonly states: State[] = [];
  constructor(private readonly dotAll: boolean) {}

  add(s: State): number {
    if (this.states.length >= MAX_STATES) throw new Unsupported("too large");
    this.states.push(s);
    return this.states.length - 1;
  }

  alternatives(alts: readonly AST.Alternative[], next: number): number {
    let start = this.sequence(alts[alts.length - 1]!.elements, next);
    for (let i = alts.length - 2; i >= 0; i--) start = this.add({ kind: "split", next: this.sequence(alts[i]!.elements, next), alt: start });
    return start;
  }

  sequence(elements: readonly AST.Element[], next: number): number {
    let start = next;
    for (let i = elements.length - 1; i >= 0; i--) start = this.element(elements[i]!, start);
    return start;
  }

  element(e: AST.Element, next: number): number {
    switch (e.type) {
      case "Character":
        return this.add({ kind: "char", test: (c) => c === e.value, next });
      case "CharacterSet":
        if (e.kind === "any") return this.add({ kind: "char", test: this.dotAll ? () => true : (c) => !isLineTerminator(c), next });
        if (e.kind === "property") throw new Unsupported("property");
        return this.add({ kind: "char", test: escapeSet(e.kind, e.negate), next });
      case "CharacterClass":
        return this.add({ kind: "char", test: classTest(e), next });
      case "Group":
        if (e.modifiers) throw new Unsupported("modifiers");
        return this.alternatives(e.alternatives, next);
      case "CapturingGroup":
        return this.alternatives(e.alternatives, next);
      case "Quantifier":
        return this.quantifier(e, next);
      case "Assertion":
        if (e.kind === "start") return this.add({ kind: "assert", test: (_p, _c, pos) => pos === 0, next });
        if (e.kind === "end") return this.add({ kind: "assert", test: (_p, _c, pos, len) => pos === len, next });
        if (e.kind === "word") {
          const negate = e.negate;
          return this.add({ kind: "assert", test: (p, c) => (isWord(p) !== isWord(c)) !== negate, next });
        }
        throw new Unsupported("lookaround");
      default:
        throw new Unsupported(e.type);
    }
  }

  quantifier(q: AST.Quantifier, next: number): number {
    let start = next;
    if (q.max === Infinity) {
      // a loop: the split is made first so the body can lead back to it
      const loop = this.add({ kind: "split", next: -1, alt: next });
      const body = this.element(q.element, loop);
      (this.states[loop] as { next: number }).next = body;
      start = loop;
    } else {
      // each optional copy may be skipped to the end
      start = this.optionalChain(q, next);
    }
    for (let i = 0; i < q.min; i++) start = this.element(q.element, start);
    return start;
  }

  /** (e(e(e)?)?)? for the max - min optional copies. */
  optionalChain(q: AST.Quantifier, next: number): number {
    if (q.max === Infinity) return next;
    let start = next;
    for (let i = q.min; i < q.max; i++) start = this.add({ kind: "split", next: this.element(q.element, start), alt: next });
    return start;
  }
}

function classTest(c: AST.CharacterClass): Test {
  if (c.unicodeSets) throw new Unsupported("v flag");
  const tests: Test[] = c.elements.map((el) => {
    switch (el.type) {
      case "Character":
        return (x: number) => x === el.value;
      case "CharacterClassRange":
        return (x: number) => x >= el.min.value && x <= el.max.value;
      case "CharacterSet":
        if (el.kind === "property") throw new Unsupported("property");
        return escapeSet(el.kind, el.negate);
      default:
        throw new Unsupported("class element");
    }
  });
  const negate = c.negate;
  return (x) => tests.some((t) => t(x)) !== negate;
}

/** The code points (with `u`) or UTF-16 units of `text`. */
function unitsOf(text: string, unicode: boolean): number[] {
  if (!unicode) {
    const out = new Array<number>(text.length);
    for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
    return out;
  }
  const out: number[] = [];
  for (const ch of text) out.push(ch.codePointAt(0)!);
  return out;
}

interface Nfa {
  states: readonly State[];
  start: number;
}

// an Include wildcard is matched against every name of a directory: compiled once
const compiled = new Map<string, Nfa | null>();

function compile(pattern: string, flags: string): Nfa | null {
  const key = `${flags}/${pattern}`;
  let nfa = compiled.get(key);
  if (nfa !== undefined) return nfa;
  try {
    const ast = parser.parsePattern(pattern, 0, pattern.length, { unicode: flags.includes("u") });
    const compiler = new Compiler(flags.includes("s"));
    const match = compiler.add({ kind: "match" });
    nfa = { states: compiler.states, start: compiler.alternatives(ast.alternatives, match) };
  } catch {
    nfa = null;
  }
  if (compiled.size >= 256) compiled.clear();
  compiled.set(key, nfa);
  return nfa;
}

/**
 * Does `pattern` (JavaScript syntax, flags among `s` and `u`) match somewhere
 * in `text`, as RegExp.prototype.test would say? null: invalid, or not
 * something this can run in linear time.
 */
export function linearTest(pattern: string, text: string, flags = ""): boolean | null {
  if (/[^su]/.test(flags)) return null;
  const unicode = flags.includes("u");
  const nfa = compile(pattern, flags);
  if (!nfa) return null;
  const { states, start } = nfa;
  const input = unitsOf(text, unicode);
  const len = input.length;
  // which generation last added each state: a state is in a list once, and an empty loop ends
  const mark = new Int32Array(states.length).fill(-1);
  let current: number[] = [];
  let following: number[] = [];
  const stack: number[] = [];
  /** adds `s` and what it reaches without reading a character; true when that includes the match */
  const addAll = (list: number[], s: number, pos: number): boolean => {
    const prev = pos > 0 ? input[pos - 1]! : -1;
    const cur = pos < len ? input[pos]! : -1;
    stack.push(s);
    while (stack.length) {
      const i = stack.pop()!;
      if (mark[i] === pos) continue;
      mark[i] = pos;
      const st = states[i]!;
      switch (st.kind) {
        case "match":
          stack.length = 0;
          return true;
        case "char":
          list.push(i);
          break;
        case "split":
          stack.push(st.alt, st.next);
          break;
        case "assert":
          if (st.test(prev, cur, pos, len)) stack.push(st.next);
          break;
      }
    }
    return false;
  };
  for (let pos = 0; ; pos++) {
    // a search, not a full match: a new thread starts at every position
    if (addAll(current, start, pos)) return true;
    if (pos === len) return false;
    following.length = 0;
    const c = input[pos]!;
    for (const i of current) {
      const st = states[i] as Extract<State, { kind: "char" }>;
      if (st.test(c) && addAll(following, st.next, pos + 1)) return true;
    }
    [current, following] = [following, current];
  }
}
