// Lookups over the generated directive table (src/data/directives.ts).
import { DIRECTIVES, type Arity, type DirectiveInfo } from "../data/directives.js";
import { OTHER_MODULES, type OtherModule } from "../data/other-modules.js";
import { editDistance } from "./edit-distance.js";
import { memoByString } from "./memo.js";

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

/**
 * The module outside Debian's apache2 package that defines the lower-cased
 * directive name (mod_wsgi's `wsgidaemonprocess`, mod_security's `secruleengine`), if any.
 */
export function otherModuleOf(key: string): OtherModule | undefined {
  for (const m of OTHER_MODULES) {
    if (m.names?.includes(key) || m.prefixes?.some((p) => key.startsWith(p))) return m;
  }
  return undefined;
}

const DIRECTIVE_NAMES = DIRECTIVES.filter((d) => !d.name.startsWith("<")).map((d) => d.name);
const SECTION_NAMES = DIRECTIVES.filter((d) => d.name.startsWith("<")).map((d) => d.name.slice(1));

/**
 * What an unknown name was probably meant to be, best first (at most three):
 * the known names fewest edits away (a swap of two letters is one edit; at
 * most one edit per four letters, and never more than three), or, when none
 * is that close, a known name the word starts with (`RewriteCondition` for
 * RewriteCond) or that starts with the word (`ProxyPassRev`).
 */
function suggest(name: string, names: readonly string[]): string[] {
  const lower = name.toLowerCase();
  const max = Math.min(3, Math.max(1, Math.floor(lower.length / 4)));
  let best = max + 1;
  let near: string[] = [];
  for (const n of names) {
    const d = editDistance(lower, n.toLowerCase(), { max, transpositions: true });
    if (d < best) [best, near] = [d, [n]];
    else if (d === best && d <= max) near.push(n);
  }
  if (near.length) return near.slice(0, 3);
  const prefixOf = names.filter((n) => n.length >= 5 && lower.startsWith(n.toLowerCase())).sort((a, b) => b.length - a.length);
  if (prefixOf.length) return prefixOf.slice(0, 1);
  if (lower.length < 5) return [];
  return names.filter((n) => n.toLowerCase().startsWith(lower)).sort((a, b) => a.length - b.length).slice(0, 3);
}

/** Known directive names close to an unknown one ("ProxyPassReverese" → ["ProxyPassReverse"]). */
export const directiveSuggestions: (name: string) => readonly string[] = memoByString((name) => suggest(name, DIRECTIVE_NAMES));

/** Known section names (without "<") close to an unknown one. */
export const sectionSuggestions: (name: string) => readonly string[] = memoByString((name) => suggest(name, SECTION_NAMES));

export { DIRECTIVES, type Arity, type DirectiveInfo };
