// The playground (site/): one page, its script, its lint worker, its style and
// the rule pages, written to site/dist/. The worker bundles the real grammar,
// rules, engine and fixer for the browser; a Node-only module reached from
// them fails the build (they must not need one). `npm run build` calls this
// after the command line's bundle; `node scripts/build-site.mjs` alone works too.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { rulePages } from "../site/build/rule-pages.mjs";
import { chevrotainShim } from "./chevrotain-shim.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const SITE_DIST = join(root, "site", "dist");

// The engine must run without Node: say which module pulled Node in, instead of shipping a broken page.
const noNode = {
  name: "no-node-builtins",
  setup(b) {
    b.onResolve({ filter: /^node:|^(fs|path|os|url|module|child_process|crypto|zlib|util|stream|process)(\/.*)?$/ }, (args) => ({
      errors: [{ text: `${args.path} is Node-only, but the browser bundle reaches it from ${relative(root, args.importer)}` }],
    }));
  },
};

/**
 * CURRENT_APACHE, the release apachelint targets by default, for the page's
 * version menu. Read from src/apache/version.ts itself, but not bundled into
 * the page: that module also brings the PCRE checker (70 KiB) along.
 */
async function currentApache() {
  const probe = await build({
    stdin: { contents: 'export { CURRENT_APACHE, formatVersion } from "./src/apache/version.ts";', resolveDir: root, loader: "ts" },
    bundle: true,
    write: false,
    format: "esm",
    platform: "node",
    logLevel: "warning",
  });
  const { CURRENT_APACHE, formatVersion } = await import(`data:text/javascript;base64,${Buffer.from(probe.outputFiles[0].text).toString("base64")}`);
  return formatVersion(CURRENT_APACHE);
}

const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;

export async function buildSite({ quiet = false } = {}) {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const repositoryUrl = (pkg.repository?.url ?? pkg.homepage ?? "").replace(/^git\+/, "").replace(/\.git$/, "").replace(/#.*$/, "");
  const { pages, ids } = rulePages(join(root, "docs", "rules"), { repositoryUrl, version: pkg.version });

  rmSync(SITE_DIST, { recursive: true, force: true });
  mkdirSync(join(SITE_DIST, "rules"), { recursive: true });
  const result = await build({
    entryPoints: { boot: join(root, "site/src/boot.ts"), playground: join(root, "site/src/main.ts"), worker: join(root, "site/src/worker.ts") },
    outdir: SITE_DIST,
    bundle: true,
    // classic scripts: the page loads one with <script defer>, the worker is a plain Worker
    format: "iife",
    platform: "browser",
    target: ["chrome100", "firefox100", "safari15.4"],
    minify: true,
    legalComments: "none",
    charset: "utf8",
    logLevel: "warning",
    loader: { ".conf": "text" },
    plugins: [chevrotainShim, noNode],
    define: {
      // the grammar's self-check is a development switch read from the environment; a browser has none
      "process.env.APACHELINT_VALIDATE_GRAMMAR": '""',
      RULE_DOCS: JSON.stringify(ids),
      CURRENT_APACHE_VERSION: JSON.stringify(await currentApache()),
    },
    metafile: true,
  });
  for (const name of ["boot.js", "playground.js", "worker.js"]) {
    const text = readFileSync(join(SITE_DIST, name), "utf8");
    // a Node global left in the bundle would throw at run time in the browser
    const leak = /\bprocess\.(env|argv|cwd|platform)\b|\bBuffer\.from\b|\b__dirname\b/.exec(text);
    if (leak) throw new Error(`build-site: ${name} uses ${leak[0]}, which browsers do not have`);
  }
  const html = readFileSync(join(root, "site", "index.html"), "utf8").replaceAll("__VERSION__", pkg.version);
  writeFileSync(join(SITE_DIST, "index.html"), html);
  copyFileSync(join(root, "site", "style.css"), join(SITE_DIST, "style.css"));
  for (const [name, text] of pages) writeFileSync(join(SITE_DIST, "rules", name), text);

  const sizes = {};
  for (const name of ["boot.js", "playground.js", "worker.js", "style.css", "index.html"]) {
    const bytes = readFileSync(join(SITE_DIST, name));
    sizes[name] = { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  }
  if (!quiet) {
    const list = Object.entries(sizes).map(([n, s]) => `${n} ${kb(s.raw)} (${kb(s.gzip)} gzip)`);
    console.log(`site/dist: ${list.join(", ")}; ${pages.size} rule pages`);
  }
  return { sizes, metafile: result.metafile, rulePages: ids };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  try {
    await buildSite();
  } catch (e) {
    // esbuild has printed its errors already
    console.error(`build-site: ${e.message.split("\n")[0]}`);
    process.exit(1);
  }
}
