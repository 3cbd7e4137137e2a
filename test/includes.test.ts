// Include resolution (src/includes.ts) on real temporary trees, the CLI
// following Includes (child process, as users run it), and the resolver
// checked against what Apache itself reads (`apache2 -t -D DUMP_INCLUDES`).
import { beforeAll, describe, expect, it } from "vitest";
import { CLI, ensureBuiltCli } from "./helpers/built-cli.js";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { parse } from "../grammar/index.js";
import { expandInclude, fnmatch, IncludeResolver, isWildcard, MAX_INCLUDE_DEPTH, type IncludeContext } from "../src/server/includes.js";
import { APACHE, apacheOrSkip, loadModule } from "./apache/harness.js";
import { useTempTree } from "./helpers/temp-tree.js";

const ROOT = join(import.meta.dirname, "..");

const tmp = useTempTree("apachelint-includes-");
const write = tmp.write;

/** The Includes of `text` (as the file `rel` in the temp tree), resolved with `context`. */
function resolveText(text: string, context: Partial<IncludeContext> = {}, rel = "main.conf", resolver = new IncludeResolver()) {
  const path = write(rel, text);
  return resolver.resolveFile(parse(text, path), path, { serverRoot: null, chain: [], ...context });
}

describe("wildcards as apr_fnmatch sees them", () => {
  it.each([
    ["*.conf", true],
    ["a?.conf", true],
    ["[ab].conf", true],
    ["[.conf", false], // an unbalanced [ is literal
    ["a\\*.conf", false], // an escaped * is literal
    ["plain.conf", false],
  ])("isWildcard(%s) is %s", (p, expected) => {
    expect(isWildcard(p)).toBe(expected);
  });

  it.each([
    ["*.conf", "a.conf", true],
    ["*.conf", "a.conf.bak", false],
    ["*.conf", ".hidden.conf", false], // a leading period must be matched literally
    [".*", ".hidden.conf", true],
    ["?.conf", "a.conf", true],
    ["?.conf", "ab.conf", false],
    ["[a-c]*", "b1", true],
    ["[!a-c]*", "b1", false],
    ["[^a-c]*", "d1", true],
    ["[]x]", "]", true],
    ["a\\*", "a*", true],
    ["a\\*", "ab", false],
    ["[.conf", "[.conf", true],
    ["*", "x(y)+z", true],
  ])("fnmatch(%s, %s) is %s", (p, name, expected) => {
    expect(fnmatch(p, name)).toBe(expected);
  });
});

