// Turns the command line's paths into the files to lint: files as given,
// directories searched for Apache config files, glob patterns expanded.
import { readdirSync, realpathSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { describeFsError } from "../server/io.js";

/** Directories never searched: they hold dependencies and history, not the server's config. */
export const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set(["node_modules", ".git"]);

/** Files a directory search picks up: *.conf (httpd.conf and apache2.conf included) and .htaccess. */
export function isConfigFileName(name: string): boolean {
  return name.endsWith(".conf") || name === ".htaccess";
}

export interface Target {
  absolutePath: string;
  /** named on the command line (not found by a directory search or a glob) */
  explicit: boolean;
  /** its real path (symbolic links resolved), or absolutePath when that cannot be resolved */
  realPath?: string;
}

export interface PathProblem {
  /** the argument as given */
  path: string;
  reason: string;
}

export interface Expansion {
  targets: Target[];
  problems: PathProblem[];
}

interface Found {
  path: string;
  /** the real path when known without asking the file system again */
  real: string | undefined;
}

/** Config files under `dir`, sorted, symlinked files included, each directory visited once. */
function walk(dir: string, out: Found[], seen: Set<string>): void {
  let real: string;
  try {
    real = realpathSync(dir);
  } catch {
    return;
  }
  if (seen.has(real)) return;
  seen.add(real);
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const full = join(dir, e.name);
    let isDir = e.isDirectory();
    if (e.isSymbolicLink()) {
      // a dangling link or a loop of links (ELOOP) named like a config file is kept: reading it reports the problem
      try {
        isDir = statSync(full, { throwIfNoEntry: false })?.isDirectory() ?? false;
      } catch {
        isDir = false;
      }
    }
    if (isDir) {
      if (!SKIPPED_DIRECTORIES.has(e.name)) walk(full, out, seen);
    } else if (isConfigFileName(e.name)) {
      // a plain file's real path is its real directory's plus its name
      out.push({ path: full, real: e.isSymbolicLink() ? undefined : join(real, e.name) });
    }
  }
}

export async function expandPaths(args: readonly string[], cwd: string): Promise<Expansion> {
  const targets: Target[] = [];
  const problems: PathProblem[] = [];
  const seen = new Set<string>();
  const add = (absolutePath: string, explicit: boolean, real?: string) => {
    let key = absolutePath;
    if (real !== undefined) key = real;
    else {
      try {
        key = realpathSync(absolutePath);
      } catch {
        // unreadable: keep it, reading it reports why
      }
    }
    if (seen.has(key)) return;
    seen.add(key);
    targets.push({ absolutePath, explicit, realPath: key });
  };
  for (const arg of args) {
    const abs = resolve(cwd, arg);
    let stat;
    try {
      stat = statSync(abs);
    } catch (err) {
      // tinyglobby is loaded only when a pattern is given
      const { glob, isDynamicPattern } = await import("tinyglobby");
      if (isDynamicPattern(arg)) {
        const found = await glob(arg, {
          cwd,
          absolute: true,
          dot: true,
          onlyFiles: true,
          expandDirectories: false,
          ignore: [...SKIPPED_DIRECTORIES].map((d) => `**/${d}/**`),
        });
        if (found.length === 0) problems.push({ path: arg, reason: "no files match this pattern" });
        for (const f of found.sort()) add(resolve(f), false);
        continue;
      }
      problems.push({ path: arg, reason: describeFsError(err, abs) });
      continue;
    }
    if (stat.isDirectory()) {
      const found: Found[] = [];
      walk(abs, found, new Set());
      if (found.length === 0) problems.push({ path: arg, reason: "no Apache config files here (*.conf, .htaccess)" });
      for (const f of found) add(f.path, false, f.real);
    } else {
      add(abs, true);
    }
  }
  return { targets, problems };
}
