// Where Apache's Include and IncludeOptional lines lead, worked out on disk
// the way httpd 2.4 does it (server/config.c, core.c include_config):
// - a relative path is joined to the ServerRoot in effect (the last ServerRoot
//   read so far, else `-d`), lexically, `..` included;
// - a path with a wildcard (`*`, `?`, a balanced `[...]`) in any component is
//   walked component by component: a wildcard before the last component only
//   matches real directories (not symbolic links), a leading `.` must be
//   matched literally, matches are read in strcmp order;
// - a directory is read whole, recursively, every entry (dot files too);
// - Include fails on a missing file, an unopenable directory or a wildcard
//   with no match; IncludeOptional only tolerates what does not exist;
// - nesting deeper than 128 Includes fails (that is how a cycle ends).
// This module does the I/O and says what Apache would do; include-missing
// turns that into findings, run.ts lints the files it leads to. Given the
// tree being linted (linted-tree.ts), nothing outside it is opened, listed or
// checked: what lies outside is only named (IncludeResult.outside).
import { accessSync, constants, readdirSync, readFileSync, realpathSync, statSync, type Dirent } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { Directive as DirectiveView, Section as SectionView, directives, parse, type ConfigFile, type Directive, type Parent } from "../../grammar/index.js";
import { CLOSE, DIRECTIVE, OPEN } from "../../grammar/line-table.js";
import { fileVerdicts, type ConditionKnowledge, type ConditionVerdicts } from "../apache/conditions.js";
import { CONDITIONAL_SECTIONS } from "../apache/scope.js";
import { decode } from "./io.js";
import type { LintedTree } from "./linted-tree.js";
import type { FileAccess } from "./file-access.js";
import { linearTest } from "../apache/linear-regex.js";

/** AP_MAX_INCLUDE_DEPTH and AP_MAX_INCLUDE_DIR_DEPTH in httpd 2.4. */
export const MAX_INCLUDE_DEPTH = 128;

/** One Include on the way to a file: the including file and the line of its Include. */
export interface IncludeStep {
  readonly path: string;
  readonly realPath: string;
  readonly line: number;
}

/** What is known where a file starts being read. */
export interface IncludeContext {
  /** the ServerRoot in effect (absolute), or null when unknown */
  readonly serverRoot: string | null;
  /** the Includes that led to this file, outermost first; empty for a file linted on its own */
  readonly chain: readonly IncludeStep[];
  /**
   * The tree being linted: an Include that leads outside it is not read and not
   * checked (IncludeResult.outside). Undefined: no limit (a caller that trusts the config).
   */
  readonly tree?: LintedTree | undefined;
}

/** A file Apache reads for an Include, with the ServerRoot in effect when it starts. */
export interface IncludedFile {
  /** absolute, as Apache names it (symbolic links kept) */
  readonly path: string;
  readonly realPath: string;
  readonly serverRoot: string | null;
}

export type IncludeProblemKind = "missing" | "no-match" | "unreadable" | "cycle" | "too-deep";

/** Why Apache refuses to start on an Include. */
export interface IncludeProblem {
  readonly kind: IncludeProblemKind;
  /** Apache's own message (as `apache2 -t` prints it after "Syntax error on line N of F:") */
  readonly apacheMessage: string;
  /** for a cycle: the Includes from the file included again down to this one */
  readonly cycle?: readonly IncludeStep[];
}

/** Why an Include was not followed; nothing is said about such an Include. */
export type Unresolved =
  /** a relative path, and no ServerRoot is known */
  | "server-root-unknown"
  /** the path uses ${VAR}, which is only known where Apache runs */
  | "variable"
  /** not exactly one argument (Apache refuses that itself; other rules say so) */
  | "arguments";

