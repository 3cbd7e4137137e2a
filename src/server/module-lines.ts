// LoadModule lines as the module rules see them: which module each one means,
// which directory the file loads modules from, and how to write a new line
// that Apache will accept.
import { Directive as DirectiveView, Section as SectionView, type Argument, type ConfigFile, type Directive, type Node, type Parent, type Section } from "../../grammar/index.js";
import { CLOSE, DIRECTIVE, OPEN } from "../../grammar/line-table.js";
import { DEBIAN_MODULE_DIR } from "../data/modules.js";
import { moduleByFile, moduleById, moduleByName, type ModuleInfo } from "../apache/modules.js";

export interface LoadModuleLine {
  directive: Directive;
  id: Argument | undefined;
  path: Argument | undefined;
  /** the module the identifier names (exactly, or as `x` / `mod_x.c` for `x_module`), else the one the file names */
  module: ModuleInfo | undefined;
  /** the module the identifier alone names */
  byId: ModuleInfo | undefined;
  /** the module the path's file name names */
  byFile: ModuleInfo | undefined;
  /** the module the identifier names as Apache's dlsym would find it (`x_module`, or `x` with `_module` added), else the file's: what the server loads */
  loads: ModuleInfo | undefined;
  /** inside <IfModule>, <IfDefine> …: whether Apache runs it is not known here */
  conditional: boolean;
}

/** Rows of the file's LoadModule lines, from the line table (no tree is built). */
export function loadModuleRows(file: ConfigFile): number[] {
  const t = file.table;
  const out: number[] = [];
  const id = t.names.indexOf("loadmodule");
  if (id === -1) return out;
  for (let r = 0; r < t.count; r++) if (t.key[r] === id && t.kind[r] === DIRECTIVE) out.push(r);
  return out;
}

/**
 * Views of the directives at `rows` (in order) with their real parents,
 * from one pass over the line table up to the last of them: no tree, and no
 * parent index for the whole file (LoadModule lines are near the top).
 */
export function directivesAt(file: ConfigFile, rows: ArrayLike<number>): Directive[] {
  const t = file.table;
  const out: Directive[] = [];
  if (rows.length === 0) return out;
  const stack: Section[] = [];
  let next = 0;
  const last = rows[rows.length - 1]!;
  for (let r = 0; r <= last; r++) {
    while (stack.length && t.pair[stack[stack.length - 1]!.row]! < 0 && r >= t.extent[stack[stack.length - 1]!.row]!) stack.pop();
    const kind = t.kind[r];
    const parent: Parent = stack.length ? stack[stack.length - 1]! : file;
    if (kind === OPEN) stack.push(new SectionView(file, r, parent));
    else if (kind === CLOSE) {
      if (stack.length && t.pair[r] === stack[stack.length - 1]!.row) stack.pop();
    } else if (r === rows[next]) {
      out.push(new DirectiveView(file, r, parent));
      next++;
    }
  }
  return out;
}

/**
 * The one LoadModule reader: every LoadModule line of the file (with its real
 * parents) and the module it means. server-info's loadedModulesOf is built on it.
 */
export function loadModuleLines(file: ConfigFile, rows: ArrayLike<number> = loadModuleRows(file)): LoadModuleLine[] {
  const out: LoadModuleLine[] = [];
  for (const d of directivesAt(file, rows)) {
    const [id, path] = d.args;
    const strict = id ? (moduleById(id.value) ?? moduleById(`${id.value}_module`)) : undefined;
    const byId = id ? (strict ?? moduleByName(id.value)) : undefined;
    const byFile = path && fileNameOf(path.value) ? moduleByFile(path.value) : undefined;
    out.push({ directive: d, id, path, module: byId ?? byFile, byId, byFile, loads: strict ?? byFile, conditional: d.parent.kind === "section" });
  }
  return out;
}

