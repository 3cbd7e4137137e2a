// The .apachelintrc.json that applies to a document, found as the command line
// finds it (ConfigFinder: the nearest one up to the repository root) and kept
// between lints. An editor session outlives any config file, so the cache is
// dropped when one may have changed: on a watched-file event (invalidate), and
// when the lookup path of a directory no longer looks as it did (a config
// created, deleted or rewritten: its mtime, size or inode differ), which also
// covers editors that do not watch files and edits made outside the editor.
import { existsSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { CONFIG_FILE_NAME, ConfigFinder, type Config } from "../cli/config.js";

/** What the lookup from `dir` sees: the nearest config file and its identity, or where the lookup stops. */
function lookupStamp(dir: string): string {
  for (let d = dir; ; d = dirname(d)) {
    const s = statSync(join(d, CONFIG_FILE_NAME), { throwIfNoEntry: false, bigint: true });
    if (s) return `${d}\0${s.mtimeNs}\0${s.ctimeNs}\0${s.size}\0${s.ino}`;
    if (existsSync(join(d, ".git")) || dirname(d) === d) return `none\0${d}`;
  }
}

export class ConfigCache {
  #finder: ConfigFinder;
  readonly #stamps = new Map<string, string>();

  constructor(private readonly knownRules: ReadonlySet<string>) {
    this.#finder = new ConfigFinder(knownRules);
  }

  /** The config for files in the absolute directory `dir`, or null. Throws ConfigError for a broken one. */
  forDirectory(dir: string): Config | null {
    const stamp = lookupStamp(dir);
    const before = this.#stamps.get(dir);
    if (before !== undefined && before !== stamp) this.invalidate();
    this.#stamps.set(dir, stamp);
    return this.#finder.forDirectory(dir);
  }

  /** Forgets every config read: the next lookup reads them again. */
  invalidate(): void {
    this.#finder = new ConfigFinder(this.knownRules);
    this.#stamps.clear();
  }
}
