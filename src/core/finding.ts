// A finding as the engine reports it: a rule's report with its positions,
// severity and file. Formatters, the fixer and the CLI speak this type.
import type { ConfigFile } from "../../grammar/index.js";
import type { Fix, Severity } from "./rule.js";

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

/** Offsets with the line and column of each end. */
export function locate(file: ConfigFile, start: number, end: number): Located {
  const s = file.position(start);
  const e = file.position(end);
  return { start, end, line: s.line, column: s.column, endLine: e.line, endColumn: e.column };
}
