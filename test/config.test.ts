// .apachelintrc.json: validation, discovery (nearest wins, stops at the
// repository root), and ignorePatterns matching.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, ConfigFinder, findRepoRoot, loadConfig, parseApacheVersion, validateConfig } from "../src/cli/config.js";
import { globToRegExp, makeIgnore } from "../src/cli/ignore.js";

const known = new Set(["bom", "section-unclosed", "typographic-quotes"]);
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "apachelint-config-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(rel: string, data: unknown) {
  const p = join(dir, rel);
  mkdirSync(join(p, ".."), { recursive: true });
  writeFileSync(p, typeof data === "string" ? data : JSON.stringify(data));
  return p;
}

function errorOf(f: () => unknown): ConfigError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error("expected a ConfigError");
}

describe("validateConfig", () => {
  it("accepts the three keys", () => {
    const c = validateConfig("/x/.apachelintrc.json", { rules: { bom: "off", "section-unclosed": "warning" }, apacheVersion: "2.4.46", ignorePatterns: ["old/"] }, known);
    expect(c.rules).toEqual({ bom: "off", "section-unclosed": "warning" });
    expect(c.apacheVersion).toEqual({ major: 2, minor: 4, patch: 46 });
    expect(c.ignores("/x/old/a.conf")).toBe(true);
    expect(c.ignores("/x/new/a.conf")).toBe(false);
    // outside the config's directory: never ignored by it
    expect(c.ignores("/elsewhere/old/a.conf")).toBe(false);
  });

  it.each([
    [{ color: true }, /unknown key "color"/],
    [{ rules: { nope: "off" } }, /rules: unknown rule "nope"/],
    [{ rules: { bom: "warn" } }, /rules\.bom: "warn" is not one of off, info, warning, error/],
    [{ rules: ["bom"] }, /"rules" must be an object/],
    [{ apacheVersion: "2.2.34" }, /apacheVersion: "2.2.34" is not a 2.4.x version/],
    [{ apacheVersion: 2.4 }, /apacheVersion: 2.4 is not/],
    [{ ignorePatterns: "old/" }, /"ignorePatterns" must be an array of strings/],
    [{ ignorePatterns: ["[oops"] }, /ignorePatterns: unbalanced '\['/],
    [[], /top level must be a JSON object/],
  ])("rejects %j", (data, message) => {
    const e = errorOf(() => validateConfig("/x/.apachelintrc.json", data, known));
    expect(e.message).toMatch(message);
    expect(e.path).toBe("/x/.apachelintrc.json");
  });

  it("reports invalid JSON with the file's path", () => {
    const p = write(".apachelintrc.json", "{ rules: }");
    const e = errorOf(() => loadConfig(p, known));
    expect(e.path).toBe(p);
    expect(e.message).toMatch(/^invalid JSON/);
  });

  it("accepts a BOM before the JSON", () => {
    const p = write(".apachelintrc.json", `\uFEFF{"rules":{"bom":"off"}}`);
    expect(loadConfig(p, known).rules).toEqual({ bom: "off" });
  });

  it("parses only 2.4.x.y versions", () => {
    expect(parseApacheVersion("2.4.62")).toEqual({ major: 2, minor: 4, patch: 62 });
    expect(parseApacheVersion("2.4")).toBeNull();
    expect(parseApacheVersion("2.5.0")).toBeNull();
    expect(parseApacheVersion("x")).toBeNull();
  });
});

