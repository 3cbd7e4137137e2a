// The messages between the page and the lint worker. Findings cross as plain
// data (structured clone): no AST, only what the page shows and the edits of
// each finding's own fix.
import type { FileKind } from "../../src/apache/file-kind.js";

export type { FileKind };

/** What the page lets a user choose: the file's kind and `--apache-version` ("" = none given). */
export interface Settings {
  fileKind: FileKind;
  /** a 2.4.x release, or "" for apachelint's default */
  apacheVersion: string;
}

export type Severity = "error" | "warning" | "info";

export interface PlainEdit {
  start: number;
  end: number;
  text: string;
}

export interface PlainFix {
  safety: "safe" | "unsafe";
  title: string;
  edits: PlainEdit[];
}

export interface PlainFinding {
  ruleId: string;
  severity: Severity;
  message: string;
  start: number;
  end: number;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  related: { message: string; line: number; column: number }[];
  fix?: PlainFix;
}

/** `lint`: findings of the text; `fix`: the fix loop of `--fix` (`unsafe`: with `--unsafe-fixes`). */
export type WorkerRequest =
  | { id: number; kind: "lint"; text: string; settings: Settings }
  | { id: number; kind: "fix"; text: string; settings: Settings; unsafe: boolean };

export type WorkerReply =
  | { id: number; kind: "lint"; findings: PlainFinding[]; ms: number }
  | {
      id: number;
      kind: "fix";
      output: string;
      /** fixes applied over all passes */
      applied: number;
      passes: number;
      /** findings of the output */
      findings: PlainFinding[];
      /** the change as `--diff` prints it ("" when nothing changed) */
      patch: string;
      ms: number;
    }
  | { id: number; kind: "failed"; message: string };
