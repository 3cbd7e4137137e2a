// Does a pattern compile in PCRE2, as Apache compiles it (ap_regcomp: no UTF
// mode, no extended mode)? regexpp parses the JavaScript dialect, so the
// pattern is first rewritten into JavaScript with the same structure: what
// PCRE2 has and JavaScript lacks (possessive and atomic forms, inline options,
// \Q…\E, named-group spellings, recursion) becomes its nearest JavaScript
// shape, and the parts PCRE2 judges by rules of its own (escapes, character
// classes, back-references, lookbehind length) are checked here. Every answer
// is backed by apache2 -t (test/rules/context-apache.test.ts runs the corpus live;
// test/rules/regex-invalid.test.ts holds the recorded verdicts).
import { memoByString } from "./memo.js";
import { RegExpParser, visitRegExpAST, type AST } from "@eslint-community/regexpp";

export type PcreCheck =
  | { valid: true }
  | { valid: false; reason: string }
  /** syntax this module does not model (conditionals, callouts, extended mode): no verdict */
  | { valid: null; reason: string };

const parser = new RegExpParser({ ecmaVersion: 2025 });

const POSIX_CLASSES = new Set(["alpha", "digit", "alnum", "ascii", "blank", "cntrl", "graph", "lower", "print", "punct", "space", "upper", "word", "xdigit"]);

// Letters with a meaning after `\` outside a class (PCRE2 10.42); any other letter is an error.
const KNOWN_ESCAPES = new Set("aAbBcdDeEfgGhHkKnNopPQrRsStvVwWxXzZC");
const UNSUPPORTED_ESCAPES = new Set("uULlF");
// Escapes that stand for one character out of a set: no range may start or end with them.
const CLASS_ESCAPES = new Set("dDsSwWhHvVpP");

const GENERAL_CATEGORIES = new Set([
  "C", "Cc", "Cf", "Cn", "Co", "Cs", "L", "L&", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me", "Mn", "N", "Nd", "Nl", "No",
  "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S", "Sc", "Sk", "Sm", "So", "Z", "Zl", "Zp", "Zs", "Any", "Xan", "Xps", "Xsp", "Xwd", "Xuc",
]);

// Backtracking verbs and start-of-pattern options: `(*NAME)` or `(*NAME:arg)`.
const VERBS = new Set([
  "ACCEPT", "FAIL", "F", "COMMIT", "PRUNE", "SKIP", "THEN", "MARK", "",
  "UTF", "UTF8", "UCP", "CR", "LF", "CRLF", "ANYCRLF", "ANY", "NUL", "BSR_ANYCRLF", "BSR_UNICODE",
  "NOTEMPTY", "NOTEMPTY_ATSTART", "NO_AUTO_POSSESS", "NO_DOTSTAR_ANCHOR", "NO_JIT", "NO_START_OPT", "LIMIT_MATCH", "LIMIT_HEAP", "LIMIT_DEPTH",
]);
// Alphabetic assertions: `(*pla:…)`; the value says what they are.
const ALPHA_ASSERTIONS: Record<string, "ahead" | "behind" | "group"> = {
  pla: "ahead", positive_lookahead: "ahead", nla: "ahead", negative_lookahead: "ahead",
  plb: "behind", positive_lookbehind: "behind", nlb: "behind", negative_lookbehind: "behind",
  napla: "ahead", non_atomic_positive_lookahead: "ahead", naplb: "behind", non_atomic_positive_lookbehind: "behind",
  atomic: "group", sr: "group", script_run: "group", asr: "group", atomic_script_run: "group",
};

class Invalid extends Error {}
class Unsure extends Error {}

interface Reference {
  /** absolute group number, or a name */
  target: number | string;
}

/** Reads a PCRE2 pattern and writes its JavaScript counterpart. */
class Translator {
  out = "";
  i = 0;
  groups = 0;
  names = new Set<string>();
  refs: Reference[] = [];
  /** offsets in `out` of the lookaheads that stand for lookbehinds */
  lookbehinds = new Set<number>();
  /** open groups; a `(?|` group numbers each of its branches from the same start */
  stack: { reset: boolean; start: number; max: number }[] = [];

  constructor(readonly p: string) {}

