// .apachelintrc.json: found by walking up from each linted file's directory,
// stopping at the repository root (the first directory holding .git) or the
// file system root. The nearest file wins; files are not merged.
import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, sep } from "node:path";
import type { SeverityOverrides } from "../core/engine.js";
import { makeIgnore, type IgnoreMatcher } from "./ignore.js";
import { describeFsError } from "../server/io.js";
import { parseVersion, type ApacheVersion } from "../apache/version.js";
import { didYouMean } from "./rule-suggestion.js";
import { isPlatform, PLATFORM_NAMES, type Platform } from "../data/platforms.js";
import { parseDefine } from "../server/startup.js";
import { selectorProblem } from "./selection.js";

export const CONFIG_FILE_NAME = ".apachelintrc.json";

export const SEVERITY_SETTINGS = ["off", "info", "warning", "error"] as const;
export type SeveritySetting = (typeof SEVERITY_SETTINGS)[number];

export interface Config {
  /** absolute path of the config file */
  path: string;
  rules: SeverityOverrides;
  /** "select" / "ignore": rule ids or categories (src/cli/selection.ts) */
  select?: readonly string[];
  ignore?: readonly string[];
  apacheVersion?: ApacheVersion;
  /** "define": the -D names Apache is started with, all of them */
  defines?: ReadonlySet<string>;
  /** "platform": whose build Apache is (debian, rhel, upstream) */
  platform?: Platform;
  /** is this absolute path ignored by the file's ignorePatterns? */
  ignores(absolutePath: string): boolean;
}

/** A config file that cannot be used. `path` is the file, the message says what is wrong in it. */
export class ConfigError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

export function isSeveritySetting(s: unknown): s is SeveritySetting {
  return typeof s === "string" && (SEVERITY_SETTINGS as readonly string[]).includes(s);
}

/** Parses an --apache-version or apacheVersion value: 2.4.x only, the versions the rules know. */
export function parseApacheVersion(text: string): ApacheVersion | null {
  const v = parseVersion(text);
  return v && v.major === 2 && v.minor === 4 && /^\d+\.\d+\.\d+$/.test(text.trim()) ? v : null;
}

const KEYS = new Set(["rules", "select", "ignore", "apacheVersion", "define", "platform", "ignorePatterns"]);

/** Parses a "define" list (or the --define values), each one word as apache2 -D takes it: the names, or the problem with the first bad one. */
export function parseDefines(list: readonly string[]): Set<string> | string {
  const out = new Set<string>();
  for (const text of list) {
    const d = parseDefine(text);
    if (d === null) return `${JSON.stringify(text)} is not one word, as apache2 -D NAME takes it`;
    out.add(d);
  }
  return out;
}

