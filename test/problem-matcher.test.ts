// problem-matchers/apachelint.json, the GitHub Actions problem matcher for
// `-f unix`, read as the Actions runner reads it (actions/runner
// IssueMatcher.cs / OutputManager.cs): the config's own checks, then each
// output line of the real command line offered to every matcher; the
// runner's regexes are .NET in ECMAScript mode, i.e. JavaScript's. Each line
// must be taken by exactly one matcher, and what it captures must be the
// finding the json format reports.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, PROJECT_ROOT, ensureBuiltCli } from "./helpers/built-cli.js";

const BUNDLE = join(PROJECT_ROOT, "dist", "apachelint.cjs");
const TUTORIAL = "examples/websocket-tutorial.conf";

interface Pattern {
  regexp: string;
  file?: number;
  line?: number;
  column?: number;
  severity?: number;
  message?: number;
  code?: number;
  loop?: boolean;
}
interface Matcher {
  owner: string;
  severity?: string;
  pattern: Pattern[];
}

const config: { problemMatcher: Matcher[] } = JSON.parse(readFileSync(join(PROJECT_ROOT, "problem-matchers", "apachelint.json"), "utf8"));

let dir = "";
beforeAll(() => {
  ensureBuiltCli();
  // the bundle is made by `npm run build`; rebuild it when it is older than the compiled CLI
  if (!existsSync(BUNDLE) || statSync(BUNDLE).mtimeMs < statSync(CLI).mtimeMs) {
    spawnSync(process.execPath, [join(PROJECT_ROOT, "scripts", "build.mjs"), "--bundle-only"], { stdio: "ignore" });
  }
  dir = realpathSync(mkdtempSync(join(tmpdir(), "apachelint-matcher-")));
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the problem matcher's config", () => {
  it("passes the runner's IssueMatchersConfig.Validate", () => {
    const owners = config.problemMatcher.map((m) => m.owner.toLowerCase());
    expect(new Set(owners).size).toBe(owners.length);
    for (const m of config.problemMatcher) {
      expect(m.owner).not.toBe("");
      expect(["", "error", "warning", "notice"]).toContain((m.severity ?? "").toLowerCase());
      expect(m.pattern).toHaveLength(1);
      const p = m.pattern[0]!;
      // a group index must exist: the count of groups, including group 0
      const groups = new RegExp(`${p.regexp}|`).exec("")!.length;
      for (const k of ["file", "line", "column", "severity", "message", "code"] as const) {
        if (p[k] !== undefined) expect(p[k], `${m.owner}.${k}`).toBeLessThan(groups);
      }
      expect(p.message).toBeDefined();
    }
  });
});

interface Issue {
  file: string;
  line: number;
  column: number;
  severity: string;
  message: string;
  code: string;
}

/** What the runner makes of one line (OutputManager.ConvertToIssue), or why it makes nothing. */
function issueOf(line: string): Issue | string {
  const hits = config.problemMatcher.flatMap((m) => {
    const p = m.pattern[0]!;
    const g = new RegExp(p.regexp).exec(line);
    if (!g) return [];
    const at = (i: number | undefined) => (i === undefined ? undefined : g[i]);
    return [{ m, file: at(p.file), line: at(p.line), column: at(p.column), severity: at(p.severity) || m.severity || "", message: at(p.message), code: at(p.code) }];
  });
  if (hits.length !== 1) return `${hits.length} matchers take: ${line}`;
  const h = hits[0]!;
  if (!h.message?.trim()) return `empty message: ${line}`;
  // the runner drops any severity but these (an "info" would be lost)
  if (!["error", "warning", "notice"].includes(h.severity.toLowerCase())) return `severity '${h.severity}' is dropped: ${line}`;
  return { file: h.file!, line: Number(h.line), column: Number(h.column), severity: h.severity, message: h.message, code: h.code!.trim() };
}

function lines(format: string, args: string[], cwd: string): string {
  const r = spawnSync(process.execPath, [BUNDLE, "-f", format, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", GITHUB_ACTIONS: "" } });
  expect(r.status, r.stderr).toBe(1);
  return r.stdout;
}

describe("-f unix read by the problem matcher", () => {
  it("turns every line into the finding the json format reports", () => {
    // an info finding, a path with a blank and a colon, a file outside the working directory
    const odd = join(dir, "sites", "my site:1.conf");
    mkdirSync(join(odd, ".."), { recursive: true });
    writeFileSync(odd, "ProxyPass /app/ http://127.0.0.1:8080/app/\nProxyRequests maybe\n");
    const args = [TUTORIAL, odd];
    const out = lines("unix", args, PROJECT_ROOT);
    const issues = out.split("\n").filter((l) => l !== "").map(issueOf);
    expect(issues.filter((i) => typeof i === "string")).toEqual([]);
    const json = JSON.parse(lines("json", args, PROJECT_ROOT)) as { filePath: string; messages: any[] }[];
    const SEVERITY: Record<string, string> = { error: "error", warning: "warning", info: "notice" };
    const want = json.flatMap((r) =>
      r.messages.map((m) => ({ file: r.filePath, line: m.line, column: m.column, message: m.message.replace(/\r\n|[\r\n]/g, " "), code: m.ruleId })),
    );
    // the runner roots a relative path at the workspace, here the directory the command ran in
    const got = (issues as Issue[]).map((i) => ({ file: resolve(PROJECT_ROOT, i.file), line: i.line, column: i.column, message: i.message, code: i.code }));
    expect(got).toEqual(want);
    expect(got.length).toBeGreaterThan(10);
    // severities: the unix line's word, info as a notice
    const words = out.split("\n").filter(Boolean).map((l) => /: (error|warning|info): /.exec(l)![1]!);
    expect((issues as Issue[]).map((i) => i.severity)).toEqual(words.map((w) => SEVERITY[w]));
    expect(words).toContain("info");
    expect(words).toContain("warning");
  });
});
