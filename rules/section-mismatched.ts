import { SectionClose, SectionOpen, type ConfigFile, type ParseError, type ParseErrorCode } from "../grammar/index.js";
import { OPEN } from "../grammar/line-table.js";
import { defineRule, type Report, type TextEdit } from "../src/core/rule.js";
import { deleteLines } from "../src/core/edits.js";
import { rowAt } from "../src/core/offset-row.js";
import { CONDITIONAL, tagLabel } from "./section-unclosed.js";

const isBlank = (s: string) => /^[ \t\v\f\r]*$/.test(s);

/** The parser's codes this rule reports. */
const CODES: ReadonlySet<ParseErrorCode> = new Set<ParseErrorCode>(["wrong-close", "stray-close", "missing-gt"]);

/**
 * The tag an error starts on, as a view whose parent is not read: made from
 * the row, not from the error's data, whose getter would build the file's node lists.
 */
function tagAt(file: ConfigFile, offset: number): SectionOpen | SectionClose {
  const row = rowAt(file.table, offset);
  return file.table.kind[row] === OPEN ? new SectionOpen(file, row, file) : new SectionClose(file, row, file);
}

/**
 * Where `>` goes. On an open tag: after the last argument, before a `#` word
 * (Apache would take a comment there as arguments). On a close tag: right after
 * the name, replacing nothing but blanks and a stray `>` (`</VirtualHost >`),
 * which Apache also rejects.
 */
function gtEdit(file: ConfigFile, tag: SectionOpen | SectionClose, insertAt: number): TextEdit {
  const t = file.text;
  if (tag.kind === "close") {
    const rest = t.slice(tag.nameEnd, tag.end);
    if (isBlank(rest.replace(/>$/, ""))) return { start: tag.nameEnd, end: tag.end, text: ">" };
    return { start: tag.nameEnd, end: tag.nameEnd, text: ">" };
  }
  const args = tag.args;
  const hash = args.findIndex((a) => a.quote === null && a.raw.startsWith("#"));
  if (hash > 0) return { start: args[hash - 1]!.end, end: args[hash - 1]!.end, text: ">" };
  return { start: insertAt, end: insertAt, text: ">" };
}

function report(file: ConfigFile, e: ParseError): Report | null {
  const data = e.data;
  if (!data) return null;
  switch (data.kind) {
    case "wrong-close": {
      const { expected } = data;
      const close = tagAt(file, e.start) as SectionClose;
      const open = e.related?.[0];
      const openLine = open ? file.position(open.start).line : 0;
      // A true conditional section reads its body itself and has no notion of an "expected" close tag.
      const said = CONDITIONAL.has(expected.toLowerCase())
        ? `"</${close.name}> without matching <${close.name}> section" when the condition is true`
        : `"Expected </${expected}> but saw </${close.name}>"`;
      return {
        message: `</${close.name}> does not close the open <${expected}> (line ${openLine}): Apache refuses to start (${said}).`,
        start: e.start,
        end: e.end,
        related: open ? [{ start: open.start, end: open.end, message: `<${expected}> is opened here` }] : [],
        fix: {
          safety: "safe",
          title: `Rename </${close.name}> to </${expected}>`,
          edits: [{ start: close.start + 2, end: close.nameEnd, text: expected }],
        },
      };
    }
    case "stray-close": {
      const close = tagAt(file, e.start) as SectionClose;
      return {
        message:
          `</${close.name}> closes no open section: Apache refuses to start ` +
          `("</${close.name}> without matching <${close.name}> section").`,
        start: e.start,
        end: e.end,
        // Deleting the line makes Apache start, but if the open tag was lost the
        // section's lines then apply to the whole server: only with --unsafe-fixes.
        fix: { safety: "unsafe", title: `Delete the stray </${close.name}>`, edits: [deleteLines(file.text, close.from, close.to)] },
      };
    }
    case "missing-gt": {
      const { insertAt } = data;
      const tag = tagAt(file, e.start);
      const name = tag.kind === "open" ? `<${tag.name}>` : `</${tag.name}>`;
      const label = tag.kind === "open" ? tagLabel(tag) : file.text.slice(tag.start, tag.end);
      return {
        message: `${label} is missing its closing \`>\`: Apache refuses to start ("${name} directive missing closing '>'").`,
        start: e.start,
        end: e.end,
        fix: { safety: "safe", title: `Add the closing \`>\` to ${name}`, edits: [gtEdit(file, tag, insertAt)] },
      };
    }
    default:
      return null;
  }
}

export default defineRule({
  id: "section-mismatched",
  severity: "error",
  category: "correctness",
  description: "A close tag that closes the wrong section, a stray close tag, or a tag missing `>`",
  fixable: "unsafe",
  doc: {
    problem:
      "Section tags that do not pair up: a close tag naming another section than the one open (`</Proxy>` for a " +
      "`<VirtualHost>`), a close tag with no open section at all, or a tag whose closing `>` is missing " +
      "(`<VirtualHost *:443`, `</VirtualHost`, `</VirtualHost >`). A close tag for a section opened further out " +
      "(`</VirtualHost>` while a `<Proxy>` inside it is open) is reported by section-unclosed instead.",
    bad: "<VirtualHost *:18080\n    ProxyPass / http://127.0.0.1:13001/\n</Proxy>",
    good: "<VirtualHost *:18080>\n    ProxyPass / http://127.0.0.1:13001/\n</VirtualHost>",
    why:
      "Apache refuses to start on each of them, and reports only the first: `Expected </VirtualHost> but saw </Proxy>` " +
      "and `</VirtualHost> without matching <VirtualHost> section` on the close tag's line, " +
      "`<VirtualHost> directive missing closing '>'` on the tag's line. A file with a UTF-8 byte order mark gets the " +
      "second message for a section that looks fine, because the BOM hides the open tag on line 1 (see the bom rule).",
    versions: "All 2.4 releases (measured on 2.4.71).",
    fix:
      "A wrong close tag is renamed to the section that is open (safe). A missing `>` is added: at the end of an open " +
      "tag (before a `#` word, which Apache would take as arguments), right after a close tag's name (safe). A stray close " +
      "tag is deleted with its line, which makes Apache start, but it is an unsafe fix: a stray close tag usually means " +
      "the open tag was deleted or commented out, and deleting the close tag makes the lines that were meant to be " +
      "inside the section apply to the whole server or vhost. Check what the section was before applying it " +
      "(--unsafe-fixes).",
    cases: ["c3", "c4", "c5", "m31c"],
  },
  create({ file, report: add }) {
    return {
      end() {
        for (const e of file.errors) {
          if (!CODES.has(e.code)) continue;
          const r = report(file, e);
          if (r) add(r);
        }
      },
    };
  },
});
