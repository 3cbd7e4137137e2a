// Includes that lead outside the linted tree (issue 8, section 3): not read,
// not reported as missing, one info finding per file, unless --allow-outside
// names a directory that holds them. Real files in a temporary directory; the
// CLI runs as a child process, as users run it.
import { beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { parse } from "../grammar/index.js";
import { expandInclude, IncludeResolver } from "../src/server/includes.js";
import { commandLineBase, LintedTrees, realPathBeyond } from "../src/server/linted-tree.js";
import { CLI, ensureBuiltCli } from "./helpers/built-cli.js";
import { useTempTree } from "./helpers/temp-tree.js";

const tmp = useTempTree("apachelint-outside-");
const write = tmp.write;

/** An included file with a finding of its own: linted, it would show a bom error at its line 1. */
const BOM_FILE = "\uFEFFServerName outside\n";

// ------------------------------------------------------------ the resolver

describe("the resolver, limited to a tree", () => {
  /** The Includes of `text` as tree/main.conf, resolved with the tree `roots`. */
  function resolveIn(text: string, roots: string[], serverRoot: string | null = null, allowed: string[] = []) {
    const path = write("tree/main.conf", text);
    const tree = new LintedTrees(allowed).of(roots);
    return new IncludeResolver().resolveFile(parse(text, path), path, { serverRoot, chain: [], tree });
  }

  it("an absolute Include outside is not expanded: no files, no problem, named as outside", () => {
    write("outside/o.conf", "ServerName o\n");
    const [inc] = resolveIn(`Include ${join(tmp.dir, "outside/o.conf")}\n`, [join(tmp.dir, "tree")]);
    expect(inc!.files).toEqual([]);
    expect(inc!.problem).toBeUndefined();
    expect(inc!.outside).toEqual({ paths: [join(tmp.dir, "outside/o.conf")], tree: [join(tmp.dir, "tree")] });
  });

  it("a missing file outside is not missing; inside it still is", () => {
    const incs = resolveIn(`Include /nonexistent-apachelint/x.conf\nInclude ${join(tmp.dir, "tree/gone.conf")}\n`, [join(tmp.dir, "tree")]);
    expect(incs[0]!.problem).toBeUndefined();
    expect(incs[0]!.outside?.paths).toEqual(["/nonexistent-apachelint/x.conf"]);
    expect(incs[1]!.problem?.kind).toBe("missing");
    expect(incs[1]!.outside).toBeUndefined();
  });

  it("a relative Include that `..` takes out of the ServerRoot is outside; one inside is read as before", () => {
    write("tree/conf/a.conf", "ServerName a\n");
    write("secret.conf", "ServerName s\n");
    const incs = resolveIn("Include conf/a.conf\nInclude ../secret.conf\n", [join(tmp.dir, "tree")], join(tmp.dir, "tree"));
    expect(incs[0]!.files.map((f) => f.path)).toEqual([join(tmp.dir, "tree/conf/a.conf")]);
    expect(incs[0]!.outside).toBeUndefined();
    expect(incs[1]!.files).toEqual([]);
    expect(incs[1]!.outside?.paths).toEqual([join(tmp.dir, "secret.conf")]);
  });

  it("a wildcard over an outside directory does not list it", () => {
    write("outside/a.conf", "ServerName a\n");
    const [inc] = resolveIn(`Include ${join(tmp.dir, "outside")}/*.conf\n`, [join(tmp.dir, "tree")]);
    expect(inc!.files).toEqual([]);
    expect(inc!.problem).toBeUndefined();
    expect(inc!.outside?.paths).toEqual([join(tmp.dir, "outside")]);
  });

  it("symbolic links are resolved first: a link in the tree to a file, a directory or a missing file outside leads outside", () => {
    write("outside/o.conf", "ServerName o\n");
    write("tree/sites/a.conf", "ServerName a\n");
    symlinkSync(join(tmp.dir, "outside/o.conf"), join(tmp.dir, "tree/sites/b.conf"));
    symlinkSync(join(tmp.dir, "outside"), join(tmp.dir, "tree/linkdir"));
    symlinkSync(join(tmp.dir, "outside/gone.conf"), join(tmp.dir, "tree/dangling.conf"));
    const root = join(tmp.dir, "tree");
    const incs = resolveIn("Include sites/*.conf\nInclude linkdir/*.conf\nInclude linkdir\nInclude dangling.conf\n", [root], root);
    expect(incs[0]!.files.map((f) => f.path)).toEqual([join(root, "sites/a.conf")]);
    expect(incs[0]!.outside?.paths).toEqual([join(root, "sites/b.conf")]);
    expect(incs[1]!.files).toEqual([]);
    expect(incs[1]!.outside?.paths).toEqual([join(root, "linkdir")]);
    expect(incs[2]!.outside?.paths).toEqual([join(root, "linkdir")]);
    // dangling, pointing outside: not reported missing (that would tell what exists there)
    expect(incs[3]!.problem).toBeUndefined();
    expect(incs[3]!.outside?.paths).toEqual([join(root, "dangling.conf")]);
  });

  it("a directory read whole skips the entries that link outside", () => {
    write("outside/o.conf", "ServerName o\n");
    write("tree/d/a.conf", "ServerName a\n");
    symlinkSync(join(tmp.dir, "outside"), join(tmp.dir, "tree/d/sub"));
    const [inc] = resolveIn(`Include ${join(tmp.dir, "tree/d")}\n`, [join(tmp.dir, "tree")]);
    expect(inc!.files.map((f) => f.path)).toEqual([join(tmp.dir, "tree/d/a.conf")]);
    expect(inc!.outside?.paths).toEqual([join(tmp.dir, "tree/d/sub")]);
  });

  it("an allowed directory is part of the tree", () => {
    write("outside/o.conf", "ServerName o\n");
    const [inc] = resolveIn(`Include ${join(tmp.dir, "outside/o.conf")}\n`, [join(tmp.dir, "tree")], null, [join(tmp.dir, "outside")]);
    expect(inc!.files.map((f) => f.path)).toEqual([join(tmp.dir, "outside/o.conf")]);
    expect(inc!.outside).toBeUndefined();
  });

  it("a ServerRoot looked up in an included file does not read past the tree", () => {
    // outside/root.conf would move ServerRoot; it is not read, so the next Include keeps the tree's
    write("outside/root.conf", `ServerRoot ${join(tmp.dir, "outside")}\n`);
    write("tree/x.conf", "ServerName x\n");
    write("tree/in.conf", `Include ${join(tmp.dir, "outside/root.conf")}\n`);
    const root = join(tmp.dir, "tree");
    const incs = resolveIn("Include in.conf\nInclude x.conf\n", [root], root);
    expect(incs[1]!.serverRoot).toBe(root);
    expect(incs[1]!.files.map((f) => f.path)).toEqual([join(root, "x.conf")]);
  });

  it("without a tree nothing changes (the library's default)", () => {
    write("outside/o.conf", "ServerName o\n");
    expect(expandInclude(join(tmp.dir, "outside/o.conf"), false)).toEqual({ paths: [join(tmp.dir, "outside/o.conf")] });
    expect(expandInclude(join(tmp.dir, "outside/o.conf"), false, () => false)).toEqual({ paths: [], outside: [join(tmp.dir, "outside/o.conf")] });
  });
});

describe("the tree's pieces", () => {
  it("realPathBeyond resolves what exists and keeps the rest, following a dangling link", () => {
    mkdirSync(join(tmp.dir, "real"));
    symlinkSync(join(tmp.dir, "real"), join(tmp.dir, "link"));
    symlinkSync("/nonexistent-apachelint/target", join(tmp.dir, "dangling"));
    expect(realPathBeyond(join(tmp.dir, "link/missing/x.conf"))).toBe(join(tmp.dir, "real/missing/x.conf"));
    expect(realPathBeyond(join(tmp.dir, "dangling"))).toBe("/nonexistent-apachelint/target");
  });

  it("commandLineBase: a directory, a file's directory, a glob's fixed part", () => {
    write("a/b.conf", "ServerName b\n");
    expect(commandLineBase("a", tmp.dir)).toBe(join(tmp.dir, "a"));
    expect(commandLineBase("a/b.conf", tmp.dir)).toBe(join(tmp.dir, "a"));
    expect(commandLineBase("a/**/*.conf", tmp.dir)).toBe(join(tmp.dir, "a"));
    expect(commandLineBase("*.conf", tmp.dir)).toBe(tmp.dir);
  });

  it("a file's tree: its directory, the command-line directory it was found in, the server root", () => {
    write("top/sub/x.conf", "ServerName x\n");
    mkdirSync(join(tmp.dir, "sr"));
    const trees = new LintedTrees([], [join(tmp.dir, "top")]);
    expect(trees.forFile(join(tmp.dir, "top/sub/x.conf"), join(tmp.dir, "sr"), null).roots).toEqual([join(tmp.dir, "sr"), join(tmp.dir, "top")]);
    expect(trees.forFile(join(tmp.dir, "other/y.conf"), null, null).roots).toEqual([join(tmp.dir, "other")]);
  });
});

// ---------------------------------------------------------------- the CLI

function cli(args: string[], input = "") {
  const env = { ...process.env };
  for (const k of ["GITHUB_ACTIONS", "NO_COLOR", "FORCE_COLOR", "APACHELINT_DEBUG"]) delete env[k];
  const r = spawnSync(process.execPath, [CLI, "--no-config", "-f", "unix", ...args], { cwd: tmp.dir, input, env, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

/** `path:line:column: severity: … [rule]` lines of the unix format, as "path:line severity rule". */
const found = (stdout: string) => [...stdout.matchAll(/^(.+?):(\d+):\d+: (\w+): .*\[([a-z0-9-]+)\]$/gm)].map((m) => `${m[1]}:${m[2]} ${m[3]} ${m[4]}`);

describe("the CLI", () => {
  beforeAll(() => {
    ensureBuiltCli();
  }, 120_000);

  it("does not read an Include outside the file's directory, and says so once per file as info (exit 0)", () => {
    write("outside/o.conf", BOM_FILE);
    write("outside/p.conf", BOM_FILE);
    write(
      "proj/main.conf",
      `ServerName x\nInclude ${join(tmp.dir, "outside/o.conf")}\nInclude /nonexistent-apachelint/gone.conf\nInclude ${join(tmp.dir, "outside/p.conf")}\n`,
    );
    const r = cli(["proj/main.conf"]);
    expect(found(r.stdout)).toEqual(["proj/main.conf:2 info include-missing"]);
    expect(r.stdout).toContain(
      `Include ${join(tmp.dir, "outside/o.conf")} leads outside the linted tree (${join(tmp.dir, "proj")}): apachelint did not read or check it, ` +
        "nor 2 more Includes of this file that lead outside it. Pass --allow-outside DIR to check what lies under DIR.",
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });

  it("--allow-outside DIR reads and checks what is under it (the included file is linted, a missing file is an error: exit 1)", () => {
    write("outside/o.conf", BOM_FILE);
    write("proj/main.conf", `Include ${join(tmp.dir, "outside/o.conf")}\nInclude ${join(tmp.dir, "outside/gone.conf")}\nInclude /etc/shadow\n`);
    const r = cli(["--allow-outside", "outside", "proj/main.conf"]);
    expect(found(r.stdout)).toEqual(["proj/main.conf:2 error include-missing", "proj/main.conf:3 info include-missing", "outside/o.conf:1 error bom"]);
    expect(r.stdout).not.toContain("shadow:");
    expect(r.code).toBe(1);
    // repeatable: each directory counts
    write("other/q.conf", BOM_FILE);
    write("proj/two.conf", `Include ${join(tmp.dir, "outside/o.conf")}\nInclude ${join(tmp.dir, "other/q.conf")}\n`);
    const two = cli(["--allow-outside", "outside", "--allow-outside", join(tmp.dir, "other"), "proj/two.conf"]);
    expect(found(two.stdout)).toEqual(["outside/o.conf:1 error bom", "other/q.conf:1 error bom"]);
  });

  it("a symbolic link in the tree that points outside is outside", () => {
    write("outside/o.conf", BOM_FILE);
    write("proj/sites/a.conf", "ServerName a\n");
    symlinkSync(join(tmp.dir, "outside/o.conf"), join(tmp.dir, "proj/sites/evil.conf"));
    symlinkSync(join(tmp.dir, "outside"), join(tmp.dir, "proj/linked"));
    write("proj/main.conf", "Include sites/*.conf\nInclude linked/*.conf\n");
    const r = cli(["--server-root", "proj", "proj/main.conf"]);
    expect(found(r.stdout)).toEqual(["proj/main.conf:1 info include-missing"]);
    expect(r.stdout).toContain(`Include sites/*.conf leads to ${join(tmp.dir, "proj/sites/evil.conf")}, which is outside the linted tree`);
    expect(r.stdout).toContain("nor 1 more Include of this file");
    expect(r.code).toBe(0);
    // allowed, the link's target is linted like any included file
    const allowed = cli(["--server-root", "proj", "--allow-outside", "outside", "proj/main.conf"]);
    expect(found(allowed.stdout)).toEqual(["proj/sites/evil.conf:1 error bom"]);
    expect(allowed.code).toBe(1);
  });

  it("an included file inside the tree gets its own info for its own outside Include", () => {
    write("sr/main.conf", "Include conf/site.conf\nInclude /etc/shadow\n");
    write("sr/conf/site.conf", "ServerName s\nInclude /etc/passwd\n");
    const r = cli(["--server-root", "sr", "sr/main.conf"]);
    expect(found(r.stdout)).toEqual(["sr/main.conf:2 info include-missing", "sr/conf/site.conf:2 info include-missing"]);
    expect(r.stdout).not.toMatch(/^\/etc\//m);
  });

  it("a directory named on the command line is the tree of the files found in it", () => {
    write("proj/common.conf", "ServerName c\n");
    write("proj/sites/a.conf", `Include ${join(tmp.dir, "proj/common.conf")}\nInclude ${join(tmp.dir, "outside.conf")}\n`);
    write("outside.conf", BOM_FILE);
    const r = cli(["proj"]);
    expect(found(r.stdout)).toEqual(["proj/sites/a.conf:2 info include-missing"]);
  });

  it("in a Debian tree the tree is its root, whatever file is named", () => {
    write("apache2/apache2.conf", "IncludeOptional sites-enabled/*.conf\n");
    mkdirSync(join(tmp.dir, "apache2/mods-enabled"));
    write("apache2/conf-available/x.conf", "ServerName x\n");
    write("apache2/sites-enabled/site.conf", `Include ${join(tmp.dir, "apache2/conf-available/x.conf")}\nInclude ${join(tmp.dir, "elsewhere.conf")}\n`);
    write("elsewhere.conf", BOM_FILE);
    const r = cli(["apache2/sites-enabled/site.conf"]);
    expect(found(r.stdout)).toEqual(["apache2/sites-enabled/site.conf:2 info include-missing"]);
    expect(r.stdout).toContain(`(${join(tmp.dir, "apache2")})`);
  });

  it("-q leaves the info out; --no-follow-includes still does not look outside", () => {
    write("proj/main.conf", "Include /nonexistent-apachelint/gone.conf\n");
    expect(cli(["-q", "proj/main.conf"])).toMatchObject({ stdout: "", code: 0 });
    const r = cli(["--no-follow-includes", "proj/main.conf"]);
    expect(found(r.stdout)).toEqual(["proj/main.conf:1 info include-missing"]);
    expect(r.code).toBe(0);
  });

  it("standard input: the tree is the directory of --stdin-filename", () => {
    write("outside/o.conf", "ServerName o\n");
    const r = cli(["--stdin-filename", "proj/main.conf", "-"], `Include ${join(tmp.dir, "outside/gone.conf")}\n`);
    expect(found(r.stdout)).toEqual(["proj/main.conf:1 info include-missing"]);
    expect(r.code).toBe(0);
  });

  it("--allow-outside that is not a directory is a one-line usage error (exit 2)", () => {
    write("proj/main.conf", "ServerName x\n");
    const r = cli(["--allow-outside", "nope", "proj/main.conf"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("apachelint: --allow-outside: nope: not a directory\n");
  });
});
