// "Disable <rule> for this line": the edit that puts an
// `# apachelint-disable-next-line <rule>` comment (src/core/suppressions.ts)
// above the directive or tag a finding is on, at its indentation, or adds the
// rule to such a comment already aimed at it.
import type { ConfigFile } from "../../grammar/index.js";
import { CLOSE, DIRECTIVE, OPEN } from "../../grammar/line-table.js";
import type { Finding } from "../core/engine.js";
import { rowAt } from "../core/offset-row.js";
import type { TextEdit } from "../core/rule.js";
import { collectSuppressions, UNUSED_SUPPRESSION } from "../core/suppressions.js";

/** The edit, or null when no next-line comment can suppress the finding. */
export function disableLineEdit(file: ConfigFile, finding: Finding): TextEdit | null {
  // the engine never suppresses suppression-unused findings
  if (finding.ruleId === UNUSED_SUPPRESSION) return null;
  const t = file.table;
  const row = rowAt(t, finding.start);
  if (row < 0) return null;
  const kind = t.kind[row];
  // a next-line comment covers the next directive or tag; a paired close tag is part of its section, not a line of its own
  if (!(kind === DIRECTIVE || kind === OPEN || (kind === CLOSE && t.pair[row]! < 0))) return null;
  const at = t.from(row);
  // a finding before the line's start (a byte order mark) would not move below the comment
  if (finding.start < at) return null;
  const line = file.position(finding.start).line;
  for (const s of collectSuppressions(file)) {
    if (s.kind !== "disable-next-line" || line < s.fromLine || line > s.toLine) continue;
    // a comment without a rule list covers every rule already; one naming this rule, under a former id, too
    if (s.rules.length === 0 || s.rules.includes(finding.ruleId)) return null;
    const body = file.text.slice(s.start, s.end);
    const reason = /\s--(?:\s|$)/.exec(body);
    let end = reason ? s.start + reason.index : s.end;
    while (end > s.start && /\s/.test(file.text[end - 1]!)) end--;
    return { start: end, end, text: `, ${finding.ruleId}` };
  }
  const indent = file.text.slice(at, t.start[row]!);
  return { start: at, end: at, text: `${indent}# apachelint-disable-next-line ${finding.ruleId}${file.eol}` };
}