describe("resolution against ServerRoot", () => {
  it("resolves a relative path against ServerRoot, not the including file's directory", () => {
    write("sr/conf/site.conf", "ServerName a\n");
    write("sub/conf/site.conf", "ServerName b\n");
    const [inc] = resolveText("Include conf/site.conf\n", { serverRoot: join(tmp.dir, "sr") }, "sub/main.conf");
    expect(inc!.path).toBe(join(tmp.dir, "sr/conf/site.conf"));
    expect(inc!.files.map((f) => f.path)).toEqual([join(tmp.dir, "sr/conf/site.conf")]);
    expect(inc!.problem).toBeUndefined();
  });

  it("resolves `..` lexically, as Apache does, even through a ServerRoot that does not exist", () => {
    write("cases/files/x.inc", "ServerName x\n");
    const [inc] = resolveText("Include ../cases/files/x.inc\n", { serverRoot: join(tmp.dir, "no-such-sr") });
    expect(inc!.files.map((f) => f.path)).toEqual([join(tmp.dir, "cases/files/x.inc")]);
  });

  it("uses the last ServerRoot line before the Include over the one it started with", () => {
    write("a/x.conf", "ServerName a\n");
    write("b/x.conf", "ServerName b\n");
    const incs = resolveText(`Include x.conf\nServerRoot ${join(tmp.dir, "b")}\nInclude x.conf\n`, { serverRoot: join(tmp.dir, "a") });
    expect(incs.map((i) => i.files[0]?.path)).toEqual([join(tmp.dir, "a/x.conf"), join(tmp.dir, "b/x.conf")]);
    expect(incs.map((i) => i.serverRoot)).toEqual([join(tmp.dir, "a"), join(tmp.dir, "b")]);
  });

  it("a ServerRoot set in an included file holds for the Includes after it", () => {
    mkdirSync(join(tmp.dir, "other"));
    write("sr/set-root.conf", `ServerRoot "${join(tmp.dir, "other")}"\n`);
    write("other/only-here.conf", "ServerName o\n");
    const incs = resolveText("Include set-root.conf\nInclude only-here.conf\n", { serverRoot: join(tmp.dir, "sr") });
    expect(incs[1]!.serverRoot).toBe(join(tmp.dir, "other"));
    expect(incs[1]!.problem).toBeUndefined();
    expect(incs[1]!.files.map((f) => f.path)).toEqual([join(tmp.dir, "other/only-here.conf")]);
  });

  it("a ServerRoot set by one file of a wildcard holds for the files after it, and only those", () => {
    mkdirSync(join(tmp.dir, "other"));
    write("sr/sites/a.conf", "ServerName a\n");
    write("sr/sites/b.conf", `ServerRoot "${join(tmp.dir, "other")}"\n`);
    write("sr/sites/c.conf", "ServerName c\n");
    write("sr/sites/d.conf", "ServerName d\n");
    const [inc] = resolveText("Include sites/*.conf\n", { serverRoot: join(tmp.dir, "sr") });
    // read in reverse: each file's ServerRoot is worked out when asked, from the files before it
    expect(inc!.files.map((f) => f.serverRoot).reverse()).toEqual([join(tmp.dir, "other"), join(tmp.dir, "other"), join(tmp.dir, "sr"), join(tmp.dir, "sr")]);
  });

  it("says nothing about a relative path when no ServerRoot is known", () => {
    const [inc] = resolveText("Include conf/missing.conf\n");
    expect(inc).toMatchObject({ path: null, unresolved: "server-root-unknown", files: [] });
    expect(inc!.problem).toBeUndefined();
  });

  it("a relative ServerRoot line (the server's working directory) or one that is no directory here makes it unknown", () => {
    for (const value of ["relative/dir", join(tmp.dir, "not-a-dir")]) {
      const [inc] = resolveText(`ServerRoot ${value}\nInclude conf/missing.conf\n`, { serverRoot: tmp.dir });
      expect(inc).toMatchObject({ path: null, unresolved: "server-root-unknown" });
    }
  });

  it("checks an absolute path whatever the ServerRoot", () => {
    const [inc] = resolveText(`Include ${join(tmp.dir, "nope.conf")}\n`);
    expect(inc!.problem).toEqual({
      kind: "missing",
      apacheMessage: `Could not open configuration file ${join(tmp.dir, "nope.conf")}: No such file or directory`,
    });
  });

  it("leaves ${VAR} paths and wrong argument counts alone", () => {
    const incs = resolveText("Include ${CONF}/x.conf\nInclude a.conf b.conf\nInclude\n", { serverRoot: tmp.dir });
    expect(incs.map((i) => i.unresolved)).toEqual(["variable", "arguments", "arguments"]);
    expect(incs.every((i) => !i.problem)).toBe(true);
  });

  it("records the span of the path argument, the line and an enclosing condition", () => {
    const text = "ServerName x\n<IfModule mod_ssl.c>\n  Include   conf/ssl.conf\n</IfModule>\n";
    const [inc] = resolveText(text, { serverRoot: tmp.dir });
    expect(text.slice(inc!.start, inc!.end)).toBe("conf/ssl.conf");
    expect(inc!.line).toBe(3);
    expect(inc!.conditional).toBe("<IfModule mod_ssl.c>");
  });
});

