// Hover: on a directive or section name, its catalog entry (catalog.ts); on a
// finding, what its rule is about and where its page is. Both when both apply.
import type { ConfigFile } from "../../grammar/index.js";
import { CLOSE, DIRECTIVE, OPEN } from "../../grammar/line-table.js";
import type { Finding } from "../core/engine.js";
import { rowAt } from "../core/offset-row.js";
import type { Rule } from "../core/rule.js";
import { ruleDocUri } from "../cli/rule-docs.js";
import { catalogMarkdown } from "./catalog.js";

/** Where a line's name begins, after its `<` or `</`, by line kind. */
const NAME_OFFSET: Readonly<Record<number, number>> = { [DIRECTIVE]: 0, [OPEN]: 1, [CLOSE]: 2 };

/** The directive or section name under `offset`, or null. */
export function nameAt(file: ConfigFile, offset: number): { name: string; section: boolean } | null {
  const t = file.table;
  const row = rowAt(t, offset);
  if (row < 0) return null;
  const skip = NAME_OFFSET[t.kind[row]!];
  if (skip === undefined) return null;
  const start = t.start[row]!;
  const end = t.nameEnd[row]!;
  if (offset < start || offset > end) return null;
  const name = file.text.slice(start + skip, end).replace(/>$/, "");
  return name ? { name, section: skip > 0 } : null;
}

const FIXABLE: Readonly<Record<Rule["fixable"], string>> = { safe: "safe fix", unsafe: "unsafe fix", none: "no fix" };

function findingMarkdown(f: Finding, rule: Rule | undefined): string {
  const head = `**${f.ruleId}** (${f.severity}): ${f.message}`;
  if (!rule) return head;
  return [head, `${rule.description} (${FIXABLE[rule.fixable]}).`, rule.doc.problem, `[Rule page](${ruleDocUri(rule.id)})`].join("\n\n");
}

/** The hover's Markdown at `offset`, or null when there is nothing to say. */
export function hoverMarkdown(file: ConfigFile, findings: readonly Finding[], offset: number, ruleById: (id: string) => Rule | undefined): string | null {
  const parts: string[] = [];
  const name = nameAt(file, offset);
  const entry = name && catalogMarkdown(name.name, name.section);
  if (entry) parts.push(entry);
  for (const f of findings) {
    if (f.start <= offset && offset <= f.end) parts.push(findingMarkdown(f, ruleById(f.ruleId)));
  }
  return parts.length ? parts.join("\n\n---\n\n") : null;
}