  run(): void {
    const p = this.p;
    while (this.i < p.length) {
      const c = p[this.i]!;
      if (c === "\\") this.escape();
      else if (c === "[") this.charClass();
      else if (c === "(") this.open();
      else if (c === "*" || c === "+" || c === "?") {
        this.out += c;
        this.i++;
        this.quantifierSuffix();
      } else if (c === "{") this.brace();
      else if (c === "|" || c === ")") {
        const top = this.stack[this.stack.length - 1];
        if (top?.reset) {
          top.max = Math.max(top.max, this.groups);
          this.groups = c === "|" ? top.start : top.max;
        }
        if (c === ")") this.stack.pop();
        this.out += c;
        this.i++;
      } else if (c === "." || c === "^" || c === "$") {
        this.out += c;
        this.i++;
      } else {
        this.out += "a";
        this.i++;
      }
    }
  }

  /** `+` after a quantifier makes it possessive (dropped), `?` lazy (kept); only one of them. */
  quantifierSuffix(): void {
    const n = this.p[this.i];
    if (n === "+") this.i++;
    else if (n === "?") {
      this.out += "?";
      this.i++;
    }
  }

  brace(): void {
    const m = /^\{(\d+)(?:,(\d*))?\}/.exec(this.p.slice(this.i));
    if (!m) {
      this.out += "a"; // not a quantifier: a literal `{`
      this.i++;
      return;
    }
    const nums = [m[1]!, m[2] ?? ""].filter((s) => s !== "").map(Number);
    if (nums.some((n) => n > 65535)) throw new Invalid("number too big in {} quantifier");
    this.out += m[0];
    this.i += m[0].length;
    this.quantifierSuffix();
  }

  name(from: number, terminator: string): { name: string; end: number } {
    const end = this.p.indexOf(terminator, from);
    const name = end === -1 ? "" : this.p.slice(from, end);
    if (!/^[A-Za-z_]\w*$/.test(name)) throw new Invalid("invalid subpattern name");
    return { name, end: end + terminator.length };
  }

  open(): void {
    const p = this.p;
    const rest = p.slice(this.i);
    if (rest.startsWith("(?#")) {
      const end = p.indexOf(")", this.i);
      if (end === -1) throw new Invalid("missing ) after (?# comment");
      this.i = end + 1;
      return;
    }
    if (rest.startsWith("(*")) return this.verb(rest);
    if (!rest.startsWith("(?")) {
      this.groups++;
      this.group("(");
      this.i++;
      return;
    }
    const opts = /^\(\?(\^)?([imnsxJU]*)(?:-([imnsxJU]*))?([):])/.exec(rest);
    if (opts) {
      if (`${opts[2]}${opts[3] ?? ""}`.includes("x")) throw new Unsure("extended mode (?x)");
      // An option setting is not a repeatable item: a zero-width assertion keeps `(?i)*` an error.
      if (opts[4] === ")") this.out += "\\b";
      else this.group("(?:");
      this.i += opts[0].length;
      return;
    }
    const two = rest.slice(2, 4);
    const one = rest[2];
    if (one === ":" || one === ">" || one === "|") {
      this.group("(?:", one === "|");
      this.i += 3;
    } else if (one === "=" || one === "!") {
      this.group(`(?${one}`);
      this.i += 3;
    } else if (two === "<=" || two === "<!") {
      this.lookbehinds.add(this.out.length);
      this.group(two === "<=" ? "(?=" : "(?!");
      this.i += 4;
    } else if (one === "<" || one === "'" || two === "P<") {
      const start = this.i + (two === "P<" ? 4 : 3);
      const { name, end } = this.name(start, one === "'" ? "'" : ">");
      this.names.add(name);
      this.groups++;
      this.group("(");
      this.i = end;
    } else if (two === "P=" || two === "P>" || one === "&") {
      const { name, end } = this.name(this.i + (one === "&" ? 3 : 4), ")");
      this.refs.push({ target: name });
      this.out += "a";
      this.i = end;
    } else if (/^\(\?(R|[+-]?\d+)\)/.test(rest)) {
      const m = /^\(\?(R|[+-]?\d+)\)/.exec(rest)!;
      if (m[1] !== "R") this.refs.push({ target: this.absolute(m[1]!) });
      this.out += "a";
      this.i += m[0].length;
    } else if (one === "(") {
      throw new Unsure("conditional group");
    } else if (one === "C") {
      throw new Unsure("callout");
    } else {
      throw new Invalid("unrecognized character after (? or (?-");
    }
  }

