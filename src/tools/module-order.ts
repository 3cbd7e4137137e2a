// Shared by the table generators, which start apache2 with every module loaded.
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