export interface IncludeResult {
  /** "Include" or "IncludeOptional", as written */
  readonly name: string;
  readonly optional: boolean;
  /** the path argument: its value and span in the file */
  readonly pattern: string;
  readonly start: number;
  readonly end: number;
  /** line of the directive */
  readonly line: number;
  /** the ServerRoot in effect at this line */
  readonly serverRoot: string | null;
  /** the absolute path Apache works with, or null when unresolved */
  readonly path: string | null;
  readonly unresolved?: Unresolved;
  /** the files Apache reads for it, in its order (up to a problem) */
  readonly files: readonly IncludedFile[];
  readonly problem?: IncludeProblem;
  /** the innermost enclosing <IfModule …>/<IfDefine …>/… tag: Apache only reads the line if that is true */
  readonly conditional?: string;
  /**
   * What this Include leads to outside the linted tree, not read and not checked:
   * the paths as Apache names them (the path itself, a directory a wildcard would
   * list, or files it matches), and the tree's directories (real paths).
   */
  readonly outside?: { readonly paths: readonly string[]; readonly tree: readonly string[] };
  /**
   * May the files it reads Define or UnDefine a name (an <IfDefine> after it
   * then depends on them)? false only when every file is read and holds neither
   * (nor an Include of its own); read from disk on first ask.
   */
  readonly mayDefine?: boolean;
}


// ------------------------------------------------------------ pure helpers

/** apr_fnmatch_test: `*` or `?` anywhere, or a `[` closed by a `]`; `\` escapes. */
export function isWildcard(pattern: string): boolean {
  let open = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "?" || c === "*") return true;
    if (c === "\\") {
      if (++i >= pattern.length) return false;
    } else if (c === "[") open = true;
    else if (c === "]" && open) return true;
  }
  return false;
}

const reEscape = (s: string) => s.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");

/** A bracket expression at pattern[i] === "[" as a regex class, and where it ends; null when unbalanced (then `[` is literal). */
function bracket(pattern: string, i: number): { re: string; next: number } | null {
  let j = i + 1;
  let negate = false;
  if (pattern[j] === "!" || pattern[j] === "^") {
    negate = true;
    j++;
  }
  let body = "";
  let first = true;
  while (j < pattern.length) {
    let c = pattern[j]!;
    if (c === "]" && !first) return { re: `[${negate ? "^" : ""}${body}]`, next: j + 1 };
    first = false;
    if (c === "\\" && j + 1 < pattern.length) c = pattern[++j]!;
    if (pattern[j + 1] === "-" && j + 2 < pattern.length && pattern[j + 2] !== "]") {
      let hi = pattern[j + 2]!;
      j += 3;
      if (hi === "\\" && j < pattern.length) hi = pattern[j++]!;
      body += `${reEscape(c)}-${reEscape(hi)}`;
      continue;
    }
    body += reEscape(c);
    j++;
  }
  return null;
}

// outside a class `\-` is no escape in Unicode mode (`site-*.conf` would not compile)
const literal = (c: string) => (c === "-" ? "-" : reEscape(c));

/** apr_fnmatch(pattern, name, APR_FNM_PERIOD) for one path component. */
export function fnmatch(pattern: string, name: string): boolean {
  // a leading period is only matched by a literal one
  if (name.startsWith(".") && !(pattern.startsWith(".") || pattern.startsWith("\\."))) return false;
  let re = "";
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i]!;
    if (c === "*") {
      re += ".*";
      i++;
    } else if (c === "?") {
      re += ".";
      i++;
    } else if (c === "[") {
      const b = bracket(pattern, i);
      if (b) {
        re += b.re;
        i = b.next;
      } else {
        re += "\\[";
        i++;
      }
    } else if (c === "\\" && i + 1 < pattern.length) {
      re += literal(pattern[i + 1]!);
      i += 2;
    } else {
      re += literal(c);
      i++;
    }
  }
  // the wildcard and the names are both the tree's: matched in linear time (`*a*a*a*…b` would backtrack for ever)
  return linearTest(`^${re}$`, name, "su") === true;
}

/** glibc's strerror for what %pm prints in Apache's messages. */
const STRERROR: Readonly<Record<string, string>> = {
  ENOENT: "No such file or directory",
  EACCES: "Permission denied",
  EPERM: "Operation not permitted",
  ENOTDIR: "Not a directory",
  EISDIR: "Is a directory",
  ELOOP: "Too many levels of symbolic links",
  ENAMETOOLONG: "File name too long",
  EIO: "Input/output error",
  EMFILE: "Too many open files",
};

