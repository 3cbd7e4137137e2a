// The hooks of .pre-commit-hooks.yaml, run by the real pre-commit on real
// commits. pre-commit installs a `language: node` hook the way it does for a
// project that pins this repository: it clones the hook repository at a commit,
// runs `npm install` (the prepare script builds dist/) and `npm pack`, and
// installs the tarball with `npm install -g` into an environment of its own.
// The working tree here holds changes nobody has committed yet, so the hook
// repository is a snapshot of it (every file git would track) committed into
// a temporary repository. The npm registry is used to install the hook's
// dependencies, as it is for any user.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { PROJECT_ROOT } from "./helpers/built-cli.js";

const havePreCommit = spawnSync("pre-commit", ["--version"]).status === 0;
if (!havePreCommit) {
  const msg = "test/pre-commit: the pre-commit command was not found (Debian: apt-get install pre-commit)";
  if (process.env.CI) throw new Error(`${msg}; CI must run these tests`);
  console.warn(`${msg}: the pre-commit tests are SKIPPED`);
}
const live = havePreCommit ? describe : describe.skip;

let root = "";
let hookRepo = "";
let rev = "";
/** for every command: no GIT_* of an outer git, pre-commit's store in the temporary directory */
let env: NodeJS.ProcessEnv = {};

function sh(cmd: string, args: readonly string[], cwd: string, timeout = 120_000): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, { cwd, env, encoding: "utf8", timeout });
  if (r.error) throw r.error;
  return r;
}

