// --cache, in-process with the real rules and formatters on real files. Every
// read of a .conf file by the code under test (readSource opens it, the cache
// and the tree stamps read it whole) is recorded by wrapping node:fs, so
// "not read" is observed from outside the cache, not taken from its own counts.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const reads = vi.hoisted(() => ({ paths: [] as string[] }));
vi.mock("node:fs", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs")>();
  const note = (p: unknown) => {
    if (typeof p === "string" && /\.(conf|load)$/.test(p)) reads.paths.push(p);
  };
  const wrapped = {
    ...fs,
    openSync: ((p: unknown, ...rest: unknown[]) => (note(p), (fs.openSync as (...a: unknown[]) => number)(p, ...rest))) as typeof fs.openSync,
    readFileSync: ((p: unknown, ...rest: unknown[]) => (note(p), (fs.readFileSync as (...a: unknown[]) => unknown)(p, ...rest))) as typeof fs.readFileSync,
  };
  return { ...wrapped, default: wrapped };
});

const { run } = await import("../src/cli/run.js");
const { formatFor, formatNames } = await import("../src/formatters/lazy.js");
const { RACY_MS, CACHE_FILE_NAME } = await import("../src/cli/cache.js");
type RunOptions = import("../src/cli/run.js").RunOptions;

let dir: string;
beforeEach(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), "apachelint-cache-")));
  mkdirSync(join(dir, ".git"));
});
afterEach(() => {
  chmodSync(dir, 0o755);
  rmSync(dir, { recursive: true, force: true });
});

function write(rel: string, text: string): string {
  const p = join(dir, rel);
  mkdirSync(join(p, ".."), { recursive: true });
  writeFileSync(p, text);
  return p;
}

/** Lets the files written so far age past the window in which their stat cannot vouch for their bytes. */
const settle = () => new Promise((r) => setTimeout(r, RACY_MS + 150));

interface Result {
  code: number;
  stdout: string;
  stderr: string;
  /** the .conf files read during the run, relative to the test directory */
  read: string[];
  /** the APACHELINT_DEBUG_CACHE line, parsed */
  cache?: { reused: number; unread: number; linted: number };
}

async function go(o: Partial<RunOptions>, env: { toolVersion?: string } = {}): Promise<Result> {
  let stdout = "";
  let stderr = "";
  const dec = (d: string | Uint8Array) => (typeof d === "string" ? d : Buffer.from(d).toString("utf8"));
  reads.paths = [];
  const code = await run(
    { paths: ["."], stdin: false, fix: false, unsafeFixes: false, diff: false, quiet: false, rules: {}, format: "unix", ...o },
    {
      cwd: dir,
      env: { APACHELINT_DEBUG_CACHE: "1" },
      stdout: { write: (d) => (stdout += dec(d)) },
      stderr: { write: (d) => (stderr += dec(d)) },
      readStdin: async () => Buffer.alloc(0),
      formatFor,
      formatNames,
      toolVersion: env.toolVersion ?? "0.1.0",
    },
  );
  const read = [...new Set(reads.paths)].filter((p) => p.startsWith(`${dir}/`)).map((p) => p.slice(dir.length + 1)).sort();
  const m = /cache: (\d+) reused \((\d+) of them not read\), (\d+) linted/.exec(stderr);
  const r: Result = { code, stdout, stderr, read };
  if (m) r.cache = { reused: Number(m[1]), unread: Number(m[2]), linted: Number(m[3]) };
  return r;
}

const site = (n: number) => {
  const name = `site-${String(n).padStart(4, "0")}`;
  let text = `<VirtualHost *:80>\n  ServerName ${name}.example\n  DocumentRoot /var/www/${name}\n`;
  // one site in a hundred has findings: a warning with an unsafe fix, and an error with a safe one
  if (n % 100 === 7) text += `  ProxyPass /app http://127.0.0.1:8080/app/\n  ProxyPass /ws/ wss:/127.0.0.1:9000/\n`;
  return { rel: `sites/${name}.conf`, text: `${text}</VirtualHost>\n` };
};

