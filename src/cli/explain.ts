// Text for --list-rules, from the rules' own metadata. (--explain's text is
// rule-docs.ts renderRuleText, shared with the generated docs.)
import type { Rule } from "../core/rule.js";

/** One line per rule: id, category, default severity, fixability, description; columns aligned. */
export function listRules(rules: readonly Rule[]): string {
  const header = ["id", "category", "severity", "fix", "description"];
  const rows = rules.map((r) => [r.id, r.category, r.severity, r.fixable === "none" ? "-" : r.fixable, r.description]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  return [header, ...rows].map((row) => row.map((c, i) => (i < row.length - 1 ? c.padEnd(widths[i]!) : c)).join("  ")).join("\n") + "\n";
}