function strerror(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return (e?.code && STRERROR[e.code]) ?? e?.message ?? String(err);
}

/** strcmp order, as fname_alphasort sorts. */
const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/**
 * The ServerRoot, Include and IncludeOptional lines of a file in order, each
 * with the tag of the innermost enclosing conditional section (CONDITIONAL_SECTIONS)
 * whose body Apache may skip: one the shared evaluation (conditions.ts) finds
 * true (`<IfModule !mod_proxy>`: no module has that name) is not a condition,
 * and a line in a body it finds false is left out: Apache never reads it.
 * Read from the line table: no tree is built.
 */
function includeLines(file: ConfigFile, knowledge: ConditionKnowledge = {}): { d: Directive; conditional: string | undefined }[] {
  const t = file.table;
  const wanted = new Set<number>();
  for (const k of ["serverroot", "include", "includeoptional"]) {
    const id = t.names.indexOf(k);
    if (id !== -1) wanted.add(id);
  }
  const out: { d: Directive; conditional: string | undefined }[] = [];
  if (wanted.size === 0) return out;
  // the one evaluation the rules use too, made only for a line inside a conditional
  let verdicts: ConditionVerdicts | undefined;
  // open rows, with the section views made only when a line below them is wanted
  const stack: number[] = [];
  const views = new Map<number, SectionView>();
  const viewAt = (i: number): SectionView => {
    const row = stack[i]!;
    let v = views.get(row);
    if (!v) views.set(row, (v = new SectionView(file, row, i > 0 ? viewAt(i - 1) : file)));
    return v;
  };
  for (let r = 0; r < t.count; r++) {
    while (stack.length && t.pair[stack[stack.length - 1]!]! < 0 && r >= t.extent[stack[stack.length - 1]!]!) stack.pop();
    const kind = t.kind[r];
    if (kind === OPEN) stack.push(r);
    else if (kind === CLOSE) {
      if (stack.length && t.pair[r] === stack[stack.length - 1]) stack.pop();
    } else if (kind === DIRECTIVE && wanted.has(t.key[r]!)) {
      let conditional: string | undefined;
      let skipped = false;
      for (let i = stack.length - 1; i >= 0; i--) {
        if (!CONDITIONAL_SECTIONS.has(t.names[t.key[stack[i]!]!]!)) continue;
        const v = (verdicts ??= fileVerdicts(file, knowledge)).verdictAt(stack[i]!);
        if (v === false) skipped = true;
        if (v === true || conditional) continue;
        conditional = viewAt(i).open.text;
      }
      if (skipped) continue;
      const parent: Parent = stack.length ? viewAt(stack.length - 1) : file;
      out.push({ d: new DirectiveView(file, r, parent), conditional });
    }
  }
  return out;
}

/** The ServerRoot a `ServerRoot` line sets, or null when it cannot be known here. */
function serverRootFrom(d: Directive): string | null {
  const arg = d.args[0];
  if (d.args.length !== 1 || !arg || arg.value.includes("${")) return null;
  // a relative ServerRoot is taken from the server process's working directory, unknown here
  if (!isAbsolute(arg.value)) return null;
  const p = resolve(arg.value);
  try {
    return statSync(p).isDirectory() ? p : null; // Apache refuses a ServerRoot that is not a directory
  } catch {
    return null;
  }
}

// ------------------------------------------------------------- expansion

export interface Expansion {
  /** the files Apache reads, in order, up to the first problem */
  readonly paths: readonly string[];
  readonly problem?: { kind: "missing" | "no-match" | "unreadable" | "too-deep"; apacheMessage: string };
  /** what was not looked at because `admit` refused it: files, and directories not listed */
  readonly outside?: readonly string[];
}

type Problem = NonNullable<Expansion["problem"]>;

/** Where an expansion may look (before any stat or readdir), and what it was refused. */
interface Limit {
  readonly admit: (path: string) => boolean;
  readonly outside: string[];
}

/** May the expansion touch `path`? A refused path is recorded, and skipped as if it were not there. */
function allowed(limit: Limit | undefined, path: string): boolean {
  if (!limit || limit.admit(path)) return true;
  limit.outside.push(path);
  return false;
}