function writeSites(count: number): string[] {
  const rels: string[] = [];
  for (let n = 0; n < count; n++) {
    const s = site(n);
    write(s.rel, s.text);
    rels.push(s.rel);
  }
  return rels;
}

describe("--cache on a tree of 1,000 files", () => {
  it("lints every file once, then reads and lints only the file that changed; the report is the uncached run's", async () => {
    const rels = writeSites(1000);
    await settle();
    const first = await go({ cache: true });
    expect(first.cache).toEqual({ reused: 0, unread: 0, linted: 1000 });
    expect(first.read).toHaveLength(1000);
    expect(first.code).toBe(1);

    const changed = rels[500]!;
    write(changed, readFileSync(join(dir, changed), "utf8").replace("DocumentRoot", "# moved\n  DocumentRoot"));
    const second = await go({ cache: true });
    expect(second.read).toEqual([changed]);
    expect(second.cache).toEqual({ reused: 999, unread: 999, linted: 1 });
    const uncached = await go({});
    expect(uncached.read).toHaveLength(1000);
    expect(second.stdout).toBe(uncached.stdout);
    expect(second.stderr.replace(/^apachelint: cache:.*\n/m, "")).toBe(uncached.stderr);
    expect(second.code).toBe(uncached.code);

    // the formats that need a file's text read it, and only for the files with findings
    const json = await go({ cache: true, format: "json" });
    const jsonUncached = await go({ format: "json" });
    expect(json.stdout).toBe(jsonUncached.stdout);
    expect(json.cache).toEqual({ reused: 1000, unread: 999, linted: 0 });
    expect(json.read).toEqual(expect.arrayContaining(["sites/site-0007.conf", changed]));
    expect(json.read.length).toBe(11);
  }, 120_000);

  it("a changed rule setting, Apache version, config file or tool version makes every result stale", async () => {
    writeSites(1000);
    await settle();
    expect((await go({ cache: true })).cache?.linted).toBe(1000);
    expect((await go({ cache: true })).cache?.linted).toBe(0);

    const ruleOff = await go({ cache: true, rules: { "proxypass-trailing-slash": "off" } });
    expect(ruleOff.cache).toEqual({ reused: 0, unread: 0, linted: 1000 });
    expect(ruleOff.stdout).not.toContain("proxypass-trailing-slash");
    expect(ruleOff.stdout).toBe((await go({ rules: { "proxypass-trailing-slash": "off" } })).stdout);

    expect((await go({ cache: true, apacheVersion: { major: 2, minor: 4, patch: 40 } })).cache?.linted).toBe(1000);
    expect((await go({ cache: true, apacheVersion: { major: 2, minor: 4, patch: 40 } })).cache?.linted).toBe(0);

    // the nearest .apachelintrc.json decides each file's severities
    write(".apachelintrc.json", JSON.stringify({ rules: { "proxy-url-malformed": "warning" } }));
    const configured = await go({ cache: true, apacheVersion: { major: 2, minor: 4, patch: 40 } });
    expect(configured.cache?.linted).toBe(1000);
    expect(configured.code).toBe(0);

    expect((await go({ cache: true, apacheVersion: { major: 2, minor: 4, patch: 40 } }, { toolVersion: "0.2.0" })).cache?.linted).toBe(1000);
    // -q runs fewer rules: its results are not those of a full run
    expect((await go({ cache: true, quiet: true, apacheVersion: { major: 2, minor: 4, patch: 40 } }, { toolVersion: "0.2.0" })).cache?.linted).toBe(1000);
  }, 120_000);
});

