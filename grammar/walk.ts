import type { ConfigFile, Directive, Node, Parent, Section } from "./ast.js";

// Walks build arrays with an explicit stack rather than nested generators:
// every rule walks the whole file, and on a large file nested `yield*` costs
// more than the rules' own work. A whole file's lists are built once.
const directiveCache = new WeakMap<Parent, Directive[]>();
const nodeCache = new WeakMap<Parent, Node[]>();

function collect(root: Parent): { nodes: Node[]; directives: Directive[] } {
  const all: Node[] = [];
  const dirs: Directive[] = [];
  const stack: (readonly Node[])[] = [root.children];
  const at: number[] = [0];
  while (stack.length) {
    const top = stack.length - 1;
    const kids = stack[top]!;
    const i = at[top]!;
    if (i === kids.length) {
      stack.pop();
      at.pop();
      continue;
    }
    at[top] = i + 1;
    const n = kids[i]!;
    all.push(n);
    if (n.kind === "directive") dirs.push(n);
    // a <Macro> body is a template, not configuration (macro rules read the section's children)
    else if (n.kind === "section" && n.key !== "macro") {
      stack.push(n.children);
      at.push(0);
    }
  }
  return { nodes: all, directives: dirs };
}

function cached(root: Parent): { nodes: Node[]; directives: Directive[] } {
  const hit = directiveCache.get(root);
  if (hit) return { nodes: nodeCache.get(root)!, directives: hit };
  const c = collect(root);
  directiveCache.set(root, c.directives);
  nodeCache.set(root, c.nodes);
  return c;
}

/** Every directive in document order, sections descended (not `<Macro>` bodies). */
export function directives(root: Parent): readonly Directive[] {
  return cached(root).directives;
}

/** Every section in document order. */
export function sections(root: Parent): Section[] {
  return cached(root).nodes.filter((n): n is Section => n.kind === "section");
}

/** Every node in document order, sections before their children. */
export function nodes(root: Parent): readonly Node[] {
  return cached(root).nodes;
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
    // views are made per walk: the row, not the object, identifies a node
    if (r === node.row) return mid;
    if (r < node.row) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
