// Apache reads configuration a logical line at a time (cfg_getline joins a
// line ending in `\` with the next one), and what a line is depends only on
// its first non-blank character. The lexer's tokens are coarse: a section tag
// line, or a run of other lines; words inside a line are split lazily
// (arguments.ts). Few, coarse tokens are what makes a million-line file cheap.
//
// The patterns are custom matchers over the file's line index rather than
// regular expressions: the index already holds every newline, so a line is
// found by looking at the character before each newline, and it is classified
// once. Classifying a line is what fills its row of the line table, so the
// lexer writes the rows (TreeBuilder.plainRun/tagLine) and the parser, which
// sees one token per run and per tag, only matches sections (the rows of the
// tags it will see are queued in the builder, in order).
import { createToken, Lexer, type TokenType } from "./chevrotain.js";
import type { TreeBuilder } from "./tree.js";

/** What the matchers read: set by the parser for each chunk of text it lexes. */
export const lexing: {
  builder: TreeBuilder | null;
  /** offset of the chunk in the file text */
  base: number;
} = { builder: null, base: 0 };

type Match = [string];
// Chevrotain copies what it needs out of a match at once, so one array per kind serves every match.
const runMatch: Match = [""];
const tagMatch: Match = [""];

function tagPattern(close: boolean) {
  return {
    exec(text: string, offset: number): Match | null {
      const b = lexing.builder!;
      const row = b.tagLine(lexing.base + offset, close);
      if (row === -1) return null;
      tagMatch[0] = text.substring(offset, b.lastTo - lexing.base);
      return tagMatch;
    },
  };
}

/** The category every line token belongs to. */
export const AnyLine = createToken({ name: "AnyLine", pattern: Lexer.NA });

/** `</Name>` */
export const CloseTagLine = createToken({
  name: "CloseTagLine",
  pattern: tagPattern(true),
  line_breaks: true,
  categories: [AnyLine],
});
/** `<Name args>` */
export const OpenTagLine = createToken({
  name: "OpenTagLine",
  pattern: tagPattern(false),
  line_breaks: true,
  categories: [AnyLine],
});
/**
 * A run of lines none of which is a section tag: directives, comments, blank
 * lines. Only tags give a config its structure, so the parser sees one token
 * for the lines between two tags; their rows are in the table already.
 */
export const PlainLines = createToken({
  name: "PlainLines",
  pattern: {
    exec(text: string, offset: number): Match | null {
      const end = lexing.builder!.plainRun(lexing.base + offset, lexing.base + text.length);
      if (end === -1) return null;
      runMatch[0] = text.substring(offset, end - lexing.base);
      return runMatch;
    },
  },
  line_breaks: true,
  categories: [AnyLine],
});

// Mutually exclusive: a run never starts with a tag line, and a tag line is either kind.
export const lineTokens: TokenType[] = [PlainLines, CloseTagLine, OpenTagLine];

/** Built once per process. */
export const lineLexer = new Lexer(lineTokens, {
  positionTracking: "onlyOffset",
  // custom matchers cannot be indexed by first character; with three patterns it would gain nothing
  safeMode: true,
  ensureOptimizations: false,
  skipValidations: process.env.APACHELINT_VALIDATE_GRAMMAR !== "1",
});
