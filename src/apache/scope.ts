// Where a directive takes effect. Conditional sections (<IfModule>,
// <IfDefine>, …) do not open a context of their own: a directive inside them
// belongs to the enclosing virtual host or server.
import { indexInParent, type Directive, type Node, type Parent, type Section } from "../../grammar/index.js";
import type { FileKind } from "./file-kind.js";

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

/** mod_rewrite and mod_proxy treat these as per-directory contexts (cmd->path is set). */
const PER_DIRECTORY = new Set(["directory", "directorymatch", "files", "filesmatch", "location", "locationmatch", "proxy", "proxymatch", "if", "elseif", "else"]);

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
export function enclosing(node: Node, keys: readonly string[]): Section | null {
  let p = node.parent;
  while (p.kind === "section") {
    if (keys.includes(p.key)) return p;
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
