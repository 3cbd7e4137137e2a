// Where a directive takes effect. Conditional sections (<IfModule>,
// <IfDefine>, …) do not open a context of their own: a directive inside them
// belongs to the enclosing virtual host or server.
import { indexInParent, type ConfigFile, type Directive, type Node, type Parent, type Section } from "../../grammar/index.js";
import { COMMENT } from "../../grammar/line-table.js";
import type { FileKind } from "./file-kind.js";
import type { SectionKind } from "../data/directive-contexts.js";

/**
 * The conditional sections: Apache reads their body or skips it, and they open
 * no context of their own. The one list every rule and the include resolver use.
 */
export const CONDITIONAL_SECTIONS: ReadonlySet<string> = new Set(["ifmodule", "ifdefine", "ifversion", "ifdirective", "iffile", "ifsection", "ifenv"]);
const TRANSPARENT = CONDITIONAL_SECTIONS;

/** Is this lower-cased section name a conditional section? */
export function isConditionalKey(key: string): boolean {
  return CONDITIONAL_SECTIONS.has(key);
}

/**
 * The sections that set cmd->path: mod_rewrite and mod_proxy treat them as
 * per-directory contexts. BalancerMember takes its balancer name from any of
 * them (measured on 2.4.71: inside <Directory "/var/www"> Apache complains
 * "BalancerMember Bad syntax for a balancer name (/var/www/)").
 */
export const PER_DIRECTORY_SECTIONS: ReadonlySet<string> = new Set([
  "directory", "directorymatch", "files", "filesmatch", "location", "locationmatch", "proxy", "proxymatch", "if", "elseif", "else",
]);
const PER_DIRECTORY = PER_DIRECTORY_SECTIONS;

/**
 * The sections that give ProxyPass, ProxyPassMatch and ProxyPassReverse their
 * path (mod_proxy's add_pass and add_pass_reverse use cmd->path): inside them
 * the URL is the first argument and a path before it is an error. The one list
 * every rule uses. Measured with apache2 -t on 2.4.71 (test/proxy-path-sections.test.ts):
 * `<Location>`, `<LocationMatch>`, `<Proxy>` and `<ProxyMatch>` take
 * `ProxyPass http://b/ timeout=5` (Syntax OK) and refuse `ProxyPass /app http://b/`
 * ("ProxyPass|ProxyPassMatch can not have a path when defined in a location.").
 * The other sections that set cmd->path (<Directory>, <DirectoryMatch>, <Files>,
 * <FilesMatch>, <If>, <ElseIf>, <Else>) and <Limit> refuse the three directives
 * outright ("ProxyPass cannot occur within <Directory> section"), so they give no path.
 */
export const PATH_SECTIONS: ReadonlySet<string> = new Set(["location", "locationmatch", "proxy", "proxymatch"]);

/**
 * The kind of context each section opens, as the context table (src/data/directive-contexts.ts)
 * names them; a section not listed (and not conditional) is not judged. The one table the
 * directive-context rule and the language server's completion use.
 */
export const SECTION_KINDS: Readonly<Record<string, SectionKind>> = {
  virtualhost: "virtualhost",
  directory: "directory",
  directorymatch: "directory",
  files: "files",
  filesmatch: "files",
  location: "location",
  locationmatch: "location",
  proxy: "proxy",
  proxymatch: "proxy",
  if: "if",
  elseif: "if",
  else: "if",
  limit: "limit",
  limitexcept: "limit",
};

export function isTransparent(section: Section): boolean {
  return TRANSPARENT.has(section.key);
}

/** The innermost enclosing section that is not a conditional, or the file. */
export function scopeOf(node: Node | Section): Parent {
  let p = node.parent;
  while (p.kind === "section" && TRANSPARENT.has(p.key)) p = p.parent;
  return p;
}

/** The enclosing <VirtualHost>, or null in the main server. */
export function virtualHostOf(node: Node): Section | null {
  let p = node.parent;
  while (p.kind === "section") {
    if (p.key === "virtualhost") return p;
    p = p.parent;
  }
  return null;
}

/** The nearest enclosing section with one of the given (lower-case) names. */
export function enclosing(node: Node, keys: readonly string[] | ReadonlySet<string>): Section | null {
  let p = node.parent;
  if (keys instanceof Set) {
    while (p.kind === "section") {
      if (keys.has(p.key)) return p;
      p = p.parent;
    }
    return null;
  }
  const list = keys as readonly string[];
  while (p.kind === "section") {
    if (list.includes(p.key)) return p;
    p = p.parent;
  }
  return null;
}

/** Directives that take effect in `scope` itself: descends only into conditional sections. */
export function* directivesIn(scope: Parent): Generator<Directive> {
  for (const n of scope.children) {
    if (n.kind === "directive") yield n;
    else if (n.kind === "section" && TRANSPARENT.has(n.key)) yield* directivesIn(n);
  }
}

/** Every scope of a file: the file itself and each non-conditional section. */
export function* scopes(root: Parent): Generator<Parent> {
  yield root;
  const visit = function* (p: Parent): Generator<Parent> {
    for (const n of p.children) {
      if (n.kind !== "section") continue;
      if (!TRANSPARENT.has(n.key)) yield n;
      yield* visit(n);
    }
  };
  yield* visit(root);
}

/** Per-directory context: .htaccess, <Directory>, <Location> …; RewriteRule patterns then see the path without its prefix. */
export function isPerDirectory(node: Node, fileKind: FileKind): boolean {
  if (fileKind === "htaccess") return true;
  let p = node.parent;
  while (p.kind === "section") {
    if (PER_DIRECTORY.has(p.key)) return true;
    p = p.parent;
  }
  return false;
}

/**
 * attachedCommentsStart from the line table: where the line block of the node
 * at `row` begins, its comment lines directly above it (same parent, no blank
 * line between) included. No node objects are made.
 */
export function attachedCommentsStartRow(file: ConfigFile, parentRows: Int32Array, row: number): number {
  const t = file.table;
  const parent = parentRows[row];
  let first = row;
  for (let p = row - 1; p >= 0 && t.kind[p] === COMMENT && parentRows[p] === parent; p--) first = p;
  return t.from(first);
}

/**
 * Where a node's line block begins: the comment lines directly above it (no
 * blank line between) describe it, so edits that move or insert above a
 * node keep them together.
 */
export function attachedCommentsStart(node: Node | Section): number {
  const siblings: readonly Node[] = node.parent.children;
  let from = node.from;
  for (let i = indexInParent(node as Node) - 1; i >= 0; i--) {
    const n = siblings[i]!;
    if (n.kind !== "comment") break;
    from = n.from;
  }
  return from;
}
