// One tester for every rule, after ESLint's RuleTester and Ruff's fixture
// snapshots. `ruleTester(rule, { valid, invalid })` generates a vitest
// `describe(rule.id)` with:
//   - one `it` per valid case: the rule says nothing;
//   - one `it` per invalid case: exactly the listed findings, in order (line,
//     column, message prefix or exact text or RegExp, and where given severity,
//     end position and fix safety), and `output`: the text after all fixes of
//     the allowed safety, applied by the same fixUntilStable the CLI uses;
//   - always: doc.bad fires, doc.good is silent, and the rule's `fixable` holds
//     over every case, the doc examples and the bad fixtures (none: no finding
//     has a fix; safe: no fix is unsafe); a rule that breaks it today declares
//     `fixableViolation` and the check runs as it.fails until the rule is fixed;
//   - always: the rule's fixtures (fixtures/rules/<id>/): documented, present,
//     every bad fixture gives exactly the findings of its `<name>.findings.txt`,
//     every `<name>.fixed` is what the fixes produce, every good fixture is silent.
//
// The findings files are generated from the rule's output, like a snapshot:
//   APACHELINT_UPDATE_FINDINGS=1 npx vitest run test/rules/<id>.test.ts
// writes them instead of comparing; review the diff before committing.
import { describe, expect, it } from "vitest";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parse } from "../../grammar/index.js";
import { lintText, type Finding, type Options } from "../../src/index.js";
import { fixUntilStable } from "../../src/core/fixer.js";
import { parseVersion } from "../../src/apache/version.js";
import { IncludeResolver } from "../../src/server/includes.js";
import { serverInfoFromFile, withIncludes } from "../../src/server/server-info.js";
import type { FixSafety, Rule, Severity } from "../../src/core/rule.js";

export const PROJECT_ROOT = join(import.meta.dirname, "..", "..");
export const RULE_FIXTURES = join(PROJECT_ROOT, "fixtures", "rules");

/** What may be passed to lintText besides the rule: server, fileKind, apacheVersion, severities, ... */
export type CaseOptions = Omit<Options, "rules">;

/** A message: a string is a prefix (so the whole message also matches), `{ exact }` the whole text, a RegExp a test. */
export type MessageMatch = string | RegExp | { exact: string };

export interface ExpectedFinding {
  line: number;
  column: number;
  message: MessageMatch;
  endLine?: number;
  endColumn?: number;
  severity?: Severity;
  /** the finding's fix: "safe" or "unsafe", or "none" for no fix; unset: not checked */
  fix?: FixSafety | "none";
  /** the text the finding covers */
  covers?: string;
}

export interface ValidCase {
  code: string;
  path?: string;
  name?: string;
  options?: CaseOptions;
}

export interface InvalidCase extends ValidCase {
  findings: ExpectedFinding[];
  /** the text after fixUntilStable with the fixes of `fixes` (default: all, safe and unsafe) */
  output?: string;
  fixes?: "safe" | "all";
}

export interface TesterConfig {
  valid?: (ValidCase | string)[];
  invalid?: InvalidCase[];
  /** lint options for every case and the doc examples (a case's own options win) */
  options?: CaseOptions;
  /** path of the doc examples (default test.conf) */
  docPath?: string;
  /** lint options for the doc examples only (e.g. a server whose includes are resolved) */
  docOptions?: CaseOptions | ((code: string) => CaseOptions);
  /** rules run alongside (their findings are dropped): suppression-unused needs the rule a suppression names */
  withRules?: readonly Rule[];
  /**
   * Today's findings break the rule's `fixable` (a "safe" rule with unsafe fixes): the contract test is
   * then expected to fail (it.fails) and says why; remove this once the rule's `fixable` is corrected.
   */
  fixableViolation?: string;
  /** doc.good cannot be shown silent here (it needs files this machine lacks): skipped, with this reason */
  docGoodSkip?: string;
  /** false: no fixture checks (default: fixtures/rules/<id>/) */
  fixtures?: boolean;
}

const DEFAULT_PATH = "test.conf";

/** Lints `code` with `rule` alone, as every rule test does. */
export function lintRule(rule: Rule, code: string, path = DEFAULT_PATH, options: CaseOptions = {}, withRules: readonly Rule[] = []): Finding[] {
  const findings = lintText(code, path, { reportUnusedSuppressions: false, ...options, rules: [...withRules, rule] }).findings;
  return withRules.length ? findings.filter((f) => f.ruleId === rule.id) : findings;
}

