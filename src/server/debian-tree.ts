// Server knowledge for a file on disk. Debian and Ubuntu split the config into
// a tree (/etc/apache2: apache2.conf, mods-enabled/, sites-enabled/ …) where
// a module is loaded by a2enmod, which links mods-available/NAME.load into
// mods-enabled/. A vhost file in such a tree has no LoadModule lines of its
// own, yet its modules are known: they are the .load files in mods-enabled/.
// This is the one place that reads those files; rules only see the result.
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { directives, parse, type ConfigFile } from "../../grammar/index.js";
import { loadedModulesOf, makeServerInfo, serverInfoFromFile, type LoadedModule, type ServerInfo } from "./server-info.js";

const isDir = (p: string) => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};

/** The nearest directory at or above `dir` holding apache2.conf and mods-enabled/, or null. */
export function findDebianRoot(dir: string): string | null {
  return new DebianTrees().rootOf(dir);
}

/**
 * What is known about the server `file` (read from `path`) belongs to. In a
 * Debian tree: the modules of mods-enabled/*.load (plus any LoadModule in the
 * file itself), and managesModules is true because a2enmod is how they are
 * loaded. Elsewhere: only what the file says (serverInfoFromFile).
 */
export function serverInfoForPath(path: string, file: ConfigFile): ServerInfo {
  return new DebianTrees().serverInfoFor(path, file);
}

/** What one tree holds, read once: its modules, envvars and the Define sites of its files. */
interface TreeFacts {
  loaded: LoadedModule[];
  environment: Set<string>;
  /** real path of each tree file -> the names its two-argument Defines set */
  defines: Map<string, Set<string>>;
  /** per *-available directory kind: the real paths the matching *-enabled links point to */
  enabled: Map<string, Set<string>>;
}

/**
 * Reads Debian trees for a run over many files: every directory's root, and
 * every root's modules, envvars and Defines, are read once, so a tree of
 * 10,000 sites costs one read of each file instead of one per site. Make a new
 * one per run: nothing here notices a file changing afterwards.
 */
export class DebianTrees {
  private readonly roots = new Map<string, string | null>();
  private readonly trees = new Map<string, TreeFacts>();

  /** The nearest directory at or above `dir` holding apache2.conf and mods-enabled/, or null. */
  rootOf(dir: string): string | null {
    const d = resolve(dir);
    let root = this.roots.get(d);
    if (root !== undefined) return root;
    if (existsSync(join(d, "apache2.conf")) && isDir(join(d, "mods-enabled"))) root = d;
    else {
      const up = dirname(d);
      root = up === d ? null : this.rootOf(up);
    }
    this.roots.set(d, root);
    return root;
  }

  serverInfoFor(path: string, file: ConfigFile): ServerInfo {
    const abs = resolve(path);
    const root = this.rootOf(dirname(abs));
    if (!root) return serverInfoFromFile(file);
    const tree = this.tree(root);
    const variables = { environment: tree.environment, treeDefines: definesElsewhere(tree, realOr(abs)) };
    const loaded = [...tree.loaded, ...loadedModulesOf(file)];
    // A file in mods-, conf- or sites-available that is not linked into the
    // matching *-enabled directory is not read by Apache yet. A site or conf
    // file is linted as it will be once a2ensite/a2enconf enables it, with the
    // modules enabled today. A mods-available NAME.conf is not: a2enmod NAME
    // also loads the module it configures, so what it will have is not known.
    const waiting = notEnabled(tree, root, abs);
    if (waiting === "mods") {
      return { ...makeServerInfo({ managesModules: false, debianRoot: root, loaded: loadedModulesOf(file) }), ...variables };
    }
    const notYetEnabled = waiting ? `${waiting === "sites" ? "a2ensite" : "a2enconf"} ${basename(abs).replace(/\.conf$/, "")}` : undefined;
    return { ...makeServerInfo({ managesModules: true, debianRoot: root, loaded, ...(notYetEnabled ? { notYetEnabled } : {}) }), ...variables };
  }

  private tree(root: string): TreeFacts {
    let t = this.trees.get(root);
    if (!t) this.trees.set(root, (t = { loaded: enabledModules(root), environment: envvarsExports(root), defines: treeDefineSites(root), enabled: new Map() }));
    return t;
  }
}

const realOr = (p: string) => {
  try {
    return realpathSync.native(p);
  } catch {
    return p;
  }
};

