// Lookups over the generated directive table (src/data/directives.ts).
import { DIRECTIVES, type Arity, type DirectiveInfo } from "../data/directives.js";

const byKey = new Map(DIRECTIVES.map((d) => [d.name.toLowerCase(), d]));

/** A directive by name, case-insensitively as Apache matches it ("proxyrequests"). */
export function directiveInfo(name: string): DirectiveInfo | undefined {
  return name.startsWith("<") ? undefined : byKey.get(name.toLowerCase());
}

/** A section by name without "<" ("Proxy", "virtualhost"). */
export function sectionInfo(name: string): DirectiveInfo | undefined {
  return byKey.get(`<${name.toLowerCase()}`);
}

/** The values Apache accepts for argument `index`, or null when it takes any. */
export function allowedValues(info: DirectiveInfo, index: number): readonly string[] | null {
  return info.each ?? info.values?.[index] ?? null;
}

/** The allowed value that `value` spells, ignoring case as Apache does, or undefined. */
export function matchAllowed(allowed: readonly string[], value: string): string | undefined {
  const v = value.toLowerCase();
  return allowed.find((a) => a.toLowerCase() === v);
}

const MPM = /^mpm_/;

/**
 * The modules that can provide the directive and must be loaded for Apache to
 * accept it, or null when nothing has to be loaded: compiled in ("core"), or
 * defined by every MPM (an MPM is always loaded, or Apache refuses to start anyway).
 */
export function loadableProviders(info: DirectiveInfo): readonly string[] | null {
  if (info.modules.includes("core") || info.modules.some((m) => MPM.test(m))) return null;
  return info.modules;
}

export { DIRECTIVES, type Arity, type DirectiveInfo };