/** fixUntilStable over the findings of `rule`, as `apachelint --fix [--unsafe-fixes]`. */
export function fixRule(rule: Rule, code: string, path = DEFAULT_PATH, options: CaseOptions = {}, fixes: "safe" | "all" = "all"): string {
  const accept = fixes === "all" ? () => true : (f: { safety: FixSafety }) => f.safety === "safe";
  return fixUntilStable(code, (t) => lintRule(rule, t, path, options), accept).output;
}

const showMessage = (m: MessageMatch) => (typeof m === "string" ? `${m}…` : m instanceof RegExp ? String(m) : m.exact);

function messageMatches(actual: string, m: MessageMatch): boolean {
  if (typeof m === "string") return actual.startsWith(m);
  if (m instanceof RegExp) return m.test(actual);
  return actual === m.exact;
}

/** The finding in the shape of `want`: fields `want` leaves out are left out, a matching message is shown as expected. */
function asExpected(text: string, f: Finding, want: ExpectedFinding | undefined): Record<string, unknown> {
  const got: Record<string, unknown> = { line: f.line, column: f.column };
  got.message = want && messageMatches(f.message, want.message) ? showMessage(want.message) : f.message;
  if (!want) {
    got.severity = f.severity;
    got.fix = f.fix?.safety ?? "none";
    return got;
  }
  if (want.endLine !== undefined) got.endLine = f.endLine;
  if (want.endColumn !== undefined) got.endColumn = f.endColumn;
  if (want.severity !== undefined) got.severity = f.severity;
  if (want.fix !== undefined) got.fix = f.fix?.safety ?? "none";
  if (want.covers !== undefined) got.covers = text.slice(f.start, f.end);
  return got;
}

function shown(want: ExpectedFinding): Record<string, unknown> {
  const { message, ...rest } = want;
  const out: Record<string, unknown> = { line: rest.line, column: rest.column, message: showMessage(message) };
  for (const k of ["endLine", "endColumn", "severity", "fix", "covers"] as const) if (rest[k] !== undefined) out[k] = rest[k];
  return out;
}

/** Asserts that `rule` gives exactly `want` on `code`; returns the findings. */
export function expectFindings(rule: Rule, code: string, want: readonly ExpectedFinding[], path = DEFAULT_PATH, options: CaseOptions = {}): Finding[] {
  const found = lintRule(rule, code, path, options);
  expect(found.map((f, i) => asExpected(code, f, want[i]))).toEqual(want.map(shown));
  return found;
}

/** The `fixable` contract: none → no fix at all; safe → no unsafe fix. */
export function expectFixableHolds(rule: Rule, findings: readonly Finding[], where: string): void {
  if (rule.fixable === "none") {
    expect(findings.filter((f) => f.fix).map((f) => `${where} ${f.line}:${f.column} ${f.fix!.safety}`), `${rule.id} is fixable: none`).toEqual([]);
  } else if (rule.fixable === "safe") {
    expect(findings.filter((f) => f.fix?.safety === "unsafe").map((f) => `${where} ${f.line}:${f.column}`), `${rule.id} is fixable: safe`).toEqual([]);
  }
}

const caseName = (c: ValidCase, i: number) => c.name ?? `#${i + 1}: ${c.code.length > 60 ? `${c.code.slice(0, 57)}...` : c.code}`.replace(/\r?\n/g, "⏎");

