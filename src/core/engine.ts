// Runs rules over one parsed file in a single walk and turns their reports
// into findings with positions, severities and suppressions applied. The rule
// registry is passed in: the engine knows the rule contract, not the rules.
import { parse, type ConfigFile, type Parent, type Section } from "../../grammar/index.js";
import { Comment as CommentView, Directive as DirectiveView } from "../../grammar/ast.js";
import { CLOSE, COMMENT, DIRECTIVE, OPEN } from "../../grammar/line-table.js";
import { fileKindOf } from "../apache/file-kind.js";
import { CURRENT_APACHE, type ApacheVersion } from "../apache/version.js";
import { serverInfoFromFile, withStartup, type ServerInfo } from "../server/server-info.js";
import type { Startup } from "../apache/conditions.js";
import { expandMacros } from "../apache/macro-expansion.js";
import { mergeExpanded } from "./expanded-findings.js";
import { locate, type Finding } from "./finding.js";

export type { Finding, Located, RelatedFinding } from "./finding.js";
import { FileFacts } from "./facts.js";
import { ruleAliases, type Fix, type FileKind, type Report, type Rule, type RuleContext, type RuleVisitor, type Severity } from "./rule.js";
import { collectSuppressions, isSuppressed, unusedSuppressions, UNUSED_SUPPRESSION } from "./suppressions.js";

export { fileKindOf } from "../apache/file-kind.js";
export { UNUSED_SUPPRESSION } from "./suppressions.js";

export type SeverityOverrides = Readonly<Record<string, Severity | "off">>;

export interface LintOptions {
  /** the rules to run (the registry is the caller's: rules/index.ts for the CLI) */
  rules: readonly Rule[];
  /** every rule id a suppression may name, also of rules this run leaves out (default: `rules`) */
  knownRuleIds?: Iterable<string>;
  /** former rule ids -> current ones, also of rules this run leaves out (default: the aliases of `rules`) */
  ruleAliases?: ReadonlyMap<string, string>;
  /** per rule id: a new severity, or "off" */
  severities?: SeverityOverrides;
  apacheVersion?: ApacheVersion;
  /** default: "htaccess" for files named .htaccess, else "server" */
  fileKind?: FileKind;
  /** default: what the file itself says (its LoadModule lines) */
  server?: ServerInfo;
  /**
   * How Apache is built and started (--define, --platform, an explicit --apache-version):
   * attached to `server`, it decides <IfDefine>, <IfVersion> and the compiled-in modules.
   */
  startup?: Startup;
  /** report suppression comments that suppressed nothing (default true) */
  reportUnusedSuppressions?: boolean;
  /**
   * Only findings of this severity or above are wanted (ESLint's --quiet): a rule
   * that cannot report one is not run at all. Default: every rule runs.
   */
  minSeverity?: Severity;
  /** lint each macro expansion where its `Use` stands (default true) */
  expandMacros?: boolean;
  /** when given, milliseconds spent in each rule's handlers are added to it (APACHELINT_TIMING) */
  timing?: Map<string, number>;
}

export interface LintResult {
  file: ConfigFile;
  findings: Finding[];
}


const RANK: Readonly<Record<Severity, number>> = { info: 0, warning: 1, error: 2 };

/** Can the rule report a finding at `min` or above? An override sets the severity of all its findings. */
function canReport(rule: Rule, override: Severity | undefined, min: Severity): boolean {
  if (override) return RANK[override] >= RANK[min];
  return (rule.severities ?? [rule.severity]).some((s) => RANK[s] >= RANK[min]);
}

type Handler<T> = (node: T) => void;

/**
 * One rule's state during a lint, and its context. A tree of 10,000 files
 * would make 430,000 of them; they are kept per rule set and reused file
 * after file (see slotsFor), so a file costs the rules' own handlers only.
 * report and wants are own closures because rules destructure them.
 */