/** The file name part of a path, or "" when the path ends with `/`. */
export function fileNameOf(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

export function dirOf(path: string): string {
  return path.slice(0, path.lastIndexOf("/") + 1);
}

// Layouts where module paths are relative to a ServerRoot that has a modules/
// directory: RHEL/Fedora (/etc/httpd, conf.modules.d) and upstream's /usr/local/apache2.
const MODULES_UNDER_SERVER_ROOT = /(^|\/)(etc\/httpd|conf\.modules\.d|usr\/local\/apache2)(\/|$)/;

/**
 * The directory (with a trailing `/`) a new or repaired LoadModule line
 * should use. Apache resolves a relative path against ServerRoot, which a
 * rule cannot see, so: Debian's absolute directory in a Debian tree; else the
 * directory the file's own well-formed LoadModule lines agree on; else the
 * written directory when the file sits in a RHEL-style tree; else Debian's
 * absolute directory, which works whatever ServerRoot is.
 */
export function moduleDirFor(file: ConfigFile, lines: readonly LoadModuleLine[], server: { readonly debianRoot: string | null }, written?: string): string {
  const debian = `${DEBIAN_MODULE_DIR}/`;
  if (server.debianRoot) return debian;
  const common = commonModuleDir(lines);
  if (common) return common;
  if (written !== undefined && written !== "" && MODULES_UNDER_SERVER_ROOT.test(file.path)) return written;
  return debian;
}

/** The directory most of the well-formed LoadModule lines load from (trailing `/`), or null. */
export function commonModuleDir(lines: readonly LoadModuleLine[]): string | null {
  const counts = new Map<string, number>();
  for (const l of lines) {
    if (!l.path || !l.byFile || l.byId !== l.byFile) continue;
    const dir = dirOf(l.path.value);
    if (dir === "" || dir.includes("${")) continue;
    counts.set(dir, (counts.get(dir) ?? 0) + 1);
  }
  const best = [...counts].sort((a, b) => b[1] - a[1])[0];
  return best ? best[0] : null;
}

export function loadModuleText(m: ModuleInfo, dir: string): string {
  return `LoadModule ${m.id} ${dir}${m.file}`;
}

/**
 * The modules to add so that `wanted` loads: those of its LoadModule
 * prerequisites (measured: it links against them) that are not loaded, then
 * itself, in an order Apache accepts.
 */
export function modulesToAdd(wanted: ModuleInfo, isLoaded: (name: string) => boolean): ModuleInfo[] {
  const out: ModuleInfo[] = [];
  const seen = new Set<string>();
  const visit = (m: ModuleInfo) => {
    if (seen.has(m.name) || isLoaded(m.name)) return;
    seen.add(m.name);
    for (const dep of m.loadAfter) {
      const d = moduleByName(dep);
      if (d) visit(d);
    }
    out.push(m);
  };
  visit(wanted);
  return out;
}

/** Where new LoadModule lines go: after the last one that is not inside a section (else after the section holding the last one). */
export function insertionPoint(file: ConfigFile, lines: readonly LoadModuleLine[]): { at: number; indent: string; needsEol: boolean } | null {
  const last = lines[lines.length - 1];
  if (!last) return null;
  const plain = [...lines].reverse().find((l) => !l.conditional);
  let node: Node = plain ? plain.directive : last.directive;
  if (!plain) {
    // the outermost section around the last line
    let outer: Node | null = null;
    for (let p = last.directive.parent; p.kind === "section"; p = p.parent) outer = p;
    if (outer) node = outer;
  }
  const indent = plain ? plain.directive.indent : "";
  const at = node.to;
  // a last line without a terminator needs one before the new line
  const needsEol = at === file.text.length && !/\n$/.test(file.text);
  return { at, indent, needsEol };
}

/** The text that inserts `lineTexts` at the insertion point. */
export function insertionText(file: ConfigFile, point: { indent: string; needsEol: boolean }, lineTexts: readonly string[]): string {
  const eol = file.eol;
  const body = lineTexts.map((t) => point.indent + t).join(eol);
  return point.needsEol ? eol + body : body + eol;
}
