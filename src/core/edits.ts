// Edit helpers that several rules' fixes share: deleting whole lines and moving
// a line block (a directive with the comments attached above it, whose start
// src/apache/scope.ts attachedCommentsStartRow gives) elsewhere. They work on
// offsets, so they need no tree walk.
import type { ConfigFile } from "../../grammar/index.js";
import type { TextEdit } from "./rule.js";

/**
 * Deletes the whole lines text[from, to) (`from` at a line's start, `to` after
 * its terminator). A block that ends the file without a line break takes the
 * line break before it along, so the file keeps its "no newline at end".
 */
export function deleteLines(text: string, from: number, to: number): TextEdit {
  let start = from;
  if (text.charCodeAt(to - 1) !== 10 && start > 0 && text.charCodeAt(start - 1) === 10) start -= text.charCodeAt(start - 2) === 13 ? 2 : 1;
  return { start, end: to, text: "" };
}

/**
 * The edits that move the whole lines text[from, to) to offset `at` (a line's
 * start before `from`, or a line's end at or after `to`): the insertion first,
 * then the deletion. A block without a final line break (the file's last line)
 * gets the file's one; a block moved below a last line that has none puts the
 * line break before itself instead, so the file keeps its "no newline at end".
 */
export function moveLines(file: ConfigFile, from: number, to: number, at: number): TextEdit[] {
  const t = file.text;
  let block = t.slice(from, to);
  if (t.charCodeAt(to - 1) !== 10) block += file.eol;
  if (at >= to && at === t.length && t.charCodeAt(at - 1) !== 10) block = file.eol + block.replace(/\r?\n$/, "");
  return [{ start: at, end: at, text: block }, deleteLines(t, from, to)];
}