describe("what Include and IncludeOptional fail on", () => {
  it("a missing file, a missing directory before a wildcard, a wildcard with no match: Apache's messages", () => {
    write("empty/README.txt", "not a conf\n");
    const incs = resolveText("Include missing.conf\nInclude no-such-dir/*.conf\nInclude empty/*.conf\n", { serverRoot: tmp.dir });
    expect(incs.map((i) => i.problem)).toEqual([
      { kind: "missing", apacheMessage: `Could not open configuration file ${tmp.dir}/missing.conf: No such file or directory` },
      { kind: "missing", apacheMessage: `Include/IncludeOptional: Could not open directory ${tmp.dir}/no-such-dir: No such file or directory` },
      { kind: "no-match", apacheMessage: `Include/IncludeOptional: No matches for the wildcard '*.conf' in '${tmp.dir}/empty', failing` },
    ]);
  });

  it("IncludeOptional is silent about the same three", () => {
    write("empty/README.txt", "not a conf\n");
    const incs = resolveText("IncludeOptional missing.conf\nIncludeOptional no-such-dir/*.conf\nIncludeOptional empty/*.conf\n", { serverRoot: tmp.dir });
    expect(incs.map((i) => [i.problem, i.files.length])).toEqual([
      [undefined, 0],
      [undefined, 0],
      [undefined, 0],
    ]);
  });

  it("IncludeOptional still fails where a path component is a file (only absence is tolerated)", () => {
    write("file.conf", "ServerName x\n");
    const [inc] = resolveText("IncludeOptional file.conf/*.conf\n", { serverRoot: tmp.dir });
    expect(inc!.problem?.apacheMessage).toBe(`Include/IncludeOptional: Could not open directory ${tmp.dir}/file.conf: Not a directory`);
  });

  it("a dangling symbolic link is a missing file for Include and nothing for IncludeOptional", () => {
    symlinkSync(join(tmp.dir, "gone.conf"), join(tmp.dir, "link.conf"));
    const [inc, opt] = resolveText("Include link.conf\nIncludeOptional link.conf\n", { serverRoot: tmp.dir });
    expect(inc!.problem?.kind).toBe("missing");
    expect(opt!.problem).toBeUndefined();
  });
});

describe("which files an Include reads, in which order", () => {
  it("a directory is read whole and recursively, dot files included, in strcmp order", () => {
    for (const f of ["d/b.conf", "d/A.conf", "d/.hidden", "d/sub/z.conf", "d/sub/.x"]) write(f, "ServerName x\n");
    expect(expandInclude(join(tmp.dir, "d"), false).paths.map((p) => p.slice(tmp.dir.length + 1))).toEqual([
      "d/.hidden",
      "d/A.conf",
      "d/b.conf",
      "d/sub/.x",
      "d/sub/z.conf",
    ]);
  });

  it("an empty directory reads nothing and is no error", () => {
    mkdirSync(join(tmp.dir, "empty"));
    expect(expandInclude(join(tmp.dir, "empty"), false)).toEqual({ paths: [] });
  });

  it("a wildcard skips dot files; a directory it matches is read whole", () => {
    for (const f of ["d/a.conf", "d/.hidden.conf", "d/sub/s.conf", "d/sub/.x.conf"]) write(f, "ServerName x\n");
    expect(expandInclude(join(tmp.dir, "d/*"), false).paths.map((p) => p.slice(tmp.dir.length + 1))).toEqual(["d/a.conf", "d/sub/.x.conf", "d/sub/s.conf"]);
  });

  it("a wildcard before the last component matches directories, not symbolic links to them", () => {
    write("d1/sub/a.conf", "ServerName x\n");
    write("d2/sub/b.conf", "ServerName x\n");
    symlinkSync(join(tmp.dir, "d1"), join(tmp.dir, "dl"));
    expect(expandInclude(join(tmp.dir, "d*/sub/*.conf"), false).paths).toEqual([join(tmp.dir, "d1/sub/a.conf"), join(tmp.dir, "d2/sub/b.conf")]);
    // a matched directory without the rest of the path fails Include (IncludeOptional skips it)
    mkdirSync(join(tmp.dir, "d3"));
    expect(expandInclude(join(tmp.dir, "d*/sub/*.conf"), false).problem?.apacheMessage).toBe(
      `Include/IncludeOptional: Could not open directory ${tmp.dir}/d3/sub: No such file or directory`,
    );
    expect(expandInclude(join(tmp.dir, "d*/sub/*.conf"), true)).toEqual({ paths: [join(tmp.dir, "d1/sub/a.conf"), join(tmp.dir, "d2/sub/b.conf")] });
  });

  it("[...] and ? select as in Apache; an unbalanced [ is a literal name", () => {
    for (const f of ["c/a.conf", "c/b.conf", "c/c.conf", "c/[.conf"]) write(f, "ServerName x\n");
    expect(expandInclude(join(tmp.dir, "c/[ab].conf"), false).paths).toEqual([join(tmp.dir, "c/a.conf"), join(tmp.dir, "c/b.conf")]);
    expect(expandInclude(join(tmp.dir, "c/?.conf"), false).paths.length).toBe(4);
    expect(expandInclude(join(tmp.dir, "c/[.conf"), false).paths).toEqual([join(tmp.dir, "c/[.conf")]);
  });
});