class Running implements RuleContext {
  file!: ConfigFile;
  fileKind!: FileKind;
  apacheVersion!: ApacheVersion;
  server!: ServerInfo;
  facts!: FileFacts;
  visitor: RuleVisitor = {};
  readonly reports: Report[] = [];
  failed = false;
  /** the severity every finding of the rule takes (--rule, configs), if any */
  override: Severity | undefined = undefined;
  /** RANK of the least severity kept; 0 keeps all */
  min = 0;
  readonly report: (r: Report) => void;
  readonly wants: (severity: Severity) => boolean;
  constructor(readonly rule: Rule) {
    // findings below minSeverity are dropped as they come, and a rule can ask not to build them
    this.report = (r) => {
      if (this.min === 0 || RANK[this.override ?? r.severity ?? this.rule.severity] >= this.min) this.reports.push(r);
    };
    this.wants = (severity) => RANK[this.override ?? severity] >= this.min;
  }
  /** ready for a file: nothing of the previous one is kept */
  start(base: FileContext, override: Severity | undefined, min: number): void {
    this.file = base.file;
    this.fileKind = base.fileKind;
    this.apacheVersion = base.apacheVersion;
    this.server = base.server;
    this.facts = base.facts;
    this.visitor = {};
    this.reports.length = 0;
    this.failed = false;
    this.override = override;
    this.min = min;
  }
  /** lets go of the file, so that an idle rule set holds no file's memory */
  finish(): void {
    this.file = this.facts = this.server = undefined as never;
    this.visitor = {};
    this.reports.length = 0;
  }
}

/** Per rule set, the Running of each rule, while no lint is using them. */
const idle = new WeakMap<readonly Rule[], Running[]>();

/**
 * The Runnings of a rule set: the idle ones, else new ones (a lint that starts
 * inside another, as a rule might, gets its own).
 */
function slotsFor(rules: readonly Rule[]): Running[] {
  const slots = idle.get(rules);
  if (slots) {
    idle.delete(rules);
    return slots;
  }
  return rules.map((r) => new Running(r));
}

function release(rules: readonly Rule[], slots: Running[]): void {
  for (const s of slots) s.finish();
  idle.set(rules, slots);
}

/**
 * Handlers in one flat list, each after the rule it belongs to (so that a
 * crash is charged to its rule): [run, handler, run, handler …]. Pairs in
 * arrays of their own were a fifth of what a small file allocated.
 */
type Calls = Array<Running | Handler<never>>;

/** Calls by name id; undefined for a name no rule asked for. */
type Table = (Calls | undefined)[];

function crash(run: Running, err: unknown): void {
  if (run.failed) return;
  run.failed = true;
  // A crashing rule must not take the others down; it is reported like a problem.
  run.reports.push({ start: 0, end: 0, severity: "error", message: `internal error in rule ${run.rule.id}: ${(err as Error)?.message ?? String(err)}` });
}

function call<T>(list: Calls | undefined, node: T, timing: Map<string, number> | undefined): void {
  if (!list) return;
  for (let i = 0; i < list.length; i += 2) {
    const run = list[i] as Running;
    if (run.failed) continue;
    const t0 = timing ? performance.now() : 0;
    try {
      (list[i + 1] as Handler<T>)(node);
    } catch (err) {
      crash(run, err);
    }
    if (timing) timing.set(run.rule.id, (timing.get(run.rule.id) ?? 0) + performance.now() - t0);
  }
}

/** Resolves each visitor's names to the file's name ids once; names the file never uses cost nothing. */
function tables(file: ConfigFile, runs: readonly Running[]) {
  const t = file.table;
  const directive: Table = [];
  const enter: Table = [];
  const exit: Table = [];
  const anyDirective: Calls = [];
  const anyEnter: Calls = [];
  const anyExit: Calls = [];
  const comment: Calls = [];
  const add = (table: Table, any: Calls, handlers: Readonly<Record<string, Handler<never>>> | undefined, run: Running) => {
    if (!handlers) return;
    for (const key in handlers) {
      const h = handlers[key]!;
      if (key === "*") {
        any.push(run, h);
        continue;
      }
      const id = t.keyOfName(key);
      if (id === undefined) continue;
      (table[id] ??= []).push(run, h);
    }
  };
  for (let i = 0; i < runs.length; i++) {
    const run = runs[i]!;
    const v = run.visitor;
    add(directive, anyDirective, v.directive as Record<string, Handler<never>> | undefined, run);
    add(enter, anyEnter, v.enter as Record<string, Handler<never>> | undefined, run);
    add(exit, anyExit, v.exit as Record<string, Handler<never>> | undefined, run);
    if (v.comment) comment.push(run, v.comment as Handler<never>);
  }
  return { directive, enter, exit, anyDirective, anyEnter, anyExit, comment };
}

/**
 * The one traversal: rows in order, a stack of open sections, and for each
 * row only the handlers that asked for its name. Directive and comment views
 * are made for a row only when a handler wants it, and not kept.
 */
