// The benchmark's generator (src/bench/gen.ts): at small sizes, every shape has
// the line count its formula states and passes `apache2 -t` with a private
// ServerRoot, and the fix-N shape gives `--fix --unsafe-fixes` work in every
// vhost. Without apache2 the Apache checks skip loudly; under CI=true they fail.
import { copyFileSync, existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateOne, shapeSpec, type Generated } from "../src/bench/gen.js";
import { APACHE, apacheOrSkip, apachelint, requireBuiltCli, run } from "./apache/harness.js";

const SMALL = ["vhost-1", "vhosts-20", "tree-20", "fix-20", "flat-1000"] as const;
const withApache = apacheOrSkip("bench-gen (generated configs pass apache2 -t)");

let dir = "";
let serverRoot = "";
const made = new Map<string, Generated>();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "apachelint-bench-gen-"));
  serverRoot = join(dir, "sr");
  await mkdir(join(serverRoot, "run"), { recursive: true });
  await mkdir(join(serverRoot, "logs"), { recursive: true });
  for (const name of SMALL) made.set(name, generateOne(join(dir, "conf"), name));
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Lines in a file as `wc -l` counts them; every generated file ends in a newline. */
const countLines = (path: string) => {
  const text = readFileSync(path, "utf8");
  expect(text.endsWith("\n")).toBe(true);
  return text.split("\n").length - 1;
};

/** Every file a shape consists of: the file, or the tree's main config and its included files. */
function filesOf(g: Generated): string[] {
  if (g.kind !== "tree") return [g.path];
  const sites = join(g.path, "..", "sites-enabled");
  return [g.path, ...readdirSync(sites).map((f) => join(sites, f))];
}

async function apacheTest(conf: string): Promise<{ code: number; out: string }> {
  if (!APACHE) throw new Error("apache2 not found (CI=true: this test must not skip)");
  const r = await run(APACHE, ["-t", "-d", serverRoot, "-f", conf]);
  return { code: r.code, out: r.stdout + r.stderr };
}

describe("shape names and the line counts they state", () => {
  it.each([
    ["vhost-1", 20, 1],
    ["vhosts-1000", 18 + 21 * 1000, 1],
    ["vhosts-10000", 210_018, 1],
    ["vhosts-50000", 1_050_018, 1],
    ["tree-10000", 19 + 20 * 10_000, 10_001],
    ["flat-1m", 1_000_018, 1],
    ["fix-130000", 1_300_018, 1],
    ["vhosts-10k", 210_018, 1],
  ] as const)("%s has %d lines in %d files", (name, lines, files) => {
    const s = shapeSpec(name);
    expect(s.statedLines).toBe(lines);
    expect(s.statedFiles).toBe(files);
  });

  it("rejects unknown names", () => {
    expect(() => shapeSpec("vhosts")).toThrow(/unknown file/);
    expect(() => shapeSpec("vhost-2")).toThrow(/unknown file/);
    expect(() => shapeSpec("huge-10")).toThrow(/unknown file/);
  });
});

describe.each(SMALL)("generated %s", (name) => {
  it("has the stated line count, in the stated files", () => {
    const g = made.get(name)!;
    const files = filesOf(g);
    expect(files.length).toBe(g.statedFiles);
    expect(g.files).toBe(g.statedFiles);
    expect(g.lines).toBe(g.statedLines);
    expect(files.reduce((n, f) => n + countLines(f), 0)).toBe(g.statedLines);
    expect(files.reduce((n, f) => n + readFileSync(f).length, 0)).toBe(g.bytes);
  });

  it.runIf(withApache)("passes apache2 -t with a private ServerRoot", async () => {
    const r = await apacheTest(made.get(name)!.apacheConf);
    expect(r.out).toContain("Syntax OK");
    expect(r.code).toBe(0);
  });
});

describe("shape contents", () => {
  it("tree-20: the main config IncludeOptional's its 20 vhost files, one vhost each", () => {
    const g = made.get("tree-20")!;
    expect(readFileSync(g.path, "utf8")).toMatch(/^IncludeOptional \/.*\/sites-enabled\/\*\.conf$/m);
    for (const f of filesOf(g).slice(1)) {
      const text = readFileSync(f, "utf8");
      expect(text.match(/^<VirtualHost /gm)?.length).toBe(1);
      expect(countLines(f)).toBe(20);
    }
  });

  it("vhost-1 is one 20-line vhost, the same as each file of a tree", () => {
    const g = made.get("vhost-1")!;
    const text = readFileSync(g.path, "utf8");
    expect(text.startsWith("<VirtualHost *:18090>\n")).toBe(true);
    expect(text.endsWith("</VirtualHost>\n")).toBe(true);
    expect(text).toBe(readFileSync(filesOf(made.get("tree-20")!)[1]!, "utf8"));
  });

  it("vhosts-20 has 20 vhosts", () => {
    expect(readFileSync(made.get("vhosts-20")!.path, "utf8").match(/^<VirtualHost /gm)?.length).toBe(20);
  });
});

describe.runIf(withApache)("fix-20 with the built CLI", () => {
  it("--fix --unsafe-fixes rewrites every vhost, exits 0 or 1, and the result still passes apache2 -t", async () => {
    requireBuiltCli();
    const g = made.get("fix-20")!;
    const copy = join(dir, "fix-20.copy.conf");
    copyFileSync(g.path, copy);
    const r = await apachelint(["--fix", "--unsafe-fixes", "-f", "json", copy]);
    expect(r.stderr).not.toMatch(/internal error/);
    expect([0, 1]).toContain(r.code);
    const before = readFileSync(g.path, "utf8");
    const after = readFileSync(copy, "utf8");
    // in each vhost: the trailing-slash fix on both /app lines, the RewriteRule dance replaced
    expect(before.match(/\/app\/$/gm)?.length).toBe(40);
    expect(after.match(/\/app\/$/gm) ?? []).toHaveLength(0);
    expect(before.match(/^ +RewriteRule /gm)?.length).toBe(20);
    expect(after.match(/^ +RewriteRule /gm) ?? []).toHaveLength(0);
    expect(after.match(/upgrade=websocket$/gm)?.length).toBe(20);
    const t = await apacheTest(copy);
    expect(t.out).toContain("Syntax OK");
    expect(existsSync(copy)).toBe(true);
  }, 120_000); // the CLI on a loaded 2-core machine
});
