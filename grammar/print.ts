import type { ConfigFile, Node } from "./ast.js";

/** The source text the tree covers, rebuilt from its nodes: equal to the input for every input. */
export function print(file: ConfigFile): string {
  const t = file.text;
  const parts: string[] = [t.slice(0, file.bom ? 1 : 0)];
  const visit = (nodes: readonly Node[]) => {
    for (const n of nodes) {
      if (n.kind === "section") {
        parts.push(t.slice(n.open.from, n.open.to));
        visit(n.children);
        if (n.close) parts.push(t.slice(n.close.from, n.close.to));
      } else {
        parts.push(t.slice(n.from, n.to));
      }
    }
  };
  visit(file.children);
  return parts.join("");
}