function walk(file: ConfigFile, facts: FileFacts, runs: readonly Running[], timing: Map<string, number> | undefined): void {
  const t = file.table;
  const h = tables(file, runs);
  const wantsDirectives = h.anyDirective.length > 0 || h.directive.length > 0;
  const wantsSections = h.anyEnter.length > 0 || h.anyExit.length > 0 || h.enter.length > 0 || h.exit.length > 0;
  const wantsComments = h.comment.length > 0;
  if (!wantsDirectives && !wantsSections && !wantsComments) return;
  const stack: number[] = [];
  let top: Parent = file;
  const leave = () => {
    const row = stack.pop()!;
    const s = top as Section;
    if (wantsSections) {
      call(h.exit[t.key[row]!], s, timing);
      call(h.anyExit, s, timing);
    }
    top = stack.length ? facts.sectionAt(stack[stack.length - 1]!) : file;
  };
  // a <Macro> body is a template, not configuration: its handlers see the section, not its lines
  const macroKey = t.names.indexOf("macro");
  const n = t.count;
  for (let r = 0; r < n; r++) {
    // an unclosed section ends where its guessed extent does
    while (stack.length && t.pair[stack[stack.length - 1]!]! < 0 && r >= t.extent[stack[stack.length - 1]!]!) leave();
    const kind = t.kind[r];
    if (kind === DIRECTIVE) {
      if (!wantsDirectives) continue;
      const list = h.directive[t.key[r]!];
      if (!list && h.anyDirective.length === 0) continue;
      const d = new DirectiveView(file, r, top);
      call(list, d, timing);
      call(h.anyDirective, d, timing);
    } else if (kind === OPEN) {
      stack.push(r);
      top = facts.sectionAt(r);
      if (wantsSections) {
        call(h.enter[t.key[r]!], top as Section, timing);
        call(h.anyEnter, top as Section, timing);
      }
      if (t.key[r] === macroKey) r = (t.pair[r]! >= 0 ? t.pair[r]! : t.extent[r]!) - 1;
    } else if (kind === CLOSE) {
      if (stack.length && t.pair[r] === stack[stack.length - 1]) leave();
    } else if (kind === COMMENT && wantsComments) {
      call(h.comment, new CommentView(file, r, top), timing);
    }
  }
  while (stack.length) leave();
}

type FileContext = Pick<RuleContext, "file" | "fileKind" | "apacheVersion" | "server" | "facts">;

/**
 * Lints a file as Apache reads it: where a `Use` expands a macro, the
 * expansion is linted where it stands (macro-expansion.ts), and what is found
 * in it is reported on the macro body's line with the `Use` as related location.
 */
export function lintFile(file: ConfigFile, options: LintOptions): Finding[] {
  const facts = new FileFacts(file);
  const findings = lintOnce(file, options, facts);
  const expanded = options.expandMacros === false || facts.macros.events.length === 0 ? null : expandMacros(file, facts.macroReading);
  if (!expanded) return findings;
  const inner = lintOnce(parse(expanded.text, file.path), {
    ...options,
    server: options.server ?? serverInfoFromFile(file),
    fileKind: options.fileKind ?? fileKindOf(file.path),
    expandMacros: false,
  });
  return mergeExpanded(file, findings, inner, expanded);
}

function lintOnce(file: ConfigFile, options: LintOptions, facts = new FileFacts(file)): Finding[] {
  const aliases = options.ruleAliases ?? ruleAliases(options.rules);
  const severities = currentIds(options.severities ?? {}, aliases);
  const base: FileContext = {
    file,
    fileKind: options.fileKind ?? fileKindOf(file.path),
    apacheVersion: options.apacheVersion ?? CURRENT_APACHE,
    server: withStartup(options.server ?? serverInfoFromFile(file), options.startup),
    facts,
  };
  const slots = slotsFor(options.rules);
  try {
    return lintWith(file, options, base, severities, aliases, slots);
  } finally {
    release(options.rules, slots);
  }
}

