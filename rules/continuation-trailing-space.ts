import { Directive, SectionClose, SectionOpen, type ConfigFile } from "../grammar/index.js";
import { unterminatedQuoteAt } from "../grammar/arguments.js";
import { CLOSE, DIRECTIVE, OPEN } from "../grammar/line-table.js";
import { defineRule, type Report } from "../src/core/rule.js";
import { rowAt } from "../src/core/offset-row.js";

type Line = Directive | SectionOpen | SectionClose;

function width(indent: string): number {
  let w = 0;
  for (const ch of indent.slice(indent.lastIndexOf("\n") + 1)) w = ch === "\t" ? (w + 8) & ~7 : w + 1;
  return w;
}

/**
 * The line after a broken continuation reads as a continuation when it is
 * indented deeper than the line it would join and is neither blank, a comment,
 * nor a tag; only then is joining them certainly what the author meant.
 */
function nextLineContinues(file: ConfigFile, line: Line, nextStart: number): boolean {
  const lineEnd = file.text.indexOf("\n", nextStart);
  const m = /^([ \t]*)(\S)/.exec(file.text.slice(nextStart, lineEnd === -1 ? undefined : lineEnd));
  if (!m || m[2] === "#" || m[2] === "<") return false;
  return width(m[1]!) > width(line.indent);
}

/**
 * The line of the row, as a view whose parent is not read: made from the row,
 * not from the error's data, whose getter would build the file's node lists.
 */
function lineOfRow(file: ConfigFile, row: number): Line | null {
  switch (file.table.kind[row]) {
    case DIRECTIVE:
      return new Directive(file, row, file);
    case OPEN:
      return new SectionOpen(file, row, file);
    case CLOSE:
      return new SectionClose(file, row, file);
    default:
      return null;
  }
}

/** The parser finds these (ParseError "broken-continuation"); the rule says what they do and fixes them. */
function report(file: ConfigFile, line: Line, blanksEnd: number): Report {
  const t = file.text;
  const slash = line.end - 1;
  const e = blanksEnd;
  const eolLen = t.startsWith("\r\n", e) ? 2 : 1;
  const what = line.kind === "directive" ? line.name : line.kind === "open" ? `<${line.name}` : `</${line.name}>`;
  const next = file.position(e + eolLen).line;
  return {
    message:
      `The \`\\\` at the end of this ${what} line is followed by blanks, so it does not continue the line: ` +
      `Apache passes \`\\\` as an argument and reads line ${next} on its own.`,
    start: slash,
    end: e,
    ...(!joinOpensQuote(file, line, e + eolLen) && {
      fix: {
        safety: nextLineContinues(file, line, e + eolLen) ? "safe" : "unsafe",
        title: "Remove the blanks after `\\`",
        edits: [{ start: line.end, end: e, text: "" }],
      },
    }),
  };
}

/** Would joining the next line leave a quote open that neither line has on its own? Then the lines were not meant as one. */
function joinOpensQuote(file: ConfigFile, line: Line, nextStart: number): boolean {
  const t = file.text;
  const nl = t.indexOf("\n", nextStart);
  const next = t.slice(nextStart, nl === -1 ? t.length : nl).replace(/\r$/, "");
  // quotes count after the directive's name, as the parser reads them
  const open = (s: string) => unterminatedQuoteAt(s, Math.max(0, s.search(/\s|$/)), s.length) !== -1;
  const own = t.slice(line.start, line.end - 1);
  return !open(own + "\\") && !open(next.trimStart()) && open(own + next);
}

export default defineRule({
  id: "continuation-trailing-space",
  severity: "error",
  category: "correctness",
  description: "A `\\` line continuation followed by blanks, which does not continue",
  fixable: "unsafe",
  doc: {
    problem:
      "A line ends with `\\` to continue onto the next line, but blanks (spaces or tabs) follow the backslash before " +
      "the line break. They are invisible in most editors.",
    bad: "ProxyPass /ws/ \\ \n          ws://127.0.0.1:13001/ws/",
    good: "ProxyPass /ws/ \\\n          ws://127.0.0.1:13001/ws/",
    why:
      "Apache joins two lines only when the backslash is the very last character before the line break. With blanks " +
      "after it, the line ends there: the `\\` becomes an argument of the directive, and the next line is read as a " +
      "directive of its own. For ProxyPass that gives `ProxyPass URL must be absolute!: \\\\`; other directives may " +
      "accept the `\\` silently and the next line then fails as an unknown command, or worse, is valid on its own.",
    versions: "All 2.4 releases (measured on 2.4.71).",
    fix:
      "Removes the blanks after the backslash so the continuation works. Safe when the next line is indented deeper " +
      "than the line it joins (it is plainly the rest of the directive); unsafe when it is not, or when it is blank, a " +
      "comment or a tag, because joining would then swallow a line that was meant to stand alone.",
    cases: ["m04", "m05"],
  },
  create({ file, report: add }) {
    return {
      end() {
        for (const e of file.errors) {
          if (e.code !== "broken-continuation" || e.data?.kind !== "broken-continuation") continue;
          // the error starts at the `\`, on the line it fails to continue
          const line = lineOfRow(file, rowAt(file.table, e.start));
          if (line) add(report(file, line, e.data.blanksEnd));
        }
      },
    };
  },
});
