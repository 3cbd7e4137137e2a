// Names a configuration file defines for itself that later lines may use:
// request methods a <Limit> registers (ap_method_register) and authorization
// providers an alias or a provider directive defines.
import type { ConfigFile, Directive, Section } from "../../grammar/index.js";
import { OPEN } from "../../grammar/line-table.js";
import { PROVIDER_DEFINERS } from "../data/authz-providers.js";

/** What these lookups need of a file's facts (FileFacts has them). */
export interface NameFacts {
  readonly file: ConfigFile;
  sectionAt(row: number): unknown;
  directivesNamed(key: string): Directive[];
}

/** The sections named one of `keys`, in order (the open tags of the line table). */
function sections(facts: NameFacts, keys: readonly string[]): Section[] {
  const t = facts.file.table;
  const ids = new Set(keys.map((k) => t.names.indexOf(k)).filter((i) => i >= 0));
  const out: Section[] = [];
  if (ids.size === 0) return out;
  for (let r = 0; r < t.count; r++) if (t.kind[r] === OPEN && ids.has(t.key[r]!)) out.push(facts.sectionAt(r) as Section);
  return out;
}

/** Method names the file's <Limit>/<LimitExcept> sections name: registered, whatever Apache's table says. */
export function limitMethods(facts: NameFacts): Set<string> {
  const out = new Set<string>();
  for (const s of sections(facts, ["limit", "limitexcept"])) for (const a of s.open.args) out.add(a.value);
  return out;
}

/** Provider names the file defines (<AuthzProviderAlias base alias>, AuthnzFcgiDefineProvider authz NAME, LuaAuthzProvider NAME). */
export function definedProviders(facts: NameFacts): Set<string> {
  const out = new Set<string>();
  for (const [key, def] of Object.entries(PROVIDER_DEFINERS)) {
    const lines = key === "authzprovideralias"
      ? sections(facts, [key]).map((s) => s.open.args)
      : facts.directivesNamed(key).map((d) => d.args);
    for (const args of lines) {
      if (def.type && args[def.type.index]?.value.toLowerCase() !== def.type.value) continue;
      const name = args[def.name]?.value;
      if (name) out.add(name);
    }
  }
  return out;
}
