// What a file's lint result depends on, reduced to strings --cache compares
// (src/cli/cache.ts keeps the results). A result is reused only when every
// one of them is as it was:
// - the run's settings (cacheHeader): the tool and its code, the rules, which
//   of them run (-q), and the options that change what Includes lead to;
// - the file's own (fileKey): its path as shown and as Apache reads it
//   (messages name them), its kind, its rules' severities, the Apache version,
//   and, inside a Debian tree, what the tree tells about its server (treeStamp);
// - its bytes, and those of every file its Includes pull in (cache.ts);
// - what its Include lines lead to on disk now (includeSignature): these are
//   resolved again on every run, so a new file in sites-enabled/, a changed
//   ServerRoot or a different linted tree is seen.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { SeverityOverrides } from "../core/engine.js";
import type { IncludeResult } from "../server/includes.js";

export const digest = (data: string | Uint8Array): string => createHash("sha1").update(data).digest("hex");

/**
 * The code that runs: the version alone stays 0.1.0 across every build of a
 * checkout. The module's file (the bundle's launcher, rewritten by each build;
 * dist/src/cli/cache-key.js under tsc) changes with each build.
 */
function codeStamp(): string {
  try {
    const s = statSync(fileURLToPath(import.meta.url));
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return "?";
  }
}

export interface RunSettings {
  toolVersion: string;
  ruleIds: readonly string[];
  /** -q without --fix, --diff or --max-warnings: rules that cannot report an error do not run */
  errorsOnly: boolean;
  followIncludes: boolean;
  serverRoot: string | null;
  allowOutside: readonly string[];
}

/** A change here makes the whole cache file stale. */
export function cacheHeader(s: RunSettings): string {
  return digest(JSON.stringify([codeStamp(), s.toolVersion, s.ruleIds, s.errorsOnly, s.followIncludes, s.serverRoot, s.allowOutside]));
}

export interface FileSettings {
  display: string;
  realPath: string;
  kind: string;
  severities: SeverityOverrides;
  apacheVersion: string;
  debianRoot: string | null;
  treeStamp: string | null;
}

export function fileKey(f: FileSettings): string {
  const severities = Object.entries(f.severities).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return digest(JSON.stringify([f.display, f.realPath, f.kind, severities, f.apacheVersion, f.debianRoot, f.treeStamp]));
}

/**
 * What a file's Includes lead to, as include-missing and the include
 * following read it. The ServerRoot is read only for a relative Include, where
 * the resolver has worked it out already (the getter costs nothing more there).
 */
export function includeSignature(results: readonly IncludeResult[]): string {
  return digest(
    JSON.stringify(
      results.map((r) => [
        r.name,
        r.optional,
        r.pattern,
        r.start,
        r.end,
        r.line,
        r.path,
        r.unresolved ?? null,
        r.conditional ?? null,
        r.path !== null && !isAbsolute(r.pattern) ? r.serverRoot : null,
        r.files.map((f) => [f.path, f.realPath]),
        r.problem ? [r.problem.kind, r.problem.apacheMessage, (r.problem.cycle ?? []).map((s) => [s.path, s.realPath, s.line])] : null,
        r.outside ? [r.outside.paths, r.outside.tree] : null,
      ]),
    ),
  );
}

const read = (p: string): string => {
  try {
    return readFileSync(p, "latin1");
  } catch {
    return "\0unreadable";
  }
};
const real = (p: string): string => {
  try {
    return realpathSync.native(p);
  } catch {
    return "\0dangling";
  }
};
const list = (dir: string): string[] => {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
};

/**
 * What src/server/debian-tree.ts reads of the tree at `root`, or more: envvars,
 * every file of mods-enabled/ (the modules), where each entry of conf- and
 * sites-enabled/ leads (which *-available files Apache reads), and the text of
 * each tree file with a Define in it (variable-undefined counts those
 * elsewhere in the tree). A site without "define" in it can change without
 * making the other files of the tree stale.
 */
function treeStampOf(root: string): string {
  const parts: string[] = [read(join(root, "envvars"))];
  for (const name of list(join(root, "mods-enabled"))) {
    const p = join(root, "mods-enabled", name);
    parts.push(name, real(p), read(p));
  }
  const withDefine = (p: string) => {
    const text = read(p);
    return /define/i.test(text) ? text : "";
  };
  parts.push(withDefine(join(root, "apache2.conf")), withDefine(join(root, "ports.conf")));
  for (const dir of ["conf-enabled", "sites-enabled"]) {
    for (const name of list(join(root, dir))) {
      const p = join(root, dir, name);
      parts.push(dir, name, real(p), withDefine(p));
    }
  }
  return digest(parts.join("\0"));
}

/** One stamp per Debian tree and run. */
export class TreeStamps {
  readonly #stamps = new Map<string, string>();

  of(root: string): string {
    let s = this.#stamps.get(root);
    if (s === undefined) this.#stamps.set(root, (s = treeStampOf(root)));
    return s;
  }
}