describe("ConfigFinder", () => {
  it("uses the nearest config file", () => {
    write("repo/.git/HEAD", "ref: x");
    write("repo/.apachelintrc.json", { rules: { bom: "off" } });
    write("repo/sites/.apachelintrc.json", { rules: { bom: "warning" } });
    mkdirSync(join(dir, "repo/sites/deep/er"), { recursive: true });
    const f = new ConfigFinder(known);
    expect(f.forDirectory(join(dir, "repo/sites/deep/er"))?.rules).toEqual({ bom: "warning" });
    expect(f.forDirectory(join(dir, "repo/sites"))?.path).toBe(join(dir, "repo/sites/.apachelintrc.json"));
    expect(f.forDirectory(join(dir, "repo"))?.rules).toEqual({ bom: "off" });
  });

  it("stops at the repository root", () => {
    write(".apachelintrc.json", { rules: { bom: "off" } }); // above the repository: not used
    write("repo/.git", "gitdir: elsewhere"); // a worktree's .git is a file
    mkdirSync(join(dir, "repo/conf"), { recursive: true });
    const f = new ConfigFinder(known);
    expect(f.forDirectory(join(dir, "repo/conf"))).toBeNull();
    expect(findRepoRoot(join(dir, "repo/conf"))).toBe(join(dir, "repo"));
  });

  it("goes up to the file system root outside a repository", () => {
    write(".apachelintrc.json", { rules: { bom: "info" } });
    mkdirSync(join(dir, "a/b"), { recursive: true });
    expect(new ConfigFinder(known).forDirectory(join(dir, "a/b"))?.rules).toEqual({ bom: "info" });
  });

  it("throws for a broken config on the way", () => {
    write("repo/.git/HEAD", "");
    write("repo/.apachelintrc.json", { rulez: {} });
    mkdirSync(join(dir, "repo/x"));
    const e = errorOf(() => new ConfigFinder(known).forDirectory(join(dir, "repo/x")));
    expect(e.path).toBe(join(dir, "repo/.apachelintrc.json"));
    expect(e.message).toMatch(/unknown key "rulez"/);
  });
});

describe("globToRegExp", () => {
  const m = (g: string, p: string) => globToRegExp(g).test(p);
  it("matches * and ? within one path segment", () => {
    expect(m("*.conf", "a.conf")).toBe(true);
    expect(m("*.conf", "d/a.conf")).toBe(false);
    expect(m("a?.conf", "ab.conf")).toBe(true);
    expect(m("a?.conf", "a/.conf")).toBe(false);
  });
  it("matches ** across directories, including none", () => {
    expect(m("**/x.conf", "x.conf")).toBe(true);
    expect(m("**/x.conf", "a/b/x.conf")).toBe(true);
    expect(m("**/x.conf", "a/bx.conf")).toBe(false);
    expect(m("a/**", "a/b/c")).toBe(true);
    expect(m("a/**/c", "a/c")).toBe(true);
    expect(m("a/**/c", "a/b/d/c")).toBe(true);
  });
  it("supports classes, negated classes and braces; escapes regex characters", () => {
    expect(m("[ab].conf", "b.conf")).toBe(true);
    expect(m("[!ab].conf", "b.conf")).toBe(false);
    expect(m("[!ab].conf", "c.conf")).toBe(true);
    expect(m("{x,y}.conf", "y.conf")).toBe(true);
    expect(m("{x,y}.conf", "z.conf")).toBe(false);
    expect(m("a+(b).conf", "a+(b).conf")).toBe(true);
    expect(m("a.conf", "abconf")).toBe(false);
  });
  it("rejects unbalanced brackets and braces", () => {
    expect(() => globToRegExp("[ab")).toThrow(/unbalanced/);
    expect(() => globToRegExp("{a,b")).toThrow(/unbalanced/);
  });
});

describe("makeIgnore", () => {
  it("matches a slash-free pattern at any depth and directories by prefix", () => {
    const ig = makeIgnore(["*.bak.conf", "vendor/"]);
    expect(ig("x.bak.conf")).toBe(true);
    expect(ig("deep/er/x.bak.conf")).toBe(true);
    expect(ig("vendor/a.conf")).toBe(true);
    expect(ig("sub/vendor/a.conf")).toBe(true);
    expect(ig("vendor")).toBe(false); // dir-only pattern, a file named vendor stays
    expect(ig("x.conf")).toBe(false);
  });
  it("anchors a pattern with a slash to the base directory", () => {
    const ig = makeIgnore(["/legacy.conf", "old/*.conf"]);
    expect(ig("legacy.conf")).toBe(true);
    expect(ig("sub/legacy.conf")).toBe(false);
    expect(ig("old/a.conf")).toBe(true);
    expect(ig("x/old/a.conf")).toBe(false);
  });
  it("lets a later ! pattern re-include", () => {
    const ig = makeIgnore(["generated/**", "!generated/keep.conf"]);
    expect(ig("generated/a.conf")).toBe(true);
    expect(ig("generated/keep.conf")).toBe(false);
  });
  it("ignores nothing without patterns", () => {
    expect(makeIgnore([])("a.conf")).toBe(false);
  });
});
