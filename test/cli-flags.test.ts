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
import { allRules, ruleById } from "../rules/index.js";

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
    // (ProxyPreserveHost On for the wss:// backend is the fourth)
    expect(lines(cli(["--diff", "-f", "unix", "a.conf"]).stderr).at(-1)).toBe("apachelint: 4 more fixes are available with --unsafe-fixes");
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

describe("--define, --platform and --apache-version: what decides the conditional sections", () => {
  // a main config (nothing is read before it): each block holds an unknown directive,
  // an error where Apache reads it and a warning where it skips it
  const MAIN = [
    "LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so",
    "LoadModule log_config_module modules/mod_log_config.so",
    "<IfDefine SSL>\n  BogusSsl\n</IfDefine>",
    "<IfVersion >= 2.4.47>\n  BogusNew\n</IfVersion>",
    "",
  ].join("\n");
  // what the conditionals decide; the security rules' whole-server findings (no ServerTokens …) are not about them
  const verdicts = (r: { stdout: string }) =>
    lines(r.stdout)
      .map((l) => /:(\d+):\d+: (\w+):.*\[([\w-]+)\]$/.exec(l)!.slice(1))
      .filter(([, , id]) => ruleById(id!)?.category !== "security")
      .map((v) => v.join(" "));

  it("without them a block they would decide is read (not known), and no compiled-in module is assumed", () => {
    put("httpd.conf", MAIN);
    expect(verdicts(cli(["-f", "unix", "httpd.conf"]))).toEqual(["4 error directive-unknown", "7 error directive-unknown"]);
  });

  it("--define names every -D; --apache-version the release; --platform debian the compiled-in modules", () => {
    put("httpd.conf", MAIN);
    const r = cli(["-f", "unix", "--define", "OTHER", "--apache-version", "2.4.46", "--platform", "debian", "httpd.conf"]);
    expect(verdicts(r)).toEqual(["2 error loadmodule-invalid", "4 warning directive-unknown", "7 warning directive-unknown"]);
    expect(r.stdout).toContain("module log_config_module is built-in and can't be loaded");
    expect(verdicts(cli(["-f", "unix", "--define", "SSL", "--define", "OTHER", "--platform", "rhel", "httpd.conf"]))).toEqual([
      "4 error directive-unknown",
      "7 error directive-unknown",
    ]);
  });

  it("the config file's define and platform, which the command line overrides", () => {
    put("httpd.conf", MAIN);
    put(".apachelintrc.json", JSON.stringify({ define: ["SSL"], platform: "debian", apacheVersion: "2.4.62" }));
    expect(verdicts(cli(["-f", "unix", "httpd.conf"]))).toEqual(["2 error loadmodule-invalid", "4 error directive-unknown", "7 error directive-unknown"]);
    expect(verdicts(cli(["-f", "unix", "--define", "X", "--platform", "rhel", "--apache-version", "2.4.46", "httpd.conf"]))).toEqual([
      "4 warning directive-unknown",
      "7 warning directive-unknown",
    ]);
  });

  it("without them, the tree says: a Debian tree's envvars passes the -D names and its build is Debian's; conf.modules.d/ is RHEL's", () => {
    mkdirSync(join(dir, "apache2", "mods-enabled"), { recursive: true });
    const body = "LoadModule version_module modules/mod_version.so\n<IfDefine SSL>\n  BogusSsl\n</IfDefine>\n<IfDefine !SSL>\n  BogusPlain\n</IfDefine>\n";
    put("apache2/apache2.conf", body);
    put("apache2/envvars", "export APACHE_RUN_USER=www-data\nexport APACHE_ARGUMENTS='-D SSL'\n");
    expect(verdicts(cli(["-f", "unix", "apache2/apache2.conf"]))).toEqual(["1 error loadmodule-invalid", "3 error directive-unknown", "6 warning directive-unknown"]);
    mkdirSync(join(dir, "httpd", "conf"), { recursive: true });
    mkdirSync(join(dir, "httpd", "conf.modules.d"));
    put("httpd/conf/httpd.conf", body);
    expect(verdicts(cli(["-f", "unix", "httpd/conf/httpd.conf"]))).toEqual(["3 error directive-unknown", "6 error directive-unknown"]);
  });

  it("bad values: one line, exit 2", () => {
    put("httpd.conf", MAIN);
    const p = cli(["--platform", "windows", "httpd.conf"]);
    expect([p.code, p.stderr]).toEqual([2, "apachelint: option '--platform <name>' argument 'windows' is invalid. Allowed choices are debian, rhel, upstream.\n"]);
    const d = cli(["--define", "A B", "httpd.conf"]);
    expect([d.code, d.stderr]).toEqual([2, "apachelint: option '--define <NAME>' argument 'A B' is invalid. expected one word, as apache2 -D NAME takes it.\n"]);
    put(".apachelintrc.json", JSON.stringify({ platform: "bsd" }));
    const c = cli(["httpd.conf"]);
    expect([c.code, c.stderr]).toEqual([2, 'apachelint: .apachelintrc.json: platform: "bsd" is not one of debian, rhel, upstream\n']);
    put(".apachelintrc.json", JSON.stringify({ define: "SSL" }));
    expect(cli(["httpd.conf"]).stderr).toBe('apachelint: .apachelintrc.json: "define" must be an array of names, e.g. ["SSL"]\n');
  });

  it("--help names them", () => {
    const help = cli(["--help"]).stdout;
    for (const s of ["--define <NAME>", "--platform <name>", "<IfDefine NAME>", '"define", "platform"']) expect(help).toContain(s);
  });
});
