// How mod_rewrite reads a rule's pattern and strings, for the issue-12 rules:
// which path a pattern sees (its context), which `%` it copies literally, and
// when one pattern certainly matches everything another does.
// Measured on Apache 2.4.71 with `LogLevel rewrite:trace3` (test/apache/rewrite-silent-live.test.ts).
import type { Directive } from "../../grammar/index.js";
import type { FileKind } from "./file-kind.js";
import { PER_DIRECTORY_SECTIONS } from "./scope.js";

/**
 * What a RewriteRule pattern is matched against:
 * - "server": server config or <VirtualHost>: the URL-path, always with its leading `/`
 *   (trace: `applying pattern '^app/' to uri '/app/x'`);
 * - "directory": `.htaccess`, <Directory>, <DirectoryMatch>: the path after the
 *   directory prefix is stripped, never with a leading `/`
 *   (trace: `strip per-dir prefix: /srv/al/dir -> dir`);
 * - "other": <Location>, <Files>, <If>, <Proxy>… : the full filesystem path or
 *   something else again (in <Location /loc>: `applying pattern '^old$' to uri '/srv/docs/loc/old'`); not judged.
 */
export type PatternContext = "server" | "directory" | "other";

const DIRECTORY_SECTIONS: ReadonlySet<string> = new Set(["directory", "directorymatch"]);

/** What patternContext needs of the file's facts (src/core/facts.ts FileFacts). */
export interface SectionFacts {
  enclosingRow(row: number, keys: ReadonlySet<string>): number;
}

export function patternContext(d: Directive, fileKind: FileKind, facts: SectionFacts): PatternContext {
  const row = facts.enclosingRow(d.row, PER_DIRECTORY_SECTIONS);
  if (row === -1) return fileKind === "htaccess" ? "directory" : "server";
  const t = d.file.table;
  return DIRECTORY_SECTIONS.has(t.names[t.key[row]!]!) ? "directory" : "other";
}

/** A `%` word mod_rewrite copies as text: its offsets index the argument's value. */
export interface LiteralPercent {
  start: number;
  end: number;
  word: string;
}

const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;
const HEX_PAIR = /[0-9A-Fa-f]{2}/y;

/**
 * `%name` in a string mod_rewrite expands (do_expand in mod_rewrite.c): only
 * `%{…}` and `%0`-`%9` are specials, any other `%` is copied as it is. A `%`
 * followed by two hex digits (`%C3`, `%2F`) is a URL escape meant literally and
 * is left alone; `\%` is escaped. The scan mirrors expansions() in rewrite.ts.
 */
export function literalPercents(value: string): LiteralPercent[] {
  const out: LiteralPercent[] = [];
  let i = value.indexOf("%");
  if (i === -1) return out;
  i = 0;
  while (i < value.length) {
    const c = value[i]!;
    if (c === "\\") {
      i += 2;
      continue;
    }
    if (c !== "%") {
      i++;
      continue;
    }
    const next = value[i + 1];
    if (next === "{") {
      // a variable: skip to its brace (no brace: mod_rewrite copies `%{` as text, not a word)
      const close = value.indexOf("}", i + 2);
      i = close === -1 ? i + 2 : close + 1;
      continue;
    }
    HEX_PAIR.lastIndex = i + 1;
    WORD.lastIndex = i + 1;
    if (!HEX_PAIR.test(value) && WORD.test(value)) {
      const end = WORD.lastIndex;
      out.push({ start: i, end, word: value.slice(i + 1, end) });
      i = end;
      continue;
    }
    i++;
  }
  return out;
}

// Patterns that match every string mod_rewrite can hand a rule (the empty one included).
const CATCH_ALL: ReadonlySet<string> = new Set(["^", ".*", "^.*", ".*$", "^.*$", "(.*)", "^(.*)", "(.*)$", "^(.*)$"]);

/** Is this pattern certainly matched by every path? */
export function isCatchAll(pattern: string): boolean {
  return CATCH_ALL.has(pattern);
}

const META = new Set([..."\\^$.|?*+()[]{}"]);
const QUANT = new Set([..."?*{"]);

/**
 * The literal text every match of an anchored pattern starts with (`^/app/(.*)`:
 * `/app/`), or null when the pattern is not anchored or has an alternative.
 * `\.` and other escaped punctuation are literals; a literal followed by
 * `?`, `*` or `{` is optional and ends the prefix before it.
 */
export function literalPrefix(pattern: string): { prefix: string; whole: boolean } | null {
  if (!pattern.startsWith("^") || pattern.includes("|")) return null;
  let prefix = "";
  let i = 1;
  while (i < pattern.length) {
    const c = pattern[i]!;
    let lit: string;
    let len = 1;
    if (c === "\\") {
      const e = pattern[i + 1];
      if (e === undefined || /[A-Za-z0-9]/.test(e)) break;
      lit = e;
      len = 2;
    } else if (META.has(c)) {
      break;
    } else lit = c;
    if (QUANT.has(pattern[i + len] ?? "")) break;
    prefix += lit;
    i += len;
    if (pattern[i] === "+") break;
  }
  return { prefix, whole: i === pattern.length };
}

/**
 * Does every string `later` matches also match `earlier`? Only when certain:
 * the same pattern, a catch-all earlier, or an earlier `^literal` (no `$`) that
 * the later pattern's literal prefix starts with. `nocase` is the earlier rule's [NC].
 */
export function patternCovers(earlier: string, later: string, earlierNocase: boolean, laterNocase: boolean): boolean {
  if (isCatchAll(earlier)) return true;
  if (laterNocase && !earlierNocase) return earlier === later && !/[A-Za-z]/.test(earlier);
  if (earlier === later) return true;
  const e = literalPrefix(earlier);
  if (!e || !e.whole) return false;
  const l = literalPrefix(later);
  if (!l) return false;
  return earlierNocase ? l.prefix.toLowerCase().startsWith(e.prefix.toLowerCase()) : l.prefix.startsWith(e.prefix);
}