  /** `(*VERB)`, `(*VERB:NAME)`, `(*pla:…)`; `(*` followed by no name is `(` and a quantifier. */
  verb(rest: string): void {
    const m = /^\(\*([A-Za-z_0-9]*)(:?)/.exec(rest)!;
    const [whole, word, colon] = m;
    if (word === "" && colon === "") {
      this.groups++;
      this.group("(");
      this.i++;
      return;
    }
    const assertion = colon ? ALPHA_ASSERTIONS[word!] : undefined;
    if (assertion) {
      if (assertion === "behind") this.lookbehinds.add(this.out.length);
      this.group(assertion === "group" ? "(?:" : "(?=");
      this.i += whole.length;
      return;
    }
    const base = word!.replace(/=\d+$/, "");
    const close = this.p.indexOf(")", this.i);
    if (!VERBS.has(base) || close === -1) throw new Invalid("(*VERB) not recognized or malformed");
    this.out += "(?:)";
    this.i = close + 1;
  }

  group(js: string, reset = false): void {
    this.stack.push({ reset, start: this.groups, max: this.groups });
    this.out += js;
  }

  /** `-1` is the group before this point, `+1` the next one. */
  absolute(ref: string): number {
    if (ref.startsWith("-")) {
      const n = this.groups + 1 + Number(ref);
      if (n < 1) throw new Invalid("reference to non-existent subpattern");
      return n;
    }
    if (ref.startsWith("+")) return this.groups + Number(ref);
    return Number(ref);
  }

  escape(): void {
    const p = this.p;
    const n = p[this.i + 1];
    if (n === undefined) throw new Invalid("\\ at end of pattern");
    const rest = p.slice(this.i + 2);
    let len = 2;
    let emit = "a";
    if (n >= "1" && n <= "9") {
      const digits = /^\d*/.exec(p.slice(this.i + 1))![0];
      const num = Number(digits);
      if (num < 10 || n === "8" || n === "9" || num <= this.groups) {
        this.refs.push({ target: num });
        len = 1 + digits.length;
      } else {
        const octal = /^[0-7]{1,3}/.exec(digits)![0];
        if (parseInt(octal, 8) > 0o377) throw new Invalid("octal value greater than \\377 in 8-bit non-UTF mode");
        len = 1 + octal.length;
      }
    } else if (n === "0") {
      len = 2 + /^[0-7]{0,2}/.exec(rest)![0].length;
    } else if (n === "g") {
      len = 2 + this.gReference(rest);
    } else if (n === "k") {
      const m = /^(?:<([^>]*)>|'([^']*)'|\{([^}]*)\})/.exec(rest);
      if (!m) throw new Invalid("\\k is not followed by a name");
      const name = m[1] ?? m[2] ?? m[3] ?? "";
      if (!/^[A-Za-z_]\w*$/.test(name)) throw new Invalid("invalid subpattern name");
      this.refs.push({ target: name });
      len = 2 + m[0].length;
    } else if (n === "c") {
      const ch = rest.charCodeAt(0);
      if (Number.isNaN(ch)) throw new Invalid("\\c at end of pattern");
      if (ch < 32 || ch > 126) throw new Invalid("\\c must be followed by a printable ASCII character");
      len = 3;
    } else if (n === "x" || n === "o") {
      len = 2 + this.codePoint(n, rest);
    } else if (n === "N") {
      if (rest.startsWith("{")) throw new Invalid("PCRE2 does not support \\N{name}");
      emit = ".";
    } else if (n === "p" || n === "P") {
      len = 2 + this.property(rest);
    } else if (n === "Q") {
      const end = p.indexOf("\\E", this.i + 2);
      const literal = end === -1 ? rest : p.slice(this.i + 2, end);
      this.out += "a".repeat(literal.length);
      this.i = end === -1 ? p.length : end + 2;
      return;
    } else if (n === "E") {
      emit = "";
    } else if (n === "b" || n === "B") {
      emit = `\\${n}`;
    } else if ("AzZGK".includes(n)) {
      emit = "\\b"; // zero-width and, as in PCRE2, not repeatable
    } else if (n === "R") {
      emit = "(?:a|aa)"; // CR, LF or CRLF: not of fixed length
    } else if (n === "X") {
      emit = "(?:a+)";
    } else if (UNSUPPORTED_ESCAPES.has(n)) {
      throw new Invalid("PCRE2 does not support \\F, \\L, \\l, \\N{name}, \\U, or \\u");
    } else if (/[A-Za-z]/.test(n) && !KNOWN_ESCAPES.has(n)) {
      throw new Invalid(`unrecognized escape \\${n}`);
    }
    this.out += emit;
    this.i += len;
  }

