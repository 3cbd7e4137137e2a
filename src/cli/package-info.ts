// The installed package's root and version, found from this module's location
// (it runs from src/ under vitest and from dist/src/ when built).
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

// (the bundled CLI, dist/apachelint.cjs, finds it the same way)
function findRoot(): { dir: string; version: string } {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, "package.json");
    const data = existsSync(pkg) ? JSON.parse(readFileSync(pkg, "utf8")) : null;
    if (data?.name === "apachelint") return { dir, version: data.version };
    const up = dirname(dir);
    if (up === dir) throw new Error("apachelint: cannot find the package root");
    dir = up;
  }
}

const found = findRoot();
export const packageRoot: string = found.dir;
export const packageVersion: string = found.version;
