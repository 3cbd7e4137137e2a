// --cache (ESLint's): the lint results of files that did not change, kept in
// one JSON file between runs. What a result depends on is in cache-key.ts;
// this module keeps the results, tells whether a file's bytes are still the
// ones a result was recorded for, and writes the file back.
//
// A file's bytes are compared by their SHA-1. Reading a file only to hash it
// is avoided when its stat (size, mtime, ctime, inode, device) is still the one
// recorded with the hash, as git's index does, and as git does against
// "racily clean" files, a stat is only trusted when the file had not changed
// for RACY_MS before it was read: a write within the file system's clock tick
// could otherwise leave size and times as they were.
//
// The cache is advisory: a missing, unreadable, corrupt or foreign cache file
// is ignored (everything is linted), one that cannot be written is said once.
import { mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync, existsSync, type Stats } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { Finding } from "../core/engine.js";
import { describeFsError } from "../server/io.js";
import { digest } from "./cache-key.js";

export const CACHE_FILE_NAME = ".apachelintcache";
const FORMAT = 1;
/** How long a file must have been left alone before its stat vouches for its bytes. */
export const RACY_MS = 1000;

interface Stamp {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  dev: number;
}

export interface CacheEntry {
  /** fileKey(): the settings the result holds for */
  key: string;
  /** digest of the bytes the result was recorded for */
  hash: string;
  /** the file's stat when it held those bytes, when trustworthy */
  stamp?: Stamp;
  /** every finding of the file (before -q hides any) */
  findings: Finding[];
  /** the not-valid-UTF-8 notice the file gets */
  notice?: string;
  /** includeSignature() of a file with Include lines; absent when it has none */
  includes?: string;
  /** the files its Includes pull in, directly and through theirs, with the digest of their bytes */
  deps?: Record<string, string>;
}

interface CacheData {
  format: number;
  header: string;
  entries: Record<string, CacheEntry>;
}

/** A file's stat as it was read, and a time no later than the read (Date.now() before it). */
export interface ReadAt {
  stat: Stats;
  at: number;
}

export interface CacheStats {
  /** results used as recorded */
  reused: number;
  /** of those, files that were not read at all */
  unread: number;
  /** files linted anew */
  linted: number;
}

/** `--cache-location`: a directory (existing, or written with a trailing slash) gets the default name inside it. */
export function cacheFilePath(location: string): string {
  if (/[\\/]$/.test(location)) return join(location, CACHE_FILE_NAME);
  try {
    if (statSync(location).isDirectory()) return join(location, CACHE_FILE_NAME);
  } catch {
    // not there yet: a file of that name
  }
  return location;
}

function stampOf(s: Stats): Stamp {
  return { size: s.size, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs, ino: s.ino, dev: s.dev };
}

const sameStamp = (a: Stamp, b: Stamp) => a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino && a.dev === b.dev;

function isEntry(e: unknown): e is CacheEntry {
  const x = e as CacheEntry;
  return typeof x === "object" && x !== null && typeof x.key === "string" && typeof x.hash === "string" && Array.isArray(x.findings);
}

export class LintCache {
  readonly stats: CacheStats = { reused: 0, unread: 0, linted: 0 };
  readonly #entries: Map<string, CacheEntry>;
  /** entries of files this run visited: kept, replaced or dropped */
  readonly #visited = new Map<string, CacheEntry | null>();
  /** the digest of each file's bytes as this run knows them */
  readonly #hashes = new Map<string, string>();
  /** per visited file: the files its Includes lead to directly */
  readonly #included = new Map<string, readonly string[]>();

  private constructor(
    readonly path: string,
    private readonly header: string,
    entries: Map<string, CacheEntry>,
  ) {
    this.#entries = entries;
  }

  /** Opens the cache file at `path`; anything unusable in it is ignored. */
  static open(path: string, header: string): LintCache {
    const entries = new Map<string, CacheEntry>();
    try {
      const data = JSON.parse(readFileSync(path, "utf8")) as CacheData;
      if (data?.format === FORMAT && data.header === header && typeof data.entries === "object" && data.entries !== null) {
        for (const [p, e] of Object.entries(data.entries)) if (isEntry(e)) entries.set(p, e);
      }
    } catch {
      // none yet, unreadable or not JSON: start afresh
    }
    return new LintCache(path, header, entries);
  }

  /** The result recorded for this file under these settings, whether or not it still holds. */
  lookup(path: string, key: string): CacheEntry | undefined {
    const e = this.#entries.get(path);
    return e?.key === key ? e : undefined;
  }

