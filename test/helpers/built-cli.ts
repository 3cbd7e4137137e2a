// The tests that run the real command line need dist/ built from the current
// sources. `npm test` builds first; a direct `vitest run` may find dist/ stale.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

export const PROJECT_ROOT = join(import.meta.dirname, "..", "..");
export const CLI = join(PROJECT_ROOT, "dist", "src", "cli", "main.js");

function newestSource(d: string): number {
  let newest = 0;
  for (const e of readdirSync(d, { withFileTypes: true })) {
    const p = join(d, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith(".ts")) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** Rebuilds dist/ when a source is newer than the built CLI; type errors are tsc's business (npm test runs it). */
export function ensureBuiltCli(): void {
  const stale = !existsSync(CLI) || ["src", "rules", "grammar"].some((d) => newestSource(join(PROJECT_ROOT, d)) > statSync(CLI).mtimeMs);
  if (stale) spawnSync(process.execPath, [join(PROJECT_ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", PROJECT_ROOT], { stdio: "ignore" });
  if (!existsSync(CLI)) throw new Error(`${CLI} was not built`);
}
