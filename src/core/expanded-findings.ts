// Findings of a file linted twice: as written, and with its macros expanded
// (src/apache/macro-expansion.ts). The expanded lint is what Apache reads, so
// it decides what is reported; a finding it shares with the lint as written
// keeps that one's message and fix (their line numbers are the file's own).
// A finding inside an expansion is placed on the macro body's line, with the
// `Use` that expanded it as related location, and carries no fix: its text is
// not the file's.
import type { ConfigFile } from "../../grammar/index.js";
import { originOf, type Expansion, type ExpandedText } from "../apache/macro-expansion.js";
import { locate, type Finding, type RelatedFinding } from "./finding.js";
import type { Fix } from "./rule.js";

const keyOf = (ruleId: string, start: number, end: number) => `${ruleId}\u0000${start}\u0000${end}`;

function fileSpan(x: ExpandedText, start: number, end: number): [number, number] | null {
  const a = originOf(x, start);
  const b = originOf(x, end);
  if (a.kind !== "file" || b.kind !== "file" || b.offset - a.offset !== end - start) return null;
  return [a.offset, b.offset];
}

/** The span a finding in an expansion gets in the body; null if it is not in one. */
function bodySpan(x: ExpandedText, start: number, end: number): { expansion: Expansion; start: number; end: number } | null {
  const a = originOf(x, start);
  if (a.kind !== "macro") return null;
  const b = originOf(x, Math.max(start, end - 1));
  const stop = b.kind === "macro" && b.expansion === a.expansion && b.offset >= a.offset ? (b.exact ? b.offset + 1 : b.offset) : a.offset;
  return { expansion: a.expansion, start: a.offset, end: Math.max(a.offset, Math.min(stop, end - start + a.offset)) };
}

function mapFix(x: ExpandedText, fix: Fix): Fix | undefined {
  const edits = [];
  for (const e of fix.edits) {
    const span = fileSpan(x, e.start, e.end);
    if (!span) return undefined;
    edits.push({ ...e, start: span[0], end: span[1] });
  }
  return { ...fix, edits };
}

function mapRelated(file: ConfigFile, x: ExpandedText, related: readonly RelatedFinding[]): RelatedFinding[] {
  const out: RelatedFinding[] = [];
  for (const r of related) {
    const span = fileSpan(x, r.start, r.end) ?? ((b) => (b ? [b.start, b.end] : null))(bodySpan(x, r.start, r.end));
    if (span) out.push({ message: r.message, ...locate(file, span[0]!, span[1]!) });
  }
  return out;
}

export function mergeExpanded(file: ConfigFile, asWritten: readonly Finding[], expanded: readonly Finding[], x: ExpandedText): Finding[] {
  const original = new Map<string, Finding>();
  for (const f of asWritten) original.set(keyOf(f.ruleId, f.start, f.end), f);
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const f of expanded) {
    const span = fileSpan(x, f.start, f.end);
    if (span) {
      const key = keyOf(f.ruleId, span[0], span[1]);
      if (seen.has(key)) continue;
      seen.add(key);
      const same = original.get(key);
      if (same) {
        out.push(same);
        continue;
      }
      const moved: Finding = { ...f, ...locate(file, span[0], span[1]), related: mapRelated(file, x, f.related) };
      delete moved.fix;
      const fix = f.fix && mapFix(x, f.fix);
      if (fix) moved.fix = fix;
      out.push(moved);
      continue;
    }
    const body = bodySpan(x, f.start, f.end);
    if (!body) continue;
    const key = `${keyOf(f.ruleId, body.start, body.end)}\u0000${f.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const use = body.expansion.use.directive;
    const finding: Finding = {
      ruleId: f.ruleId,
      severity: f.severity,
      message: f.message,
      path: f.path,
      ...locate(file, body.start, body.end),
      related: [
        { message: `in the expansion of \`Use ${use.args[0]?.value ?? ""}\` here`, ...locate(file, use.start, use.end) },
        ...mapRelated(file, x, f.related),
      ],
    };
    out.push(finding);
  }
  out.sort((a, b) => a.start - b.start || a.end - b.end || a.ruleId.localeCompare(b.ruleId));
  return out;
}
