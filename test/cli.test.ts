// The real command, end to end: `node dist/src/cli/main.js` in a child process on
// real files in a temporary git repository. Findings come from rules that
// certainly fire: bom (U+FEFF at the start, error, safe fix), section-unclosed
// (error, safe fix), trailing-comment (a warning after RewriteRule flags, safe fix),
// proxypass-trailing-slash (warning, unsafe fix), suppression-unused (warning).
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CLI, ensureBuiltCli, PROJECT_ROOT } from "./helpers/built-cli.js";
import { execFileSync, spawnSync } from "node:child_process";
import {
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { allRules } from "../rules/index.js";

const ROOT = join(import.meta.dirname, "..");
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };


beforeAll(() => {
  // `npm test` builds first; a direct `vitest run` may find dist/ stale
  ensureBuiltCli();
}, 120_000);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "apachelint-cli-"));
  execFileSync("git", ["init", "-q", dir]);
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
  out: Buffer;
}

/** The environment a user without CI or colour preferences has. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of ["GITHUB_ACTIONS", "NO_COLOR", "FORCE_COLOR", "APACHELINT_DEBUG"]) delete env[k];
  return { ...env, ...extra };
}

function cli(args: string[], opts: { cwd?: string; input?: string | Buffer; env?: Record<string, string> } = {}): Result {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: opts.cwd ?? dir,
    input: opts.input ?? "",
    env: cleanEnv(opts.env),
  });
  return { code: r.status, stdout: r.stdout.toString(), stderr: r.stderr.toString(), out: r.stdout };
}

/** Runs the CLI on a pseudo-terminal (util-linux script), where stdout.isTTY is true. */
function cliOnTty(args: string[], env: Record<string, string> = {}): string {
  const cmd = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
  const r = spawnSync("script", ["-qec", cmd, "/dev/null"], { cwd: dir, env: cleanEnv(env), input: "" });
  return r.stdout.toString();
}

function write(rel: string, content: string | Buffer): string {
  const p = join(dir, rel);
  mkdirSync(join(p, ".."), { recursive: true });
  writeFileSync(p, content);
  return p;
}

const BOM = "\uFEFF";
const rulesIn = (stdout: string) => [...stdout.matchAll(/\[([a-z0-9-]+)\]$/gm)].map((m) => m[1]);
const oneLineError = (r: Result) => {
  expect(r.stderr).toMatch(/^apachelint: [^\n]+\n$/);
  expect(r.stderr).not.toMatch(/\n\s+at /);
};

