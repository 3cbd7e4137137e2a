// Which rules run: Ruff's model. A selector is a rule id (or a former id), a
// category (src/core/rule.ts CATEGORIES) or "all". Layers are applied in
// order (the config file's, then the command line's): a layer's `select`
// starts a new set, its `ignore` takes rules out of it; within one layer the
// most specific selector that names a rule decides (an id beats a category,
// a category beats "all"; on a tie, ignore wins).
import { CATEGORIES, type Category, type Rule, type Severity } from "../core/rule.js";
import { didYouMean } from "./rule-suggestion.js";

export const ALL_SELECTOR = "all";

export interface SelectionLayer {
  select?: readonly string[] | undefined;
  ignore?: readonly string[] | undefined;
}

/** How specific a selector is; higher wins. */
const SPECIFICITY = { all: 0, category: 1, id: 2 } as const;

interface Resolved {
  specificity: number;
  matches(rule: Rule): boolean;
}

const isCategory = (s: string): s is Category => (CATEGORIES as readonly string[]).includes(s);

/** The problem with a selector, or null when it names something; `known` holds the rule ids and former ids. */
export function selectorProblem(selector: string, known: ReadonlySet<string>): string | null {
  const s = selector.toLowerCase();
  if (s === ALL_SELECTOR || isCategory(s) || known.has(selector)) return null;
  return `unknown rule or category "${selector}"${didYouMean(selector, [...known, ...CATEGORIES, ALL_SELECTOR])} (categories: ${CATEGORIES.join(", ")}; see --list-rules)`;
}

function resolve(selector: string, aliases: ReadonlyMap<string, string>): Resolved {
  const s = selector.toLowerCase();
  if (s === ALL_SELECTOR) return { specificity: SPECIFICITY.all, matches: () => true };
  if (isCategory(s)) return { specificity: SPECIFICITY.category, matches: (r) => r.category === s };
  const id = aliases.get(selector) ?? selector;
  return { specificity: SPECIFICITY.id, matches: (r) => r.id === id };
}

/** The most specific selector of `list` naming `rule`: its specificity, or -1. */
function best(list: readonly Resolved[], rule: Rule): number {
  let n = -1;
  for (const r of list) if (r.specificity > n && r.matches(rule)) n = r.specificity;
  return n;
}

/** The ids of the rules that run after these layers, every rule running before the first. */
export function selectedRules(rules: readonly Rule[], layers: readonly SelectionLayer[], aliases: ReadonlyMap<string, string>): Set<string> {
  const on = new Set(rules.map((r) => r.id));
  for (const layer of layers) {
    const select = (layer.select ?? []).map((s) => resolve(s, aliases));
    const ignore = (layer.ignore ?? []).map((s) => resolve(s, aliases));
    for (const rule of rules) {
      const sel = best(select, rule);
      const ign = best(ignore, rule);
      if (ign >= 0 && ign >= sel) on.delete(rule.id);
      else if (sel >= 0) on.add(rule.id);
      // a layer that selects starts a new set: what it does not name is off
      else if (layer.select !== undefined) on.delete(rule.id);
    }
  }
  return on;
}

/** "a,b" "c" → ["a", "b", "c"]: selectors come comma-separated (as Ruff takes them) and repeatable. */
export function splitSelectors(values: readonly string[]): string[] {
  return values.flatMap((v) => v.split(",")).map((s) => s.trim()).filter(Boolean);
}

/**
 * The severities a config file and the command line give: `rules` and --rule,
 * then every rule the selection leaves out turned off (the CLI and the
 * language server read a config alike).
 */
export function effectiveSeverities(
  rules: readonly Rule[],
  aliases: ReadonlyMap<string, string>,
  config: { rules?: Readonly<Record<string, Severity | "off">>; select?: readonly string[]; ignore?: readonly string[] } | null,
  commandLine: { rules?: Readonly<Record<string, Severity | "off">>; select?: readonly string[] | undefined; ignore?: readonly string[] | undefined } = {},
): Record<string, Severity | "off"> {
  const merged: Record<string, Severity | "off"> = { ...(config?.rules ?? {}), ...(commandLine.rules ?? {}) };
  const layers: SelectionLayer[] = [];
  if (config?.select || config?.ignore) layers.push({ select: config.select, ignore: config.ignore });
  if (commandLine.select || commandLine.ignore) layers.push({ select: commandLine.select, ignore: commandLine.ignore });
  if (layers.length === 0) return merged;
  const on = selectedRules(rules, layers, aliases);
  for (const r of rules) if (!on.has(r.id)) merged[r.id] = "off";
  return merged;
}
