// The built CLI over fuzzed files, in two runs over one directory (one node start
// each, not one per case): `--diff --unsafe-fixes` applied with the real
// `patch -p1` gives the bytes `--fix --unsafe-fixes` writes; every run exits 0,
// 1 or 2 and prints no stack trace. Cases: FUZZ_CLI_CASES (default 40).
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, ensureBuiltCli } from "../helpers/built-cli.js";
import { inputArb } from "../../src/tools/fuzz.js";

const CASES = Number(process.env.FUZZ_CLI_CASES ?? 40);
const SEED = process.env.FUZZ_SEED === "random" ? Date.now() % 2 ** 31 : Number(process.env.FUZZ_SEED ?? 20261206);
const STACK = /^\s+at .+(:\d+:\d+\)?|\(native\))$/m;
const hasPatch = spawnSync("patch", ["--version"]).status === 0;
if (!hasPatch) console.warn("\n!!!!! patch(1) not found: the --diff | patch -p1 check is skipped !!!!!\n");
if (!hasPatch && process.env.CI) throw new Error("patch(1) is required under CI");

let work: string;
const texts = fc.sample(inputArb(), { numRuns: CASES, seed: SEED });

const cli = (args: string[], cwd: string, input?: string) =>
  spawnSync(process.execPath, [CLI, "--no-config", ...args], { cwd, input, encoding: "utf8", timeout: 60_000 });

beforeAll(() => {
  ensureBuiltCli();
  work = mkdtempSync(join(tmpdir(), "apachelint-fuzz-cli-"));
  for (const d of ["orig", "fixed", "patched"]) mkdirSync(join(work, d, "c"), { recursive: true });
  texts.forEach((t, i) => writeFileSync(join(work, "orig", "c", `case${i}.conf`), t));
  cpSync(join(work, "orig"), join(work, "fixed"), { recursive: true });
  cpSync(join(work, "orig"), join(work, "patched"), { recursive: true });
  // a .git marks the repository root the --diff paths are relative to
  for (const d of ["fixed", "patched"]) mkdirSync(join(work, d, ".git"));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe(`the CLI over ${CASES} fuzzed files (seed ${SEED})`, { timeout: 120_000 }, () => {
  it("--diff applied with patch -p1 gives the bytes of --fix; exit codes 0-2, no stack trace", () => {
    const fix = cli(["--fix", "--unsafe-fixes", "c"], join(work, "fixed"));
    const diff = cli(["--diff", "--unsafe-fixes", "c"], join(work, "patched"));
    for (const r of [fix, diff]) {
      expect([0, 1, 2], `seed ${SEED}: ${r.stderr}`).toContain(r.status);
      expect(r.stderr, `seed ${SEED}`).not.toMatch(STACK);
      expect(r.stderr + r.stdout, `seed ${SEED}`).not.toContain("internal error");
    }
    if (!hasPatch) return;
    const p = spawnSync("patch", ["-p1", "-s", "--no-backup-if-mismatch"], { cwd: join(work, "patched"), input: diff.stdout, encoding: "utf8" });
    expect(p.status, `seed ${SEED}: patch failed: ${p.stdout}${p.stderr}`).toBe(0);
    const differ = texts.map((_, i) => `c/case${i}.conf`).filter((f) => !readFileSync(join(work, "patched", f)).equals(readFileSync(join(work, "fixed", f))));
    expect(differ, `seed ${SEED}: patch -p1 of --diff differs from --fix`).toEqual([]);
    const changed = texts.filter((t, i) => readFileSync(join(work, "fixed", "c", `case${i}.conf`), "utf8") !== t).length;
    expect(changed, "no case was fixed at all: the comparison would prove nothing").toBeGreaterThan(0);
  });

  it.for(texts.slice(0, 8).map((t, i) => [i, t] as const))("stdin case %i: exit 0-2, no stack trace", ([, t]) => {
    const r = cli(["--stdin", "--fix", "--unsafe-fixes"], work, t);
    expect([0, 1, 2], `seed ${SEED}: ${r.stderr}`).toContain(r.status);
    expect(r.stderr, `seed ${SEED}`).not.toMatch(STACK);
  });
});
