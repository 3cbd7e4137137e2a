// How Apache counts a directive's arguments before its handler sees them
// (server/config.c, invoke_cmd), per arity class of the directive table. Each
// class splits the line with ap_getword_conf and refuses the directive with
// fixed words when the count does not fit; an empty word ("") counts as
// missing where config.c tests `*w == '\0'`.
import type { Argument } from "../../grammar/index.js";
import type { Arity } from "../data/directives.js";
import { RAW_ARGS_ARITY, type RawArgsArity } from "../data/raw-args-arity.js";

/** The arity classes config.c counts; "raw" and "section" handlers parse their own words. */
export type CountedArity = Exclude<Arity, "raw" | "section">;

/** Apache's own words, "<Name> takes …" (the handler's description follows them in its message). */
export const ARITY_WORDS: Readonly<Record<CountedArity, string>> = {
  flag: "must be On or Off",
  "no-args": "takes no arguments",
  take1: "takes one argument",
  take2: "takes two arguments",
  take3: "takes three arguments",
  take12: "takes 1-2 arguments",
  take123: "takes one, two or three arguments",
  take13: "takes one or three arguments",
  take23: "takes two or three arguments",
  iterate: "requires at least one argument",
  iterate2: "requires at least two arguments",
};

/** The counts each class accepts, for messages: [min, max] (max Infinity: no bound). */
export const ARITY_BOUNDS: Readonly<Record<CountedArity, readonly [number, number]>> = {
  flag: [1, Infinity],
  "no-args": [0, 0],
  take1: [1, 1],
  take2: [2, 2],
  take3: [3, 3],
  take12: [1, 2],
  take123: [1, 3],
  take13: [1, 3],
  take23: [2, 3],
  iterate: [1, Infinity],
  iterate2: [2, Infinity],
};

export function isCounted(arity: Arity): arity is CountedArity {
  return arity !== "raw" && arity !== "section";
}

/**
 * Does Apache accept `count` words, of which `empty(i)` tells whether word i
 * is an empty string? Mirrors invoke_cmd case by case (FLAG reads one word and
 * ignores the rest; TAKE13 refuses exactly two).
 */
export function arityAccepts(arity: CountedArity, count: number, empty: (i: number) => boolean): boolean {
  const present = (i: number) => i < count && !empty(i);
  switch (arity) {
    case "flag":
      return present(0);
    case "no-args":
      return count === 0;
    case "take1":
      return count === 1 && present(0);
    case "take2":
      return count === 2 && present(0) && present(1);
    case "take3":
      return count === 3 && present(0) && present(1) && present(2);
    case "take12":
      return count >= 1 && count <= 2 && present(0);
    case "take123":
      return count >= 1 && count <= 3 && present(0);
    case "take13":
      return (count === 1 || count === 3) && present(0);
    case "take23":
      return count >= 2 && count <= 3 && present(0) && present(1);
    case "iterate":
      return count >= 1;
    case "iterate2":
      return count >= 2 && present(0);
  }
}

/**
 * Sections whose handler refuses an open tag without arguments, in Apache's
 * words "<Location> directive requires additional arguments" (measured on
 * 2.4.71 with every Debian module loaded: `<Name>` then `</Name>`, inside a
 * <Directory> for the sections that may only stand there; checked
 * against the live server by test/rules/directive-arity.test.ts). Lower-cased.
 */
export const SECTIONS_NEEDING_ARGUMENTS: ReadonlySet<string> = new Set([
  "authnprovideralias", "authzprovideralias", "directory", "directorymatch", "elseif", "files", "filesmatch", "if",
  "ifdefine", "ifdirective", "iffile", "ifmodule", "ifsection", "limit", "limitexcept", "location", "locationmatch", "virtualhost",
]);

/**
 * Sections whose open tag takes exactly one argument: a second word is refused
 * ("Multiple <Location> arguments not (yet) supported.", "Multiple <If> arguments
 * not supported."). Measured on Debian's 2.4.71 with every module loaded, each
 * section's valid open tag plus a word; checked against the live server by
 * test/rules/directive-arity.test.ts. <VirtualHost> and <Limit> take a list;
 * <Proxy> refuses a bare word but takes key=value (proxy-param-invalid's).
 */
export const SECTIONS_TAKING_ONE_ARGUMENT: ReadonlySet<string> = new Set([
  "directory", "directorymatch", "elseif", "files", "filesmatch", "if", "location", "locationmatch", "proxymatch",
]);

