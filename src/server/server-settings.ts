// What the security rules need to know beyond the file they lint: whether a
// server-wide setting (ServerTokens, TraceEnable, `<Directory />`) is written in
// any file Apache reads for a whole server config, and which override classes
// the .htaccess files of a directory actually use. Both answer "unknown" rather
// than guess, so that a rule never reports a setting as missing when it may be
// set somewhere it could not see.
//
// What the file system says comes through server.files (FileAccess), which the
// CLI and the language server give and the playground does not: without it
// every answer is "unknown" (no missing-setting report, no suggested list).
import { parse, type ConfigFile } from "../../grammar/index.js";
import { DIRECTIVE, OPEN } from "../../grammar/line-table.js";
import { directiveDoc, sectionDoc } from "../apache/directive-docs.js";
import type { FileAccess } from "./file-access.js";
import { isWholeServerConfig, type ServerInfo } from "./server-info.js";

export type Presence = "set" | "absent" | "unknown";

const dirname = (p: string) => {
  const i = p.lastIndexOf("/");
  return i < 0 ? "." : i === 0 ? "/" : p.slice(0, i);
};
const join = (a: string, b: string) => (a.endsWith("/") ? a + b : `${a}/${b}`);

const INCLUDE_LINE = /^[ \t]*Include(?:Optional)?[ \t]/im;
/**
 * Does a file this whole server config includes match `line` (a multiline RegExp for the
 * directive's line)? "unknown" for a fragment, for an Include that was not followed or
 * could not be read, and for an included file with Include lines of its own (one level is read).
 */
export function setInIncludes(file: ConfigFile, server: ServerInfo, line: RegExp): Presence {
  if (!isWholeServerConfig(file, server)) return "unknown";
  const includes = server.includes;
  if (!includes) return file.table.names.some((n) => n === "include" || n === "includeoptional") ? "unknown" : "absent";
  let unknown = false;
  for (const inc of includes) {
    if (inc.path === null || inc.outside || inc.problem) unknown = true;
    for (const f of inc.files) {
      // (the resolver's read cache: the file is read once per run)
      const text = server.files?.readText(f.path) ?? null;
      if (text === null) unknown = true;
      else if (line.test(text)) return "set";
      else if (INCLUDE_LINE.test(text)) unknown = true;
    }
  }
  return unknown ? "unknown" : "absent";
}

export interface HtaccessUsage {
  /** the .htaccess files found, absolute */
  readonly files: readonly string[];
  /** the AllowOverride classes their directives need (from the manual's Override rows) */
  readonly classes: ReadonlySet<string>;
}

const SKIP_DIRS = new Set(["node_modules", ".git"]);
const MAX_ENTRIES = 20_000;


/**
 * The .htaccess files under `dir` and the override classes they use, when `dir` lies inside the
 * tree of the config being linted (the directory of `configPath`); null otherwise, or when the
 * walk is too large to be sure of. A directive whose Override row is "All" (<Files>, <If>) is
 * allowed under any class and adds none.
 */
export function htaccessUsage(dir: string, configPath: string, fs: FileAccess | undefined): HtaccessUsage | null {
  if (!fs) return null;
  const root = fs.realPath(dirname(configPath));
  const real = fs.realPath(dir);
  if (!root || !real || !(real === root || real.startsWith(root.endsWith("/") ? root : `${root}/`))) return null;
  const files: string[] = [];
  const classes = new Set<string>();
  let seen = 0;
  const walk = (d: string): boolean => {
    const entries = fs.list(d);
    if (!entries) return true;
    for (const e of entries) {
      if (++seen > MAX_ENTRIES) return false;
      if (e.directory) {
        if (!SKIP_DIRS.has(e.name) && !walk(join(d, e.name))) return false;
      } else if (e.name === ".htaccess") {
        const path = join(d, e.name);
        const text = fs.readText(path);
        if (text === null) continue;
        files.push(path);
        for (const c of overrideClassesOf(parse(text, path))) classes.add(c);
      }
    }
    return true;
  };
  return walk(real) ? { files, classes } : null;
}

/** The AllowOverride classes the directives of a parsed .htaccess need. */
export function overrideClassesOf(file: ConfigFile): Set<string> {
  const t = file.table;
  const out = new Set<string>();
  for (let r = 0; r < t.count; r++) {
    const k = t.kind[r];
    if (k !== DIRECTIVE && k !== OPEN) continue;
    const name = t.names[t.key[r]!]!;
    const doc = k === OPEN ? sectionDoc(name) : directiveDoc(name);
    // "AuthConfig, Limit": either class allows it; the first is the one to suggest
    const c = doc?.override?.split(",")[0]?.trim();
    if (c && c !== "All") out.add(c);
  }
  return out;
}