  /** Does the file still hold the bytes the entry was recorded for, as far as its stat tells (false: read it to know)? */
  stampHolds(path: string, entry: CacheEntry): boolean {
    if (!entry.stamp) return false;
    try {
      if (!sameStamp(stampOf(statSync(path)), entry.stamp)) return false;
    } catch {
      return false;
    }
    this.#hashes.set(path, entry.hash);
    return true;
  }

  /** Notes the bytes read for a file; true when they are those of the entry. */
  sameBytes(path: string, bytes: Uint8Array, entry: CacheEntry | undefined): boolean {
    const h = digest(bytes);
    this.#hashes.set(path, h);
    return entry?.hash === h;
  }

  /** Do the files the entry's Includes pulled in still hold the same bytes? */
  depsHold(entry: CacheEntry): boolean {
    for (const [p, h] of Object.entries(entry.deps ?? {})) if (this.#hashOf(p) !== h) return false;
    return true;
  }

  /** A recorded result was used for this file. A stat that can now be trusted is kept for the next run. */
  reused(path: string, entry: CacheEntry, read: ReadAt | undefined, included: readonly string[]): void {
    this.stats.reused++;
    if (!read) this.stats.unread++;
    const stamp = read && trusted(read) ? stampOf(read.stat) : entry.stamp;
    this.#visited.set(path, stamp === entry.stamp ? entry : { ...entry, ...(stamp ? { stamp } : {}) });
    this.#included.set(path, included);
  }

  /**
   * The file was linted anew from `bytes` (as `read` described them):
   * `findings` are those of these bytes, or null when they are not (fixes were
   * applied) and nothing is to be kept.
   */
  linted(path: string, key: string, bytes: Uint8Array, read: ReadAt | undefined, result: Omit<CacheEntry, "key" | "hash" | "stamp" | "deps"> | null, included: readonly string[]): void {
    this.stats.linted++;
    const hash = digest(bytes);
    this.#hashes.set(path, hash);
    this.#included.set(path, included);
    if (!result) {
      this.#visited.set(path, null);
      return;
    }
    this.#visited.set(path, { key, hash, ...(read && trusted(read) ? { stamp: stampOf(read.stat) } : {}), ...result });
  }

  /** A file that could not be linted: its entry goes. */
  failed(path: string): void {
    this.#visited.set(path, null);
  }

  /**
   * Writes the cache file (temporary file + rename: a reader never sees half of
   * it). Entries of files this run did not visit stay while the file exists.
   * Returns a reason when it could not be written.
   */
  save(): string | undefined {
    const entries: Record<string, CacheEntry> = {};
    for (const [p, e] of this.#entries) if (!this.#visited.has(p) && existsSync(p)) entries[p] = e;
    for (const [p, e] of this.#visited) {
      if (!e) continue;
      const deps = this.#depsOf(p);
      if (deps === null) continue;
      const { deps: _old, ...rest } = e;
      entries[p] = Object.keys(deps).length ? { ...rest, deps } : rest;
    }
    const data: CacheData = { format: FORMAT, header: this.header, entries };
    const tmp = join(dirname(this.path), `.${basename(this.path)}.${process.pid}.tmp`);
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      writeFileSync(tmp, JSON.stringify(data));
      renameSync(tmp, this.path);
      return undefined;
    } catch (e) {
      try {
        unlinkSync(tmp);
      } catch {
        // never written
      }
      return describeFsError(e);
    }
  }

  /** Every file the Includes of `path` pull in, directly or through theirs, with its digest; null when one cannot be read. */
  #depsOf(path: string): Record<string, string> | null {
    const deps: Record<string, string> = {};
    const todo = [...(this.#included.get(path) ?? [])];
    const seen = new Set<string>([path]);
    while (todo.length) {
      const p = todo.pop()!;
      if (seen.has(p)) continue;
      seen.add(p);
      const h = this.#hashOf(p);
      if (h === undefined) return null;
      deps[p] = h;
      for (const q of this.#included.get(p) ?? []) todo.push(q);
    }
    return deps;
  }

  /** The digest of a file's bytes: known this run, vouched for by its recorded stat, or read. */
  #hashOf(path: string): string | undefined {
    let h = this.#hashes.get(path);
    if (h !== undefined) return h;
    const e = this.#entries.get(path);
    if (e && this.stampHolds(path, e)) return e.hash;
    try {
      h = digest(readFileSync(path));
    } catch {
      return undefined;
    }
    this.#hashes.set(path, h);
    return h;
  }
}

/** Was the file left alone for long enough before it was read (see RACY_MS)? */
function trusted(read: ReadAt): boolean {
  return read.at - Math.max(read.stat.mtimeMs, read.stat.ctimeMs) > RACY_MS;
}
