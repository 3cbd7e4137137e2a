// GitLab's Code Quality report (`artifacts:reports:codequality`): one JSON
// array, one object per problem, with the fields GitLab reads
// (docs.gitlab.com, "Code Quality report format"):
//
//   [{ "description": "…", "check_name": "rule-id", "fingerprint": "…",
//      "severity": "major", "location": { "path": "conf/httpd.conf", "lines": { "begin": 3, "end": 3 } } }]
//
// GitLab keeps one problem per fingerprint and tells a merge request's new
// problems from its base branch's by fingerprint, so it must be unique within
// a report and survive edits elsewhere in the file: it hashes the path, the
// rule, the text of the finding's first line (trimmed) and the reported text on
// it, plus how many identical ones came before, never the line number, so a
// problem that only moved down the file stays the same problem.
// `type` and `categories` make each object a Code Climate issue as well.
import { createHash } from "node:crypto";
import type { Finding } from "../core/engine.js";
import type { Severity } from "../core/rule.js";
import type { FileReport, Formatter } from "./report.js";

// error: Apache refuses the config or does the wrong thing; GitLab's widget sorts by this
const SEVERITY: Record<Severity, "info" | "minor" | "major"> = { error: "major", warning: "minor", info: "info" };
// Code Climate's categories: a config finding is a bug risk, but for these
const CATEGORY: Readonly<Record<string, string>> = { "suppression-unused": "Clarity" };

export interface CodeQualityIssue {
  type: "issue";
  description: string;
  check_name: string;
  fingerprint: string;
  severity: "info" | "minor" | "major" | "critical" | "blocker";
  categories: string[];
  location: { path: string; lines: { begin: number; end: number } };
}

/** The text of the finding's first line, and the part of it the finding covers. */
function anchorText(source: string, f: Finding): [string, string] {
  const lineStart = source.lastIndexOf("\n", f.start - 1) + 1;
  let lineEnd = source.indexOf("\n", f.start);
  if (lineEnd === -1) lineEnd = source.length;
  return [source.slice(lineStart, lineEnd).trim(), source.slice(f.start, Math.min(f.end, lineEnd))];
}

function issues(report: FileReport): CodeQualityIssue[] {
  const seen = new Map<string, number>();
  return report.findings.map((f) => {
    const [line, covered] = anchorText(report.source, f);
    // NUL cannot occur in a path or a config line (a NUL byte makes the file binary)
    const key = [report.path, f.ruleId, line, covered].join("\0");
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    const fingerprint = createHash("sha256").update(`${key}\0${n}`).digest("hex");
    return {
      type: "issue",
      description: f.message,
      check_name: f.ruleId,
      fingerprint,
      severity: SEVERITY[f.severity],
      categories: [CATEGORY[f.ruleId] ?? "Bug Risk"],
      location: { path: report.path, lines: { begin: f.line, end: f.endLine } },
    };
  });
}

export const gitlab: Formatter = (reports) => `${JSON.stringify(reports.flatMap(issues), null, 2)}\n`;