// Handlers that parse their own line (RAW_ARGS, TAKE_ARGV): config.c counts
// nothing for them, each handler refuses too few (or too many) words in words
// of its own. Their counts and messages are in src/data/raw-args-arity.ts.

export { RAW_ARGS_ARITY };
export type { RawArgsArity, RawReader } from "../data/raw-args-arity.js";

/** A RAW_ARGS line as its handler gets it. */
export interface RawArgsLine {
  /** the words, as ap_getword_conf splits them */
  readonly args: readonly Argument[];
  /** the arguments as written, continuations joined: the string the handler parses */
  readonly raw: string;
  /** inside a section that sets cmd->path (or a .htaccess): a `sectionPath` handler takes its first word from it */
  readonly inPathSection: boolean;
}

/** What a handler refuses: a word missing at `position`, or words past its maximum. */
export type RawArgsShortfall =
  | {
      readonly kind: "missing";
      /** the handler's word that is missing, counting one the section gives */
      readonly position: number;
      /** the words the handler counted */
      readonly count: number;
      /** the empty "" that stands where the word is needed, if that is what it is */
      readonly empty: Argument | null;
      readonly message: string;
    }
  | { readonly kind: "too-many"; readonly count: number; readonly first: Argument; readonly last: Argument; readonly message: string };

const isBlank = (c: string | undefined) => c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\f" || c === "\v";

/**
 * mod_rewrite's parseargline: the first argument must end before the line does
 * (at a blank not escaped by `\`, or at its closing quote), else "bad argument
 * line". A quoted first word is enough: `RewriteCond ""` starts.
 */
export function rewriteFirstArgumentEnds(raw: string): boolean {
  let i = 0;
  const quote = raw[0] === '"' || raw[0] === "'" ? raw[i++] : null;
  for (; i < raw.length; i++) {
    const c = raw[i];
    if (quote === null ? isBlank(c) : c === quote) return true;
    if (c === "\\" && isBlank(raw[i + 1])) i++;
  }
  return false;
}

/** Apache's message with the line's words in it, backslashes doubled as its error log prints them. */
export const fillMessage = (template: string, key: "args" | "word", value: string) => template.replaceAll(`{${key}}`, () => value.replaceAll("\\", "\\\\"));

const isEmptyWord = (a: Argument) => a.value === "" && a.quote !== null;

/**
 * Does the handler of `entry` refuse `line` for its number of words? null when
 * the count is one it takes (its values may still be wrong: other rules' business).
 * Each reader is how handlers read their words (src/data/raw-args-arity.ts).
 */
export function rawArgsShortfall(entry: RawArgsArity, line: RawArgsLine): RawArgsShortfall | null {
  const given = entry.sectionPath && line.inPathSection ? 1 : 0;
  const missing = (position: number, count: number, empty: Argument | null): RawArgsShortfall => ({
    kind: "missing",
    position,
    count,
    empty,
    message: fillMessage(entry.missing[position] ?? entry.missing[entry.missing.length - 1]!, "args", line.raw),
  });
  if (entry.reader === "rewrite") {
    const count = line.raw === "" ? 0 : rewriteFirstArgumentEnds(line.raw) ? 2 : 1;
    return count < entry.min ? missing(count, count, null) : null;
  }
  let words = entry.params ? line.args.filter((a) => !a.value.includes("=")) : line.args;
  let dropped: Argument | null = null;
  // TAKE_ARGV: config.c stops at an empty word that ends the line
  if (entry.reader === "argv" && words.length > 0 && isEmptyWord(words[words.length - 1]!)) {
    dropped = words[words.length - 1]!;
    words = words.slice(0, -1);
  }
  const count = words.length + given;
  if (entry.reader === "conf") {
    // the handler tests each word it needs with `if (!*w)`: an empty "" is as good as none
    for (let p = given; p < entry.min; p++) {
      const w = words[p - given];
      if (w === undefined) return missing(p, count, null);
      if (isEmptyWord(w)) return missing(p, count, w);
    }
  } else if (count < entry.min) {
    return missing(count, count, dropped);
  }
  if (entry.max !== null && count > entry.max) {
    const first = words[entry.max - given]!;
    return { kind: "too-many", count, first, last: words[words.length - 1]!, message: fillMessage(entry.tooMany ?? "", "word", first.value) };
  }
  return null;
}

/** The measured count of a RAW_ARGS handler (lower-cased name), or undefined: it counts nothing, or by keyword. */
export function rawArgsArity(key: string): RawArgsArity | undefined {
  return Object.hasOwn(RAW_ARGS_ARITY, key) ? RAW_ARGS_ARITY[key] : undefined;
}
