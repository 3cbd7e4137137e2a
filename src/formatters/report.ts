// What the CLI hands to formatters: one report per linted file.
import type { Finding } from "../core/engine.js";
import type { Rule } from "../core/rule.js";

export interface FileReport {
  /** path as shown to the user: relative to the working directory when inside it, `/`-separated */
  path: string;
  absolutePath: string;
  findings: Finding[];
  /** the text the findings refer to (after fixes, when --fix ran) */
  source: string;
  /** how many fixes --fix applied to this file */
  fixesApplied: number;
}

export interface FormatContext {
  cwd: string;
  color: boolean;
  rules: readonly Rule[];
  toolVersion: string;
  /** fixes that --unsafe-fixes would apply on top of what was done */
  hiddenUnsafeFixes: number;
  /** --unsafe-fixes is on: unsafe fixes count as fixable (default false) */
  unsafeFixes?: boolean;
  /** the project's home page, SARIF's tool.driver.informationUri (omitted when absent) */
  homepage?: string;
  /** absolute URL of the docs/ folder, ending in `/`: rule docs are `${docsUrl}rules/<id>.md` (SARIF helpUri) */
  docsUrl?: string;
  /** the terminal's width, which stylish rows are cut to fit; undefined: not a terminal, nothing is cut */
  columns?: number;
}

/**
 * A formatter returns its whole output as one string. One that may be large
 * can also offer `stream`: the same text, handed to `write` in pieces.
 */
export type Formatter = ((reports: readonly FileReport[], ctx: FormatContext) => string) & {
  stream?: (reports: readonly FileReport[], ctx: FormatContext, write: (chunk: string) => void) => void;
};

export interface Counts {
  errorCount: number;
  warningCount: number;
  infoCount: number;
  fixableErrorCount: number;
  fixableWarningCount: number;
}

export function countFindings(findings: readonly Finding[]): Counts {
  const c: Counts = { errorCount: 0, warningCount: 0, infoCount: 0, fixableErrorCount: 0, fixableWarningCount: 0 };
  for (const f of findings) {
    if (f.severity === "error") {
      c.errorCount++;
      if (f.fix) c.fixableErrorCount++;
    } else if (f.severity === "warning") {
      c.warningCount++;
      if (f.fix) c.fixableWarningCount++;
    } else c.infoCount++;
  }
  return c;
}
