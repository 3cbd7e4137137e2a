// The contract between the engine and a rule module. A rule reads the AST
// through its context and returns reports with edits on the original text; it
// never touches files or prints.
import type { ConfigFile } from "../grammar/index.js";
import type { ApacheVersion } from "./version.js";
import type { ServerInfo } from "./server-info.js";

export type Severity = "error" | "warning" | "info";
/** Ruff's model: safe fixes are applied by --fix, unsafe ones only with --unsafe-fixes. */
export type FixSafety = "safe" | "unsafe";

/** Replace text[start, end) with `text`. Offsets are into the original file text. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/** One logical change: its edits are applied together or not at all. */
export interface Fix {
  safety: FixSafety;
  /** imperative, shown in editors' quick-fix menus: "Replace `${` with `%{`" */
  title: string;
  edits: TextEdit[];
}

export interface RelatedLocation {
  start: number;
  end: number;
  message: string;
}

/** What a rule's check returns: a finding without the bookkeeping the engine adds. */
export interface Report {
  message: string;
  start: number;
  end: number;
  /** overrides the rule's default severity for this finding (e.g. warning vs error by context) */
  severity?: Severity;
  related?: RelatedLocation[];
  fix?: Fix;
}

/** A rule's documentation, printed by --explain and rendered to docs/rules/<id>.md. */
export interface RuleDoc {
  /** what is wrong, in a paragraph */
  problem: string;
  /** a config that triggers the rule */
  bad: string;
  /** the corrected config */
  good: string;
  /** what Apache actually does, and why it matters */
  why: string;
  /** which Apache versions are concerned */
  versions: string;
  /** what the autofix does, if any */
  fix?: string;
  /** ids of the measured cases in shared/apache-truth that back the rule */
  cases?: string[];
}

/** Where the file sits in Apache's configuration. */
export type FileKind = "server" | "htaccess";

export interface RuleContext {
  readonly file: ConfigFile;
  readonly fileKind: FileKind;
  /** the Apache version the config targets (--apache-version) */
  readonly apacheVersion: ApacheVersion;
  /** what is known about the server this file belongs to */
  readonly server: ServerInfo;
}

export interface Rule {
  /** kebab-case, public API: users write it in configs and suppressions */
  readonly id: string;
  readonly severity: Severity;
  /** one line */
  readonly description: string;
  /** the most a fix of this rule can be: "safe", "unsafe", or "none" */
  readonly fixable: FixSafety | "none";
  readonly doc: RuleDoc;
  check(ctx: RuleContext): Report[];
}

/** Identity helper that gives rule modules type checking and editor help. */
export function defineRule(rule: Rule): Rule {
  return rule;
}
