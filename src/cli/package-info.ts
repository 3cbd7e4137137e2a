// The installed package's root and version, found from this module's location
// (it runs from src/ under vitest and from dist/src/ when built).
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, "utf8")).name === "apachelint") return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error("apachelint: cannot find the package root");
    dir = up;
  }
}

export const packageRoot: string = findRoot();
export const packageVersion: string = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")).version;