  /** `\g{n}`, `\g{-n}`, `\gn`, `\g-n`, `\g{name}`, `\g<…>`, `\g'…'`; returns the length after `\g`. */
  gReference(rest: string): number {
    const m = /^(?:\{([+-]?\d+|[A-Za-z_]\w*)\}|<([+-]?\d+|[A-Za-z_]\w*)>|'([+-]?\d+|[A-Za-z_]\w*)'|([+-]?\d+))/.exec(rest);
    if (!m) throw new Invalid("a numbered reference must not be zero, or \\g is not followed by a name or number");
    const ref = m[1] ?? m[2] ?? m[3] ?? m[4]!;
    this.refs.push({ target: /^[+-]?\d+$/.test(ref) ? this.absolute(ref) : ref });
    return m[0].length;
  }

  /** `\x{hh}`, `\xhh`, `\o{ooo}` (no UTF mode: at most 0xff); returns the length after the letter. */
  codePoint(letter: "x" | "o", rest: string): number {
    if (rest.startsWith("{")) {
      const end = rest.indexOf("}");
      const digits = end === -1 ? "" : rest.slice(1, end);
      const ok = letter === "x" ? /^[0-9A-Fa-f]+$/ : /^[0-7]+$/;
      if (!ok.test(digits)) throw new Invalid(`malformed \\${letter}{…}`);
      if (parseInt(digits, letter === "x" ? 16 : 8) > 0xff) throw new Invalid(`character code point value in \\${letter}{} is too large`);
      return end + 1;
    }
    if (letter === "o") throw new Invalid("missing opening brace after \\o");
    return /^[0-9A-Fa-f]{0,2}/.exec(rest)![0].length;
  }

