import type { ConfigFile, Node } from "../grammar/index.js";
import { defineRule, type Report } from "../src/core/rule.js";

/** Apache prints the BOM's bytes like this in its messages. */
const BOM_BYTES = "\\xef\\xbb\\xbf";

/** What the first line turns into once Apache glues the BOM to its first word. */
function consequence(file: ConfigFile): { text: string; related?: { start: number; end: number; message: string } } {
  const first: Node | undefined = file.children.find((n) => n.kind !== "blank");
  // Blanks after the BOM (or an empty line 1) leave the three bytes as a word of their own.
  if (!first || first.start !== 1) return { text: `Apache does not skip it and refuses to start ("Invalid command '${BOM_BYTES}'", line 1)` };
  switch (first.kind) {
    case "comment":
      return { text: `Apache does not skip it and refuses to start ("Invalid command '${BOM_BYTES}#'", line 1)` };
    case "directive":
      return { text: `Apache does not skip it and refuses to start ("Invalid command '${BOM_BYTES}${first.name}'", line 1)` };
    case "section": {
      const name = first.name;
      const message = `the BOM hides the <${name}> on line 1, so Apache reports "</${name}> without matching <${name}> section" here`;
      return {
        text: `Apache does not skip it, so line 1 is no <${name}> section and Apache refuses to start`,
        related: first.close ? { start: first.close.start, end: first.close.end, message } : undefined,
      };
    }
    default:
      return { text: `Apache does not skip it and reads line 1 as a command starting with '${BOM_BYTES}'` };
  }
}

export default defineRule({
  id: "bom",
  severity: "error",
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
  check({ file }) {
    const out: Report[] = [];
    for (const e of file.errors) {
      if (e.code !== "bom") continue;
      const { text, related } = consequence(file);
      out.push({
        message: `The file starts with a UTF-8 byte order mark: ${text}.`,
        start: e.start,
        end: e.end,
        related: related ? [related] : [],
        fix: { safety: "safe", title: "Remove the byte order mark", edits: [{ start: e.start, end: e.end, text: "" }] },
      });
    }
    return out;
  },
});
