import type { ConfigFile } from "../grammar/index.js";
import { CLOSE, DIRECTIVE, OPEN } from "../grammar/line-table.js";
import { defineRule, type Report } from "../src/core/rule.js";
import { rowAt } from "../src/core/offset-row.js";

/** The parser's code this rule reports. */
const isSyntaxError = (code: string) => code === "syntax-error";

/**
 * Apache handles a configuration line as a C string: a NUL byte ends it, and
 * the rest of the physical line is dropped without a word (measured on 2.4.71:
 * `ServerAdmin a@b<NUL> junk` passes, and a `\` continuation after the NUL is lost).
 */
function nulBytes(file: ConfigFile): Report[] {
  const t = file.text;
  if (t.indexOf("\0") === -1) return [];
  const out: Report[] = [];
  const table = file.table;
  // Lines Apache reads: comments are skipped whatever they hold. Each NUL found
  // by a native search is mapped to its row; one finding per physical line.
  let row = 0;
  for (let i = t.indexOf("\0"); i !== -1; ) {
    row = rowAt(table, i, row);
    const kind = table.kind[row];
    if (kind !== DIRECTIVE && kind !== OPEN && kind !== CLOSE) {
      i = t.indexOf("\0", table.to[row]);
      continue;
    }
    const lineEnd = t.indexOf("\n", i);
    const end = lineEnd === -1 ? t.length : lineEnd;
    const rest = t.slice(i + 1, end).replace(/\r$/, "").trim();
    const lost = rest ? `the rest of the line (\`${rest.length > 40 ? `${rest.slice(0, 37)}\u2026` : rest}\`)` : "the rest of the line";
    const continued = rest.endsWith("\\") ? ", and with it the `\\` continuation: the next line stands alone" : "";
    out.push({
      message: `NUL byte: Apache stops reading the line here and silently drops ${lost}${continued}.`,
      start: i,
      end: i + 1,
    });
    i = lineEnd === -1 ? -1 : t.indexOf("\0", lineEnd);
  }
  return out;
}

export default defineRule({
  id: "parse-error",
  severity: "error",
  category: "correctness",
  description: "Text the parser could not read, or an internal parser failure",
  fixable: "none",
  doc: {
    problem:
      "Text that cannot be read as configuration. Two things land here: a NUL byte (0x00) on a directive or section " +
      "line, which usually comes from a file saved as UTF-16 or from binary garbage pasted into the config; and a " +
      "failure inside apachelint's own parser, which is a bug in apachelint and should be reported with the file.",
    bad: "ServerAdmin webmaster@example.com\u0000 ServerTokens Prod",
    good: "ServerAdmin webmaster@example.com\nServerTokens Prod",
    why:
      "Apache treats each line as a C string, so a NUL byte ends it: everything after it on that physical line is " +
      "dropped without any message, including a `\\` continuation, so the next line is then read as a directive of " +
      "its own. A NUL at the start of a line silently removes the whole directive. `apache2 -t` says `Syntax OK`. " +
      "An internal parser failure means the rest of the file may not have been checked; the lexer accepts every " +
      "input by construction, so this should never happen.",
    versions: "All 2.4 releases (measured on 2.4.71).",
    fix: "None: what the dropped text was meant to be is unknown. Remove the NUL byte, or re-save the file as UTF-8.",
  },
  create({ file, report }) {
    return {
      end() {
        for (const e of file.errors) {
          if (!isSyntaxError(e.code)) continue;
          report({ message: `apachelint could not parse this: ${e.message}`, start: e.start, end: e.end });
        }
        for (const r of nulBytes(file)) report(r);
      },
    };
  },
});
