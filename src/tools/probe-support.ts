// Shared by the table generators, which start apache2 with every module loaded
// and probe it many times over.
import { MODULES, type ModuleInfo } from "../data/modules.js";

export const MPMS = ["mpm_event", "mpm_worker", "mpm_prefork"];
const byName = new Map(MODULES.map((m) => [m.name, m]));

/** Every non-MPM module plus one MPM, each after the modules it links against. */
export function loadOrder(mpm: string): ModuleInfo[] {
  const out: ModuleInfo[] = [];
  const seen = new Set<string>();
  const visit = (m: ModuleInfo) => {
    if (seen.has(m.name)) return;
    seen.add(m.name);
    for (const d of m.loadAfter) visit(byName.get(d)!);
    out.push(m);
  };
  for (const m of MODULES) if (!MPMS.includes(m.name) || m.name === mpm) visit(m);
  return out;
}

/** Runs `fn` over `items` with at most `n` at once, results in item order. */
export async function pool<T, R>(items: T[], n: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}