/** Validates a parsed config object; every problem names the key. */
export function validateConfig(path: string, data: unknown, knownRules: ReadonlySet<string>): Config {
  const fail = (msg: string): never => {
    throw new ConfigError(path, msg);
  };
  if (typeof data !== "object" || data === null || Array.isArray(data)) fail("the top level must be a JSON object");
  const obj = data as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!KEYS.has(key)) fail(`unknown key "${key}" (known keys: ${[...KEYS].join(", ")})`);
  }
  const rules: Record<string, SeveritySetting> = {};
  if (obj.rules !== undefined) {
    if (typeof obj.rules !== "object" || obj.rules === null || Array.isArray(obj.rules)) fail(`"rules" must be an object of rule id to severity`);
    for (const [id, value] of Object.entries(obj.rules as Record<string, unknown>)) {
      if (!knownRules.has(id)) fail(`rules: unknown rule "${id}"${didYouMean(id, knownRules)}`);
      if (!isSeveritySetting(value)) fail(`rules.${id}: ${JSON.stringify(value)} is not one of ${SEVERITY_SETTINGS.join(", ")}`);
      rules[id] = value as SeveritySetting;
    }
  }
  const selectors: { select?: string[]; ignore?: string[] } = {};
  for (const key of ["select", "ignore"] as const) {
    const list = obj[key];
    if (list === undefined) continue;
    if (!Array.isArray(list) || list.some((s) => typeof s !== "string")) fail(`"${key}" must be an array of rule ids or categories, e.g. ["security", "bom"]`);
    for (const s of list as string[]) {
      const problem = selectorProblem(s, knownRules);
      if (problem) fail(`${key}: ${problem}`);
    }
    selectors[key] = list as string[];
  }
  let apacheVersion: ApacheVersion | undefined;
  if (obj.apacheVersion !== undefined) {
    const v = typeof obj.apacheVersion === "string" ? parseApacheVersion(obj.apacheVersion) : null;
    if (!v) fail(`apacheVersion: ${JSON.stringify(obj.apacheVersion)} is not a 2.4.x version such as "2.4.62"`);
    apacheVersion = v!;
  }
  let defines: Set<string> | undefined;
  if (obj.define !== undefined) {
    if (!Array.isArray(obj.define) || obj.define.some((d) => typeof d !== "string")) fail(`"define" must be an array of names, e.g. ["SSL"]`);
    const parsed = parseDefines(obj.define as string[]);
    if (typeof parsed === "string") fail(`define: ${parsed}`);
    defines = parsed as Set<string>;
  }
  if (obj.platform !== undefined && !isPlatform(obj.platform)) fail(`platform: ${JSON.stringify(obj.platform)} is not one of ${PLATFORM_NAMES.join(", ")}`);
  let ignore: IgnoreMatcher = () => false;
  if (obj.ignorePatterns !== undefined) {
    const pats = obj.ignorePatterns;
    if (!Array.isArray(pats) || pats.some((p) => typeof p !== "string")) fail(`"ignorePatterns" must be an array of strings`);
    try {
      ignore = makeIgnore(pats as string[]);
    } catch (err) {
      fail(`ignorePatterns: ${(err as Error).message}`);
    }
  }
  const base = dirname(path);
  const config: Config = {
    path,
    rules,
    ignores(absolutePath) {
      const rel = relative(base, absolutePath);
      if (rel === "" || rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return false;
      return ignore(rel.split(sep).join("/"));
    },
  };
  if (selectors.select) config.select = selectors.select;
  if (selectors.ignore) config.ignore = selectors.ignore;
  if (apacheVersion) config.apacheVersion = apacheVersion;
  if (defines) config.defines = defines;
  if (obj.platform !== undefined) config.platform = obj.platform as Platform;
  return config;
}

export function loadConfig(path: string, knownRules: ReadonlySet<string>): Config {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new ConfigError(path, describeFsError(err, path));
  }
  let data: unknown;
  try {
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    throw new ConfigError(path, `invalid JSON: ${(err as Error).message}`);
  }
  return validateConfig(path, data, knownRules);
}

/** The repository root above `dir`: the first directory (dir itself included) containing .git. */
export function findRepoRoot(dir: string): string | null {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, ".git"))) return d;
    if (dirname(d) === d) return null;
  }
}

/** Finds and caches the config that applies to each directory. */
export class ConfigFinder {
  readonly #byDir = new Map<string, Config | null>();
  readonly #byFile = new Map<string, Config>();
  constructor(private readonly knownRules: ReadonlySet<string>) {}

  /** The nearest config for files in the absolute directory `dir`, or null. Throws ConfigError. */
  forDirectory(dir: string): Config | null {
    const cached = this.#byDir.get(dir);
    if (cached !== undefined) return cached;
    let found: Config | null;
    const candidate = join(dir, CONFIG_FILE_NAME);
    if (existsSync(candidate)) found = this.#load(candidate);
    else if (existsSync(join(dir, ".git")) || dirname(dir) === dir) found = null;
    else found = this.forDirectory(dirname(dir));
    this.#byDir.set(dir, found);
    return found;
  }

  #load(path: string): Config {
    let c = this.#byFile.get(path);
    if (!c) {
      c = loadConfig(path, this.knownRules);
      this.#byFile.set(path, c);
    }
    return c;
  }
}
