// Syntax colours for Apache config in the editor: a small line tokenizer, not
// a parser (the linter is the parser). Only what Apache itself distinguishes:
// a `#` comment is a comment only where a directive could start.
import { HighlightStyle, StreamLanguage, syntaxHighlighting } from "@codemirror/language";
import { tags } from "@lezer/highlight";

interface LineState {
  /** the next word is a directive or section name */
  first: boolean;
  /** inside `<Section …` before its `>` */
  inTag: boolean;
  /** the previous line ended with `\`: this one continues its directive */
  continued: boolean;
}

const apache = StreamLanguage.define<LineState>({
  name: "apache",
  startState: () => ({ first: true, inTag: false, continued: false }),
  copyState: (s) => ({ ...s }),
  token(stream, state) {
    if (stream.sol()) {
      state.first = !state.continued;
      state.inTag = state.inTag && state.continued;
      state.continued = false;
    }
    if (stream.eatSpace()) return null;
    if (stream.match(/^\\$/)) {
      state.continued = true;
      return "escape";
    }
    if (state.first) {
      state.first = false;
      if (stream.peek() === "#") {
        stream.skipToEnd();
        return "comment";
      }
      if (stream.match(/^<\/?[^\s>]+/)) {
        state.inTag = true;
        return "tagName";
      }
      if (stream.match(/^[^\s"]+/)) return "keyword";
    }
    if (state.inTag && stream.eat(">")) {
      state.inTag = false;
      return "tagName";
    }
    if (stream.peek() === '"' || stream.peek() === "'") {
      const quote = stream.next();
      let escaped = false;
      for (let ch = stream.next(); ch !== undefined; ch = stream.next()) {
        if (ch === quote && !escaped) break;
        escaped = !escaped && ch === "\\";
      }
      return "string";
    }
    if (stream.match(/^[%$]\{[^}\s]*\}?/)) return "variableName.special";
    if (stream.match(/^\[[^\]\s]*\](?=\s|$)/)) return "meta";
    if (stream.match(/^\d+(?=\s|$|>)/)) return "number";
    if (stream.match(/^(?:on|off)(?=\s|$)/i)) return "bool";
    if (!stream.match(/^[^\s"'%$\\>]+/)) stream.next();
    return null;
  },
  languageData: { commentTokens: { line: "#" } },
});

// Every colour has at least 4.5:1 contrast on white and on the active line's tint (WCAG AA).
const colours = HighlightStyle.define([
  { tag: tags.keyword, color: "#6a1b9a" },
  { tag: tags.tagName, color: "#00596b", fontWeight: "600" },
  { tag: tags.comment, color: "#4f5b4f", fontStyle: "italic" },
  { tag: tags.string, color: "#9c1c1c" },
  { tag: tags.special(tags.variableName), color: "#6b4300" },
  { tag: tags.meta, color: "#5c4b00" },
  { tag: [tags.number, tags.bool], color: "#0b4f9c" },
  { tag: tags.escape, color: "#9c1c1c", fontWeight: "600" },
]);

export const apacheSyntax = [apache, syntaxHighlighting(colours)];
