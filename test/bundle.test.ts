// The bundled command line (dist/apachelint.cjs, what `bin` runs) must behave
// exactly as the compiled one (dist/src/cli/main.js), and a crash inside it
// must still end in one line.
import { beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CLI, PROJECT_ROOT, ensureBuiltCli } from "./helpers/built-cli.js";

const BUNDLE = join(PROJECT_ROOT, "dist", "apachelint.cjs");
const EXAMPLE = join(PROJECT_ROOT, "examples", "websocket-tutorial.conf");

beforeAll(() => {
  ensureBuiltCli();
  // the bundle is made by `npm run build`; rebuild it when it is older than the compiled CLI
  if (!existsSync(BUNDLE) || statSync(BUNDLE).mtimeMs < statSync(CLI).mtimeMs) {
    spawnSync(process.execPath, [join(PROJECT_ROOT, "scripts", "build.mjs"), "--bundle-only"], { stdio: "ignore" });
  }
}, 120_000);

function run(cli: string, args: string[], cwd = PROJECT_ROOT) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: "buffer", env: { ...process.env, NO_COLOR: "1", GITHUB_ACTIONS: "" } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("the bundled CLI", () => {
  it("is what package.json's bin runs", () => {
    const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8"));
    expect(pkg.bin.apachelint).toBe("dist/apachelint.cjs");
    expect(readFileSync(BUNDLE, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
  });

  it.each([
    [["-f", "unix", EXAMPLE]],
    [["-f", "json", EXAMPLE]],
    [["-f", "stylish", EXAMPLE]],
    [["-f", "sarif", EXAMPLE]],
    [["--diff", EXAMPLE]],
    [["--version"]],
    [["--list-rules"]],
    [["--bogus"]],
  ])("prints byte for byte what dist/src/cli/main.js prints: %j", (args) => {
    const a = run(BUNDLE, args);
    const b = run(CLI, args);
    expect(a.status).toBe(b.status);
    expect(a.stdout.equals(b.stdout)).toBe(true);
    expect(a.stderr.toString()).toBe(b.stderr.toString());
  });

  it("still runs from its former bin path, dist/apachelint.mjs, where old links (npx's cache) point", () => {
    const a = run(join(PROJECT_ROOT, "dist", "apachelint.mjs"), ["-f", "json", EXAMPLE]);
    const b = run(BUNDLE, ["-f", "json", EXAMPLE]);
    expect(a.status).toBe(b.status);
    expect(a.stdout.length).toBeGreaterThan(0);
    expect(a.stdout.equals(b.stdout)).toBe(true);
  });

  it("runs the same with and without its code cache", () => {
    const first = run(BUNDLE, ["-f", "json", EXAMPLE]);
    for (const f of readdirCaches()) rmSync(f, { force: true });
    const cold = run(BUNDLE, ["-f", "json", EXAMPLE]);
    const warm = run(BUNDLE, ["-f", "json", EXAMPLE]);
    expect(cold.stdout.equals(first.stdout)).toBe(true);
    expect(warm.stdout.equals(first.stdout)).toBe(true);
    expect(readdirCaches().length).toBe(1);
  });

  it("reports an internal error in one line, exit 2, no stack trace", () => {
    // a working directory that no longer exists: process.cwd() throws inside the CLI
    const gone = mkdtempSync(join(tmpdir(), "apachelint-gone-"));
    const script = `cd "${gone}" && rmdir "${gone}" && exec "${process.execPath}" "${BUNDLE}" -f unix "${EXAMPLE}"`;
    const r = spawnSync("sh", ["-c", script], { encoding: "utf8", env: { ...process.env, APACHELINT_DEBUG: "" } });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^apachelint: internal error: [^\n]+\n$/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

function readdirCaches(): string[] {
  const dist = join(PROJECT_ROOT, "dist");
  return readdirSync(dist)
    .filter((n) => n.endsWith(".v8cache"))
    .map((n) => join(dist, n));
}