  /** `\pL`, `\p{Name}`, `\p{^Name}`: general categories are checked, other names (scripts …) are not modelled. */
  property(rest: string): number {
    const m = /^(?:\{(\^?)([^}]*)\}|([A-Za-z]))/.exec(rest);
    if (!m) throw new Invalid("malformed \\P or \\p sequence");
    const name = m[2] ?? m[3]!;
    if (!GENERAL_CATEGORIES.has(name)) throw new Unsure(`Unicode property \\p{${name}}`);
    return m[0].length;
  }

  /** A character class, by PCRE2's rules: a `]` right after `[` or `[^` is a literal; POSIX `[:name:]`. */
  charClass(): void {
    const p = this.p;
    // `[:alpha:]` with no class around it: PCRE2 refuses rather than read `[:alph]`
    if (/^\[([:.=])[^\]]*?\1\]/.test(p.slice(this.i))) throw new Invalid("POSIX named classes are supported only within a class");
    let j = this.i + 1;
    if (p[j] === "^") j++;
    let first = true;
    // the previous item, when it can start a range: its code point, else "set"
    let prev: number | "set" | null = null;
    for (;;) {
      if (j >= p.length) throw new Invalid("missing terminating ] for character class");
      if (p.startsWith("\\E", j)) {
        j += 2;
        continue;
      }
      if (p.startsWith("\\Q", j)) {
        const end = p.indexOf("\\E", j + 2);
        const literal = end === -1 ? p.slice(j + 2) : p.slice(j + 2, end);
        if (literal) {
          first = false;
          prev = literal.charCodeAt(literal.length - 1);
        }
        j = end === -1 ? p.length : end + 2;
        continue;
      }
      const c = p[j]!;
      if (c === "]" && !first) break;
      first = false;
      if (c === "-" && prev !== null && p[j + 1] !== undefined && p[j + 1] !== "]") {
        const [end, next] = this.classItem(j + 1);
        if (prev === "set" || end === "set") throw new Invalid("invalid range in character class");
        if (end < prev) throw new Invalid("range out of order in character class");
        prev = null;
        j = next;
        continue;
      }
      const [item, next] = this.classItem(j);
      prev = item;
      j = next;
    }
    this.out += "a";
    this.i = j + 1;
  }

  /** One item of a class at j: a code point or a set, and where the next item starts. */
  classItem(j: number): [number | "set", number] {
    const p = this.p;
    const c = p[j]!;
    if (c === "[") {
      const posix = /^\[([:.=])(\^?)([^\]]*?)\1\]/.exec(p.slice(j));
      if (posix) {
        if (posix[1] !== ":") throw new Invalid("POSIX collating elements are not supported");
        if (!POSIX_CLASSES.has(posix[3]!)) throw new Invalid(`unknown POSIX class name [:${posix[3]}:]`);
        return ["set", j + posix[0].length];
      }
      return [c.charCodeAt(0), j + 1];
    }
    if (c !== "\\") return [c.charCodeAt(0), j + 1];
    const n = p[j + 1];
    if (n === undefined) throw new Invalid("missing terminating ] for character class");
    const rest = p.slice(j + 2);
    if (n === "Q" || n === "E") throw new Unsure("\\Q…\\E at the end of a range");
    if (CLASS_ESCAPES.has(n)) return ["set", j + 2 + (n === "p" || n === "P" ? this.property(rest) : 0)];
    if (n >= "0" && n <= "9") {
      if (n === "8" || n === "9") return [n.charCodeAt(0), j + 2];
      const octal = /^[0-7]{1,3}/.exec(p.slice(j + 1))![0];
      const v = parseInt(octal, 8);
      if (v > 0o377) throw new Invalid("octal value greater than \\377 in 8-bit non-UTF mode");
      return [v, j + 1 + octal.length];
    }
    const simple: Record<string, number> = { a: 7, b: 8, e: 27, f: 12, n: 10, r: 13, t: 9 };
    if (n in simple) return [simple[n]!, j + 2];
    if (n === "x" || n === "o") {
      const len = this.codePoint(n, rest);
      const body = rest.slice(0, len).replace(/[{}]/g, "");
      return [body === "" ? 0 : parseInt(body, n === "x" ? 16 : 8), j + 2 + len];
    }
    if (n === "c") {
      const ch = rest.charCodeAt(0);
      if (Number.isNaN(ch) || ch < 32 || ch > 126) throw new Invalid("\\c must be followed by a printable ASCII character");
      return [(rest.toUpperCase().charCodeAt(0) ^ 0x40) & 0xff, j + 3];
    }
    if (UNSUPPORTED_ESCAPES.has(n)) throw new Invalid("PCRE2 does not support \\F, \\L, \\l, \\N{name}, \\U, or \\u");
    if (/[A-Za-z]/.test(n)) throw new Invalid(`escape sequence \\${n} is invalid in a character class`);
    return [n.charCodeAt(0), j + 2];
  }
}

/** The length every match of `node` has, or null when it varies. */
function fixedLength(node: AST.Node): number | null {
  switch (node.type) {
    case "Character":
    case "CharacterSet":
    case "CharacterClass":
    case "ExpressionCharacterClass":
      return 1;
    case "Assertion":
      return 0;
    case "Backreference":
      return null;
    case "Quantifier": {
      if (node.min !== node.max) return null;
      const one = fixedLength(node.element);
      return one === null ? null : one * node.min;
    }
    case "Group":
    case "CapturingGroup": {
      const lengths = node.alternatives.map(fixedLength);
      return lengths.every((l) => l !== null && l === lengths[0]) ? lengths[0]! : null;
    }
    case "Alternative": {
      let total = 0;
      for (const e of node.elements) {
        const l = fixedLength(e);
        if (l === null) return null;
        total += l;
      }
      return total;
    }
    default:
      return null;
  }
}

const REGEXPP_REASONS: [RegExp, string][] = [
  [/Unterminated group/, "missing closing parenthesis"],
  [/Unmatched '\)'/, "unmatched closing parenthesis"],
  [/Nothing to repeat/, "quantifier does not follow a repeatable item"],
  [/numbers out of order/, "numbers out of order in {} quantifier"],
];