describe("--cache and Includes", () => {
  it("a changed included file makes its includer stale, through a chain of Includes; a new file matching a wildcard too", async () => {
    write("main.conf", `ServerName main.example\nInclude ${dir}/conf.d/*.conf\n`);
    write("conf.d/a.conf", `Include ${dir}/deep/b.conf\n`);
    write("deep/b.conf", "ServerAdmin admin@example.com\n");
    write("other.conf", "ServerName other.example\n");
    await settle();
    expect((await go({ cache: true, paths: ["main.conf", "other.conf"] })).cache?.linted).toBe(4);
    const again = await go({ cache: true, paths: ["main.conf", "other.conf"] });
    // what the Includes lead to is resolved again: the includers are read, the leaves are not
    expect(again.cache).toEqual({ reused: 4, unread: 2, linted: 0 });
    expect(again.read).toEqual(["conf.d/a.conf", "main.conf"]);

    write("deep/b.conf", "ServerAdmin admin@example.com\nProxyPass /x wss:/backend/\n");
    const changed = await go({ cache: true, paths: ["main.conf", "other.conf"] });
    expect(changed.cache).toEqual({ reused: 1, unread: 1, linted: 3 });
    expect(changed.stdout).toContain("deep/b.conf:2:");
    expect(changed.stdout).toBe((await go({ paths: ["main.conf", "other.conf"] })).stdout);

    await settle();
    await go({ cache: true, paths: ["main.conf", "other.conf"] });
    write("conf.d/new.conf", "ServerAlias www.example\n");
    const grown = await go({ cache: true, paths: ["main.conf", "other.conf"] });
    // main.conf (its wildcard matches one file more) and the new file
    expect(grown.cache?.linted).toBe(2);
    expect(grown.stdout).toBe((await go({ paths: ["main.conf", "other.conf"] })).stdout);
  }, 60_000);

  it("an Include whose file goes away is reported on the next run", async () => {
    write("main.conf", `Include ${dir}/extra.conf\n`);
    write("extra.conf", "ServerAdmin admin@example.com\n");
    await settle();
    expect((await go({ cache: true, paths: ["main.conf"] })).code).toBe(0);
    rmSync(join(dir, "extra.conf"));
    const gone = await go({ cache: true, paths: ["main.conf"] });
    expect(gone.code).toBe(1);
    expect(gone.stdout).toContain("[include-missing]");
  });

  it("in a Debian tree, a module enabled with a2enmod makes the sites stale", async () => {
    write("apache2/apache2.conf", "ServerRoot /etc/apache2\n");
    mkdirSync(join(dir, "apache2/mods-enabled"));
    mkdirSync(join(dir, "apache2/mods-available"));
    write("apache2/sites-available/app.conf", "<VirtualHost *:80>\n  ProxyPass /app http://127.0.0.1:8080/app\n</VirtualHost>\n");
    mkdirSync(join(dir, "apache2/sites-enabled"));
    symlinkSync("../sites-available/app.conf", join(dir, "apache2/sites-enabled/app.conf"));
    await settle();
    const before = await go({ cache: true, paths: ["apache2/sites-available/app.conf"] });
    expect(before.stdout).toContain("[module-not-loaded]");
    for (const m of ["proxy", "proxy_http"]) {
      write(`apache2/mods-available/${m}.load`, `LoadModule ${m}_module /usr/lib/apache2/modules/mod_${m}.so\n`);
      symlinkSync(`../mods-available/${m}.load`, join(dir, `apache2/mods-enabled/${m}.load`));
    }
    const after = await go({ cache: true, paths: ["apache2/sites-available/app.conf"] });
    expect(after.cache?.linted).toBe(1);
    expect(after.stdout).not.toContain("[module-not-loaded]");
    expect(after.stdout).toBe((await go({ paths: ["apache2/sites-available/app.conf"] })).stdout);
  });
});