describe("cycles and depth", () => {
  it("a file that includes itself closes a cycle at its own Include", () => {
    const [inc] = resolveText("ServerName x\nInclude main.conf\n", { serverRoot: tmp.dir });
    expect(inc!.problem?.kind).toBe("cycle");
    expect(inc!.problem?.apacheMessage).toBe("Exceeded maximum include depth of 128, There appears to be a recursion.");
    expect(inc!.problem?.cycle?.map((s) => s.line)).toEqual([2]);
    expect(inc!.files).toEqual([]);
  });

  it("A includes B includes A: B's Include closes it, and the chain names both lines", () => {
    const a = write("a.conf", "Include b.conf\n");
    const chain = [{ path: "a.conf", realPath: a, line: 1 }];
    const [inc] = resolveText("# b\nInclude a.conf\n", { serverRoot: tmp.dir, chain }, "b.conf");
    expect(inc!.problem?.kind).toBe("cycle");
    expect(inc!.problem?.cycle?.map((s) => `${s.path}:${s.line}`)).toEqual(["a.conf:1", `${join(tmp.dir, "b.conf")}:2`]);
  });

  it("a wildcard that matches the including file is a cycle; the files before it are still read", () => {
    write("conf.d/00-first.conf", "ServerName x\n");
    const [inc] = resolveText("Include conf.d/*.conf\n", { serverRoot: tmp.dir }, "conf.d/10-all.conf");
    expect(inc!.files.map((f) => f.path)).toEqual([join(tmp.dir, "conf.d/00-first.conf")]);
    expect(inc!.problem?.kind).toBe("cycle");
  });

  it("including the same file twice from one file is not a cycle", () => {
    write("x.conf", "ServerName x\n");
    const incs = resolveText("Include x.conf\nInclude x.conf\n", { serverRoot: tmp.dir });
    expect(incs.map((i) => i.problem)).toEqual([undefined, undefined]);
  });

  it(`more than ${MAX_INCLUDE_DEPTH} nested Includes is Apache's depth error`, () => {
    write("x.conf", "ServerName x\n");
    const chain = Array.from({ length: MAX_INCLUDE_DEPTH }, (_, i) => ({ path: `f${i}.conf`, realPath: join(tmp.dir, `f${i}.conf`), line: 1 }));
    const [inc] = resolveText("Include x.conf\n", { serverRoot: tmp.dir, chain });
    expect(inc!.problem?.kind).toBe("too-deep");
    const [ok] = resolveText("Include x.conf\n", { serverRoot: tmp.dir, chain: chain.slice(1) });
    expect(ok!.problem).toBeUndefined();
  });

  it("a ServerRoot lookup through an include cycle ends", () => {
    write("a.conf", "Include b.conf\n");
    write("b.conf", "Include a.conf\n");
    const incs = resolveText("Include a.conf\nInclude a.conf\n", { serverRoot: tmp.dir });
    expect(incs.map((i) => i.files.length)).toEqual([1, 1]);
  });
});

// ---------------------------------------------------------------- the CLI


