import { Directive, SectionOpen, type Argument, type ConfigFile } from "../grammar/index.js";
import { unterminatedQuoteAt } from "../grammar/arguments.js";
import { DIRECTIVE, OPEN } from "../grammar/line-table.js";
import { defineRule, type Report } from "../src/core/rule.js";
import { rowAt } from "../src/core/offset-row.js";

/** Quote look-alikes that word processors and web pages substitute, and the ASCII quote each stands for. */
const ASCII: Readonly<Record<string, '"' | "'">> = {
  "\u201c": '"', // “
  "\u201d": '"', // ”
  "\u201e": '"', // „
  "\u201f": '"', // ‟
  "\u2033": '"', // ″
  "\uff02": '"', // ＂
  "\u2018": "'", // ‘
  "\u2019": "'", // ’
  "\u201b": "'", // ‛
  "\uff07": "'", // ＇
};
const FANCY = new RegExp(`[${Object.keys(ASCII).join("")}]`, "g");
/** the same, for the one search over the whole text (its own lastIndex: scan's matchAll copies FANCY's) */
const FANCY_IN_TEXT = new RegExp(FANCY.source, "g");
const WORD_CHAR = /[\p{L}\p{N}]/u;

function codePoint(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** An apostrophe inside a word (`can’t`, `O’Brien`) is prose, not a would-be quote. */
function isApostrophe(text: string, i: number): boolean {
  return ASCII[text[i]!] === "'" && WORD_CHAR.test(text[i - 1] ?? "") && WORD_CHAR.test(text[i + 1] ?? "");
}

/** The words Apache reads from a line, up to a trailing `#` word (trailing-comment's business, and a comment to the author). */
function words(line: Directive | SectionOpen): readonly Argument[] {
  const args = line.args;
  const hash = line.kind === "directive" ? line.trailingCommentIndex : -1;
  return hash === -1 ? args : args.slice(0, hash);
}

/** Lines whose quoted argument is an ap_expr, where `'` and `"` quote strings: a look-alike there breaks the parse. */
const EXPRESSION_SECTIONS = new Set(["if", "elseif"]);
const EXPRESSION_DIRECTIVES = new Set(["setenvifexpr"]);
const EXPRESSION_AFTER_EXPR = new Set(["require", "rewritecond"]);

function isExpression(line: Directive | SectionOpen): boolean {
  if (line.kind === "open") return EXPRESSION_SECTIONS.has(line.key);
  if (EXPRESSION_DIRECTIVES.has(line.key)) return true;
  return EXPRESSION_AFTER_EXPR.has(line.key) && line.args[0]?.value.toLowerCase() === "expr";
}

/**
 * The directive and open-tag lines that hold a look-alike, in order, as views
 * whose parent is not read: one native search over the whole text, each hit
 * mapped to its row. Comments, blanks and close tags are not read for quotes.
 */
function linesWithLookAlikes(file: ConfigFile): (Directive | SectionOpen)[] {
  const out: (Directive | SectionOpen)[] = [];
  const t = file.table;
  const text = file.text;
  let row = 0;
  FANCY_IN_TEXT.lastIndex = 0;
  for (let m = FANCY_IN_TEXT.exec(text); m !== null; m = FANCY_IN_TEXT.exec(text)) {
    row = rowAt(t, m.index, row);
    const kind = t.kind[row];
    if ((kind === DIRECTIVE || kind === OPEN) && m.index >= t.start[row]! && m.index < t.end[row]!) {
      out.push(kind === DIRECTIVE ? new Directive(file, row, file) : new SectionOpen(file, row, file));
    }
    // the rest of the row is scan's business
    FANCY_IN_TEXT.lastIndex = t.to[row]!;
  }
  return out;
}

type Where = "word" | "expression" | "text";

function message(where: Where, ch: string, what: string, word: string, ascii: string): string {
  const c = `\`${ch}\` (${codePoint(ch)})`;
  switch (where) {
    case "word":
      return `${c} in ${what} is not a quote for Apache: it stays part of the word \`${word}\` and groups no words.`;
    case "expression":
      return `${c} in the ${what} expression is not a string quote: Apache refuses to start ("Cannot parse \u2026 syntax error").`;
    case "text":
      return `${c} inside the quoted ${what} argument ${word} is text to Apache, not a quote; if it was meant as one, use \`${ascii}\`.`;
  }
}

function scan(file: ConfigFile, line: Directive | SectionOpen, out: Report[]): void {
  const t = file.text;
  const what = line.kind === "directive" ? line.name : `<${line.name}>`;
  const expression = isExpression(line);
  const spans: { start: number; end: number; word: string; where: Where }[] = [
    { start: line.start, end: line.nameEnd, word: t.slice(line.start, line.nameEnd), where: "word" },
    ...words(line).map((a) => ({
      start: a.start,
      end: a.end,
      word: a.raw,
      where: (a.quote === null || a.unterminated ? "word" : expression ? "expression" : "text") as Where,
    })),
  ];
  // ASCII quotes where a word starts group words: when the line with its look-alikes replaced (all of them, or the
  // safe ones only) has a quote that never closes, and the line as written has none, no replacement is offered there
  const fixable = (where: Where) => {
    const breaks = (safeOnly: boolean) => {
      const raw = t.slice(line.nameEnd, line.end);
      const fixed = raw.replace(FANCY, (ch, i: number) => ((safeOnly && where === "text") || isApostrophe(raw, i) ? ch : ASCII[ch]!));
      return unterminatedQuoteAt(fixed, 0, fixed.length) !== -1;
    };
    return unterminatedQuoteAt(t, line.nameEnd, line.end) !== -1 || (!breaks(true) && !breaks(false));
  };
  for (const s of spans) {
    const text = t.slice(s.start, s.end);
    for (const m of text.matchAll(FANCY)) {
      const i = m.index!;
      if (isApostrophe(text, i)) continue;
      const ch = m[0];
      const ascii = ASCII[ch]!;
      const at = s.start + i;
      out.push({
        message: message(s.where, ch, what, s.word, ascii),
        // Inside ASCII quotes it is plain text to Apache, and may be meant (a message, a header value).
        severity: s.where === "text" ? "warning" : "error",
        start: at,
        end: at + 1,
        ...(fixable(s.where) && {
          fix: {
            safety: s.where === "text" ? "unsafe" : "safe",
            title: `Replace \`${ch}\` with \`${ascii}\``,
            edits: [{ start: at, end: at + 1, text: ascii }],
          },
        }),
      });
    }
  }
}

export default defineRule({
  id: "typographic-quotes",
  severity: "error",
  category: "correctness",
  severities: ["error", "warning"],
  description: "Typographic quotes (\u201c \u201d \u2018 \u2019 \u2033 \uff02 \u2026) where Apache needs ASCII quotes",
  fixable: "unsafe",
  doc: {
    problem:
      "A directive uses typographic quotes (\u201c \u201d \u201e \u2018 \u2019 \u2033 \uff02 \u2026) instead of the ASCII " +
      "`\"` and `'`. They come from copying a config out of a blog post, a word processor or a chat message.",
    bad: "RewriteRule .* \u201cwss:/ws-backend%{REQUEST_URI}\u201d [P]\nRequestHeader set X-Test \u201ca b\u201d",
    good: 'RewriteRule .* "wss:/ws-backend%{REQUEST_URI}" [P]\nRequestHeader set X-Test "a b"',
    why:
      "Apache only knows ASCII quotes. A typographic one is three ordinary bytes that stay in the value, and it does not " +
      "group words. Where the value is checked, Apache refuses to start (`ProxyPass Unable to parse URL: " +
      "\\xe2\\x80\\x9cws://\u2026`, or `Unknown parameter: b\\xe2\\x80\\x9d` when a quoted value has a space). Where it is " +
      "not, the config loads and silently does something else: a RewriteRule substitution `\u201cwss:/\u2026\u201d` is a " +
      "relative path, so Apache proxies the request to itself; a RewriteCond pattern `\u201cwebsocket\u201d` never matches.",
    versions: "All releases (measured on 2.4.71).",
    fix:
      "Replaces each typographic quote with its ASCII counterpart (\u201c \u201d \u201e \u201f \u2033 \uff02 \u2192 `\"`, " +
      "\u2018 \u2019 \u201b \uff07 \u2192 `'`). Safe outside ASCII quotes, where the character can only be a broken " +
      "quote, and inside the quoted expression of `<If>`, `<ElseIf>`, `Require expr`, `RewriteCond expr` and " +
      "`SetEnvIfExpr`, where `'` and `\"` quote strings and a look-alike is a syntax error (`<If \"%{HTTP_HOST} == " +
      "\u2018example.com\u2019\">` stops Apache). Inside any other argument already quoted with ASCII quotes it is text " +
      "to Apache and may be wanted (an error message, a header value), so that finding is a warning and its fix is " +
      "unsafe. An apostrophe between two " +
      "letters (`can\u2019t`) is never reported, and neither is anything in a comment, including a trailing `# \u2026` " +
      "(see trailing-comment).",
    cases: ["f1", "f2", "f3", "f4"],
  },
  create({ file, report }) {
    return {
      end() {
        const out: Report[] = [];
        for (const line of linesWithLookAlikes(file)) scan(file, line, out);
        for (const r of out) report(r);
      },
    };
  },
});