describe("--cache with --fix and --diff", () => {
  it("--fix reads only the files whose recorded result has a fix to apply; the fixed file is linted anew next time", async () => {
    writeSites(300);
    await settle();
    await go({ cache: true });
    const fixed = await go({ cache: true, fix: true });
    // site-0007, -0107 and -0207 carry the safe wss:// fix; nothing else is read
    expect(fixed.read).toEqual(["sites/site-0007.conf", "sites/site-0107.conf", "sites/site-0207.conf"]);
    expect(readFileSync(join(dir, "sites/site-0007.conf"), "utf8")).toContain("wss://127.0.0.1:9000/");
    const next = await go({ cache: true, fix: true });
    expect(next.cache).toEqual({ reused: 297, unread: 297, linted: 3 });
    expect(next.stdout).toBe((await go({ fix: true })).stdout);
  }, 60_000);

  it("--diff prints the same patch as without the cache, and --unsafe-fixes finds the unsafe fixes a safe-only run left", async () => {
    writeSites(300);
    await settle();
    await go({ cache: true });
    const diff = await go({ cache: true, diff: true });
    expect(diff.stdout).toContain("+++ b/sites/site-0007.conf");
    expect(diff.stdout).toBe((await go({ diff: true })).stdout);
    const unsafe = await go({ cache: true, diff: true, unsafeFixes: true });
    expect(unsafe.stdout).toBe((await go({ diff: true, unsafeFixes: true })).stdout);
    expect(unsafe.stdout).toContain("http://127.0.0.1:8080/app");
    expect(unsafe.read).toHaveLength(3);
  }, 60_000);
});

describe("when a file's stat vouches for its bytes", () => {
  it("an edit of the same size with the old mtime put back is still seen (the ctime moved)", async () => {
    const p = write("a.conf", "ServerName aaaa.example\n");
    const { utimesSync, statSync } = await import("node:fs");
    const old = statSync(p);
    await settle();
    await go({ cache: true });
    writeFileSync(p, "ProxyPass /x wss:/bb\n".padEnd(24, "#").slice(0, 23) + "\n");
    utimesSync(p, old.atime, old.mtime);
    expect(statSync(p).size).toBe(old.size);
    const r = await go({ cache: true });
    expect(r.read).toEqual(["a.conf"]);
    expect(r.stdout).toContain("[proxy-url-malformed]");
  });

  it("a file read within RACY_MS of its last change is read again next time, then trusted", async () => {
    write("a.conf", "ServerName a.example\n");
    await go({ cache: true });
    const second = await go({ cache: true });
    expect(second.cache).toEqual({ reused: 1, unread: 0, linted: 0 });
    await settle();
    expect((await go({ cache: true })).cache).toEqual({ reused: 1, unread: 0, linted: 0 });
    expect((await go({ cache: true })).cache).toEqual({ reused: 1, unread: 1, linted: 0 });
  });
});

describe("the cache file", () => {
  it("a corrupt, truncated or foreign cache file is ignored and replaced", async () => {
    writeSites(5);
    const location = join(dir, CACHE_FILE_NAME);
    for (const junk of ["not json", '{"format":1,"header":"x","entr', '{"format":1,"entries":{"/x":5}}', "null", "[]"]) {
      writeFileSync(location, junk);
      const r = await go({ cache: true });
      expect(r.code).toBe(0);
      expect(r.cache?.linted).toBe(5);
      expect(r.stderr).not.toMatch(/internal error|at .*\.ts:/);
      expect(JSON.parse(readFileSync(location, "utf8")).format).toBe(1);
    }
  });

  it("--cache-location names the file, or a directory to keep .apachelintcache in", async () => {
    writeSites(3);
    await go({ cache: true, cacheLocation: "build/lint.cache" });
    expect(JSON.parse(readFileSync(join(dir, "build/lint.cache"), "utf8")).format).toBe(1);
    mkdirSync(join(dir, "cachedir"));
    await go({ cache: true, cacheLocation: "cachedir" });
    expect(JSON.parse(readFileSync(join(dir, "cachedir", CACHE_FILE_NAME), "utf8")).format).toBe(1);
  });

  it("a cache file that cannot be written is one line on stderr, and the run's exit code is its own", async () => {
    writeSites(3);
    write("blocker", "a file where a directory would be\n");
    const r = await go({ cache: true, cacheLocation: "blocker/cache.json" });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^apachelint: --cache: cannot write blocker\/cache\.json: [^\n]+\n/m);
  });
});