export function ruleTester(rule: Rule, config: TesterConfig = {}): void {
  const base = config.options ?? {};
  const withRules = config.withRules ?? [];
  const opts = (c: ValidCase): CaseOptions => ({ ...base, ...c.options });
  const valid = (config.valid ?? []).map((c) => (typeof c === "string" ? { code: c } : c));
  const invalid = config.invalid ?? [];
  const docOpts = (code: string): CaseOptions => ({ ...base, ...(typeof config.docOptions === "function" ? config.docOptions(code) : config.docOptions) });
  const lintDoc = (code: string) => lintRule(rule, code, config.docPath, docOpts(code), withRules);

  describe(`${rule.id} (rule tester)`, () => {
    valid.forEach((c, i) => {
      it(`valid ${caseName(c, i)}`, () => {
        const found = lintRule(rule, c.code, c.path, opts(c), withRules);
        expect(found.map((f) => `${f.line}:${f.column} ${f.message}`)).toEqual([]);
      });
    });

    invalid.forEach((c, i) => {
      it(`invalid ${caseName(c, i)}`, () => {
        expect(c.findings.length, "an invalid case lists its findings").toBeGreaterThan(0);
        const found = lintRule(rule, c.code, c.path, opts(c), withRules);
        expect(found.map((f, j) => asExpected(c.code, f, c.findings[j]))).toEqual(c.findings.map(shown));
        if (c.output !== undefined) {
          expect(fixRule(rule, c.code, c.path, opts(c), c.fixes)).toBe(c.output);
        }
      });
    });

    it("doc.bad fires", () => {
      expect(lintDoc(rule.doc.bad).length, rule.doc.bad).toBeGreaterThan(0);
    });

    (config.docGoodSkip ? it.skip : it)(`doc.good is silent${config.docGoodSkip ? ` (SKIPPED: ${config.docGoodSkip})` : ""}`, () => {
      expect(lintDoc(rule.doc.good).map((f) => `${f.line}:${f.column} ${f.message}`)).toEqual([]);
    });

    const contract = `fixable: ${rule.fixable} and the declared severities hold over every case, the doc examples and the bad fixtures`;
    const check = () => {
      const all: Finding[] = [];
      for (const c of [...valid, ...invalid]) all.push(...lintRule(rule, c.code, c.path, opts(c), withRules));
      all.push(...lintDoc(rule.doc.bad), ...lintDoc(rule.doc.good)); // doc.good's findings too, if it has any
      for (const { text, path } of badFixtures(rule)) all.push(...lintFixture(rule, text, path));
      expectFixableHolds(rule, all, "");
      // the engine skips a rule under -q by its declared severities: a finding outside them would be lost
      const declared = rule.severities ?? [rule.severity];
      expect(all.filter((f) => !declared.includes(f.severity)).map((f) => `${f.line}:${f.column} ${f.severity} ${f.message}`), `severities: ${declared.join(", ")}`).toEqual([]);
    };
    if (config.fixableViolation) it.fails(`${contract} (KNOWN VIOLATION: ${config.fixableViolation})`, check);
    else it(contract, check);
  });

  if (config.fixtures !== false) fixtureTests(rule);
}

// ------------------------------------------------------------------ fixtures
// fixtures/rules/<id>/:
//   bad*.conf | bad*.htaccess   the rule must fire, with exactly <name>.findings.txt
//   good*.conf | good*.htaccess the rule must stay silent (the correct form)
//   <bad fixture>.fixed         what applying the rule's fixes (safe and unsafe) must produce
// A fixture may set lint options on a comment line: `# fixture: apache-version=2.4.46`.
// `# fixture: server-root=DIR` (relative to the fixture's directory) resolves its
// Include lines on disk with the real resolver, as the CLI does with --server-root.

const isFixture = (n: string) => /\.(conf|htaccess)$/.test(n);

/** Lint options whose server has the file's Include lines resolved on disk against `serverRoot`, as the CLI does. */
export function resolvedIncludes(text: string, path: string, serverRoot: string): CaseOptions {
  const file = parse(text, path);
  const resolver = new IncludeResolver();
  return { server: withIncludes(serverInfoFromFile(file), resolver.resolveFile(file, path, { serverRoot, chain: [] }), resolver.files) };
}

export function fixtureOptions(text: string, path: string): CaseOptions {
  const opts: CaseOptions = {};
  const m = /^#\s*fixture:\s*apache-version=(\S+)/m.exec(text);
  if (m) opts.apacheVersion = parseVersion(m[1]!)!;
  const root = /^#\s*fixture:\s*server-root=(\S+)/m.exec(text);
  if (root) {
    const file = parse(text, path);
    const serverRoot = resolve(dirname(path), root[1]!);
    const resolver = new IncludeResolver();
    opts.server = withIncludes(serverInfoFromFile(file), resolver.resolveFile(file, resolver.realPath(path), { serverRoot, chain: [] }), resolver.files);
  }
  return opts;
}

/**
 * One line per finding: `line:column rule severity fix=safe|unsafe|none message`.
 * Absolute paths into the repository are written relative to it, so the file is
 * the same in every checkout.
 */
export function findingLines(findings: readonly Finding[]): string {
  const rel = (s: string) => s.split(`${PROJECT_ROOT}/`).join("<repo>/");
  return findings.map((f) => `${f.line}:${f.column} ${f.ruleId} ${f.severity} fix=${f.fix?.safety ?? "none"} ${rel(f.message)}\n`).join("");
}