/** What the rules need to know about one regex, worked out once per distinct pattern. */
export interface RegexAnalysis {
  /** whether PCRE2 compiles it with the options Apache uses */
  readonly check: PcreCheck;
  /**
   * How many capture groups it has, or null when that cannot be known: counted
   * by regexpp in the JavaScript dialect, so PCRE-only syntax it rejects
   * (`(?i)`, possessive `a++`, `(?P<n>…)`) gives null, and so do the two forms
   * it would parse differently (`\Q…\E` quoting; `[]…]` / `[^]…]`, where PCRE
   * takes the `]` as a literal).
   */
  readonly groups: number | null;
}

const VALID: PcreCheck = { valid: true };

/** Fast-path answers, shared: a simple pattern is valid and only its group count varies. */
const SIMPLE: RegexAnalysis[] = [];
function simpleAnalysis(groups: number | null): RegexAnalysis {
  if (groups === null) return SIMPLE_UNCOUNTED;
  return groups < 16 ? (SIMPLE[groups] ??= { check: VALID, groups }) : { check: VALID, groups };
}
const SIMPLE_UNCOUNTED: RegexAnalysis = { check: VALID, groups: null };

/** The parts of the full analysis, each computed (with regexpp) only when first asked for. */
class FullAnalysis implements RegexAnalysis {
  private _check: PcreCheck | undefined = undefined;
  private _groups: number | null | undefined = undefined;
  constructor(private readonly pattern: string) {}
  get check(): PcreCheck {
    return (this._check ??= checkPattern(this.pattern));
  }
  get groups(): number | null {
    if (this._groups === undefined) this._groups = countCaptureGroups(this.pattern);
    return this._groups;
  }
}

const fullAnalysis = memoByString((p: string): RegexAnalysis => new FullAnalysis(p));

// Two rules (regex-invalid, rewrite-backref-without-group) ask about the same
// pattern one after the other on the same line: the last answer is kept.
let lastPattern = "";
let lastAnalysis: RegexAnalysis = simpleAnalysis(0);

/**
 * The analysis of `pattern`: a pattern in the simple subset that PCRE2 and
 * JavaScript read alike (simplePatternGroups) is answered without regexpp;
 * any other is analysed once per distinct string (memoised).
 */
export function analyzeRegex(pattern: string): RegexAnalysis {
  if (pattern === lastPattern) return lastAnalysis;
  const n = simplePatternGroups(pattern);
  const a = n >= 0 ? simpleAnalysis(uncountable ? null : n) : fullAnalysis(pattern);
  lastPattern = pattern;
  lastAnalysis = a;
  return a;
}

/** Whether PCRE2 compiles `pattern` with the options Apache uses. */
export const checkPcre = (pattern: string): PcreCheck => analyzeRegex(pattern).check;

/** Capture groups of `pattern` (RegexAnalysis.groups). */
export const captureGroupCount = (pattern: string): number | null => analyzeRegex(pattern).groups;

/** Forms regexpp would read otherwise than PCRE: no group count for them. */
const UNCOUNTABLE = /\\Q|\[\^?\]/;

/** The group count by regexpp, without the fast path (exported for the differential test). */
export function countCaptureGroups(pattern: string): number | null {
  if (UNCOUNTABLE.test(pattern)) return null;
  let ast;
  try {
    ast = parser.parsePattern(pattern, 0, pattern.length, { unicode: false, unicodeSets: false });
  } catch {
    return null;
  }
  let n = 0;
  visitRegExpAST(ast, { onCapturingGroupEnter: () => void n++ });
  return n;
}

// --- The fast path -------------------------------------------------------------------------

/**
 * Set by simplePatternGroups when the pattern has a text UNCOUNTABLE matches
 * (`\Q`, `[]`, `[^]`), which the simple subset holds only as escaped text:
 * then there is no group count, as without the fast path.
 */
let uncountable = false;

/** `\` followed by this code is a literal in PCRE2 and JavaScript alike: ASCII punctuation and space. */
function isPunct(c: number): boolean {
  return (c >= 0x20 && c <= 0x2f) || (c >= 0x3a && c <= 0x40) || (c >= 0x5b && c <= 0x60) || (c >= 0x7b && c <= 0x7e);
}

/** `\d \D \w \W \s \S`: a set of characters in both dialects. */
function isClassEscape(c: number): boolean {
  return c === 0x64 || c === 0x44 || c === 0x77 || c === 0x57 || c === 0x73 || c === 0x53;
}

