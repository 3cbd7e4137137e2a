// The Chevrotain parser over line tokens. Input is fed in chunks that end on
// a logical line boundary, so at most one chunk of tokens is alive at a time:
// memory stays proportional to the AST, not to the token stream. The lexer
// has filled the rows of a chunk's lines (lexer.ts); the parser's actions
// give the table its structure.
import { EmbeddedActionsParser, type IToken } from "./chevrotain.js";
import { ConfigFile } from "./ast.js";
import { AnyLine, CloseTagLine, OpenTagLine, lexing, lineLexer, lineTokens } from "./lexer.js";
import { TreeBuilder } from "./tree.js";

class ConfigParser extends EmbeddedActionsParser {
  builder: TreeBuilder | null = null;
  /** the line token just consumed, read by the action: no closure is made per token */
  private tok: IToken | null = null;
  private readonly dispatch = () => {
    const type = this.tok!.tokenType;
    if (type === OpenTagLine) this.builder!.openSection();
    else if (type === CloseTagLine) this.builder!.closeSection();
  };

  constructor() {
    super([AnyLine, ...lineTokens], { maxLookahead: 1, skipValidations: process.env.APACHELINT_VALIDATE_GRAMMAR !== "1" });
    this.performSelfAnalysis();
  }


  // The line tokens share the category AnyLine, so the repetition needs no
  // alternation and the action dispatches on the kind.
  public lines = this.RULE("lines", () => {
    this.MANY(() => {
      this.tok = this.CONSUME(AnyLine);
      this.ACTION(this.dispatch);
    });
  });
}

let parser: ConfigParser | undefined;

/** Characters per chunk handed to the lexer. */
const CHUNK = 1 << 18;

/** End of the chunk that starts at `from`: after a newline that does not continue the line. */
function chunkEnd(text: string, from: number): number {
  if (text.length - from <= CHUNK) return text.length;
  let i = text.indexOf("\n", from + CHUNK);
  while (i !== -1) {
    const p = text.charCodeAt(i - 1);
    const continued = p === 92 || (p === 13 && text.charCodeAt(i - 2) === 92);
    if (!continued) return i + 1;
    i = text.indexOf("\n", i + 1);
  }
  return text.length;
}

/**
 * Parses configuration text. Never throws: whatever goes wrong inside becomes a
 * `syntax-error` on the returned file.
 */
export function parse(text: string, path = "<input>"): ConfigFile {
  const file = new ConfigFile(path, text);
  try {
    parser ??= new ConfigParser();
    const builder = new TreeBuilder(file);
    parser.builder = builder;
    lexing.builder = builder;
    let from = file.bom ? 1 : 0;
    if (file.bom) {
      file.errors.push({ code: "byte-order-mark", start: 0, end: 1, message: "UTF-8 byte order mark: Apache does not skip it and reads it as part of the first line" });
    }
    while (from < text.length) {
      const to = chunkEnd(text, from);
      lexing.base = from;
      const lexed = lineLexer.tokenize(from === 0 && to === text.length ? text : text.slice(from, to));
      for (const e of lexed.errors) {
        file.errors.push({ code: "syntax-error", start: from + e.offset, end: from + e.offset + e.length, message: e.message });
      }
      parser.input = lexed.tokens;
      parser.lines();
      for (const e of parser.errors) {
        const s = from + (e.token.startOffset || 0);
        file.errors.push({ code: "syntax-error", start: s, end: s, message: e.message });
      }
      from = to;
    }
    builder.finish();
  } catch (err) {
    file.errors.push({ code: "syntax-error", start: 0, end: 0, message: `internal parser failure: ${(err as Error).message}` });
  } finally {
    if (parser) {
      parser.builder = null;
      parser.input = [];
    }
    lexing.builder = null;
  }
  return file;
}
