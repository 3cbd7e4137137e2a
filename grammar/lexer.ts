// Apache reads configuration a logical line at a time (cfg_getline joins a
// line ending in `\` with the next one), and what a line is depends only on
// its first non-blank character. So the lexer emits one coarse token per
// logical line, terminator included; words inside a line are split lazily
// (arguments.ts). Few, coarse tokens are what makes a million-line file cheap.
import { createToken, Lexer, type TokenType } from "./chevrotain.js";

// Apache's apr_isspace, minus the newline that ends a line.
const WS = "[ \\t\\v\\f\\r]";
// The rest of a logical line: anything but a newline, where `\` + (CR)LF
// continues onto the next physical line. Written as an unrolled loop so the
// regex engine never backtracks.
const REST = "[^\\\\\\n]*(?:\\\\\\r?\\n?[^\\\\\\n]*)*";

/** The category every line token belongs to: the grammar is a sequence of lines. */
export const AnyLine = createToken({ name: "AnyLine", pattern: Lexer.NA });

const line = (body: string) => new RegExp(`${WS}*${body}${REST}\\n?`);

/** A line with nothing on it. */
export const BlankLine = createToken({ name: "BlankLine", pattern: new RegExp(`${WS}*\\n`), line_breaks: true, categories: [AnyLine] });
/** `# …`: only a `#` that is the first non-blank character starts a comment. */
export const CommentLine = createToken({ name: "CommentLine", pattern: line("#"), line_breaks: true, categories: [AnyLine] });
/** `</Name>` */
export const CloseTagLine = createToken({ name: "CloseTagLine", pattern: line("<\\/"), line_breaks: true, categories: [AnyLine] });
/** `<Name args>` */
export const OpenTagLine = createToken({ name: "OpenTagLine", pattern: line("<"), line_breaks: true, categories: [AnyLine] });
/** `Name args`: anything else. The lookahead leaves a leading `\` to REST, which knows continuations. */
export const DirectiveLine = createToken({
  name: "DirectiveLine",
  pattern: line("(?=[^ \\t\\v\\f\\r\\n#<])"),
  line_breaks: true,
  categories: [AnyLine],
});
/** Blanks at the very end of the text, with no newline after them. */
export const TrailingBlanks = createToken({ name: "TrailingBlanks", pattern: new RegExp(`${WS}+`), line_breaks: true, categories: [AnyLine] });

// Directive lines are the common case, so they are tried first; the patterns are
// mutually exclusive except TrailingBlanks, which must come last.
export const lineTokens: TokenType[] = [DirectiveLine, BlankLine, CommentLine, CloseTagLine, OpenTagLine, TrailingBlanks];

/** Built once per process. */
export const lineLexer = new Lexer(lineTokens, {
  positionTracking: "onlyOffset",
  // The directive pattern starts with a complement set, which first-character
  // optimisation cannot index; the patterns are ordered so that a line needs one
  // or two attempts, which is what the optimisation would give.
  safeMode: true,
  ensureOptimizations: false,
  skipValidations: process.env.APACHELINT_VALIDATE_GRAMMAR !== "1",
});