/** A `[` that starts `[:name:]`, `[.x.]` or `[=x=]`: PCRE2's own rules (charClass). */
const POSIX_AT = /\[([:.=])[^\]]*?\1\]/y;

/**
 * The capture groups of a pattern written in a subset that PCRE2 (as
 * checkPattern models it) and JavaScript (as regexpp reads it) both accept and
 * read alike, or -1 when the pattern is outside it (then nothing is claimed).
 * The subset: literal characters other than `] { }`; `.`, `^`, `$`, `|`;
 * `\` before ASCII punctuation or a space, `\d \D \w \W \s \S`, `\b \B`;
 * classes `[…]` / `[^…]` of literals, escaped punctuation, class escapes and
 * ranges between two single characters in order (not starting with `]`, no
 * nested `[`); groups `(…)` and `(?:…)`; quantifiers `* + ? {n} {n,} {n,m}`
 * (n ≤ m ≤ 65535), optionally lazy, after a character, class or group.
 */
export function simplePatternGroups(p: string): number {
  uncountable = false;
  const n = p.length;
  let groups = 0;
  let depth = 0;
  // can the item before take a quantifier
  let repeatable = false;
  let i = 0;
  while (i < n) {
    const c = p.charCodeAt(i);
    switch (c) {
      case 0x5c: {
        // \
        const e = p.charCodeAt(i + 1);
        // `\\Q` holds the text `\Q`, which UNCOUNTABLE matches
        if (e === 0x5c && p.charCodeAt(i + 2) === 0x51) uncountable = true;
        if (isPunct(e) || isClassEscape(e)) repeatable = true;
        else if (e === 0x62 || e === 0x42) repeatable = false; // \b \B
        else return -1;
        i += 2;
        break;
      }
      case 0x5b: // [
        i = simpleClass(p, i);
        if (i < 0) return -1;
        repeatable = true;
        break;
      case 0x28: {
        // (
        const e = p.charCodeAt(i + 1);
        if (e === 0x3f) {
          if (p.charCodeAt(i + 2) !== 0x3a) return -1; // only (?:
          i += 3;
        } else if (e === 0x2a) {
          return -1; // (*VERB)
        } else {
          groups++;
          i++;
        }
        depth++;
        repeatable = false;
        break;
      }
      case 0x29: // )
        if (depth === 0) return -1;
        depth--;
        repeatable = true;
        i++;
        break;
      case 0x7c: // |
      case 0x5e: // ^
      case 0x24: // $
        repeatable = false;
        i++;
        break;
      case 0x2a: // *
      case 0x2b: // +
      case 0x3f: // ?
        if (!repeatable) return -1;
        i = quantifierEnd(p, i + 1);
        if (i < 0) return -1;
        repeatable = false;
        break;
      case 0x7b: {
        // {n}, {n,}, {n,m}
        if (!repeatable) return -1;
        i = braceEnd(p, i);
        if (i < 0) return -1;
        i = quantifierEnd(p, i);
        if (i < 0) return -1;
        repeatable = false;
        break;
      }
      case 0x5d: // ]
      case 0x7d: // }
        return -1;
      default:
        repeatable = true;
        i++;
    }
  }
  return depth === 0 ? groups : -1;
}

/** After a quantifier: a lazy `?` is kept, a possessive `+` is outside the subset (-1). */
function quantifierEnd(p: string, i: number): number {
  const c = p.charCodeAt(i);
  if (c === 0x3f) return i + 1;
  if (c === 0x2b) return -1;
  return i;
}

/** `{n}`, `{n,}`, `{n,m}` at i with n ≤ m ≤ 65535: the offset after `}`, else -1. */
function braceEnd(p: string, i: number): number {
  let j = i + 1;
  let min = 0;
  let digits = 0;
  for (let c = p.charCodeAt(j); c >= 0x30 && c <= 0x39; c = p.charCodeAt(++j)) {
    min = min * 10 + (c - 0x30);
    if (++digits > 5) return -1;
  }
  if (digits === 0 || min > 65535) return -1;
  if (p.charCodeAt(j) === 0x7d) return j + 1;
  if (p.charCodeAt(j) !== 0x2c) return -1;
  j++;
  let max = 0;
  digits = 0;
  for (let c = p.charCodeAt(j); c >= 0x30 && c <= 0x39; c = p.charCodeAt(++j)) {
    max = max * 10 + (c - 0x30);
    if (++digits > 5) return -1;
  }
  if (p.charCodeAt(j) !== 0x7d) return -1;
  if (digits > 0 && (max > 65535 || max < min)) return -1;
  return j + 1;
}

