// Apache reads configuration a logical line at a time (cfg_getline joins a
// line ending in `\` with the next one), and what a line is depends only on
// its first non-blank character. The lexer's tokens are coarse: a section tag
// line, or a run of other lines; words inside a line are split lazily
// (arguments.ts). Few, coarse tokens are what makes a million-line file cheap.
import { createToken, Lexer, type TokenType } from "./chevrotain.js";

// Apache's apr_isspace, minus the newline that ends a line.
const WS = "[ \\t\\v\\f\\r]";
// The rest of a logical line: anything but a newline, where `\` + (CR)LF
// continues onto the next physical line. Written as an unrolled loop so the
// regex engine never backtracks.
const REST = "[^\\\\\\n]*(?:\\\\\\r?\\n?[^\\\\\\n]*)*";

/** The category every line token belongs to. */
export const AnyLine = createToken({ name: "AnyLine", pattern: Lexer.NA });

/** `</Name>` */
export const CloseTagLine = createToken({
  name: "CloseTagLine",
  pattern: new RegExp(`${WS}*<\\/${REST}\\n?`),
  line_breaks: true,
  categories: [AnyLine],
});
/** `<Name args>` */
export const OpenTagLine = createToken({
  name: "OpenTagLine",
  pattern: new RegExp(`${WS}*<${REST}\\n?`),
  line_breaks: true,
  categories: [AnyLine],
});
/**
 * A run of lines none of which is a section tag: directives, comments, blank
 * lines. Only tags give a config its structure, so the parser sees one token
 * for the lines between two tags, and the tree builder splits it into lines.
 */
export const PlainLines = createToken({
  name: "PlainLines",
  pattern: new RegExp(`(?:(?!${WS}*<)${WS}*${REST}(?:\\n|(?![\\s\\S])))+`),
  line_breaks: true,
  categories: [AnyLine],
});

// Mutually exclusive after the blanks: a run never starts a line with `<`.
export const lineTokens: TokenType[] = [PlainLines, CloseTagLine, OpenTagLine];

/** Built once per process. */
export const lineLexer = new Lexer(lineTokens, {
  positionTracking: "onlyOffset",
  // Every pattern starts with optional blanks, which first-character
  // optimisation cannot index; with three patterns it would gain nothing.
  safeMode: true,
  ensureOptimizations: false,
  skipValidations: process.env.APACHELINT_VALIDATE_GRAMMAR !== "1",
});