/** process_resource_config_nofnmatch: a file, or a directory read whole. */
function expandPlain(path: string, optional: boolean, depth: number, out: string[], limit?: Limit): Problem | undefined {
  if (!allowed(limit, path)) return undefined;
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch (e) {
    if (optional) return undefined;
    return { kind: "missing", apacheMessage: `Could not open configuration file ${path}: ${strerror(e)}` };
  }
  if (isDir) {
    if (++depth > MAX_INCLUDE_DEPTH) {
      return {
        kind: "too-deep",
        apacheMessage: `Directory ${path} exceeds the maximum include directory nesting level of ${MAX_INCLUDE_DEPTH}. You have probably a recursion somewhere.`,
      };
    }
    let names: string[];
    try {
      names = readdirSync(path);
    } catch (e) {
      return { kind: "unreadable", apacheMessage: `Could not open config directory ${path}: ${strerror(e)}` };
    }
    for (const full of names.map((n) => join(path, n)).sort(byBytes)) {
      const p = expandPlain(full, optional, depth, out, limit);
      if (p) return p;
    }
    return undefined;
  }
  try {
    accessSync(path, constants.R_OK);
  } catch (e) {
    return { kind: "unreadable", apacheMessage: `Could not open configuration file ${path}: ${strerror(e)}` };
  }
  out.push(path);
  return undefined;
}

/** process_resource_config_fnmatch: `dir` exists so far; `rest` are the components left. */
function expandWildcard(dir: string, rest: readonly string[], optional: boolean, out: string[], limit?: Limit): Problem | undefined {
  const [first, ...more] = rest;
  if (first === undefined) return expandPlain(dir, optional, 0, out, limit);
  if (!isWildcard(first)) {
    const next = join(dir, first);
    return more.length ? expandWildcard(next, more, optional, out, limit) : expandPlain(next, optional, 0, out, limit);
  }
  if (!allowed(limit, dir)) return undefined;
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    if (optional && (e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    return { kind: "missing", apacheMessage: `Include/IncludeOptional: Could not open directory ${dir}: ${strerror(e)}` };
  }
  const matches = entries
    // inside the path only directories match, by the entry's own type: a symbolic link does not
    .filter((e) => fnmatch(first, e.name) && (more.length === 0 || e.isDirectory()))
    .map((e) => join(dir, e.name))
    .sort(byBytes);
  if (matches.length === 0) {
    if (optional) return undefined;
    return { kind: "no-match", apacheMessage: `Include/IncludeOptional: No matches for the wildcard '${first}' in '${dir}', failing` };
  }
  for (const m of matches) {
    const p = more.length ? expandWildcard(m, more, optional, out, limit) : expandPlain(m, optional, 0, out, limit);
    if (p) return p;
  }
  return undefined;
}

/**
 * The files an Include of the absolute path `path` reads, as ap_process_fnmatch_configs
 * finds them. With `admit`, a file or directory it refuses is not opened, listed or
 * stat'ed (so never missing): it is left out and named in `outside`.
 */
export function expandInclude(path: string, optional: boolean, admit?: (path: string) => boolean): Expansion {
  const out: string[] = [];
  const limit: Limit | undefined = admit ? { admit, outside: [] } : undefined;
  let problem: Problem | undefined;
  if (!isWildcard(path)) {
    problem = expandPlain(path, optional, 0, out, limit);
  } else {
    const parts = path.split("/").filter((p) => p !== "");
    problem = expandWildcard("/", parts, optional, out, limit);
  }
  const e: Expansion = problem ? { paths: out, problem } : { paths: out };
  return limit?.outside.length ? { ...e, outside: limit.outside } : e;
}

// --------------------------------------------------------------- resolver

export interface ResolverOptions {
  /**
   * Read included files to learn whether they change ServerRoot for the
   * Includes after them (default true). Off, an included file is never opened.
   */
  readIncluded?: boolean;
}

/** f, called at most once */
function once<T>(f: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = f();
      done = true;
    }
    return value;
  };
}

