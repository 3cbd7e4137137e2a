import type { ConfigFile, Directive, Node, Parent, Section } from "./ast.js";

/** Every directive in document order, sections descended. */
export function* directives(root: Parent): Generator<Directive> {
  for (const n of root.children) {
    if (n.kind === "directive") yield n;
    else if (n.kind === "section") yield* directives(n);
  }
}

/** Every section in document order. */
export function* sections(root: Parent): Generator<Section> {
  for (const n of root.children) {
    if (n.kind === "section") {
      yield n;
      yield* sections(n);
    }
  }
}

/** Every node in document order, sections before their children. */
export function* nodes(root: Parent): Generator<Node> {
  for (const n of root.children) {
    yield n;
    if (n.kind === "section") yield* nodes(n);
  }
}

/** Enclosing sections, innermost first. */
export function ancestors(node: Node): Section[] {
  const out: Section[] = [];
  let p = node.parent;
  while (p.kind === "section") {
    out.push(p);
    p = p.parent;
  }
  return out;
}

export function isFile(p: Parent): p is ConfigFile {
  return p.kind === "file";
}

/** The node's index among its parent's children: a binary search on rows, not a scan of a long list. */
export function indexInParent(node: Node): number {
  const kids = node.parent.children;
  let lo = 0;
  let hi = kids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const r = kids[mid]!.row;
    if (r === node.row) return kids[mid] === node ? mid : kids.indexOf(node);
    if (r < node.row) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