describe("information options", () => {
  it("--version / -v print the package version", () => {
    for (const flag of ["--version", "-v"]) {
      const r = cli([flag]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`${pkg.version}\n`);
    }
  });

  it("--help lists every option and the exit codes", () => {
    const r = cli(["--help"]);
    expect(r.code).toBe(0);
    for (const opt of [
      "--stdin",
      "--stdin-filename",
      "--fix",
      "--unsafe-fixes",
      "--diff",
      "--format",
      "--output-file",
      "--max-warnings",
      "--quiet",
      "--rule",
      "--config",
      "--no-config",
      "--list-rules",
      "--explain",
      "--apache-version",
      "--color",
      "--no-color",
      "--version",
      "--help",
    ]) {
      expect(r.stdout).toContain(opt);
    }
    expect(r.stdout).toMatch(/Exit codes:[\s\S]*0[\s\S]*1[\s\S]*2/);
  });

  it("--list-rules prints one line per rule with severity and fixability", () => {
    const r = cli(["--list-rules"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(allRules.length + 1);
    for (const rule of allRules) {
      const line = lines.find((l) => l.startsWith(`${rule.id} `));
      expect(line, rule.id).toBeDefined();
      expect(line).toContain(rule.severity);
      expect(line).toContain(rule.description);
    }
  });

  it("--explain prints the rule's documentation", () => {
    const rule = allRules.find((x) => x.id === "bom")!;
    const r = cli(["--explain", "bom"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("bom");
    expect(r.stdout).toContain(rule.severity);
    expect(r.stdout).toMatch(/safe/);
    expect(r.stdout).toContain(rule.description);
    for (const part of [rule.doc.bad, rule.doc.good, rule.doc.versions]) expect(r.stdout).toContain(part.trim().split("\n")[0]!);
    expect(r.stdout).toMatch(/Problem:[\s\S]*Bad:[\s\S]*Good:[\s\S]*Apache versions:/);
    expect(r.stdout).toContain("docs/rules/bom.md");
  });

  it("--explain of an unknown rule is a usage error", () => {
    const r = cli(["--explain", "no-such-rule"]);
    expect(r.code).toBe(2);
    oneLineError(r);
    expect(r.stderr).toContain("no-such-rule");
  });
});

describe("usage errors: one line on stderr, exit 2", () => {
  it.each([
    [["--bogus"], /unknown option '--bogus'/],
    [["--fixx"], /unknown option '--fixx' \(Did you mean --fix\?\)/],
    [["--max-warnings", "x", "a.conf"], /--max-warnings/],
    [["--max-warnings", "-1", "a.conf"], /--max-warnings/],
    [["--rule", "bom", "a.conf"], /<rule-id>=<severity>/],
    [["--rule", "bom=warn", "a.conf"], /severity must be one of off, info, warning, error/],
    [["--rule", "nope=off", "a.conf"], /unknown rule "nope"/],
    [["-f", "xml", "a.conf"], /Allowed choices are/],
    [["--apache-version", "2.2.34", "a.conf"], /2\.4\.x version/],
    [["--apache-version", "latest", "a.conf"], /2\.4\.x version/],
    [["-", "a.conf"], /cannot be combined/],
    [["--stdin", "a.conf"], /cannot be combined/],
    [["--stdin-filename", "x.conf", "a.conf"], /needs --stdin/],
    [["--explain"], /argument missing/],
  ])("%j", (args, message) => {
    write("a.conf", "Listen 80\n");
    const r = cli(args);
    expect(r.code).toBe(2);
    oneLineError(r);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe("");
  });
});

describe("linting and exit codes", () => {
  it("0 for a clean file with no output", () => {
    write("ok.conf", "Listen 80\n");
    const r = cli(["ok.conf"]);
    expect(r).toMatchObject({ code: 0, stdout: "", stderr: "" });
  });

  it("1 for an error, reported in the unix format when stdout is not a terminal", () => {
    write("a.conf", `${BOM}Listen 80\n`);
    const r = cli(["a.conf"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^a\.conf:1:1: error: .+ \[bom\]\n$/);
  });

  it("0 for warnings only; --max-warnings N fails above N", () => {
    // a comment after RewriteRule's flags is ignored by Apache: a warning
    write("w.conf", "RewriteRule ^/a$ /b [L] # one\nRewriteRule ^/c$ /d [L] # two\n");
    const plain = cli(["w.conf"]);
    expect(plain.code).toBe(0);
    expect(rulesIn(plain.stdout)).toEqual(["trailing-comment", "trailing-comment"]);
    expect(cli(["--max-warnings", "2", "w.conf"]).code).toBe(0);
    const over = cli(["--max-warnings", "1", "w.conf"]);
    expect(over.code).toBe(1);
    expect(over.stderr).toContain("too many warnings (2)");
  });

  it("-q reports errors only", () => {
    write("m.conf", `${BOM}RewriteRule ^/a$ /b [L] # one\n`);
    const all = cli(["m.conf"]);
    expect(rulesIn(all.stdout)).toEqual(["bom", "trailing-comment"]);
    const q = cli(["-q", "m.conf"]);
    expect(q.code).toBe(1);
    expect(rulesIn(q.stdout)).toEqual(["bom"]);
    expect(cli(["--quiet", "m.conf"]).stdout).toBe(q.stdout);
  });

  it("--rule changes a severity or turns a rule off, repeatably", () => {
    write("m.conf", `${BOM}RewriteRule ^/a$ /b [L] # one\n`);
    const off = cli(["--rule", "bom=off", "m.conf"]);
    expect(off.code).toBe(0);
    expect(rulesIn(off.stdout)).toEqual(["trailing-comment"]);
    const both = cli(["--rule", "bom=warning", "--rule", "trailing-comment=error", "m.conf"]);
    expect(both.code).toBe(1);
    expect(both.stdout).toMatch(/1:1: warning: .*\[bom\]/);
    expect(both.stdout).toMatch(/error: .*\[trailing-comment\]/);
    expect(cli(["--rule", "bom=info", "--rule", "trailing-comment=off", "m.conf"]).code).toBe(0);
  });

  it("-f selects the format; -o writes the report to a file and nothing to stdout", () => {
    write("a.conf", `${BOM}Listen 80\n`);
    const j = cli(["-f", "json", "a.conf"]);
    expect(j.code).toBe(1);
    expect(JSON.stringify(JSON.parse(j.stdout))).toContain('"bom"');
    const o = cli(["--format", "unix", "-o", "out/report.txt", "a.conf"]);
    expect(o.code).toBe(1);
    expect(o.stdout).toBe("");
    expect(readFileSync(join(dir, "out/report.txt"), "utf8")).toMatch(/^a\.conf:1:1: error: .+ \[bom\]\n$/);
    expect(cli(["--output-file", "r2.txt", "a.conf"]).stdout).toBe("");
    expect(readFileSync(join(dir, "r2.txt"), "utf8")).toContain("[bom]");
  });

  it("-o to a path that cannot be written is exit 2", () => {
    write("a.conf", "Listen 80\n");
    write("blocker", "a file, not a directory");
    const r = cli(["-o", "blocker/report.txt", "a.conf"]);
    expect(r.code).toBe(2);
    oneLineError(r);
  });

  it("--apache-version is passed to the rules", () => {
    // upgrade=websocket is mod_proxy_http's from 2.4.47: the rule suggests it only there
    const conf = [
      "RewriteEngine on",
      "RewriteCond %{HTTP:Upgrade} websocket [NC]",
      "RewriteRule ^/ws/(.*) ws://127.0.0.1:8080/ws/$1 [P,L]",
      "",
    ].join("\n");
    write("ws.conf", conf);
    const current = cli(["ws.conf"]);
    expect(rulesIn(current.stdout)).toContain("websocket-prefer-upgrade-param");
    const old = cli(["--apache-version", "2.4.46", "ws.conf"]);
    expect(rulesIn(old.stdout)).not.toContain("websocket-prefer-upgrade-param");
  });
});

describe("formats and colour", () => {
  it("GITHUB_ACTIONS=true makes github the default", () => {
    write("a.conf", `${BOM}Listen 80\n`);
    const r = cli(["a.conf"], { env: { GITHUB_ACTIONS: "true" } });
    expect(r.stdout).toMatch(/^::error file=a\.conf,line=1/m);
    // an explicit format wins
    expect(cli(["-f", "unix", "a.conf"], { env: { GITHUB_ACTIONS: "true" } }).stdout).toMatch(/^a\.conf:1:1: error/);
  });

  it("stylish in colour on a terminal; NO_COLOR and --no-color turn colour off", () => {
    write("a.conf", `${BOM}Listen 80\n`);
    const tty = cliOnTty(["a.conf"]);
    expect(tty).toMatch(/^(?:\x1b\[[0-9;]*m)*a\.conf(?:\x1b\[[0-9;]*m)*\r?$/m); // stylish names files as the user did
    expect(tty).toContain("\x1b[");
    const noColor = cliOnTty(["a.conf"], { NO_COLOR: "1" });
    expect(noColor).toMatch(/^a\.conf\r?$/m);
    expect(noColor).not.toContain("\x1b[");
    expect(cliOnTty(["--no-color", "a.conf"])).not.toContain("\x1b[");
    // the flag beats NO_COLOR
    expect(cliOnTty(["--color", "a.conf"], { NO_COLOR: "1" })).toContain("\x1b[");
  });

  it("--color forces colour into a pipe; the default there is none", () => {
    write("a.conf", `${BOM}Listen 80\n`);
    expect(cli(["-f", "stylish", "--color", "a.conf"]).stdout).toContain("\x1b[");
    expect(cli(["-f", "stylish", "a.conf"]).stdout).not.toContain("\x1b[");
    expect(cli(["-f", "stylish", "--color", "a.conf"], { env: { NO_COLOR: "1" } }).stdout).toContain("\x1b[");
  });
});

describe("paths", () => {
  it("a directory is searched for *.conf and .htaccess, skipping node_modules and .git", () => {
    write("conf/httpd.conf", `${BOM}Listen 80\n`);
    write("conf/sites/site.conf", `${BOM}Listen 81\n`);
    write("conf/www/.htaccess", `${BOM}Options -Indexes\n`);
    write("conf/README", `${BOM}not a config\n`);
    write("conf/site.conf.bak", `${BOM}not a config\n`);
    write("conf/node_modules/x/dep.conf", `${BOM}ServerName x\n`);
    write("conf/.git/hooks.conf", `${BOM}ServerName x\n`);
    const r = cli(["conf"]);
    expect(r.code).toBe(1);
    const files = [...r.stdout.matchAll(/^([^:]+):1:1:/gm)].map((m) => m[1]);
    expect(files).toEqual(["conf/httpd.conf", "conf/sites/site.conf", "conf/www/.htaccess"]);
  });

  it("no path means the working directory", () => {
    write("sub/a.conf", `${BOM}ServerName x\n`);
    expect(cli([]).stdout).toMatch(/^sub\/a\.conf:1:1: error/);
  });

  it("globs are expanded; paths outside the cwd are shown absolute", () => {
    write("conf/a.conf", `${BOM}ServerName x\n`);
    write("conf/b.txt", `${BOM}ServerName x\n`);
    write("conf/deep/c.conf", `${BOM}ServerName x\n`);
    const r = cli(["conf/**/*.conf"]);
    expect([...r.stdout.matchAll(/^([^:]+):1:1:/gm)].map((m) => m[1])).toEqual(["conf/a.conf", "conf/deep/c.conf"]);
    const outside = cli([join(dir, "conf/a.conf")], { cwd: join(dir, "conf/deep") });
    expect(outside.stdout).toMatch(new RegExp(`^${join(dir, "conf/a.conf")}:1:1:`));
    const none = cli(["nothing/*.conf"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toBe("apachelint: nothing/*.conf: no files match this pattern\n");
  });

  it("a file reached twice (symlink and target) is linted once", () => {
    write("available/site.conf", `${BOM}ServerName x\n`);
    mkdirSync(join(dir, "enabled"));
    symlinkSync("../available/site.conf", join(dir, "enabled/site.conf"));
    const r = cli(["."]);
    expect(r.stdout.trim().split("\n")).toHaveLength(1);
  });
});

describe("inputs that cannot be linted: one line naming the path, exit 2, the rest still linted", () => {
  const expectSkipped = (r: Result, path: string, reason: RegExp) => {
    expect(r.code).toBe(2);
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines.some((l) => l.startsWith(`apachelint: ${path}: `) && reason.test(l)), r.stderr).toBe(true);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    // the good file was linted
    expect(r.stdout).toMatch(/^good\.conf:1:1: error: .*\[bom\]$/m);
  };

  beforeEach(() => {
    write("good.conf", `${BOM}Listen 80\n`);
  });

  it("a nonexistent path", () => {
    expectSkipped(cli(["missing.conf", "good.conf"]), "missing.conf", /no such file or directory/);
  });

  it("a binary file", () => {
    write("bin.conf", Buffer.from([0x4c, 0x69, 0, 0xff, 0x0a]));
    expectSkipped(cli(["bin.conf", "good.conf"]), "bin.conf", /binary file \(NUL byte at offset 2\)/);
  });

  it("a directory with no config files", () => {
    write("empty/notes.txt", "x");
    expectSkipped(cli(["empty", "good.conf"]), "empty", /no Apache config files/);
  });

  it("a dangling symbolic link", () => {
    symlinkSync("gone.conf", join(dir, "dangling.conf"));
    expectSkipped(cli(["dangling.conf", "good.conf"]), "dangling.conf", /dangling symbolic link/);
  });

  it("a FIFO (not waited on)", () => {
    execFileSync("mkfifo", [join(dir, "fifo.conf")]);
    expectSkipped(cli(["fifo.conf", "good.conf"]), "fifo.conf", /not a regular file/);
  });

  it("a file over 256 MiB (sparse: never read)", () => {
    const p = write("huge.conf", "");
    truncateSync(p, 256 * 1024 * 1024 + 1);
    expectSkipped(cli(["huge.conf", "good.conf"]), "huge.conf", /file too large/);
  });

  it("a file the user may not read (EACCES)", () => {
    write("secret.conf", "Listen 80\n");
    chmodSync(join(dir, "secret.conf"), 0o000);
    let r: Result;
    if (process.getuid?.() === 0) {
      // root reads everything: run as nobody for a real EACCES
      chmodSync(dir, 0o755);
      chmodSync(join(dir, "good.conf"), 0o644);
      const p = spawnSync("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", process.execPath, CLI, "secret.conf", "good.conf"], {
        cwd: dir,
        env: cleanEnv(),
      });
      r = { code: p.status, stdout: p.stdout.toString(), stderr: p.stderr.toString(), out: p.stdout };
    } else {
      r = cli(["secret.conf", "good.conf"]);
    }
    expectSkipped(r, "secret.conf", /permission denied/);
  });

  it("nothing lintable at all is still exit 2", () => {
    const r = cli(["missing.conf"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("apachelint: missing.conf: no such file or directory\n");
  });
});

describe("encoding", () => {
  it("invalid UTF-8 is linted with a notice naming the first bad byte, and --fix keeps every byte", () => {
    // a Latin-1 é in a comment, a BOM to fix and an unclosed section to fix
    const before = Buffer.concat([
      Buffer.from(`${BOM}# caf`),
      Buffer.of(0xe9),
      Buffer.from(" \u2014 latin-1\n<VirtualHost *:80>\n    ServerName x\n"),
    ]);
    const p = write("latin1.conf", before);
    const lint = cli(["latin1.conf"]);
    expect(lint.code).toBe(1);
    expect(lint.stderr).toBe("apachelint: latin1.conf: not valid UTF-8 (first bad byte 0xE9 at 1:7); linted with the bytes kept as they are\n");
    expect(rulesIn(lint.stdout)).toEqual(["bom", "section-unclosed"]);
    const fix = cli(["--fix", "latin1.conf"]);
    expect(fix.code).toBe(0);
    const after = readFileSync(p);
    const expected = Buffer.concat([
      Buffer.from("# caf"),
      Buffer.of(0xe9),
      Buffer.from(" \u2014 latin-1\n<VirtualHost *:80>\n    ServerName x\n</VirtualHost>\n"),
    ]);
    expect(after.toString("hex")).toBe(expected.toString("hex"));
  });
});

describe("--fix", () => {
  it("writes in place, keeping mode 0640, CRLF line endings and a BOM the bom rule did not remove", () => {
    const p = write("crlf.conf", `${BOM}Listen 80\r\n<VirtualHost *:80>\r\n    ServerName x\r\n`);
    chmodSync(p, 0o640);
    const r = cli(["--fix", "--rule", "bom=off", "crlf.conf"]);
    expect(r.code).toBe(0);
    expect(readFileSync(p, "utf8")).toBe(`${BOM}Listen 80\r\n<VirtualHost *:80>\r\n    ServerName x\r\n</VirtualHost>\r\n`);
    expect(statSync(p).mode & 0o7777).toBe(0o640);
    expect(readdirSync(dir).sort()).toEqual([".git", "crlf.conf"]);
  });

  it("removes a BOM when the bom rule is on (an intended edit)", () => {
    const p = write("bom.conf", `${BOM}Listen 80\n`);
    expect(cli(["--fix", "bom.conf"]).code).toBe(0);
    expect(readFileSync(p, "utf8")).toBe("Listen 80\n");
  });

  it("exit code follows what is left; unsafe fixes are counted, applied only with --unsafe-fixes", () => {
    // ProxyPassReverse present: only the trailing-slash warning's unsafe fix is left after the BOM
    const conf = `${BOM}ProxyPass /app/ http://127.0.0.1:8080/app\nProxyPassReverse /app/ http://127.0.0.1:8080/app/\n`;
    const p = write("u.conf", conf);
    const r = cli(["--fix", "u.conf"]);
    expect(r.code).toBe(0); // bom fixed; the warning that is left is not an error
    expect(rulesIn(r.stdout)).toEqual(["proxypass-trailing-slash"]);
    expect(r.stderr).toBe("apachelint: 1 more fix is available with --unsafe-fixes\n");
    expect(readFileSync(p, "utf8")).toBe("ProxyPass /app/ http://127.0.0.1:8080/app\nProxyPassReverse /app/ http://127.0.0.1:8080/app/\n");
    const u = cli(["--fix", "--unsafe-fixes", "u.conf"]);
    expect(u.code).toBe(0);
    expect(u.stdout).toBe("");
    expect(u.stderr).toBe("");
    expect(readFileSync(p, "utf8")).toBe("ProxyPass /app/ http://127.0.0.1:8080/app/\nProxyPassReverse /app/ http://127.0.0.1:8080/app/\n");
  });

  it("the stylish report tells about hidden unsafe fixes itself", () => {
    write("u.conf", "ProxyPass /app/ http://127.0.0.1:8080/app\n");
    const r = cli(["-f", "stylish", "u.conf"]);
    expect(r.stdout).toContain("--unsafe-fixes");
    expect(r.stderr).toBe("");
  });

  it("writes through a symbolic link and keeps the link", () => {
    write("available/site.conf", `${BOM}Listen 80\n`);
    mkdirSync(join(dir, "enabled"));
    symlinkSync("../available/site.conf", join(dir, "enabled/site.conf"));
    expect(cli(["--fix", "enabled/site.conf"]).code).toBe(0);
    expect(lstatSync(join(dir, "enabled/site.conf")).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, "available/site.conf"), "utf8")).toBe("Listen 80\n");
  });

  it("leaves an unchanged file untouched (same inode and mtime)", () => {
    const p = write("ok.conf", "Listen 80\n");
    const before = statSync(p);
    expect(cli(["--fix", "ok.conf"]).code).toBe(0);
    const after = statSync(p);
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
  });
});

describe("--diff", () => {
  const files: Record<string, string> = {
    "conf/crlf.conf": `${BOM}Listen 80\r\n<VirtualHost *:80>\r\n    ServerName a\r\n`,
    "conf/no-eol.conf": "Listen 80\n<VirtualHost *:80>\n    ServerName b",
    "conf/www/.htaccess": `${BOM}Options -Indexes\n`,
    "conf/clean.conf": "Listen 8080\n",
    "conf/my site.conf": "<VirtualHost *:80>\n    ServerName c\n",
    "conf/café.conf": "<VirtualHost *:80>\n    ServerName d\n",
    "conf/long.conf": `${BOM}${Array.from({ length: 12 }, (_, i) => `# line ${i}\n`).join("")}<Directory /srv>\n    Require all granted\n`,
  };

  function tree(root: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const rel of Object.keys(files)) out[rel] = readFileSync(join(root, rel)).toString("hex");
    return out;
  }

  it("prints a patch that git apply and patch -p1 turn into exactly what --fix writes", () => {
    for (const [rel, text] of Object.entries(files)) write(rel, text);
    const original = tree(dir);
    const d = cli(["--diff", "conf"]);
    expect(d.code).toBe(1);
    expect(tree(dir)).toEqual(original); // --diff writes nothing
    expect(d.stdout).toContain("--- a/conf/crlf.conf\n+++ b/conf/crlf.conf\n");
    expect(d.stdout).toContain("\\ No newline at end of file");
    expect(d.stdout).not.toContain("clean.conf");
    expect(d.stdout).toContain('--- "a/conf/my site.conf"\n');

    const viaGit = mkdtempSync(join(tmpdir(), "apachelint-git-"));
    const viaPatch = mkdtempSync(join(tmpdir(), "apachelint-patch-"));
    try {
      for (const copy of [viaGit, viaPatch]) cpSync(dir, copy, { recursive: true });
      execFileSync("git", ["apply", "--whitespace=nowarn", "-"], { cwd: viaGit, input: d.out });
      execFileSync("patch", ["-p1", "--quiet", "--no-backup-if-mismatch"], { cwd: viaPatch, input: d.out });
      const fix = cli(["--fix", "conf"]);
      expect(fix.code).toBe(0);
      const fixed = tree(dir);
      expect(fixed).not.toEqual(original);
      expect(tree(viaGit)).toEqual(fixed);
      expect(tree(viaPatch)).toEqual(fixed);
      // and a second --diff has nothing left to say
      const again = cli(["--diff", "conf"]);
      expect(again).toMatchObject({ code: 0, stdout: "" });
    } finally {
      rmSync(viaGit, { recursive: true, force: true });
      rmSync(viaPatch, { recursive: true, force: true });
    }
  });

  it("names files from the repository root even from a subdirectory, and reports to stderr", () => {
    write("conf/a.conf", `${BOM}Listen 80\n`);
    const r = cli(["--diff", "a.conf"], { cwd: join(dir, "conf") });
    expect(r.stdout).toBe(`--- a/conf/a.conf\n+++ b/conf/a.conf\n@@ -1,1 +1,1 @@\n-${BOM}Listen 80\n+Listen 80\n`);
    expect(r.code).toBe(1);
    // nothing is left after the fix, so the report is empty
    expect(r.stderr).toBe("");
  });

  it("keeps invalid UTF-8 bytes in the patch", () => {
    const p = write("l1.conf", Buffer.concat([Buffer.from(`${BOM}# caf`), Buffer.of(0xe9), Buffer.from("\nListen 80\n")]));
    const r = cli(["--diff", "l1.conf"]);
    expect(r.out.includes(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]))).toBe(true);
    execFileSync("git", ["apply", "-"], { cwd: dir, input: r.out });
    expect(readFileSync(p).toString("hex")).toBe(Buffer.concat([Buffer.from("# caf"), Buffer.of(0xe9), Buffer.from("\nListen 80\n")]).toString("hex"));
  });
});

describe("standard input", () => {
  it("- and --stdin lint standard input as <stdin>", () => {
    for (const flag of ["-", "--stdin"]) {
      const r = cli([flag], { input: `${BOM}Listen 80\n` });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^<stdin>:1:1: error: .*\[bom\]$/m);
    }
  });

  it("--stdin-filename names it, finds its config and makes a .htaccess per-directory", () => {
    write("site/.apachelintrc.json", JSON.stringify({ rules: { bom: "warning" } }));
    const r = cli(["--stdin", "--stdin-filename", "site/www/.htaccess"], { input: `${BOM}Options -Indexes\n` });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^site\/www\/\.htaccess:1:1: warning: .*\[bom\]$/m);
  });

  it("--fix prints the fixed text on stdout, the report on stderr", () => {
    const r = cli(["--fix", "-"], { input: `${BOM}<VirtualHost *:80>\r\n    ServerName x # name\r\n` });
    // three fixes: the BOM goes, the comment moves above its directive, the section is closed; CRLF kept
    expect(r.stdout).toBe("<VirtualHost *:80>\r\n    # name\r\n    ServerName x\r\n</VirtualHost>\r\n");
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    // what is left is reported on stderr
    const left = cli(["--fix", "--stdin"], { input: "ProxyPass /app/ http://127.0.0.1:8080/app\n" });
    expect(left.stdout).toBe("ProxyPass /app/ http://127.0.0.1:8080/app\n");
    expect(left.stderr).toMatch(/^<stdin>:1:\d+: warning: .*\[proxypass-trailing-slash\]$/m);
  });

  it("--fix on clean input echoes it byte for byte, invalid UTF-8 included", () => {
    const input = Buffer.concat([Buffer.from("# caf"), Buffer.of(0xe9), Buffer.from("\nListen 80")]);
    const r = cli(["--fix", "--stdin"], { input });
    expect(r.out.equals(input)).toBe(true);
    expect(r.code).toBe(0);
  });

  it("binary standard input is exit 2", () => {
    const r = cli(["-"], { input: Buffer.from([0x41, 0, 0x42]) });
    expect(r.code).toBe(2);
    oneLineError(r);
  });
});

describe("configuration files", () => {
  it("the nearest .apachelintrc.json wins", () => {
    write(".apachelintrc.json", JSON.stringify({ rules: { bom: "off" } }));
    write("sites/.apachelintrc.json", JSON.stringify({ rules: { bom: "warning" } }));
    write("top.conf", `${BOM}ServerName x\n`);
    write("sites/deep/a.conf", `${BOM}ServerName x\n`);
    const r = cli(["."]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^sites\/deep\/a\.conf:1:1: warning: .*\[bom\]\n$/);
  });

  it("the search stops at the repository root", () => {
    const outer = mkdtempSync(join(tmpdir(), "apachelint-outer-"));
    try {
      writeFileSync(join(outer, ".apachelintrc.json"), JSON.stringify({ rules: { bom: "off" } }));
      const repo = join(outer, "repo");
      execFileSync("git", ["init", "-q", repo]);
      writeFileSync(join(repo, "a.conf"), `${BOM}ServerName x\n`);
      expect(cli(["a.conf"], { cwd: repo }).code).toBe(1);
      // without the repository in between, the outer config applies
      rmSync(join(repo, ".git"), { recursive: true });
      expect(cli(["a.conf"], { cwd: repo }).code).toBe(0);
    } finally {
      rmSync(outer, { recursive: true, force: true });
    }
  });

  it("apacheVersion in the config is used; --apache-version overrides it", () => {
    const conf = ["RewriteEngine on", "RewriteCond %{HTTP:Upgrade} websocket [NC]", "RewriteRule ^/ws/(.*) ws://127.0.0.1:8080/ws/$1 [P,L]", ""].join("\n");
    write("ws.conf", conf);
    write(".apachelintrc.json", JSON.stringify({ apacheVersion: "2.4.46" }));
    expect(rulesIn(cli(["ws.conf"]).stdout)).not.toContain("websocket-prefer-upgrade-param");
    expect(rulesIn(cli(["--apache-version", "2.4.62", "ws.conf"]).stdout)).toContain("websocket-prefer-upgrade-param");
  });

  it("--rule overrides the config; -c uses one file for all; --no-config uses none", () => {
    write(".apachelintrc.json", JSON.stringify({ rules: { bom: "off" } }));
    write("other.json", JSON.stringify({ rules: { bom: "info" } }));
    write("a.conf", `${BOM}ServerName x\n`);
    expect(cli(["a.conf"]).code).toBe(0);
    expect(cli(["--rule", "bom=error", "a.conf"]).code).toBe(1);
    expect(cli(["--no-config", "a.conf"]).code).toBe(1);
    const c = cli(["-c", "other.json", "a.conf"]);
    expect(c.stdout).toMatch(/1:1: info: .*\[bom\]/);
    expect(cli(["--config", "other.json", "a.conf"]).stdout).toBe(c.stdout);
    const missing = cli(["-c", "nope.json", "a.conf"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("apachelint: nope.json: no such file or directory\n");
  });

  it.each([
    [{ rulez: {} }, 'unknown key "rulez"'],
    [{ rules: { "no-such-rule": "off" } }, 'rules: unknown rule "no-such-rule"'],
    [{ rules: { bom: "warn" } }, "rules.bom:"],
    [{ apacheVersion: "2.2" }, "apacheVersion:"],
  ])("%j is an error naming the file and key (exit 2)", (config, message) => {
    write("conf/.apachelintrc.json", JSON.stringify(config));
    write("conf/a.conf", "Listen 80\n");
    const r = cli(["conf"]);
    expect(r.code).toBe(2);
    oneLineError(r);
    expect(r.stderr).toContain(`apachelint: conf/.apachelintrc.json: ${message}`);
  });

  it("invalid JSON is exit 2 naming the file", () => {
    write(".apachelintrc.json", "{ rules: ");
    write("a.conf", "Listen 80\n");
    const r = cli(["a.conf"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^apachelint: \.apachelintrc\.json: invalid JSON/);
  });

  it("ignorePatterns skip files relative to the config's directory", () => {
    write("conf/.apachelintrc.json", JSON.stringify({ ignorePatterns: ["vendor/", "*.generated.conf"] }));
    write("conf/vendor/v.conf", `${BOM}ServerName x\n`);
    write("conf/x.generated.conf", `${BOM}ServerName x\n`);
    write("conf/real.conf", `${BOM}ServerName x\n`);
    const r = cli(["conf"]);
    expect([...r.stdout.matchAll(/^([^:]+):1:1:/gm)].map((m) => m[1])).toEqual(["conf/real.conf"]);
    // a file named explicitly is skipped with a notice
    const e = cli(["conf/vendor/v.conf"]);
    expect(e).toMatchObject({ code: 0, stdout: "" });
    expect(e.stderr).toBe("apachelint: conf/vendor/v.conf: ignored by ignorePatterns in conf/.apachelintrc.json\n");
  });
});

describe("inline suppressions, end to end", () => {
  it("disable-next-line, disable/enable, disable-file, and unused ones reported", () => {
    const conf = [
      "# apachelint-disable-next-line trailing-comment -- kept for the docs",
      "Listen 80 # one",
      "Listen 81 # two",
      "# apachelint-disable trailing-comment",
      "Listen 82 # three",
      "# apachelint-enable trailing-comment",
      "Listen 83 # four",
      "# apachelint-disable-next-line bom",
      "Listen 84",
      "",
    ].join("\n");
    write("s.conf", conf);
    const r = cli(["s.conf"]);
    const found = [...r.stdout.matchAll(/^s\.conf:(\d+):\d+: \w+: .*\[([a-z-]+)\]$/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(found).toEqual(["3 trailing-comment", "7 trailing-comment", "8 suppression-unused"]);
    write("f.conf", `${BOM}# apachelint-disable-file bom\nListen 80\n`);
    expect(cli(["f.conf"])).toMatchObject({ code: 0, stdout: "" });
  });
});

describe("server knowledge", () => {
  it("a file in a Debian tree is linted with the modules a2enmod enabled there", () => {
    const vhost = "<VirtualHost *:80>\n    ProxyPreserveHost On\n    ProxyPass /ws/ ws://127.0.0.1:8080/ws/\n</VirtualHost>\n";
    write("apache2/apache2.conf", "# main\n");
    write("apache2/mods-enabled/proxy.load", "LoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so\n");
    write("apache2/sites-enabled/ws.conf", vhost);
    write("lone/ws.conf", vhost);
    // in the tree, mod_proxy_http is known to be missing
    expect(rulesIn(cli(["apache2/sites-enabled/ws.conf"]).stdout)).toEqual(["module-not-loaded"]);
    // alone, the file's modules are loaded elsewhere: nothing to say
    expect(cli(["lone/ws.conf"])).toMatchObject({ code: 0, stdout: "" });
    write("apache2/mods-enabled/proxy_http.load", "LoadModule proxy_http_module /usr/lib/apache2/modules/mod_proxy_http.so\n");
    expect(cli(["apache2/sites-enabled/ws.conf"])).toMatchObject({ code: 0, stdout: "" });
  });

  it("takes module-not-loaded's former id, websocket-module-missing, in --rule, a config and --explain", () => {
    const vhost = "<VirtualHost *:80>\n    ProxyPreserveHost On\n    ProxyPass /ws/ ws://127.0.0.1:8080/ws/\n</VirtualHost>\n";
    write("apache2/apache2.conf", "# main\n");
    write("apache2/mods-enabled/proxy.load", "LoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so\n");
    write("apache2/sites-enabled/ws.conf", vhost);
    expect(cli(["--rule", "websocket-module-missing=off", "apache2/sites-enabled/ws.conf"])).toMatchObject({ code: 0, stdout: "" });
    write("apache2/.apachelintrc.json", '{ "rules": { "websocket-module-missing": "off" } }\n');
    expect(cli(["apache2/sites-enabled/ws.conf"])).toMatchObject({ code: 0, stdout: "" });
    const explained = cli(["--explain", "websocket-module-missing"]);
    expect(explained.code).toBe(0);
    expect(explained.stdout).toMatch(/^module-not-loaded \(correctness, error/);
  });
});

describe("SARIF from the command line", () => {
  it("links every rule to its documentation page in the repository package.json names", () => {
    write("a.conf", "\uFEFFServerName x\n<VirtualHost *:80>\n");
    const r = cli(["-f", "sarif", "a.conf"]);
    expect(r.code).toBe(1);
    const driver = JSON.parse(r.stdout).runs[0].tool.driver;
    expect(driver.informationUri).toBe("https://github.com/apachelint/apachelint#readme");
    const rules = driver.rules as { id: string; helpUri?: string }[];
    expect(rules.length).toBe(allRules.length);
    const blob = "https://github.com/apachelint/apachelint/blob/main/";
    for (const rule of rules) {
      expect(rule.helpUri, rule.id).toBe(`${blob}docs/rules/${rule.id}.md`);
      // the page the URL names is the one in this tree
      expect(existsSync(join(PROJECT_ROOT, rule.helpUri!.slice(blob.length))), rule.helpUri).toBe(true);
    }
  });
});

describe("the README's first command", () => {
  it("npx apachelint runs the package's own bin on the example", () => {
    // as from a user's shell: not inside `npm test`, whose npm_* variables change how npx resolves bins
    const env = Object.fromEntries(Object.entries(cleanEnv()).filter(([k]) => !/^npm_/i.test(k)));
    const r = spawnSync("npx", ["--no-install", "apachelint", "-f", "unix", "examples/websocket-tutorial.conf"], { cwd: PROJECT_ROOT, env, encoding: "utf8", timeout: 60_000 });
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^examples\/websocket-tutorial\.conf:8:15: error: .*\[rewrite-var-sigil\]$/m);
  });
});
