// The directive-mutation differential: apachelint against apache2 -t on every
// case of fixtures/differential/cases.jsonl (src/tools/gen-differential.ts: a
// valid line per directive and its mutations, in a server with every Debian
// module loaded). The promise, case by case:
// - Apache rejects and names a line of the case: apachelint has an error on that line;
// - Apache rejects without naming one: apachelint has an error somewhere;
// - Apache accepts: apachelint has no error.
// Exceptions are entries of fixtures/differential/allowlist.json, each with its
// reason; an entry that is no longer an exception fails too, so the list only shrinks.
// The committed verdicts are re-judged live, so the corpus cannot drift from Apache.
import { existsSync, readFileSync, rmSync } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
import { spawn } from "node:child_process";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lintText } from "../../src/index.js";
import { allRules } from "../../rules/index.js";
import { caseText, makeServerRoot, readVerdict, skeleton, type DifferentialCase } from "../../src/tools/differential.js";
import { pool } from "../../src/tools/probe-support.js";
import { APACHE, apacheOrSkip, IN_CI, PROJECT_ROOT, table, verboseReport } from "./harness.js";

const DIR = join(PROJECT_ROOT, "fixtures", "differential");
const cases: DifferentialCase[] = readFileSync(join(DIR, "cases.jsonl"), "utf8")
  .split("\n")
  .filter((l) => l !== "")
  .map((l) => JSON.parse(l) as DifferentialCase);
const allowlist: Record<string, string> = JSON.parse(readFileSync(join(DIR, "allowlist.json"), "utf8"));

type Outcome = "found" | "wrong-line" | "missed" | "false-error" | "quiet";
const EXPECTED: ReadonlySet<Outcome> = new Set(["found", "quiet"]);

/**
 * The rules whose errors mean "Apache refuses to start": not the security ones (a server that
 * starts is unsafe: no `<Directory />` deny in the skeleton), nor the two errors for what Apache
 * accepts and gets wrong (every access line reads `common`; a certificate served as plain HTTP).
 * Their own live tests prove those on a running server (test/apache/*-live.test.ts).
 */
const SILENT_MISTAKE_ERRORS: ReadonlySet<string> = new Set(["logformat-undefined", "vhost-https-without-ssl"]);
const STARTUP_RULES = allRules.filter((r) => r.category !== "security" && !SILENT_MISTAKE_ERRORS.has(r.id));

/** The lint of a case, placed in the same (fictitious, never read) ServerRoot layout. */
function judgeLint(c: DifferentialCase): { outcome: Outcome; errors: string[] } {
  const root = "/srv/apachelint-differential";
  const first = skeleton().length;
  const { findings } = lintText(caseText(c.body, root), join(root, "httpd.conf"), { rules: STARTUP_RULES });
  const errors = findings.filter((f) => f.severity === "error");
  const where = errors.map((f) => `${f.ruleId}@${f.line - first}`);
  if (c.apache.ok) return { outcome: errors.length ? "false-error" : "quiet", errors: where };
  if (errors.length === 0) return { outcome: "missed", errors: where };
  if (c.apache.line === null) return { outcome: "found", errors: where };
  return { outcome: errors.some((f) => f.line - first === c.apache.line) ? "found" : "wrong-line", errors: where };
}

/** An allowlist key names a case, or ends in `*` and names every case it starts. */
function allowed(id: string): string | undefined {
  if (allowlist[id] !== undefined) return id;
  return Object.keys(allowlist).find((k) => k.endsWith("*") && id.startsWith(k.slice(0, -1)));
}

