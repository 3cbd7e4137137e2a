// The layout is a claim about imports: command line → rules → engine → server
// tree → Apache knowledge → grammar, one way. This test reads every import of
// the project's own modules and fails on an import that runs upwards or on
// any cycle, so the claim stays true as the code grows.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..");

/** Layers from the top; a module may import its own layer or any below it. */
const LAYERS: { name: string; dirs: string[] }[] = [
  // the front ends: the command line and the language server, which share its config lookup and include-following
  { name: "cli", dirs: ["src/cli", "src/lsp", "src/bench", "src/tools", "src/index.ts"] },
  { name: "formatters", dirs: ["src/formatters"] },
  { name: "rules", dirs: ["rules"] },
  { name: "core", dirs: ["src/core"] },
  { name: "server", dirs: ["src/server"] },
  { name: "apache", dirs: ["src/apache", "src/data"] },
  { name: "grammar", dirs: ["grammar"] },
];

function layerOf(file: string): number {
  const rel = relative(ROOT, file).split("\\").join("/");
  const i = LAYERS.findIndex((l) => l.dirs.some((d) => rel === d || rel.startsWith(`${d}/`)));
  return i;
}

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(p));
    else if (e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")) out.push(p);
  }
  return out;
}

const IMPORT = /(?:^|[\s;])(?:import|export)\s[^"';]*?from\s*"(\.[^"]+)"|import\(\s*"(\.[^"]+)"\s*\)/g;

/** Every project module with the project modules it imports (type-only imports count: they are edges too). */
function graph(): Map<string, string[]> {
  const files = ["grammar", "rules", "src"].flatMap((d) => sources(join(ROOT, d)));
  const g = new Map<string, string[]>();
  for (const f of files) {
    const text = readFileSync(f, "utf8");
    const deps: string[] = [];
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2]!;
      deps.push(resolve(dirname(f), spec).replace(/\.js$/, ".ts"));
    }
    g.set(f, deps);
  }
  return g;
}

describe("the layers", () => {
  const g = graph();

  it("every module belongs to a layer", () => {
    const orphans = [...g.keys()].filter((f) => layerOf(f) === -1).map((f) => relative(ROOT, f));
    expect(orphans).toEqual([]);
  });

  it("imports run one way: command line → rules → engine → server tree → Apache knowledge → grammar", () => {
    const upward: string[] = [];
    for (const [f, deps] of g) {
      for (const d of deps) {
        if (layerOf(d) < layerOf(f)) upward.push(`${relative(ROOT, f)} (${LAYERS[layerOf(f)]!.name}) imports ${relative(ROOT, d)} (${LAYERS[layerOf(d)]!.name})`);
      }
    }
    expect(upward).toEqual([]);
  });

  it("the engine does not import the rule registry", () => {
    const engine = join(ROOT, "src", "core", "engine.ts");
    expect(g.get(engine)!.map((d) => relative(ROOT, d))).not.toContain(join("rules", "index.ts"));
  });

  it("has no import cycle", () => {
    // Tarjan's strongly connected components: any component of two or more modules is a cycle
    let index = 0;
    const idx = new Map<string, number>();
    const low = new Map<string, number>();
    const on = new Set<string>();
    const stack: string[] = [];
    const cycles: string[][] = [];
    const visit = (v: string) => {
      idx.set(v, index);
      low.set(v, index++);
      stack.push(v);
      on.add(v);
      for (const w of g.get(v) ?? []) {
        if (!g.has(w)) continue;
        if (!idx.has(w)) {
          visit(w);
          low.set(v, Math.min(low.get(v)!, low.get(w)!));
        } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
      }
      if (low.get(v) === idx.get(v)) {
        const comp: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          on.delete(w);
          comp.push(relative(ROOT, w));
        } while (w !== v);
        if (comp.length > 1 || (g.get(v) ?? []).includes(v)) cycles.push(comp.sort());
      }
    };
    for (const v of g.keys()) if (!idx.has(v)) visit(v);
    expect(cycles).toEqual([]);
  });

  it("sees the imports it checks (the reader is not blind)", () => {
    const engine = g.get(join(ROOT, "src", "core", "engine.ts"))!;
    expect(engine.map((d) => relative(ROOT, d))).toContain(join("grammar", "index.ts"));
    expect([...g.values()].reduce((n, d) => n + d.length, 0)).toBeGreaterThan(150);
  });
});