/** One simple character of a class at j (a literal or escaped punctuation): its code and length, or -1. */
function classChar(p: string, j: number): number {
  const c = p.charCodeAt(j);
  if (c === 0x5c) return isPunct(p.charCodeAt(j + 1)) ? p.charCodeAt(j + 1) : -1;
  if (c === 0x5b || c === 0x5d || Number.isNaN(c)) return -1;
  return c;
}

/** Texts UNCOUNTABLE matches around an escape at k in a class: `\\Q` holds `\Q`; `\[]` and `\[^]` hold `[]` and `[^]`. */
function flagClassEscape(p: string, k: number): void {
  const e = p.charCodeAt(k + 1);
  const next = p.charCodeAt(k + 2);
  if (e === 0x5c && next === 0x51) uncountable = true;
  else if (e === 0x5b && (next === 0x5d || (next === 0x5e && p.charCodeAt(k + 3) === 0x5d))) uncountable = true;
}

/** A simple class at i (`[`): the offset after its `]`, or -1. */
function simpleClass(p: string, i: number): number {
  const n = p.length;
  let j = i + 1;
  const first = p.charCodeAt(j);
  if (first === 0x3a || first === 0x2e || first === 0x3d) {
    POSIX_AT.lastIndex = i;
    if (POSIX_AT.test(p)) return -1;
  }
  if (first === 0x5e) j++;
  if (p.charCodeAt(j) === 0x5d) return -1; // `[]…]`: PCRE2 and JavaScript differ
  // the previous item: -1 none (start, or after a range), -2 a set, else its code
  let prev = -1;
  while (j < n) {
    const c = p.charCodeAt(j);
    if (c === 0x5d) return j + 1;
    if (c === 0x5b) return -1;
    if (c === 0x5c) {
      const e = p.charCodeAt(j + 1);
      flagClassEscape(p, j);
      if (isPunct(e)) prev = e;
      else if (isClassEscape(e)) prev = -2;
      else return -1;
      j += 2;
      continue;
    }
    if (c === 0x2d && prev !== -1 && j + 1 < n && p.charCodeAt(j + 1) !== 0x5d) {
      // a range: both ends single characters, in order
      if (prev === -2) return -1;
      const end = classChar(p, j + 1);
      if (end < 0 || end < prev) return -1;
      prev = -1;
      if (p.charCodeAt(j + 1) === 0x5c) {
        flagClassEscape(p, j + 1);
        j += 3;
      } else j += 2;
      continue;
    }
    prev = c;
    j++;
  }
  return -1;
}

/** The full check, without the fast path (exported for the differential test). */
export function checkPattern(pattern: string): PcreCheck {
  const t = new Translator(pattern);
  try {
    t.run();
  } catch (e) {
    if (e instanceof Invalid) return { valid: false, reason: e.message };
    if (e instanceof Unsure) return { valid: null, reason: e.message };
    throw e;
  }
  let ast: AST.Pattern;
  try {
    ast = parser.parsePattern(t.out, 0, t.out.length, { unicode: false, unicodeSets: false });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const known = REGEXPP_REASONS.find(([re]) => re.test(message));
    return { valid: false, reason: known ? known[1] : message.replace(/^.*\/: /, "").toLowerCase() };
  }
  let badLookbehind = false;
  visitRegExpAST(ast, {
    onAssertionEnter(node) {
      if (node.kind !== "lookahead" || !t.lookbehinds.has(node.start)) return;
      // each top-level branch may have its own length, but every branch must have one
      if (node.alternatives.some((a) => fixedLength(a) === null)) badLookbehind = true;
    },
  });
  if (badLookbehind) return { valid: false, reason: "lookbehind assertion is not fixed length" };
  for (const r of t.refs) {
    const exists = typeof r.target === "number" ? r.target >= 1 && r.target <= t.groups : t.names.has(r.target);
    if (!exists) return { valid: false, reason: "reference to non-existent subpattern" };
  }
  return { valid: true };
}
