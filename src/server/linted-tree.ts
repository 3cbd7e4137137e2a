// The tree being linted: where Include and IncludeOptional may lead. A config
// under review (in CI, say) must not make apachelint read what lies outside it
// (`Include /etc/shadow` would put the file into the log), so an Include that
// leads elsewhere is not read and not checked; include-missing says so, once
// per file. The tree is chosen on the command line, never by the config under
// review (a `ServerRoot /` line in it widens nothing): the directory of each
// file named (or the directory or glob it was found under), the server root
// (`--server-root`, or the root of a Debian tree such as /etc/apache2), and
// every `--allow-outside` directory. Paths are compared as real paths, so a
// symbolic link in the tree that points outside it leads outside.
import { lstatSync, readlinkSync, realpathSync, statSync } from "node:fs";
import { basename, dirname, join, resolve, sep } from "node:path";

/** Symbolic links followed for a path whose target does not exist (Linux's MAXSYMLINKS). */
const MAX_LINKS = 40;

/**
 * The real path of `p`, also when it does not exist: the real path of the part
 * that exists with the rest appended, a dangling link followed to where it points.
 */
export function realPathBeyond(p: string, links = 0): string {
  try {
    return realpathSync.native(p);
  } catch {
    // missing, dangling, a loop, or a directory on the way that cannot be searched
  }
  const parent = dirname(p);
  if (parent === p) return p;
  const realParent = realPathBeyond(parent, links);
  if (links < MAX_LINKS) {
    try {
      if (lstatSync(p).isSymbolicLink()) return realPathBeyond(resolve(realParent, readlinkSync(p)), links + 1);
    } catch {
      // not there at all: the name as written
    }
  }
  return join(realParent, basename(p));
}

const isInside = (real: string, root: string) => real === root || real.startsWith(root.endsWith(sep) ? root : root + sep);

/** The directories Includes may lead into; anything else is neither read nor checked. */
export class LintedTree {
  /** real paths, sorted, none inside another */
  readonly roots: readonly string[];
  /** the same for equal trees: a cache key */
  readonly key: string;

  constructor(
    roots: Iterable<string>,
    private readonly realOf: (p: string) => string,
  ) {
    const real = [...new Set([...roots].map((r) => realOf(resolve(r))))].sort();
    this.roots = real.filter((r) => !real.some((o) => o !== r && isInside(r, o)));
    this.key = this.roots.join("\0");
  }

  /** Is the file or directory `path` (absolute, as Apache names it) inside, once its links are resolved? */
  admits(path: string): boolean {
    const real = this.realOf(path);
    return this.roots.some((r) => isInside(real, r));
  }

  /** This tree and `other` together. */
  union(other: LintedTree): LintedTree {
    return other.key === this.key ? this : new LintedTree([...this.roots, ...other.roots], this.realOf);
  }
}

/** Makes the trees of one lint run, sharing what the file system said (it is assumed not to change meanwhile). */
export class LintedTrees {
  private readonly reals = new Map<string, string>();
  private readonly trees = new Map<string, LintedTree>();
  private readonly realOf = (p: string): string => {
    let r = this.reals.get(p);
    if (r === undefined) this.reals.set(p, (r = realPathBeyond(p)));
    return r;
  };

  /**
   * @param allowed the `--allow-outside` directories (absolute), part of every tree
   * @param bases the directories the command line's paths name (see commandLineBase)
   */
  constructor(
    private readonly allowed: readonly string[] = [],
    private readonly bases: readonly string[] = [],
  ) {}

  /** A tree of these roots and the allowed directories. */
  of(roots: Iterable<string | null | undefined>): LintedTree {
    const list = [...roots].filter((r): r is string => typeof r === "string");
    const tree = new LintedTree([...list, ...this.allowed], this.realOf);
    const known = this.trees.get(tree.key);
    if (known) return known;
    this.trees.set(tree.key, tree);
    return tree;
  }

  /**
   * The tree of a file linted on its own (named on the command line, found in
   * a directory or by a glob, or standard input under its name): its directory,
   * the command-line directory or glob base it lies in, and the server root.
   */
  forFile(absolutePath: string, serverRoot: string | null, debianRoot: string | null): LintedTree {
    const bases = this.bases.filter((b) => isInside(absolutePath, b));
    return this.of([dirname(absolutePath), ...bases, serverRoot, debianRoot]);
  }
}

const GLOB_CHARS = /[*?[\]{}()!\\]/;

/**
 * The directory a command-line path names: a directory itself, a file's
 * directory, or the part of a glob pattern before its first wildcard.
 */
export function commandLineBase(arg: string, cwd: string): string {
  const abs = resolve(cwd, arg);
  let stat;
  try {
    stat = statSync(abs, { throwIfNoEntry: false });
  } catch {
    // a loop of symbolic links (ELOOP): reading it reports that; its directory is the tree
    return dirname(abs);
  }
  if (stat) return stat.isDirectory() ? abs : dirname(abs);
  const parts = arg.split("/");
  const fixed: string[] = [];
  for (const p of parts) {
    if (GLOB_CHARS.test(p)) break;
    fixed.push(p);
  }
  if (fixed.length === parts.length) return dirname(abs);
  const base = fixed.join("/");
  return resolve(cwd, base === "" ? (arg.startsWith("/") ? "/" : ".") : base);
}
