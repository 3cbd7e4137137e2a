// Shared by the table generators, which start apache2 with every module loaded
// and probe it many times over.
import { spawn } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
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

let probes = 0;

/** Runs `apache2 -t` on `text` as a config in the ServerRoot `root`; the exit code and what it printed. */
export function apacheTest(root: string, text: string): Promise<{ code: number | null; stderr: string }> {
  const conf = join(root, `p${probes++}.conf`);
  writeFileSync(conf, text);
  return new Promise((resolve, reject) => {
    const child = spawn("apache2", ["-t", "-d", root, "-f", conf], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      rmSync(conf, { force: true });
      resolve({ code, stderr });
    });
  });
}
