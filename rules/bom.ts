import type { ConfigFile } from "../grammar/index.js";
import { BLANK, CLOSE, COMMENT, DIRECTIVE, OPEN } from "../grammar/line-table.js";
import { defineRule } from "../src/core/rule.js";
import type { FileFacts } from "../src/core/facts.js";

/** Apache prints the BOM's bytes like this in its messages. */
const BOM_BYTES = "\\xef\\xbb\\xbf";

/** What the first line turns into once Apache glues the BOM to its first word. */
function consequence(file: ConfigFile, facts: FileFacts): { text: string; related?: { start: number; end: number; message: string } } {
  const t = file.table;
  // the first line with something on it is the file's first child
  let row = 0;
  while (row < t.count && t.kind[row] === BLANK) row++;
  // Blanks after the BOM (or an empty line 1) leave the three bytes as a word of their own.
  if (row === t.count || t.start[row] !== 1) return { text: `Apache does not skip it and refuses to start ("Invalid command '${BOM_BYTES}'", line 1)` };
  switch (t.kind[row]) {
    case COMMENT:
      return { text: `Apache does not skip it and refuses to start ("Invalid command '${BOM_BYTES}#'", line 1)` };
    case DIRECTIVE:
      return { text: `Apache does not skip it and refuses to start ("Invalid command '${BOM_BYTES}${file.text.slice(t.start[row], t.nameEnd[row])}'", line 1)` };
    case OPEN: {
      const section = facts.sectionAt(row);
      if (section.kind !== "section") break;
      const name = section.name;
      const close = section.close;
      const message = `the BOM hides the <${name}> on line 1, so Apache reports "</${name}> without matching <${name}> section" here`;
      return {
        text: `Apache does not skip it, so line 1 is no <${name}> section and Apache refuses to start`,
        related: close ? { start: close.start, end: close.end, message } : undefined,
      };
    }
    case CLOSE:
      break;
  }
  return { text: `Apache does not skip it and reads line 1 as a command starting with '${BOM_BYTES}'` };
}

/** The parser's code this rule reports. */
const isBom = (code: string) => code === "byte-order-mark";

export default defineRule({
  id: "bom",
  severity: "error",
  category: "correctness",
  description: "A UTF-8 byte order mark, which Apache reads as part of the first line",
  fixable: "safe",
  doc: {
    problem:
      "The file starts with a UTF-8 byte order mark (the bytes EF BB BF), which some Windows editors add when saving. " +
      "It is invisible in most editors.",
    bad: "\u{feff}# Main site\nServerName www.example.com",
    good: "# Main site\nServerName www.example.com",
    why:
      "Apache does not skip a BOM: the three bytes stick to the first word of line 1. A comment becomes the command " +
      "`\\xef\\xbb\\xbf#` (`Invalid command '\\xef\\xbb\\xbf#', perhaps misspelled…`), a directive becomes an unknown " +
      "command, and an open tag is no longer a section, so Apache complains about its close tag instead " +
      "(`</VirtualHost> without matching <VirtualHost> section`, reported at the close tag's line, in the Included file). " +
      "In every case Apache refuses to start.",
    versions: "All 2.4 releases (measured on 2.4.71).",
    fix: "Safe: deletes the byte order mark. Nothing else changes; the file stays UTF-8.",
    cases: ["m31", "m31c"],
  },
  create({ file, facts, report }) {
    return {
      end() {
        for (const e of file.errors) {
          if (!isBom(e.code)) continue;
          const { text, related } = consequence(file, facts);
          report({
            message: `The file starts with a UTF-8 byte order mark: ${text}.`,
            start: e.start,
            end: e.end,
            related: related ? [related] : [],
            fix: { safety: "safe", title: "Remove the byte order mark", edits: [{ start: e.start, end: e.end, text: "" }] },
          });
        }
      },
    };
  },
});
