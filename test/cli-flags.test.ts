// Flags that conflict, flags that do nothing in the run they are given to,
// rule ids that name no rule, and what -q says about fixes: the real command
// (dist/src/cli/main.js) in a child process on real files.
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CLI, ensureBuiltCli } from "./helpers/built-cli.js";
import { didYouMean } from "../src/cli/rule-suggestion.js";
import { allRules } from "../rules/index.js";

beforeAll(() => ensureBuiltCli(), 120_000);

let dir: string;
beforeEach(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), "apachelint-flags-")));
  mkdirSync(join(dir, ".git"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: readonly string[], o: { input?: string; env?: Record<string, string> } = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: dir,
    encoding: "utf8",
    input: o.input ?? "",
    env: { PATH: process.env.PATH ?? "", ...o.env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const put = (rel: string, text: string) => writeFileSync(join(dir, rel), text);
const lines = (s: string) => s.split("\n").filter(Boolean);

// line 1: an error with a safe fix (wss:/ -> wss://), after which an error with an
// unsafe fix appears (SSLProxyEngine); line 2: a warning with an unsafe fix and an info
const MIXED = "ProxyPass /ws/ wss:/backend/\nProxyPass /a http://127.0.0.1:8080/a/\n";

describe("--fix with --diff", () => {
  it("is refused in one line with exit 2, and nothing is written or printed", () => {
    put("a.conf", MIXED);
    for (const args of [["--fix", "--diff"], ["--diff", "--fix", "--unsafe-fixes"]]) {
      const r = cli([...args, "a.conf"]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toBe("apachelint: --fix and --diff cannot be combined: --fix writes the fixes, --diff only prints them as a patch\n");
      expect(readFileSync(join(dir, "a.conf"), "utf8")).toBe(MIXED);
    }
  });
});

describe("flags that change nothing in the run", () => {
  it("--unsafe-fixes without --fix or --diff: a one-line notice, and the lint goes on as it would", () => {
    put("a.conf", MIXED);
    const r = cli(["--unsafe-fixes", "a.conf"]);
    expect(r.code).toBe(1);
    expect(lines(r.stderr)).toEqual(["apachelint: --unsafe-fixes without --fix or --diff fixes nothing: unsafe fixes only count as fixable in the report"]);
    expect(r.stdout).toContain("[proxy-url-malformed]");
    expect(readFileSync(join(dir, "a.conf"), "utf8")).toBe(MIXED);
    for (const with_ of ["--fix", "--diff"]) expect(cli(["--unsafe-fixes", with_, "a.conf"]).stderr).not.toContain("fixes nothing");
  });

  it("--cache-location without --cache, and --cache with standard input, say so", () => {
    put("a.conf", "ServerName a.example\n");
    const r = cli(["--cache-location", "x.cache", "a.conf"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("apachelint: --cache-location has no effect without --cache\n");
    expect(existsSync(join(dir, "x.cache"))).toBe(false);
    const s = cli(["--cache", "-"], { input: "ServerName a.example\n" });
    expect(s.code).toBe(0);
    expect(s.stderr).toBe("apachelint: --cache: standard input is not cached\n");
    expect(existsSync(join(dir, ".apachelintcache"))).toBe(false);
  });
});

describe("a rule id that names no rule", () => {
  it("--rule: one line, exit 2, with the nearest id", () => {
    put("a.conf", "ServerName a.example\n");
    const r = cli(["--rule", "proxypass-trailing-slah=off", "a.conf"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe('apachelint: --rule: unknown rule "proxypass-trailing-slah" (did you mean "proxypass-trailing-slash"?) (see --list-rules)\n');
    expect(cli(["--rule", "rewrite-sigil-var=error", "a.conf"]).stderr).toBe('apachelint: --rule: unknown rule "rewrite-sigil-var" (see --list-rules)\n');
    // a former id still names its rule
    expect(cli(["--rule", "websocket-module-missing=off", "a.conf"]).code).toBe(0);
  });

  it(".apachelintrc.json: the file and key, exit 2, with the nearest id", () => {
    put("a.conf", "ServerName a.example\n");
    put(".apachelintrc.json", JSON.stringify({ rules: { "trailing-coment": "off" } }));
    const r = cli(["a.conf"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('apachelint: .apachelintrc.json: rules: unknown rule "trailing-coment" (did you mean "trailing-comment"?)\n');
  });

  it("the suggestion is the nearest id within two edits (a swap is one), or a prefix naming one rule; else none", () => {
    const ids = allRules.map((r) => r.id);
    expect(didYouMean("bmo", ids)).toBe(' (did you mean "bom"?)');
    expect(didYouMean("BOM", ids)).toBe(' (did you mean "bom"?)');
    expect(didYouMean("section-unclsoed", ids)).toBe(' (did you mean "section-unclosed"?)');
    expect(didYouMean("listen-dup", ids)).toBe(' (did you mean "listen-duplicate"?)');
    expect(didYouMean("foo", ids)).toBe("");
    expect(didYouMean("proxy", ids)).toBe("");
  });
});

describe("-q and the fixes it mentions", () => {
  it("says nothing of unsafe fixes for the warnings and infos it hides", () => {
    put("a.conf", MIXED);
    // --max-warnings makes every rule run, so the hidden findings exist
    const quiet = cli(["-q", "--max-warnings", "10", "-f", "stylish", "a.conf"]);
    expect(quiet.code).toBe(1);
    expect(quiet.stdout).toContain("1 error and 0 warnings potentially fixable with the `--fix` option.");
    expect(quiet.stdout).not.toContain("--unsafe-fixes");
    const loud = cli(["--max-warnings", "10", "-f", "stylish", "a.conf"]);
    expect(loud.stdout).toContain("2 more fixes available with the `--unsafe-fixes` option.");
    for (const format of ["unix", "json"]) expect(cli(["-q", "--max-warnings", "10", "-f", format, "a.conf"]).stderr).toBe("");
  });

  it("counts the unsafe fixes of the errors it shows", () => {
    put("a.conf", MIXED);
    // after the safe fix, SSLProxyEngine's error (unsafe fix) is shown; the warning and info are not
    // (with --diff the report goes to stderr, before the notice)
    const quiet = lines(cli(["-q", "--diff", "-f", "unix", "a.conf"]).stderr);
    expect(quiet.at(-1)).toBe("apachelint: 1 more fix is available with --unsafe-fixes");
    expect(quiet.filter((l) => !l.startsWith("apachelint:")).map((l) => /\[([\w-]+)\]$/.exec(l)?.[1])).toEqual(["ssl-proxy-engine-missing"]);
    expect(lines(cli(["--diff", "-f", "unix", "a.conf"]).stderr).at(-1)).toBe("apachelint: 3 more fixes are available with --unsafe-fixes");
  });
});

describe("--cache on the command line", () => {
  it("keeps .apachelintcache in the working directory and reuses it; --help names both flags", () => {
    put("a.conf", MIXED);
    const env = { APACHELINT_DEBUG_CACHE: "1" };
    const first = cli(["--cache", "a.conf"], { env });
    expect(first.stderr).toContain("apachelint: cache: 0 reused (0 of them not read), 1 linted\n");
    expect(JSON.parse(readFileSync(join(dir, ".apachelintcache"), "utf8")).format).toBe(1);
    const second = cli(["--cache", "a.conf"], { env });
    expect(second.stderr).toContain("apachelint: cache: 1 reused");
    expect(second.stdout).toBe(first.stdout);
    expect(second.code).toBe(first.code);
    const help = cli(["--help"]).stdout;
    expect(help).toContain("--cache ");
    expect(help).toContain("--cache-location <path>");
  });
});
