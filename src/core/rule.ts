// The contract between the engine and a rule module. A rule reads the AST
// through its context and returns reports with edits on the original text; it
// never touches files or prints.
import type { Comment, ConfigFile, Directive, Section } from "../../grammar/index.js";
import type { FileFacts } from "./facts.js";
import type { ApacheVersion } from "../apache/version.js";
import type { ServerInfo } from "../server/server-info.js";

export type Severity = "error" | "warning" | "info";
/**
 * What a rule is about, as Ruff groups rules by linter: `--select`, `--ignore` and
 * the config file take a category wherever they take an id.
 */
export const CATEGORIES = ["websocket", "correctness", "security", "migration", "style"] as const;
export type Category = (typeof CATEGORIES)[number];
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

import type { FileKind } from "../apache/file-kind.js";
export type { FileKind } from "../apache/file-kind.js";

export interface RuleContext {
  readonly file: ConfigFile;
  readonly fileKind: FileKind;
  /** the Apache version the config targets (--apache-version) */
  readonly apacheVersion: ApacheVersion;
  /** what is known about the server this file belongs to */
  readonly server: ServerInfo;
  /** facts about this file computed once and shared by every rule (rows by name, parents, scopes) */
  readonly facts: FileFacts;
  /** records a finding; the engine adds positions, severity and suppressions */
  report(report: Report): void;
  /**
   * Would a finding of this severity be kept? False under `-q` for warnings and
   * info: a rule may then skip the work of building them (messages, fixes).
   */
  wants(severity: Severity): boolean;
}

/**
 * What a rule looks at during the engine's one walk over the file. The engine
 * calls only the handlers that some rule asked for: a directive handler runs
 * for the directives of that name only, so a rule about RewriteCond costs
 * nothing on a file without one.
 */
export interface RuleVisitor {
  /** by lower-cased directive name (`rewritecond`); `*` for every directive */
  readonly directive?: Readonly<Record<string, (d: Directive) => void>>;
  /** when a section's open tag is reached, by lower-cased section name; `*` for every section */
  readonly enter?: Readonly<Record<string, (s: Section) => void>>;
  /** after a section's last child (its close tag, or the end of an unclosed section) */
  readonly exit?: Readonly<Record<string, (s: Section) => void>>;
  /** every comment line */
  readonly comment?: (c: Comment) => void;
  /**
   * Once, after the walk. A rule that only has `end` reads the whole file
   * itself (through ctx.facts where it can); APACHELINT_TIMING shows its cost.
   */
  readonly end?: () => void;
}

export interface Rule {
  /** kebab-case, public API: users write it in configs and suppressions */
  readonly id: string;
  /**
   * Former ids (Ruff's redirects): still accepted in configs, --rule, suppressions and --explain,
   * and read as `id`. Findings always carry `id`.
   */
  readonly aliases?: readonly string[];
  readonly severity: Severity;
  /** the topic the rule belongs to (shown in --list-rules, docs and SARIF) */
  readonly category: Category;
  /** one line */
  readonly description: string;
  /** the most a fix of this rule can be: "safe", "unsafe", or "none" */
  readonly fixable: FixSafety | "none";
  /**
   * Every severity its findings can have, when some findings override `severity`
   * (default: `severity` alone). The engine skips a rule that cannot report at the
   * level asked for (`-q` wants errors only), so this must not leave one out.
   */
  readonly severities?: readonly Severity[];
  /**
   * Ids of more general rules this one says better: on a line where this rule
   * reports, their findings are dropped (nginx-syntax's `proxy_pass` replaces
   * directive-unknown's "Invalid command"). With this rule off they stay, so
   * turning a specific rule off never hides what Apache refuses.
   */
  readonly supersedes?: readonly string[];
  readonly doc: RuleDoc;
  /** called once per file; returns the handlers for the walk */
  create(ctx: RuleContext): RuleVisitor;
}

/** Former id -> current id, for every alias of these rules. */
export function ruleAliases(rules: Iterable<Rule>): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of rules) for (const a of r.aliases ?? []) out.set(a, r.id);
  return out;
}

/**
 * Handlers for those of `names` the file uses, all calling `handler`: a rule about a hundred
 * directive names then builds and registers only the few a file has (the file's own name
 * table is small), where one record of a hundred keys per file was a measurable cost on a
 * tree of 10,000 files.
 */
export function handlersFor<T>(file: ConfigFile, names: { has(name: string): boolean }, handler: T): Record<string, T> {
  const out: Record<string, T> = {};
  for (const n of file.table.names) if (names.has(n)) out[n] = handler;
  return out;
}

/** Identity helper that gives rule modules type checking and editor help. */
export function defineRule(rule: Rule): Rule {
  return rule;
}