describe("apachelint against apache2 -t on the directive-mutation corpus", () => {
  const outcomes = new Map<string, { outcome: Outcome; errors: string[] }>();

  beforeAll(() => {
    for (const c of cases) outcomes.set(c.id, judgeLint(c));
  }, 300_000);

  afterAll(() => {
    // the confusion matrix, by kind of mutation
    const kinds = new Map<string, Record<Outcome, number>>();
    const total: Record<Outcome, number> = { found: 0, "wrong-line": 0, missed: 0, "false-error": 0, quiet: 0 };
    for (const c of cases) {
      const kind = c.mutation.replace(/:.*/, "");
      const row = kinds.get(kind) ?? { found: 0, "wrong-line": 0, missed: 0, "false-error": 0, quiet: 0 };
      const o = outcomes.get(c.id)?.outcome;
      if (!o) continue;
      row[o]++;
      total[o]++;
      kinds.set(kind, row);
    }
    const cols: Outcome[] = ["found", "wrong-line", "missed", "quiet", "false-error"];
    const rows = [...kinds].sort().map(([k, r]) => [k, ...cols.map((o) => String(r[o]))]);
    rows.push(["all", ...cols.map((o) => String(total[o]))]);
    const rejected = total.found + total["wrong-line"] + total.missed;
    verboseReport(
      `\ndirective-mutation differential: ${cases.length} cases, ${new Set(cases.map((c) => c.directive)).size} directives; ` +
        `Apache rejects ${rejected}, apachelint finds ${total.found} at Apache's line (${((100 * total.found) / Math.max(1, rejected)).toFixed(1)}%); ` +
        `Apache accepts ${total.quiet + total["false-error"]}, apachelint errs on ${total["false-error"]}\n` +
        `(rejected: found = an error on Apache's line, wrong-line = errors elsewhere only, missed = none; accepted: quiet, false-error)\n` +
        `${table(["mutation", ...cols], rows)}\n`,
    );
  });

  it("has a case for most directives, and every kind of mutation", () => {
    expect(new Set(cases.map((c) => c.directive)).size).toBeGreaterThan(550);
    const kinds = new Set(cases.map((c) => c.mutation.replace(/:.*/, "")));
    for (const k of ["base", "name-misspelt", "too-few", "too-many", "value-misspelt", "number-word", "url-placeholder-port", "url-no-scheme", "context"]) {
      expect(kinds).toContain(k);
    }
    expect(cases.every((c) => c.mutation !== "base" || c.apache.ok), "a base line Apache rejects").toBe(true);
  });

  it("the skeleton every case shares gets no finding", () => {
    const { findings } = lintText(caseText([], "/srv/apachelint-differential"), "/srv/apachelint-differential/httpd.conf", { rules: STARTUP_RULES });
    expect(findings.map((f) => `${f.ruleId}:${f.line} ${f.message}`)).toEqual([]);
  });

  it("every case outside the allowlist gets Apache's answer, and every allowlist entry is still needed", () => {
    const unexpected: string[][] = [];
    const used = new Set<string>();
    for (const c of cases) {
      const { outcome, errors } = outcomes.get(c.id)!;
      if (EXPECTED.has(outcome)) continue;
      const key = allowed(c.id);
      if (key) {
        used.add(key);
        continue;
      }
      unexpected.push([c.id, outcome, `${c.apache.ok ? "accepts" : `line ${c.apache.line ?? "-"}: ${c.apache.message}`}`, errors.join(" ") || "-", c.body.join(" ⏎ ")]);
    }
    if (unexpected.length) console.log(`\n${unexpected.length} case(s) apachelint gets wrong:\n${table(["case", "outcome", "apache2 -t", "apachelint errors", "body"], unexpected.slice(0, 400))}\n`);
    expect(unexpected.map((u) => `${u[0]}: ${u[1]}`)).toEqual([]);
    const stale = Object.keys(allowlist).filter((k) => !used.has(k));
    expect(stale, "allowlist entries that no longer match an exception: remove them").toEqual([]);
  });

  describe.runIf(apacheOrSkip("directive-differential (live re-judging)"))("the committed verdicts are Apache's", () => {
    let root = "";
    beforeAll(() => {
      if (!APACHE && IN_CI) throw new Error("apache2 not found: CI must install it");
      root = makeServerRoot();
    });
    afterAll(() => {
      if (root && existsSync(root)) rmSync(root, { recursive: true, force: true });
    });

    it("apache2 -t gives each case the committed verdict", { timeout: 900_000 }, async () => {
      let n = 0;
      const differ: string[] = [];
      await pool(cases, availableParallelism(), async (c) => {
        const conf = join(root, `p${n++}.conf`);
        await writeFile(conf, caseText(c.body, root));
        const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
          const child = spawn(APACHE!, ["-t", "-d", root, "-f", conf], { stdio: ["ignore", "ignore", "pipe"] });
          let err = "";
          child.stderr.on("data", (b: Buffer) => (err += b.toString()));
          child.on("error", reject);
          child.on("close", (status) => resolve({ code: status, stderr: err }));
        });
        await rm(conf, { force: true });
        const live = readVerdict(code, stderr, root, c.body.length);
        if (JSON.stringify(live) !== JSON.stringify(c.apache)) differ.push(`${c.id}: committed ${JSON.stringify(c.apache)}, live ${JSON.stringify(live)}`);
      });
      expect(differ, "regenerate fixtures/differential/cases.jsonl (src/tools/gen-differential.ts)").toEqual([]);
    });
  });
});
