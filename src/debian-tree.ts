// Server knowledge for a file on disk. Debian and Ubuntu split the config into
// a tree (/etc/apache2: apache2.conf, mods-enabled/, sites-enabled/ …) where
// a module is loaded by a2enmod, which links mods-available/NAME.load into
// mods-enabled/. A vhost file in such a tree has no LoadModule lines of its
// own, yet its modules are known: they are the .load files in mods-enabled/.
// This is the one place that reads those files; rules only see the result.
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parse, type ConfigFile } from "../grammar/index.js";
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
  if (!isEnabled(root, resolve(path))) return makeServerInfo({ managesModules: false, debianRoot: root, loaded: loadedModulesOf(file) });
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
  return makeServerInfo({ managesModules: true, debianRoot: root, loaded });
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
