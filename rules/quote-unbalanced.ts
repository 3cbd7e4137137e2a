import { Directive, SectionOpen, type ConfigFile } from "../grammar/index.js";
import { DIRECTIVE, OPEN } from "../grammar/line-table.js";
import { defineRule } from "../src/core/rule.js";
import { rowAt } from "../src/core/offset-row.js";

/** The directive or open tag whose text holds `offset` (a view whose parent is not read). */
function lineAt(file: ConfigFile, offset: number): Directive | SectionOpen | undefined {
  const t = file.table;
  const row = rowAt(t, offset);
  if (row < 0 || offset < t.start[row]! || offset >= t.end[row]!) return undefined;
  if (t.kind[row] === DIRECTIVE) return new Directive(file, row, file);
  if (t.kind[row] === OPEN) return new SectionOpen(file, row, file);
  return undefined;
}

function shorten(s: string): string {
  const flat = s.replace(/\\\r?\n/g, " ").replace(/\s+/g, " ");
  return flat.length <= 60 ? flat : `${flat.slice(0, 57)}\u2026`;
}

export default defineRule({
  id: "quote-unbalanced",
  severity: "error",
  category: "correctness",
  description: "A quoted argument with no closing quote",
  fixable: "none",
  doc: {
    problem: "An argument starts with `\"` or `'` and the quote is never closed on that line.",
    bad: 'ProxyPass "/ws/ ws://127.0.0.1:13001/ws/',
    good: 'ProxyPass "/ws/" "ws://127.0.0.1:13001/ws/"',
    why:
      "Apache does not complain about the quote itself: an unclosed quote runs to the end of the line, so everything " +
      "after it becomes one argument. The directive then fails, or not, on whatever that does to its arguments, and " +
      "the message is misleading: `ProxyPass \"/ws/ ws://127.0.0.1:13001/ws/` gives `ProxyPass|ProxyPassMatch needs a " +
      "path when not defined in a location`, because ProxyPass received the single argument " +
      "`/ws/ ws://127.0.0.1:13001/ws/`. A directive that takes free text accepts it silently. `ErrorDocument 404 \"Some text` with no closing " +
      "quote is the message form the manual documents (the text runs to the end of the line) and is not reported.",
    versions: "All 2.4 releases (measured on 2.4.71).",
    fix: "None: where the quote should close is a guess (after the first word? at the end?), so it is left to the author.",
    cases: ["m23"],
  },
  create({ file, report }) {
    return {
      end() {
        for (const e of file.errors) {
          if (e.code !== "unbalanced-quote") continue;
          const quote = file.text[e.start]!;
          const line = lineAt(file, e.start);
          // `ErrorDocument 404 "Some text` is the message form the manual documents: the text runs to the end of the line
          if (line?.kind === "directive" && line.key === "errordocument" && line.args[1]?.start === e.start) continue;
          const what = !line ? "this line" : line.kind === "directive" ? line.name : `<${line.name}>`;
          const word = shorten(file.text.slice(e.start + 1, e.end));
          const args = line ? line.args.length : 0;
          const count = args === 1 ? "its only argument" : "one argument";
          report({
            message:
              `The \`${quote}\` in ${what} is never closed: Apache silently takes the rest of the line, \`${word}\`, as ${count}, ` +
              `and any error it then reports for ${what} says nothing about the quote.`,
            start: e.start,
            end: e.end,
          });
        }
      },
    };
  },
});