/** Compares each line of `actual` to `expected`: equal up to the message, whose text in the file is a prefix of the actual one. */
function matchFindingLines(actual: string, expected: string): string {
  const want = expected.split("\n").filter((l) => l.trim() !== "");
  const got = actual.split("\n").filter((l) => l !== "");
  const out: string[] = [];
  for (let i = 0; i < got.length; i++) {
    const w = want[i];
    out.push(w !== undefined && got[i]!.startsWith(w) ? w : got[i]!);
  }
  return out.join("\n");
}

function fixtureFiles(rule: Rule): { dir: string; bad: string[]; good: string[] } {
  const dir = join(RULE_FIXTURES, rule.id);
  const files = existsSync(dir) ? readdirSync(dir).filter(isFixture).sort() : [];
  return { dir, bad: files.filter((f) => f.startsWith("bad")), good: files.filter((f) => f.startsWith("good")) };
}

function badFixtures(rule: Rule): { text: string; path: string }[] {
  const { dir, bad } = fixtureFiles(rule);
  return bad.map((n) => ({ path: join(dir, n), text: readFileSync(join(dir, n), "utf8") }));
}

/** A fixture's findings of `rule`, with the options its `# fixture:` lines ask for. */
export function lintFixture(rule: Rule, text: string, path: string): Finding[] {
  return lintText(text, path, { rules: [rule], ...fixtureOptions(text, path) }).findings.filter((f) => f.ruleId === rule.id);
}

export function fixtureTests(rule: Rule): void {
  const { dir, bad, good } = fixtureFiles(rule);
  const update = !!process.env.APACHELINT_UPDATE_FINDINGS;
  const lintFixture_ = (text: string, path: string) => lintFixture(rule, text, path);

  describe(`${rule.id} (fixtures)`, () => {
    it("is documented", () => {
      for (const [k, v] of Object.entries(rule.doc)) {
        if (typeof v === "string") expect(v, `${rule.id} doc.${k}`).not.toMatch(/^TODO|^\s*$/);
      }
      expect(rule.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    });

    it("has fixtures where it fires and where it must not", () => {
      expect(bad.length, `${dir}/bad*.conf`).toBeGreaterThan(0);
      expect(good.length, `${dir}/good*.conf`).toBeGreaterThan(0);
      if (rule.fixable !== "none") {
        expect(bad.some((b) => existsSync(join(dir, `${b}.fixed`))), `${rule.id} is fixable: a bad fixture needs a .fixed`).toBe(true);
      }
    });

    for (const name of bad) {
      const path = join(dir, name);
      const text = readFileSync(path, "utf8");
      const findingsPath = `${path}.findings.txt`;
      it(`fires on ${name}, with exactly the findings of ${name}.findings.txt`, () => {
        const found = lintFixture_(text, path);
        expect(found.length).toBeGreaterThan(0);
        const actual = findingLines(found);
        if (update) {
          writeFileSync(findingsPath, actual);
          return;
        }
        expect(existsSync(findingsPath), `${findingsPath} is missing: run with APACHELINT_UPDATE_FINDINGS=1`).toBe(true);
        const expected = readFileSync(findingsPath, "utf8");
        expect(matchFindingLines(actual, expected)).toBe(expected.split("\n").filter((l) => l.trim() !== "").join("\n"));
      });
      const fixedPath = `${path}.fixed`;
      if (existsSync(fixedPath)) {
        it(`fixes ${name}`, () => {
          const lint = (t: string) => lintText(t, path, { rules: [rule], ...fixtureOptions(text, path) }).findings;
          const result = fixUntilStable(text, lint, () => true);
          expect(result.output).toBe(readFileSync(fixedPath, "utf8"));
          // idempotent: fixing the fixed text changes nothing
          expect(fixUntilStable(result.output, lint, () => true).output).toBe(result.output);
          // and what is left of this rule has no fix to offer
          expect(lintFixture_(result.output, path).filter((f) => f.fix)).toEqual([]);
        });
      }
    }

    for (const name of good) {
      const path = join(dir, name);
      it(`stays silent on ${name}`, () => {
        const text = readFileSync(path, "utf8");
        expect(lintFixture_(text, path).map((f) => `${f.line}:${f.column} ${f.message}`)).toEqual([]);
      });
    }
  });
}