function realPathOf(p: string): string {
  try {
    return realpathSync.native(p);
  } catch {
    return p;
  }
}

/**
 * Resolves the Includes of files, caching what it finds on disk for the
 * length of one lint run (the file system is assumed not to change meanwhile).
 */
export class IncludeResolver {
  private readonly expansions = new Map<string, Expansion>();
  private readonly rootsAfter = new Map<string, string | null>();
  private readonly reals = new Map<string, string>();
  /** real path → may it Define a name (mayDefine) */
  private readonly defining = new Map<string, boolean>();
  /** real path → its text, or null when it cannot be read */
  private readonly texts = new Map<string, string | null>();
  private readonly readIncluded: boolean;

  constructor(options: ResolverOptions = {}) {
    this.readIncluded = options.readIncluded ?? true;
  }

  /** A file's text, read once per run: ServerRoot and Define lookups and the rules (files) share it. */
  textOf(path: string): string | null {
    const real = this.realPath(path);
    let t = this.texts.get(real);
    if (t === undefined) {
      try {
        t = decode(readFileSync(real)).text;
      } catch {
        t = null;
      }
      this.texts.set(real, t);
    }
    return t;
  }

  /** The file system as rules see it (ServerInfo.files), through this run's caches. */
  readonly files: FileAccess = {
    readText: (path) => this.textOf(path),
    realPath: (path) => {
      try {
        return realpathSync.native(path);
      } catch {
        return null;
      }
    },
    list: (dir) => {
      try {
        return readdirSync(dir, { withFileTypes: true }).map((e) => ({ name: e.name, directory: e.isDirectory() }));
      } catch {
        return null;
      }
    },
  };

  realPath(p: string): string {
    let r = this.reals.get(p);
    if (r === undefined) this.reals.set(p, (r = realPathOf(p)));
    return r;
  }

  /** expandInclude, limited to `tree` when given */
  expand(path: string, optional: boolean, tree?: LintedTree): Expansion {
    const key = `${optional ? 1 : 0}${tree ? `${tree.key}\0\0` : ""}${path}`;
    let e = this.expansions.get(key);
    if (!e) this.expansions.set(key, (e = expandInclude(path, optional, tree && ((p) => tree.admits(p)))));
    return e;
  }

