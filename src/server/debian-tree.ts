// Server knowledge for a file on disk. Debian and Ubuntu split the config into
// a tree (/etc/apache2: apache2.conf, mods-enabled/, sites-enabled/ …) where
// a module is loaded by a2enmod, which links mods-available/NAME.load into
// mods-enabled/. A vhost file in such a tree has no LoadModule lines of its
// own, yet its modules are known: they are the .load files in mods-enabled/.
// This is the one place that reads those files; rules only see the result.
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { directives, parse, type ConfigFile } from "../../grammar/index.js";
import { loadedModulesOf, makeServerInfo, serverInfoFromFile, type ServerInfo } from "./server-info.js";

const isDir = (p: string) => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};

/** The nearest directory at or above `dir` holding apache2.conf and mods-enabled/, or null. */
export function findDebianRoot(dir: string): string | null {
  let d = resolve(dir);
  for (;;) {
    if (existsSync(join(d, "apache2.conf")) && isDir(join(d, "mods-enabled"))) return d;
    const up = dirname(d);
    if (up === d) return null;
    d = up;
  }
}

/**
 * What is known about the server `file` (read from `path`) belongs to. In a
 * Debian tree: the modules of mods-enabled/*.load (plus any LoadModule in the
 * file itself), and managesModules is true because a2enmod is how they are
 * loaded. Elsewhere: only what the file says (serverInfoFromFile).
 */
export function serverInfoForPath(path: string, file: ConfigFile): ServerInfo {
  const root = findDebianRoot(dirname(resolve(path)));
  if (!root) return serverInfoFromFile(file);
  // A file in mods-, conf- or sites-available that is not linked into the
  // matching *-enabled directory is not read by Apache: which modules it will
  // have once enabled is not known (a2enmod also enables the module of its
  // own mods-available/NAME.conf), so module rules stay silent about it.
  const variables = { environment: envvarsExports(root), treeDefines: treeDefines(root, resolve(path)) };
  if (!isEnabled(root, resolve(path))) {
    return { ...makeServerInfo({ managesModules: false, debianRoot: root, loaded: loadedModulesOf(file) }), ...variables };
  }
  const enabled = join(root, "mods-enabled");
  const loaded = [];
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
    loaded.push(...loadedModulesOf(parse(text, p)));
  }
  loaded.push(...loadedModulesOf(file));
  return { ...makeServerInfo({ managesModules: true, debianRoot: root, loaded }), ...variables };
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

/**
 * Lower-cased names a two-argument Define sets in the tree's other files. Their
 * order against `self` is not worked out (that needs the Include order), so a
 * Define anywhere in the tree counts: variable-undefined then errs on the side
 * of silence.
 */
function treeDefines(root: string, self: string): Set<string> {
  const names = new Set<string>();
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return p;
    }
  };
  const me = real(self);
  for (const p of treeFiles(root)) {
    if (real(p) === me) continue;
    let text: string;
    try {
      text = readFileSync(p, "utf8");
    } catch {
      continue;
    }
    if (!/define/i.test(text)) continue;
    for (const d of directives(parse(text, p))) {
      if (d.key === "define" && d.args.length >= 2) names.add(d.args[0]!.value.toLowerCase());
    }
  }
  return names;
}

const AVAILABLE = /^(mods|conf|sites)-available$/;

/** False for a file in a *-available directory that no link in the matching *-enabled directory points to. */
function isEnabled(root: string, path: string): boolean {
  const dir = dirname(path);
  const kind = AVAILABLE.exec(dir.slice(dir.lastIndexOf("/") + 1));
  if (!kind || dirname(dir) !== root) return true;
  const enabled = join(root, `${kind[1]}-enabled`);
  let target: string;
  try {
    target = realpathSync(path);
  } catch {
    return true;
  }
  try {
    return readdirSync(enabled).some((n) => {
      try {
        return realpathSync(join(enabled, n)) === target;
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}
