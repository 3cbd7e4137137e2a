// Runs rules over one parsed file and turns their reports into findings with
// positions, severities and suppressions applied.
import { parse, type ConfigFile } from "../grammar/index.js";
import { allRules } from "../rules/index.js";
import type { Fix, FileKind, Rule, RuleContext, Severity } from "./rule.js";
import { serverInfoFromFile, type ServerInfo } from "./server-info.js";
import { collectSuppressions, isSuppressed } from "./suppressions.js";
import { CURRENT_APACHE, type ApacheVersion } from "./version.js";

export interface Located {
  start: number;
  end: number;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface RelatedFinding extends Located {
  message: string;
}

export interface Finding extends Located {
  ruleId: string;
  severity: Severity;
  message: string;
  path: string;
  related: RelatedFinding[];
  fix?: Fix;
}

export type SeverityOverrides = Readonly<Record<string, Severity | "off">>;

export interface LintOptions {
  rules?: readonly Rule[];
  /** per rule id: a new severity, or "off" */
  severities?: SeverityOverrides;
  apacheVersion?: ApacheVersion;
  /** default: "htaccess" for files named .htaccess, else "server" */
  fileKind?: FileKind;
  /** default: what the file itself says (its LoadModule lines) */
  server?: ServerInfo;
  /** report suppression comments that suppressed nothing (default true) */
  reportUnusedSuppressions?: boolean;
}

export interface LintResult {
  file: ConfigFile;
  findings: Finding[];
}

export const UNUSED_SUPPRESSION = "suppression-unused";

/** `.htaccess`, or any name ending in `.htaccess` (how fixtures mark per-directory files). */
export function fileKindOf(path: string): FileKind {
  return path.endsWith(".htaccess") ? "htaccess" : "server";
}

function locate(file: ConfigFile, start: number, end: number): Located {
  const s = file.position(start);
  const e = file.position(end);
  return { start, end, line: s.line, column: s.column, endLine: e.line, endColumn: e.column };
}

export function lintFile(file: ConfigFile, options: LintOptions = {}): Finding[] {
  const rules = options.rules ?? allRules;
  const severities = options.severities ?? {};
  const ctx: RuleContext = {
    file,
    fileKind: options.fileKind ?? fileKindOf(file.path),
    apacheVersion: options.apacheVersion ?? CURRENT_APACHE,
    server: options.server ?? serverInfoFromFile(file),
  };
  // a suppression may name any rule, also one this run leaves out
  const known = new Set([...allRules, ...rules].map((r) => r.id));
  const sups = collectSuppressions(file);
  const findings: Finding[] = [];
  for (const rule of rules) {
    const override = severities[rule.id];
    if (override === "off") continue;
    let reports;
    try {
      reports = rule.check(ctx);
    } catch (err) {
      // A crashing rule must not take the others down; it is reported like a problem.
      reports = [{ start: 0, end: 0, severity: "error" as const, message: `internal error in rule ${rule.id}: ${(err as Error).message}` }];
    }
    for (const r of reports) {
      const at = locate(file, r.start, r.end);
      if (isSuppressed(sups, rule.id, at.line)) continue;
      const finding: Finding = {
        ruleId: rule.id,
        severity: override ?? r.severity ?? rule.severity,
        message: r.message,
        path: file.path,
        ...at,
        related: (r.related ?? []).map((x) => ({ message: x.message, ...locate(file, x.start, x.end) })),
      };
      if (r.fix) finding.fix = r.fix;
      findings.push(finding);
    }
  }
  if (options.reportUnusedSuppressions !== false && severities[UNUSED_SUPPRESSION] !== "off") {
    for (const s of sups) {
      if (s.kind === "enable") continue;
      const problems: string[] = [];
      if (s.rules.length === 0) {
        if (!s.used.has("*")) problems.push("no problem was reported here");
      } else {
        for (const r of s.rules) {
          if (!known.has(r)) problems.push(`unknown rule '${r}'`);
          else if (!s.used.has(r)) problems.push(`no '${r}' problem was reported here`);
        }
      }
      if (problems.length === 0) continue;
      findings.push({
        ruleId: UNUSED_SUPPRESSION,
        severity: severities[UNUSED_SUPPRESSION] ?? "warning",
        message: `Unused apachelint-${s.kind} directive: ${problems.join(", ")}`,
        path: file.path,
        ...locate(file, s.start, s.end),
        related: [],
      });
    }
  }
  findings.sort((a, b) => a.start - b.start || a.end - b.end || a.ruleId.localeCompare(b.ruleId));
  return findings;
}

export function lintText(text: string, path: string, options: LintOptions = {}): LintResult {
  const file = parse(text, path);
  return { file, findings: lintFile(file, options) };
}