  /**
   * Every Include/IncludeOptional of `file` (read from `realPath`), in order,
   * with the ServerRoot each one sees and the files it reads. `knowledge` is
   * what is known of the server: an Include in a body it makes false is not read.
   */
  resolveFile(file: ConfigFile, realPath: string, context: IncludeContext, knowledge: ConditionKnowledge = {}): IncludeResult[] {
    const results: IncludeResult[] = [];
    const here = (line: number): IncludeStep => ({ path: file.path, realPath, line });
    const active = new Set([...context.chain.map((s) => s.realPath), realPath]);
    // The ServerRoot in effect, worked out only when something asks: knowing it
    // after an included file means reading that file, and most Includes of a
    // tree (sites-enabled/*.conf) never need it.
    let root: () => string | null = () => context.serverRoot;
    for (const { d, conditional } of includeLines(file, knowledge)) {
      if (d.key === "serverroot") {
        const set = serverRootFrom(d);
        root = () => set;
        continue;
      }
      if (d.key !== "include" && d.key !== "includeoptional") continue;
      const line = file.position(d.start).line;
      const optional = d.key === "includeoptional";
      const arg = d.args[0];
      const rootHere = root;
      const result = (rest: Pick<IncludeResult, "path" | "files" | "unresolved" | "problem" | "outside">): IncludeResult => {
        const r: IncludeResult = {
          name: d.name,
          optional,
          pattern: arg?.value ?? "",
          start: arg?.start ?? d.start,
          end: arg?.end ?? d.end,
          line,
          get serverRoot() {
            return rootHere();
          },
          ...(conditional ? { conditional } : {}),
          path: rest.path,
          files: rest.files,
        };
        const known = !rest.unresolved && !rest.problem && !rest.outside;
        const mayDefine = once(() => !known || rest.files.some((f) => this.mayDefine(f.realPath)));
        Object.defineProperty(r, "mayDefine", { get: mayDefine, enumerable: false });
        return Object.assign(
          r,
          rest.unresolved ? { unresolved: rest.unresolved } : {},
          rest.problem ? { problem: rest.problem } : {},
          rest.outside ? { outside: rest.outside } : {},
        );
      };
      const unresolved = (why: Unresolved) => results.push(result({ path: null, unresolved: why, files: [] }));
      if (!arg || d.args.length !== 1 || arg.unterminated) {
        unresolved("arguments");
        continue;
      }
      if (arg.value.includes("${")) {
        unresolved("variable");
        continue;
      }
      const relative = !isAbsolute(arg.value);
      if (relative && root() === null) {
        unresolved("server-root-unknown");
        continue;
      }
      const path = resolve(relative ? root()! : "/", arg.value);
      if (context.chain.length + 1 > MAX_INCLUDE_DEPTH) {
        results.push(
          result({
            path,
            files: [],
            problem: { kind: "too-deep", apacheMessage: `Exceeded maximum include depth of ${MAX_INCLUDE_DEPTH}, There appears to be a recursion.` },
          }),
        );
        continue;
      }
      const tree = context.tree;
      const expansion = this.expand(path, optional, tree);
      const outside = tree && expansion.outside ? { paths: expansion.outside, tree: tree.roots } : undefined;
      const files: IncludedFile[] = [];
      let problem: IncludeProblem | undefined = expansion.problem;
      for (const p of expansion.paths) {
        const real = this.realPath(p);
        if (active.has(real)) {
          // Apache reads it again and again until the depth limit: the cycle is this line's doing
          const steps = [...context.chain, here(line)];
          const from = steps.findIndex((s) => s.realPath === real);
          problem = {
            kind: "cycle",
            apacheMessage: `Exceeded maximum include depth of ${MAX_INCLUDE_DEPTH}, There appears to be a recursion.`,
            cycle: steps.slice(from),
          };
          break;
        }
        const before = root;
        files.push({
          path: p,
          realPath: real,
          get serverRoot() {
            return before();
          },
        });
        root = once(() => this.rootAfter(p, real, before(), active, tree));
      }
      results.push(result({ path, files, ...(problem ? { problem } : {}), ...(outside ? { outside } : {}) }));
    }
    return results;
  }

  /** Does the file hold a Define, an UnDefine or an Include (which may hold one)? Unreadable or not to be read: it may. */
  private mayDefine(real: string): boolean {
    // --no-follow-includes: an included file is never opened
    if (!this.readIncluded) return true;
    let v = this.defining.get(real);
    if (v === undefined) {
      const text = this.textOf(real);
      v = text === null || /define|include/i.test(text);
      this.defining.set(real, v);
    }
    return v;
  }

  /**
   * The ServerRoot in effect after Apache has read `path` (and what it
   * includes) starting with `root`: a ServerRoot line in an included file
   * holds for the rest of the configuration.
   */
  private rootAfter(path: string, real: string, root: string | null, active: Set<string>, tree: LintedTree | undefined): string | null {
    if (!this.readIncluded) return root;
    const key = `${real}\0${root ?? ""}${tree ? `\0t${tree.key}` : ""}`;
    const known = this.rootsAfter.get(key);
    if (known !== undefined) return known;
    const text = this.textOf(path);
    if (text === null) return root;
    let after = root;
    if (/serverroot|include/i.test(text)) {
      active.add(real);
      for (const d of directives(parse(text, path))) {
        if (d.key === "serverroot") after = serverRootFrom(d);
        else if (d.key === "include" || d.key === "includeoptional") {
          const arg = d.args[0];
          if (!arg || d.args.length !== 1 || arg.value.includes("${") || (!isAbsolute(arg.value) && after === null)) continue;
          for (const p of this.expand(resolve(after ?? "/", arg.value), d.key === "includeoptional", tree).paths) {
            const r = this.realPath(p);
            if (active.has(r)) break;
            after = this.rootAfter(p, r, after, active, tree);
          }
        }
      }
      active.delete(real);
    }
    this.rootsAfter.set(key, after);
    return after;
  }
}
