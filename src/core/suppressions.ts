// Inline suppressions in config comments, ESLint's vocabulary:
//   # apachelint-disable-next-line rule-a, rule-b -- reason
//   # apachelint-disable rule-a   …   # apachelint-enable rule-a
//   # apachelint-disable-file rule-a
// No rule list means every rule. "Next line" means the next directive or
// section tag, all of its physical lines.
import type { ConfigFile } from "../../grammar/index.js";
import { BLANK, CLOSE, COMMENT, type LineTable } from "../../grammar/line-table.js";
import { rowAt } from "./offset-row.js";

export type SuppressionKind = "disable-next-line" | "disable" | "enable" | "disable-file";

export interface Suppression {
  kind: SuppressionKind;
  /** rule ids; empty = all rules */
  rules: string[];
  reason: string | null;
  /** the comment's span */
  start: number;
  end: number;
  /** 1-based line range the suppression covers (disable: until the matching enable or the end) */
  fromLine: number;
  toLine: number;
  /** rule ids (or "*") that a finding was actually suppressed for */
  used: Set<string>;
}

const PRAGMA = /^#\s*apachelint-(disable-next-line|disable-file|disable|enable)(?=\s|$)(.*)$/s;

function parsePragma(body: string): { kind: SuppressionKind; rules: string[]; reason: string | null } | null {
  const m = PRAGMA.exec(body);
  if (!m) return null;
  let rest = m[2]!;
  let reason: string | null = null;
  const sep = /(?:^|\s)--(?:\s|$)/.exec(rest);
  if (sep) {
    reason = rest.slice(sep.index + sep[0].length).trim() || null;
    rest = rest.slice(0, sep.index);
  }
  const rules = rest
    .split(/[\s,]+/)
    .map((r) => r.trim())
    .filter(Boolean);
  return { kind: m[1] as SuppressionKind, rules, reason };
}

/**
 * The row of the next directive, open tag or stray close tag after `row`, or
 * -1: the next node in document order that is not a blank or a comment (a
 * paired close tag is part of its section, not a node of its own).
 */
function nextCodeRow(t: LineTable, row: number): number {
  for (let r = row + 1; r < t.count; r++) {
    const k = t.kind[r];
    if (k === BLANK || k === COMMENT) continue;
    if (k === CLOSE && t.pair[r]! >= 0) continue;
    return r;
  }
  return -1;
}

export const UNUSED_SUPPRESSION = "suppression-unused";

export function collectSuppressions(file: ConfigFile): Suppression[] {
  // most files have none: one native search instead of a walk
  if (!file.text.includes("apachelint-")) return [];
  const text = file.text;
  const table = file.table;
  const out: Suppression[] = [];
  const lastLine = file.lines.count;
  const open: Suppression[] = [];
  // Only a comment that holds "apachelint-" can be a pragma: find them by a
  // native search, in document order, and read those lines only.
  let row = 0;
  for (let i = text.indexOf("apachelint-"); i !== -1; i = text.indexOf("apachelint-", table.to[row]!)) {
    row = rowAt(table, i, row);
    if (table.kind[row] !== COMMENT) continue;
    const start = table.start[row]!;
    const end = table.end[row]!;
    const p = parsePragma(text.slice(start, end));
    if (!p) continue;
    const line = file.position(start).line;
    const base = { ...p, start, end, used: new Set<string>() };
    switch (p.kind) {
      case "disable-next-line": {
        const target = nextCodeRow(table, row);
        const from = target >= 0 ? file.position(table.start[target]!).line : line + 1;
        const to = target >= 0 ? file.position(table.end[target]!).line : line + 1;
        out.push({ ...base, fromLine: from, toLine: to });
        break;
      }
      case "disable-file":
        out.push({ ...base, fromLine: 1, toLine: lastLine });
        break;
      case "disable": {
        const s = { ...base, fromLine: line, toLine: lastLine };
        out.push(s);
        open.push(s);
        break;
      }
      case "enable": {
        // Close the matching disables: same rules, or all of them for a bare enable.
        for (const s of open) {
          if (s.toLine !== lastLine) continue;
          if (p.rules.length === 0 || (s.rules.length > 0 && s.rules.every((r) => p.rules.includes(r)))) s.toLine = line;
        }
        break;
      }
    }
  }
  return out;
}

/** Does one of the suppressions cover this rule at this line? Marks it used. */
export function isSuppressed(sups: readonly Suppression[], ruleId: string, line: number): boolean {
  let hit = false;
  for (const s of sups) {
    if (s.kind === "enable" || line < s.fromLine || line > s.toLine) continue;
    if (s.rules.length === 0) {
      s.used.add("*");
      hit = true;
    } else if (s.rules.includes(ruleId)) {
      s.used.add(ruleId);
      hit = true;
    }
  }
  return hit;
}

/** The suppressions that suppressed nothing, or name a rule nobody knows: what `suppression-unused` reports. */
export function unusedSuppressions(
  sups: readonly Suppression[],
  known: ReadonlySet<string>,
  /** rules that were not run: whether their suppressions are used is not known */
  notRun: ReadonlySet<string> = new Set(),
): { start: number; end: number; message: string }[] {
  const out: { start: number; end: number; message: string }[] = [];
  for (const s of sups) {
    if (s.kind === "enable") continue;
    const problems: string[] = [];
    if (s.rules.length === 0) {
      if (!s.used.has("*") && notRun.size === 0) problems.push("no problem was reported here");
    } else {
      for (const r of s.rules) {
        if (!known.has(r)) problems.push(`unknown rule '${r}'`);
        else if (!s.used.has(r) && !notRun.has(r)) problems.push(`no '${r}' problem was reported here`);
      }
    }
    if (problems.length) out.push({ start: s.start, end: s.end, message: `Unused apachelint-${s.kind} directive: ${problems.join(", ")}` });
  }
  return out;
}
