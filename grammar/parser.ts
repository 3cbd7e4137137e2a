// The Chevrotain parser over line tokens. Input is fed in chunks that end on
// a logical line boundary, so at most one chunk of tokens is alive at a time:
// memory stays proportional to the AST, not to the token stream.
import { EmbeddedActionsParser } from "chevrotain";
import { ConfigFile } from "./ast.js";
import {
  BlankLine,
  CloseTagLine,
  CommentLine,
  DirectiveLine,
  OpenTagLine,
  TrailingBlanks,
  lineLexer,
  lineTokens,
} from "./lexer.js";
import { TreeBuilder } from "./tree.js";

const QUOTE = /["']/;

class ConfigParser extends EmbeddedActionsParser {
  builder: TreeBuilder | null = null;
  /** offset of the current chunk in the file text */
  base = 0;

  constructor() {
    super(lineTokens, { maxLookahead: 1, skipValidations: process.env.APACHELINT_VALIDATE_GRAMMAR !== "1" });
    this.performSelfAnalysis();
  }


  public lines = this.RULE("lines", () => {
    this.MANY(() => {
      this.OR(
        this.alts ??= [
          {
            ALT: () => {
              const t = this.CONSUME(DirectiveLine);
              this.ACTION(() => this.builder!.directive(this.base + t.startOffset, this.base + t.startOffset + t.image.length, QUOTE.test(t.image)));
            },
          },
          {
            ALT: () => {
              const t = this.CONSUME(BlankLine);
              this.ACTION(() => this.builder!.blank(this.base + t.startOffset, this.base + t.startOffset + t.image.length));
            },
          },
          {
            ALT: () => {
              const t = this.CONSUME(CommentLine);
              this.ACTION(() => this.builder!.comment(this.base + t.startOffset, this.base + t.startOffset + t.image.length));
            },
          },
          {
            ALT: () => {
              const t = this.CONSUME(CloseTagLine);
              this.ACTION(() => this.builder!.closeTag(this.base + t.startOffset, this.base + t.startOffset + t.image.length));
            },
          },
          {
            ALT: () => {
              const t = this.CONSUME(OpenTagLine);
              this.ACTION(() => this.builder!.openTag(this.base + t.startOffset, this.base + t.startOffset + t.image.length, QUOTE.test(t.image)));
            },
          },
          {
            ALT: () => {
              const t = this.CONSUME(TrailingBlanks);
              this.ACTION(() => this.builder!.blank(this.base + t.startOffset, this.base + t.startOffset + t.image.length));
            },
          },
        ],
      );
    });
  });

  private alts: Parameters<ConfigParser["OR"]>[0] | undefined;
}

let parser: ConfigParser | undefined;

/** Characters per chunk handed to the lexer. */
const CHUNK = 1 << 20;

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
 * `parse-error` on the returned file.
 */
export function parse(text: string, path = "<input>"): ConfigFile {
  const file = new ConfigFile(path, text);
  try {
    parser ??= new ConfigParser();
    const builder = new TreeBuilder(file);
    parser.builder = builder;
    let from = file.bom ? 1 : 0;
    if (file.bom) {
      file.errors.push({ code: "bom", start: 0, end: 1, message: "UTF-8 byte order mark: Apache does not skip it and reads it as part of the first line" });
    }
    while (from < text.length) {
      const to = chunkEnd(text, from);
      const lexed = lineLexer.tokenize(from === 0 && to === text.length ? text : text.slice(from, to));
      for (const e of lexed.errors) {
        file.errors.push({ code: "parse-error", start: from + e.offset, end: from + e.offset + e.length, message: e.message });
      }
      parser.base = from;
      parser.input = lexed.tokens;
      parser.lines();
      for (const e of parser.errors) {
        const s = from + (e.token.startOffset || 0);
        file.errors.push({ code: "parse-error", start: s, end: s, message: e.message });
      }
      from = to;
    }
    builder.finish();
  } catch (err) {
    file.errors.push({ code: "parse-error", start: 0, end: 0, message: `internal parser failure: ${(err as Error).message}` });
  } finally {
    if (parser) parser.builder = null;
  }
  return file;
}
