// The installed package's root, version and links, found from this module's
// location (it runs from src/ under vitest and from dist/src/ when built).
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

interface PackageJson {
  name?: string;
  version: string;
  homepage?: string;
  repository?: string | { url?: string };
}

// (the bundled CLI, dist/apachelint.cjs, finds it the same way)
function findRoot(): { dir: string; data: PackageJson } {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, "package.json");
    const data = existsSync(pkg) ? JSON.parse(readFileSync(pkg, "utf8")) : null;
    if (data?.name === "apachelint") return { dir, data };
    const up = dirname(dir);
    if (up === dir) throw new Error("apachelint: cannot find the package root");
    dir = up;
  }
}

// Where a forge shows a file of the default branch, after the repository's URL.
const BLOB_PATH: Record<string, string> = {
  "github.com": "/blob/main/",
  "gitlab.com": "/-/blob/main/",
  "codeberg.org": "/src/branch/main/",
};

/** The repository's web URL from package.json's `repository` (npm's forms: git+https://….git, github:owner/name, owner/name). */
export function repositoryWebUrl(repository: PackageJson["repository"]): string | undefined {
  const raw = typeof repository === "string" ? repository : repository?.url;
  if (!raw) return undefined;
  const short = /^(?:(github|gitlab):)?([\w.-]+\/[\w.-]+)$/.exec(raw);
  const url = short ? `https://${short[1] ?? "github"}.com/${short[2]}` : raw.replace(/^git\+/, "").replace(/^git:\/\//, "https://");
  try {
    const u = new URL(url.replace(/\.git$/, ""));
    return u.protocol === "https:" ? `${u.origin}${u.pathname.replace(/\/$/, "")}` : undefined;
  } catch {
    return undefined;
  }
}

export interface PackageLinks {
  /** package.json's `homepage` (SARIF's tool.driver.informationUri) */
  homepage?: string;
  /** absolute URL of the docs/ folder, ending in `/`: the repository's when package.json names one on a known forge, else the installed files */
  docsUrl: string;
}

export function packageLinks(data: PackageJson, root: string): PackageLinks {
  const repo = repositoryWebUrl(data.repository);
  const blob = repo ? BLOB_PATH[new URL(repo).hostname] : undefined;
  const docsUrl = repo && blob ? `${repo}${blob}docs/` : `${pathToFileURL(join(root, "docs")).href}/`;
  return data.homepage ? { homepage: data.homepage, docsUrl } : { docsUrl };
}

const found = findRoot();
export const packageRoot: string = found.dir;
export const packageVersion: string = found.data.version;
export const links: PackageLinks = packageLinks(found.data, found.dir);
