// How Apache counts a directive's arguments before its handler sees them
// (server/config.c, invoke_cmd), per arity class of the directive table. Each
// class splits the line with ap_getword_conf and refuses the directive with
// fixed words when the count does not fit; an empty word ("") counts as
// missing where config.c tests `*w == '\0'`.
import type { Arity } from "../data/directives.js";

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