function mustSh(cmd: string, args: readonly string[], cwd: string, timeout?: number): string {
  const r = sh(cmd, args, cwd, timeout);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

const git = (cwd: string, ...args: string[]) => mustSh("git", ["-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", ...args], cwd);

/** This working tree as it is now: what git tracks or would track (no node_modules, no dist), committed into a new repository. */
function snapshot(to: string): string {
  mkdirSync(to);
  const listed = mustSh("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], PROJECT_ROOT).split("\0").filter(Boolean);
  for (const rel of new Set(listed)) {
    const from = join(PROJECT_ROOT, rel);
    if (!existsSync(from) && !lstatSync(from, { throwIfNoEntry: false })) continue; // deleted, not yet committed
    const dest = join(to, rel);
    mkdirSync(dirname(dest), { recursive: true });
    if (lstatSync(from).isSymbolicLink()) symlinkSync(readlinkSync(from), dest);
    else copyFileSync(from, dest);
  }
  git(to, "init", "-q");
  git(to, "add", "-A");
  git(to, "commit", "-q", "-m", "snapshot of the working tree");
  return git(to, "rev-parse", "HEAD").trim();
}

/** A new project repository whose .pre-commit-config.yaml uses these hooks, with pre-commit installed as its git hook. */
function project(name: string, hooks: readonly string[]): string {
  const dir = join(root, name);
  mkdirSync(dir);
  git(dir, "init", "-q");
  const config = `repos:\n  - repo: ${hookRepo}\n    rev: ${rev}\n    hooks:\n${hooks.map((h) => `      - id: ${h}\n`).join("")}`;
  writeFileSync(join(dir, ".pre-commit-config.yaml"), config);
  git(dir, "add", ".pre-commit-config.yaml");
  mustSh("pre-commit", ["install"], dir);
  return dir;
}

function put(dir: string, rel: string, text: string): void {
  mkdirSync(dirname(join(dir, rel)), { recursive: true });
  writeFileSync(join(dir, rel), text);
}

/** `git commit` as a user runs it: the installed hook runs pre-commit on the staged files. */
function commit(dir: string): { status: number | null; output: string } {
  git(dir, "add", "-A");
  const r = sh("git", ["-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", "commit", "-q", "-m", "change"], dir, 300_000);
  return { status: r.status, output: r.stdout + r.stderr };
}

const commits = (dir: string) => (sh("git", ["rev-parse", "--verify", "-q", "HEAD"], dir).status === 0 ? Number(git(dir, "rev-list", "--count", "HEAD").trim()) : 0);

live("pre-commit runs the hooks of .pre-commit-hooks.yaml", () => {
  beforeAll(() => {
    root = realpathSync(mkdtempSync(join(tmpdir(), "apachelint-pre-commit-")));
    env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("GIT_") && !k.startsWith("PRE_COMMIT")));
    env.PRE_COMMIT_HOME = join(root, "pre-commit-home");
    env.NO_COLOR = "1";
    hookRepo = join(root, "hook-repo");
    rev = snapshot(hookRepo);
    // the node environment, installed once for every case below (and timed: it is what a user waits for once)
    const dir = project("install", ["apachelint", "apachelint-fix"]);
    const started = performance.now();
    const r = sh("pre-commit", ["install-hooks"], dir, 900_000);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.info(`test/pre-commit: pre-commit installed the node hook environment in ${seconds} s`);
    if (r.status !== 0) throw new Error(`pre-commit install-hooks failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}\n${readLog()}`);
  }, 960_000);

  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  const readLog = () => {
    const log = join(env.PRE_COMMIT_HOME ?? "", "pre-commit.log");
    return existsSync(log) ? readFileSync(log, "utf8") : "";
  };

  it("refuses a commit with a broken config, naming the file, line, column and rule", () => {
    const dir = project("broken", ["apachelint"]);
    put(dir, "sites-available/app.conf", "<VirtualHost *:80>\n  ProxyPass /ws/ wss:/backend/\n</VirtualHost>\n");
    const r = commit(dir);
    expect(r.status).toBe(1);
    expect(r.output).toMatch(/^apachelint\.+Failed$/m);
    expect(r.output).toContain("sites-available/app.conf:2:18: error:");
    expect(r.output).toContain("[proxy-url-malformed]");
    expect(commits(dir)).toBe(0);
  }, 300_000);

  it("apachelint-fix fixes the file; pre-commit refuses the commit as modified, and the fixed file commits", () => {
    const dir = project("fix", ["apachelint-fix"]);
    put(dir, "httpd/conf.d/ws.conf", "ProxyPass /ws/ ws:/127.0.0.1:8080/ws/\n");
    const first = commit(dir);
    expect(first.status).toBe(1);
    expect(first.output).toContain("files were modified by this hook");
    expect(readFileSync(join(dir, "httpd/conf.d/ws.conf"), "utf8")).toBe("ProxyPass /ws/ ws://127.0.0.1:8080/ws/\n");
    expect(commits(dir)).toBe(0);
    const second = commit(dir);
    expect(second.output).toMatch(/^apachelint \(fix\)\.+Passed$/m);
    expect(second.status).toBe(0);
    expect(commits(dir)).toBe(1);
  }, 300_000);

  it("lets a clean commit through; a README in conf.d and a dangling sites-enabled link are not handed to apachelint", () => {
    const dir = project("clean", ["apachelint"]);
    put(dir, "apache2/sites-available/site.conf", "<VirtualHost *:80>\n  ServerName www.example.com\n  DocumentRoot /var/www/html\n</VirtualHost>\n");
    put(dir, "apache2/conf.d/README", "Files in this directory ending in .conf are read by Apache.\n");
    put(dir, "public/.htaccess", "Options -Indexes\n");
    mkdirSync(join(dir, "apache2/sites-enabled"));
    symlinkSync("../sites-available/gone.conf", join(dir, "apache2/sites-enabled/gone.conf"));
    const r = commit(dir);
    expect(r.output).toMatch(/^apachelint\.+Passed$/m);
    expect(r.status).toBe(0);
    expect(commits(dir)).toBe(1);

    // .htaccess files are linted too: a server-only directive in one is refused
    put(dir, "public/.htaccess", "Options -Indexes\nListen 8080\n");
    const bad = commit(dir);
    expect(bad.status).toBe(1);
    expect(bad.output).toContain("public/.htaccess:2:1: error:");
    expect(bad.output).toContain("[directive-context]");
    expect(commits(dir)).toBe(1);
  }, 300_000);
});