/** The modules the .load files of mods-enabled/ load. */
function enabledModules(root: string): LoadedModule[] {
  const enabled = join(root, "mods-enabled");
  const loaded: LoadedModule[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(enabled).filter((n) => n.endsWith(".load")).sort();
  } catch {
    /* unreadable: no module is known to be loaded */
  }
  for (const name of names) {
    const p = join(enabled, name);
    let text: string;
    try {
      text = readFileSync(p, "utf8"); // follows the a2enmod symlink; a dangling one is skipped
    } catch {
      continue;
    }
    for (const m of loadedModulesOf(parse(text, p))) loaded.push(m);
  }
  return loaded;
}

/**
 * The names envvars exports: apache2ctl (and so systemd's apache2.service)
 * sources it before starting apache2, so `${APACHE_LOG_DIR}` is set. Only
 * `export NAME=…` and `export NAME` lines count; the file is a shell script
 * and is not run.
 */
export function envvarsExports(root: string): Set<string> {
  const names = new Set<string>();
  let text: string;
  try {
    text = readFileSync(join(root, "envvars"), "utf8");
  } catch {
    return names;
  }
  for (const line of text.split("\n")) {
    const m = /^\s*export\s+(.*)$/.exec(line);
    if (!m) continue;
    for (const word of m[1]!.split(/\s+/)) {
      const name = /^([A-Za-z_][A-Za-z0-9_]*)(=|$)/.exec(word);
      if (name) names.add(name[1]!);
      if (word.startsWith("#")) break;
    }
  }
  return names;
}

/** The files of the tree Apache reads, apart from modules' .load files: apache2.conf includes them all. */
function treeFiles(root: string): string[] {
  const out = [join(root, "apache2.conf"), join(root, "ports.conf")];
  for (const [dir, only] of [["mods-enabled", /\.conf$/], ["conf-enabled", /\.conf$/], ["sites-enabled", /\.conf$/]] as const) {
    try {
      for (const n of readdirSync(join(root, dir)).sort()) if (only.test(n)) out.push(join(root, dir, n));
    } catch {
      /* a missing directory holds no Define */
    }
  }
  return out;
}

/** For each file of the tree that has one: the lower-cased names its two-argument Defines set. */
function treeDefineSites(root: string): Map<string, Set<string>> {
  const sites = new Map<string, Set<string>>();
  for (const p of treeFiles(root)) {
    let text: string;
    try {
      text = readFileSync(p, "utf8");
    } catch {
      continue;
    }
    if (!/define/i.test(text)) continue;
    const names = new Set<string>();
    for (const d of directives(parse(text, p))) {
      if (d.key === "define" && d.args.length >= 2) names.add(d.args[0]!.value.toLowerCase());
    }
    if (names.size) sites.set(realOr(p), names);
  }
  return sites;
}

/**
 * Lower-cased names a two-argument Define sets in the tree's other files. Their
 * order against `self` is not worked out (that needs the Include order), so a
 * Define anywhere in the tree counts: variable-undefined then errs on the side
 * of silence.
 */
function definesElsewhere(tree: TreeFacts, self: string): Set<string> {
  const names = new Set<string>();
  for (const [p, set] of tree.defines) if (p !== self) for (const n of set) names.add(n);
  return names;
}

const AVAILABLE = /^(mods|conf|sites)-available$/;

/** Which *-available directory holds this file that no *-enabled link points to; null when Apache reads it. */
function notEnabled(tree: TreeFacts, root: string, path: string): "mods" | "conf" | "sites" | null {
  const dir = dirname(path);
  const kind = AVAILABLE.exec(dir.slice(dir.lastIndexOf("/") + 1));
  if (!kind || dirname(dir) !== root) return null;
  let target: string;
  try {
    target = realpathSync.native(path);
  } catch {
    return null;
  }
  let targets = tree.enabled.get(kind[1]!);
  if (!targets) {
    targets = new Set();
    const enabled = join(root, `${kind[1]}-enabled`);
    try {
      for (const n of readdirSync(enabled)) {
        try {
          targets.add(realpathSync.native(join(enabled, n)));
        } catch {
          /* a dangling link enables nothing */
        }
      }
    } catch {
      /* no *-enabled directory: nothing is enabled */
    }
    tree.enabled.set(kind[1]!, targets);
  }
  return targets.has(target) ? null : (kind[1] as "mods" | "conf" | "sites");
}