function lintWith(
  file: ConfigFile,
  options: LintOptions,
  base: FileContext,
  severities: SeverityOverrides,
  aliases: ReadonlyMap<string, string>,
  slots: readonly Running[],
): Finding[] {
  const timing = options.timing;
  const min = options.minSeverity ? RANK[options.minSeverity] : 0;
  const runs: Running[] = [];
  let skipped: Set<string> | undefined;
  for (let i = 0; i < slots.length; i++) {
    const run = slots[i]!;
    const rule = run.rule;
    const override = severities[rule.id];
    if (override === "off") continue;
    if (options.minSeverity && !canReport(rule, override, options.minSeverity)) {
      (skipped ??= new Set()).add(rule.id);
      continue;
    }
    run.start(base, override, min);
    const t0 = timing ? performance.now() : 0;
    try {
      run.visitor = rule.create(run);
    } catch (err) {
      crash(run, err);
    }
    if (timing) timing.set(rule.id, (timing.get(rule.id) ?? 0) + performance.now() - t0);
    runs.push(run);
  }
  walk(file, base.facts, runs, timing);
  for (const run of runs) {
    if (run.failed || !run.visitor.end) continue;
    const t0 = timing ? performance.now() : 0;
    try {
      run.visitor.end();
    } catch (err) {
      crash(run, err);
    }
    if (timing) timing.set(run.rule.id, (timing.get(run.rule.id) ?? 0) + performance.now() - t0);
  }

  const sups = collectSuppressions(file);
  // a suppression that names a rule by a former id suppresses it under its current one
  if (aliases.size) for (const s of sups) s.rules = s.rules.map((id) => aliases.get(id) ?? id);
  const findings: Finding[] = [];
  for (const run of runs) {
    const rule = run.rule;
    const override = severities[rule.id];
    for (const r of run.reports) {
      const at = locate(file, r.start, r.end);
      if (sups.length && isSuppressed(sups, rule.id, at.line)) continue;
      const finding: Finding = {
        ruleId: rule.id,
        severity: (override as Severity | undefined) ?? r.severity ?? rule.severity,
        message: r.message,
        path: file.path,
        ...at,
        related: r.related ? r.related.map((x) => ({ message: x.message, ...locate(file, x.start, x.end) })) : [],
      };
      if (r.fix) finding.fix = r.fix;
      findings.push(finding);
    }
  }
  dropSuperseded(findings, runs);
  const unusedSeverity = (severities[UNUSED_SUPPRESSION] as Severity | "off" | undefined) ?? "warning";
  const wantUnused = unusedSeverity !== "off" && (!options.minSeverity || RANK[unusedSeverity] >= RANK[options.minSeverity]);
  if (options.reportUnusedSuppressions !== false && wantUnused && sups.length) {
    // a suppression may name any rule, also one this run leaves out
    const known = new Set<string>(options.knownRuleIds ?? []);
    for (const r of options.rules) known.add(r.id);
    for (const r of unusedSuppressions(sups, known, skipped ?? new Set())) {
      findings.push({
        ruleId: UNUSED_SUPPRESSION,
        severity: unusedSeverity as Severity,
        message: r.message,
        path: file.path,
        ...locate(file, r.start, r.end),
        related: [],
      });
    }
  }
  findings.sort((a, b) => a.start - b.start || a.end - b.end || a.ruleId.localeCompare(b.ruleId));
  return findings;
}

/**
 * Removes the findings of rules that a rule reporting on the same line supersedes
 * (Rule.supersedes), when they are no more severe than its own: a warning never
 * hides an error.
 */
function dropSuperseded(findings: Finding[], runs: readonly Running[]): void {
  let lines: Map<string, number> | undefined;
  for (const run of runs) {
    const over = run.rule.supersedes;
    if (!over || run.reports.length === 0) continue;
    lines ??= new Map();
    for (const f of findings) {
      if (f.ruleId !== run.rule.id) continue;
      for (const id of over) {
        const key = `${id}\n${f.line}`;
        lines.set(key, Math.max(lines.get(key) ?? 0, RANK[f.severity]));
      }
    }
  }
  if (!lines) return;
  let kept = 0;
  for (const f of findings) {
    const over = lines.get(`${f.ruleId}\n${f.line}`);
    if (over === undefined || RANK[f.severity] > over) findings[kept++] = f;
  }
  findings.length = kept;
}

/** Severity overrides keyed by current rule ids: one given under a former id applies to the rule's current one. */
function currentIds(severities: SeverityOverrides, aliases: ReadonlyMap<string, string>): SeverityOverrides {
  if (aliases.size === 0 || !Object.keys(severities).some((k) => aliases.has(k))) return severities;
  const out: Record<string, SeverityOverrides[string]> = {};
  // a setting under the current id wins over one under a former id
  for (const [k, v] of Object.entries(severities)) if (aliases.has(k)) out[aliases.get(k)!] = v;
  for (const [k, v] of Object.entries(severities)) if (!aliases.has(k)) out[k] = v;
  return out as SeverityOverrides;
}

export function lintText(text: string, path: string, options: LintOptions): LintResult {
  const file = parse(text, path);
  return { file, findings: lintFile(file, options) };
}
