// Server knowledge from a Debian-style tree: the modules a2enmod enabled are
// the .load files linked into mods-enabled/. Checked on a fake tree built
// here and on the real /etc/apache2 of this machine, against `apache2 -M`.
import { afterAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "../grammar/index.js";
import { DebianTrees, findDebianRoot, serverInfoForPath } from "../src/server/debian-tree.js";
import { moduleByName } from "../src/apache/modules.js";
import { lintText } from "../src/index.js";
import moduleNotLoaded from "../rules/module-not-loaded.js";

const temps: string[] = [];
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

/** A Debian tree: mods-available/*.load for the given modules, the `enabled` ones linked into mods-enabled/ as a2enmod does. */
function fakeTree(available: string[], enabled: string[]): string {
  const root = mkdtempSync(join(tmpdir(), "apachelint-debian-"));
  temps.push(root);
  for (const d of ["mods-available", "mods-enabled", "sites-available", "sites-enabled", "conf-available"]) mkdirSync(join(root, d));
  writeFileSync(join(root, "apache2.conf"), "IncludeOptional mods-enabled/*.load\nIncludeOptional sites-enabled/*.conf\n");
  for (const name of available) {
    const m = moduleByName(name)!;
    const deps = m.depends.length ? `# Depends: ${m.depends.join(" ")}\n` : "";
    writeFileSync(join(root, "mods-available", `${name}.load`), `${deps}LoadModule ${m.id} /usr/lib/apache2/modules/${m.file}\n`);
  }
  for (const name of enabled) symlinkSync(`../mods-available/${name}.load`, join(root, "mods-enabled", `${name}.load`));
  return root;
}

const VHOST = "<VirtualHost *:80>\n    RewriteEngine On\n    ProxyPass /ws/ ws://127.0.0.1:3000/ws/\n</VirtualHost>\n";

describe("serverInfoForPath on a fake Debian tree", () => {
  it("knows the enabled modules, and only those, for a file anywhere under the tree", () => {
    const root = fakeTree(["proxy", "proxy_http", "rewrite", "ssl"], ["proxy", "proxy_http"]);
    // a dangling link (a2dismod'ed target removed by hand) is skipped, not fatal
    symlinkSync("../mods-available/gone.load", join(root, "mods-enabled", "gone.load"));
    mkdirSync(join(root, "sites-available", "nested"));
    for (const path of [join(root, "sites-available", "ws.conf"), join(root, "sites-available", "nested", "ws.conf"), join(root, "apache2.conf")]) {
      const info = serverInfoForPath(path, parse(VHOST, path));
      expect(info.managesModules).toBe(true);
      expect(info.debianRoot).toBe(root);
      expect([...info.loaded.keys()].sort()).toEqual(["proxy", "proxy_http"]);
      expect(info.isLoaded("proxy_http_module")).toBe(true);
      expect(info.isLoaded("rewrite")).toBe(false);
      expect(info.loaded.get("proxy")!.source).toBe(join(root, "mods-enabled", "proxy.load"));
    }
  });

  it("reads a tree once per run (DebianTrees): each site's modules, Defines and enabled links come from the first read", () => {
    const root = fakeTree(["proxy", "rewrite"], ["proxy"]);
    writeFileSync(join(root, "sites-available", "a.conf"), "Define BACKEND 127.0.0.1\n");
    writeFileSync(join(root, "sites-available", "b.conf"), VHOST);
    for (const n of ["a.conf", "b.conf"]) symlinkSync(`../sites-available/${n}`, join(root, "sites-enabled", n));
    const trees = new DebianTrees();
    const b = join(root, "sites-available", "b.conf");
    const first = trees.serverInfoFor(b, parse(VHOST, b));
    expect([[...first.loaded.keys()], [...first.treeDefines!]]).toEqual([["proxy"], ["backend"]]);
    // the same run does not look again (nothing is re-read per file) ...
    symlinkSync("../mods-available/rewrite.load", join(root, "mods-enabled", "rewrite.load"));
    writeFileSync(join(root, "sites-available", "a.conf"), "Define OTHER x\n");
    const a = join(root, "sites-available", "a.conf");
    const again = trees.serverInfoFor(a, parse("Define OTHER x\n", a));
    expect([[...again.loaded.keys()], [...again.treeDefines!]]).toEqual([["proxy"], []]);
    // ... a file's own Defines are never counted as set elsewhere, and a new run sees the change
    expect([...new DebianTrees().serverInfoFor(b, parse(VHOST, b)).loaded.keys()].sort()).toEqual(["proxy", "rewrite"]);
    expect([...new DebianTrees().serverInfoFor(b, parse(VHOST, b)).treeDefines!]).toEqual(["other"]);
  });

  it("adds the file's own LoadModule lines to the enabled ones", () => {
    const root = fakeTree(["proxy"], ["proxy"]);
    const path = join(root, "conf-available", "extra.conf");
    const info = serverInfoForPath(path, parse("LoadModule rewrite_module /usr/lib/apache2/modules/mod_rewrite.so\n", path));
    expect([...info.loaded.keys()].sort()).toEqual(["proxy", "rewrite"]);
  });

  it("is not a Debian tree without apache2.conf, or without mods-enabled/: then only the file counts", () => {
    const root = fakeTree(["proxy"], ["proxy"]);
    rmSync(join(root, "apache2.conf"));
    const path = join(root, "sites-available", "ws.conf");
    expect(findDebianRoot(join(root, "sites-available"))).toBeNull();
    const lone = serverInfoForPath(path, parse(VHOST, path));
    expect([lone.managesModules, lone.debianRoot, lone.loaded.size]).toEqual([false, null, 0]);
    const own = serverInfoForPath(path, parse(`LoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so\n${VHOST}`, path));
    // a fragment that loads a module of its own: not all the modules (no MPM), so not judged
    expect([own.managesModules, own.debianRoot, [...own.loaded.keys()]]).toEqual([false, null, ["proxy"]]);
    const whole = serverInfoForPath(path, parse(`LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so\nLoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so\n${VHOST}`, path));
    expect([whole.managesModules, [...whole.loaded.keys()].sort()]).toEqual([true, ["mpm_event", "proxy"]]);
  });

  it("lints a site that is not enabled yet as it will be: warnings that name a2ensite, errors once it is enabled", () => {
    const root = fakeTree(["proxy", "proxy_http", "rewrite"], ["proxy"]);
    const path = join(root, "sites-available", "ws.conf");
    writeFileSync(path, VHOST);
    const waiting = serverInfoForPath(path, parse(VHOST, path));
    expect([waiting.managesModules, waiting.notYetEnabled]).toEqual([true, "a2ensite ws"]);
    const before = lintText(VHOST, path, { rules: [moduleNotLoaded], server: waiting }).findings;
    expect(before.map((f) => [f.line, f.severity, f.message.includes("once `a2ensite ws` enables this file"), f.message.match(/a2enmod \w+/)?.[0]])).toEqual([
      [2, "warning", true, "a2enmod rewrite"],
      [3, "warning", true, "a2enmod proxy_http"],
    ]);
    symlinkSync("../sites-available/ws.conf", join(root, "sites-enabled", "ws.conf"));
    const enabled = new DebianTrees().serverInfoFor(path, parse(VHOST, path));
    expect(enabled.notYetEnabled).toBeUndefined();
    const after = lintText(VHOST, path, { rules: [moduleNotLoaded], server: enabled }).findings;
    expect(after.map((f) => [f.line, f.severity])).toEqual([
      [2, "error"],
      [3, "error"],
    ]);
    // a mods-available NAME.conf is not judged: a2enmod NAME also loads the module it configures
    const modConf = join(root, "mods-available", "proxy_http.conf");
    writeFileSync(modConf, VHOST);
    expect(serverInfoForPath(modConf, parse(VHOST, modConf)).managesModules).toBe(false);
  });

  it("lets module-not-loaded name the a2enmod commands for a vhost of the tree, with no fix", () => {
    const root = fakeTree(["proxy", "proxy_http", "rewrite"], ["proxy"]);
    const path = join(root, "sites-available", "ws.conf");
    const server = serverInfoForPath(path, parse(VHOST, path));
    const found = lintText(VHOST, path, { rules: [moduleNotLoaded], server }).findings;
    expect(found.map((f) => [f.line, f.message.match(/a2enmod \w+/)?.[0], f.fix])).toEqual([
      [2, "a2enmod rewrite", undefined],
      [3, "a2enmod proxy_http", undefined],
    ]);
    // enabling them (what a2enmod does) silences the rule
    symlinkSync("../mods-available/rewrite.load", join(root, "mods-enabled", "rewrite.load"));
    symlinkSync("../mods-available/proxy_http.load", join(root, "mods-enabled", "proxy_http.load"));
    const after = serverInfoForPath(path, parse(VHOST, path));
    expect(lintText(VHOST, path, { rules: [moduleNotLoaded], server: after }).findings).toEqual([]);
  });
});

const REAL = "/etc/apache2";
const haveReal = existsSync(join(REAL, "apache2.conf")) && existsSync(join(REAL, "mods-enabled")) && existsSync("/usr/sbin/apache2");
if (!haveReal) console.warn("\n!!!!! SKIPPED: no Debian apache2 in /etc/apache2 + /usr/sbin/apache2: serverInfoForPath was not checked on a real tree !!!!!\n");

/** Runs apache2 on the real tree the way apache2ctl does (envvars), with runtime dirs in a temp dir. */
function realApache(args: string[]): { code: number; output: string } {
  const run = mkdtempSync(join(tmpdir(), "apachelint-run-"));
  temps.push(run);
  const script = `. ${REAL}/envvars && export APACHE_RUN_DIR=${run} APACHE_LOCK_DIR=${run} APACHE_LOG_DIR=${run} APACHE_PID_FILE=${run}/pid && exec /usr/sbin/apache2 "$@"`;
  const r = spawnSync("sh", ["-c", script, "sh", ...args], { encoding: "utf8", timeout: 30_000 });
  return { code: r.status ?? -1, output: `${r.stderr}${r.stdout}` };
}

describe.skipIf(!haveReal)("serverInfoForPath on this machine's /etc/apache2", () => {
  const site = join(REAL, "sites-available", "000-default.conf");

  it("finds the tree and loads exactly the modules `apache2 -M` reports as shared", () => {
    const info = serverInfoForPath(site, parse(readFileSync(site, "utf8"), site));
    expect(info.debianRoot).toBe(REAL);
    const ours = [...info.loaded.values()].map((l) => l.module!.id).sort();
    const apache = [...realApache(["-M"]).output.matchAll(/^ (\w+) \(shared\)$/gm)].map((m) => m[1]!).sort();
    expect(apache.length).toBeGreaterThan(5);
    expect(ours).toEqual(apache);
    const enabled = readdirSync(join(REAL, "mods-enabled")).filter((n) => n.endsWith(".load")).map((n) => n.slice(0, -5));
    for (const name of enabled) expect(info.isLoaded(name), name).toBe(true);
  });

  it("says nothing about default-ssl.conf while the site is not enabled, and agrees with Apache once it is", () => {
    const ssl = join(REAL, "sites-available", "default-ssl.conf");
    const text = readFileSync(ssl, "utf8");
    const realServer = serverInfoForPath(ssl, parse(text, ssl));
    const enabledInReal = readdirSync(join(REAL, "sites-enabled")).includes("default-ssl.conf");
    if (!enabledInReal) {
      // Apache does not read a site that is not linked into sites-enabled/ yet: it is linted as it will be
      // once enabled, and what would fail then is a warning naming a2ensite (never an error: it works today)
      const waiting = lintText(text, ssl, { rules: [moduleNotLoaded], server: realServer }).findings;
      expect(realServer.notYetEnabled).toBe("a2ensite default-ssl");
      for (const f of waiting) {
        expect(f.severity).toBe("warning");
        expect(f.message).toContain("once `a2ensite default-ssl` enables this file");
      }
      if (!realServer.isLoaded("ssl")) expect(waiting.map((f) => f.message.match(/a2enmod \w+/)?.[0])).toEqual(["a2enmod ssl"]);
    }
    // The same tree with the site enabled (a2ensite): a copy whose sites-enabled links it
    const root = mkdtempSync(join(tmpdir(), "apachelint-debian-real-"));
    temps.push(root);
    for (const d of ["mods-available", "mods-enabled", "sites-available", "sites-enabled"]) mkdirSync(join(root, d));
    writeFileSync(join(root, "apache2.conf"), readFileSync(join(REAL, "apache2.conf")));
    for (const n of readdirSync(join(REAL, "mods-enabled"))) symlinkSync(join(REAL, "mods-enabled", n), join(root, "mods-enabled", n));
    const copy = join(root, "sites-available", "default-ssl.conf");
    writeFileSync(copy, text);
    symlinkSync("../sites-available/default-ssl.conf", join(root, "sites-enabled", "default-ssl.conf"));
    const server = serverInfoForPath(copy, parse(text, copy));
    const found = lintText(text, copy, { rules: [moduleNotLoaded], server }).findings;
    const apache = realApache(["-t", "-c", `Include ${ssl}`]);
    if (server.isLoaded("ssl")) {
      expect(found).toEqual([]);
      expect(apache.code).toBe(0);
    } else {
      // Apache stops at the first directive of the missing module; the rule reports that line, once
      const line = Number(/Syntax error on line (\d+) of/.exec(apache.output)?.[1]);
      expect(apache.output).toMatch(/Invalid command 'SSL\w+'/);
      expect(found.map((f) => [f.line, f.message.match(/a2enmod \w+/)?.[0]])).toEqual([[line, "a2enmod ssl"]]);
    }
  });
});

describe("the stock Debian tree", () => {
  it("has no errors: a configuration that works is not reported as broken", () => {
    if (!existsSync(join(REAL, "apache2.conf"))) {
      if (process.env.CI) throw new Error("CI must have Debian's apache2 installed");
      console.warn("SKIPPED: /etc/apache2 is absent (install Debian's apache2)");
      return;
    }
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? walk(join(dir, e.name)) : /\.(conf|load)$/.test(e.name) ? [join(dir, e.name)] : [],
      );
    const files = walk(REAL);
    expect(files.length).toBeGreaterThan(50);
    const errors = files.flatMap((path) => {
      const text = readFileSync(path, "utf8");
      const server = serverInfoForPath(path, parse(text, path));
      return lintText(text, path, { server }).findings.filter((f) => f.severity === "error").map((f) => `${path}:${f.line} ${f.ruleId} ${f.message}`);
    });
    expect(errors).toEqual([]);
  });
});