function cli(args: string[], input = "") {
  const env = { ...process.env };
  for (const k of ["GITHUB_ACTIONS", "NO_COLOR", "FORCE_COLOR", "APACHELINT_DEBUG"]) delete env[k];
  const r = spawnSync(process.execPath, [CLI, "--no-config", "-f", "unix", ...args], { cwd: tmp.dir, input, env, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

const BOM = "\uFEFF";
/** `path:line:column: … [rule]` lines of the unix format, as "path:line [rule]". */
const found = (stdout: string) => [...stdout.matchAll(/^(.+?):(\d+):\d+: .*\[([a-z0-9-]+)\]$/gm)].map((m) => `${m[1]}:${m[2]} ${m[3]}`);

describe("the CLI follows Includes", () => {
  beforeAll(() => {
    ensureBuiltCli();
  }, 120_000);

  it("lints an included file under its own path (m31c: the BOM is reported at line 1 of the included file)", () => {
    write("sr/main.conf", "ServerName x\nInclude sites/*.conf\n");
    write("sr/sites/a.conf", `${BOM}<VirtualHost *:80>\n</VirtualHost>\n`);
    write("sr/sites/b.conf", "ServerName b\n");
    const r = cli(["--server-root", "sr", "sr/main.conf"]);
    expect(found(r.stdout)).toEqual(["sr/sites/a.conf:1 bom"]);
    expect(r.code).toBe(1);
  });

  it("lints a file reached twice (named and included, or included twice) once", () => {
    write("sr/main.conf", "Include x.conf\nInclude x.conf\nInclude link.conf\n");
    write("sr/x.conf", `${BOM}ServerName x\n`);
    symlinkSync(join(tmp.dir, "sr/x.conf"), join(tmp.dir, "sr/link.conf"));
    const r = cli(["--server-root", "sr", "sr/main.conf", "sr/x.conf"]);
    expect(found(r.stdout)).toEqual(["sr/x.conf:1 bom"]);
  });

  it("a file named after its includer is linted knowing the includer's ServerRoot", () => {
    mkdirSync(join(tmp.dir, "root"));
    write("main.conf", `ServerRoot ${join(tmp.dir, "root")}\nInclude conf/site.conf\n`);
    write("root/conf/site.conf", "Include conf/missing.conf\n");
    const r = cli(["main.conf", "root/conf/site.conf"]);
    expect(found(r.stdout)).toEqual(["root/conf/site.conf:1 include-missing"]);
    expect(r.stdout).toContain(`Could not open configuration file ${join(tmp.dir, "root/conf/missing.conf")}: No such file or directory`);
  });

  it("reports a missing Include with file:line and Apache's message; IncludeOptional is silent", () => {
    write("sr/main.conf", "ServerName x\nIncludeOptional gone/*.conf\nInclude gone.conf\n");
    const r = cli(["--server-root", "sr", "sr/main.conf"]);
    expect(r.stdout).toBe(
      `sr/main.conf:3:9: error: Include gone.conf: Apache refuses to start with "Could not open configuration file ${join(tmp.dir, "sr/gone.conf")}: ` +
        `No such file or directory" (relative paths are resolved against ServerRoot ${join(tmp.dir, "sr")}, not the including file; IncludeOptional would skip it). [include-missing]\n`,
    );
    expect(r.code).toBe(1);
  });

  it("without a known ServerRoot, a relative Include is neither checked nor followed", () => {
    write("main.conf", "Include conf/missing.conf\nInclude conf/there.conf\n");
    write("conf/there.conf", `${BOM}ServerName x\n`);
    const r = cli(["main.conf"]);
    expect(r.stdout).toBe("");
    expect(r.code).toBe(0);
  });

  it("in a Debian tree, relative Includes start from its root", () => {
    write("apache2/apache2.conf", "Include ports.conf\nIncludeOptional sites-enabled/*.conf\n");
    mkdirSync(join(tmp.dir, "apache2/mods-enabled"));
    write("apache2/sites-enabled/site.conf", `${BOM}ServerName x\n`);
    const r = cli(["apache2/apache2.conf"]);
    expect(found(r.stdout)).toEqual(["apache2/apache2.conf:1 include-missing", "apache2/sites-enabled/site.conf:1 bom"]);
    expect(r.stdout).toContain(join(tmp.dir, "apache2/ports.conf"));
  });

  it("an include cycle is one error at the Include that closes it, and the run ends", () => {
    write("sr/a.conf", "ServerName a\nInclude b.conf\n");
    write("sr/b.conf", "# b\n\nInclude a.conf\n");
    const r = cli(["--server-root", "sr", "sr/a.conf"]);
    expect(found(r.stdout)).toEqual(["sr/b.conf:3 include-missing"]);
    expect(r.stdout).toContain("closes an include cycle (sr/a.conf:2 → sr/b.conf:3 → sr/a.conf)");
    expect(r.stdout).toContain("Exceeded maximum include depth of 128");
    expect(r.code).toBe(1);
  });

  it("--no-follow-includes lints only the files named, still checking their Includes", () => {
    write("sr/main.conf", "Include x.conf\nInclude gone.conf\n");
    write("sr/x.conf", `${BOM}ServerName x\n`);
    const r = cli(["--no-follow-includes", "--server-root", "sr", "sr/main.conf"]);
    expect(found(r.stdout)).toEqual(["sr/main.conf:2 include-missing"]);
  });

  it("--fix fixes included files too", () => {
    write("sr/main.conf", "Include x.conf\n");
    const x = write("sr/x.conf", `${BOM}ServerName x\n`);
    const r = cli(["--fix", "--server-root", "sr", "sr/main.conf"]);
    expect(r.code).toBe(0);
    expect(readFileSync(x, "utf8")).toBe("ServerName x\n");
  });

  it("standard input: Includes are checked, not followed", () => {
    write("sr/x.conf", `${BOM}ServerName x\n`);
    const r = cli(["--server-root", "sr", "--stdin-filename", "sr/main.conf", "-"], "Include x.conf\nInclude gone.conf\n");
    expect(found(r.stdout)).toEqual(["sr/main.conf:2 include-missing"]);
  });

  it("--server-root that is not a directory is a one-line usage error", () => {
    write("main.conf", "ServerName x\n");
    const r = cli(["--server-root", "nope", "main.conf"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("apachelint: --server-root: nope: not a directory\n");
  });
});

// ------------------------------------------------- against Apache itself

describe.runIf(apacheOrSkip("test/includes.test.ts (DUMP_INCLUDES)"))("the files Apache reads are the files the resolver finds", () => {
  /** The files `apache2 -t -D DUMP_INCLUDES` lists for a config Including `pattern` from ServerRoot `sr`. */
  function apacheReads(sr: string, patterns: readonly string[]): { ok: boolean; files: string[]; output: string } {
    // outside the ServerRoot, where the wildcards would see it
    const logs = join(tmp.dir, "logs");
    mkdirSync(logs, { recursive: true });
    const conf = write("apache.conf", [
      "ServerName localhost",
      "Listen 127.0.0.1:18099",
      `PidFile ${logs}/httpd.pid`,
      `DefaultRuntimeDir ${logs}`,
      `ErrorLog ${logs}/error.log`,
      loadModule("mpm_event"),
      loadModule("authz_core"),
      ...patterns,
      "",
    ].join("\n"));
    const r = spawnSync(APACHE!, ["-t", "-D", "DUMP_INCLUDES", "-d", sr, "-f", conf], { encoding: "utf8" });
    const files = [...r.stdout.matchAll(/^\s+\(\d+\) (.+)$/gm)].map((m) => m[1]!);
    return { ok: r.status === 0, files, output: r.stdout + r.stderr };
  }

  it.each([
    ["a directory, recursively, dot files too", ["Include d"]],
    ["a wildcard in the last component", ["Include d/*"]],
    ["a wildcard in the middle (directories only, not links)", ["Include */sub/*.conf"]],
    ["brackets and ?", ["Include d/[ab]?conf"]],
    ["an explicit leading period", ["Include d/.*"]],
    ["IncludeOptional over missing parts", ["IncludeOptional nothing/*.conf", "IncludeOptional */none/*.conf", "Include d/a.conf"]],
  ])("%s", (_, patterns) => {
    const sr = join(tmp.dir, "sr");
    for (const f of ["d/a.conf", "d/b.conf", "d/.hidden", "d/sub/s.conf", "d/sub/.x.conf", "e/sub/e.conf"]) write(`sr/${f}`, "ServerName x\n");
    symlinkSync(join(sr, "d"), join(sr, "link"));
    const apache = apacheReads(sr, patterns);
    expect(apache.ok, apache.output).toBe(true);
    const resolver = new IncludeResolver();
    const text = patterns.join("\n");
    const ours = resolver
      .resolveFile(parse(text, join(tmp.dir, "x.conf")), join(tmp.dir, "x.conf"), { serverRoot: sr, chain: [] })
      .flatMap((i) => i.files.map((f) => f.path));
    expect(ours).toEqual(apache.files);
  });
});
