// The handlers that parse a line of keywords themselves: Options, AllowOverride,
// AllowOverrideList, AllowMethods and IndexOptions, read as Apache reads them
// (src/data/keyword-arguments.ts, src/data/http-methods.ts). Each returns the
// first refusal of a line, at the word Apache stops at.
import { HTTP_METHODS } from "../data/http-methods.js";
import {
  INDEX_OPTIONS, INDEX_OPTIONS_SAYS, OPTIONS_KEYWORDS, OPTIONS_SAYS, OVERRIDE_KEYWORDS, OVERRIDE_OPTIONS, OVERRIDE_SAYS,
} from "../data/keyword-arguments.js";
import { atoi } from "./c-numbers.js";
import { caseless, listOf, type LineProblem } from "./line-problem.js";
import { methodProblem } from "./require-line.js";

const say = (text: string, fill: Record<string, string | number>) => text.replace(/\{(\w+)\}/g, (_, k: string) => String(fill[k] ?? ""));

/** What a line check may know besides the words. */
export interface KeywordContext {
  /** method names registered by <Limit>/<LimitExcept> */
  readonly methods: ReadonlySet<string>;
  /** IndexOptions: an earlier line of the same context ended with `None` in force */
  readonly indexNone?: boolean;
}

export type KeywordCheck = (words: readonly string[], ctx: KeywordContext) => LineProblem | null;

const DOCUMENTED_OPTIONS = OPTIONS_KEYWORDS.filter((k) => k !== "RunScripts");

/**
 * The keyword a word was meant to be: the keyword it starts with (`Indexesx`), the
 * longest when they nest (`IncludesNOEXECx`), or the one keyword it abbreviates.
 */
function meant(word: string, keywords: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  if (w.length < 3) return undefined;
  const prefixes = keywords.filter((k) => w.startsWith(k.toLowerCase()) && w !== k.toLowerCase()).sort((a, b) => b.length - a.length);
  const [best, ...rest] = prefixes;
  if (best && rest.every((r) => best.toLowerCase().startsWith(r.toLowerCase()))) return best;
  const longer = keywords.filter((k) => k.toLowerCase().startsWith(w) && w !== k.toLowerCase());
  return longer.length === 1 ? longer[0] : undefined;
}

/** core.c set_options. */
function options(words: readonly string[]): LineProblem | null {
  let first = true;
  let merge = false;
  let allNone = false;
  let firstSigned = -1;
  for (let i = 0; i < words.length; i++) {
    let w = words[i]!;
    const signed = w.startsWith("+") || w.startsWith("-");
    if (signed && firstSigned === -1) firstSigned = i;
    // None and All may stand before signed words; any other bare word may not
    const mixed = (other: number): LineProblem => ({
      word: i,
      what: `Options mixes "${words[other]}" with "${words[i]}": either every value carries + or - or none does`,
      apache: OPTIONS_SAYS.mixed,
    });
    if (signed) {
      w = w.slice(1);
      if (!merge && !first && !allNone) return mixed(0);
      merge = true;
    } else if (!first && merge) return mixed(firstSigned);
    const k = caseless(OPTIONS_KEYWORDS, w);
    if (k === undefined) {
      const m = meant(w, DOCUMENTED_OPTIONS);
      return {
        word: i,
        what: `Options accepts ${listOf(DOCUMENTED_OPTIONS)} (each may carry + or -), not "${words[i]}"`,
        apache: say(OPTIONS_SAYS.illegal, { word: w }),
        ...(m && { replacement: { text: `${signed ? words[i]![0] : ""}${w.toLowerCase().startsWith(m.toLowerCase()) ? w.slice(0, m.length) : m}`, safety: "unsafe" as const } }),
      };
    }
    if (k === "None" || k === "All") {
      if (!first) return { word: i, what: `"${words[i]}" must be the first value of Options`, apache: k === "None" ? OPTIONS_SAYS.noneFirst : OPTIONS_SAYS.allFirst };
      if (merge) return { word: i, what: `${k} takes no + or -`, apache: k === "None" ? OPTIONS_SAYS.noneSigned : OPTIONS_SAYS.allSigned, replacement: { text: w, safety: "unsafe" } };
      allNone = true;
    }
    first = false;
  }
  return null;
}

/** core.c set_override: each word up to its first `=`; Options=list and Nonfatal=… take a value. */
function allowOverride(words: readonly string[]): LineProblem | null {
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const eq = w.indexOf("=");
    const k = eq === -1 ? w : w.slice(0, eq);
    const keyword = caseless(OVERRIDE_KEYWORDS, k);
    if (keyword === undefined) {
      const synonym = /^on$/i.test(k) ? "All" : /^off$/i.test(k) ? "None" : undefined;
      const parts = k.split(",").filter((p) => p !== "");
      const commas = parts.length > 1 && parts.every((p) => caseless(OVERRIDE_KEYWORDS, p));
      const m = synonym ?? (commas ? undefined : meant(k, OVERRIDE_KEYWORDS));
      const what = commas
        ? `\`${w}\`: separate the AllowOverride keywords with spaces, not commas`
        : `AllowOverride accepts ${listOf(OVERRIDE_KEYWORDS)}, not \`${w}\`${synonym ? ` (it is no On/Off directive: All allows every .htaccess directive, None none)` : m ? `, the nearest is ${m}` : ""}`;
      return {
        word: i,
        what,
        apache: say(OVERRIDE_SAYS.illegal, { word: k }),
        ...(commas ? { replacement: { text: parts.join(" "), safety: "unsafe" as const } } : m ? { replacement: { text: m, safety: "unsafe" as const } } : {}),
      };
    }
    if (keyword === "Nonfatal" && eq === -1) return { word: i, what: "Nonfatal needs a value: Nonfatal=Override, Nonfatal=Unknown or Nonfatal=All", apache: OVERRIDE_SAYS.nonfatal };
    if (keyword === "Options" && eq !== -1) {
      for (const item of w.slice(eq + 1).split(",")) {
        if (item === "" || caseless(OVERRIDE_OPTIONS, item)) continue;
        return { word: i, what: `\`${item}\` in \`${w}\` is no option: Options= lists ${listOf(DOCUMENTED_OPTIONS)}, separated by commas, without + or -`, apache: say(OVERRIDE_SAYS.option, { word: item }) };
      }
    }
  }
  return null;
}

/** core.c set_override_list: directive names, or None alone. */
function allowOverrideList(words: readonly string[]): LineProblem | null {
  if (words.length < 2) return null;
  const i = words.findIndex((w) => w.toLowerCase() === "none");
  return i === -1 ? null : { word: i, what: "None stands alone in AllowOverrideList: list the directives .htaccess may use, or None", apache: OVERRIDE_SAYS.listNone };
}

/** mod_allowmethods: TAKE_ARGV (a last empty word is dropped), `reset` alone, else method names. */
function allowMethods(words: readonly string[], ctx: KeywordContext): LineProblem | null {
  const list = words.length > 0 && words[words.length - 1] === "" ? words.slice(0, -1) : words;
  if (list.length === 0) return { word: -1, what: "AllowMethods needs method names (GET POST …) or `reset`", apache: "AllowMethods: No method or 'reset' keyword given" };
  if (list.length === 1 && list[0]!.toLowerCase() === "reset") return null;
  for (let i = 0; i < list.length; i++) {
    const w = list[i]!;
    if (HTTP_METHODS.includes(w) || ctx.methods.has(w)) continue;
    if (w.toLowerCase() === "reset") return { word: i, what: "`reset` stands alone: `AllowMethods reset` allows every method again", apache: `AllowMethods: Invalid Method '${w}'` };
    return { word: i, ...methodProblem(w, "AllowMethods: Invalid Method '{m}'") };
  }
  return null;
}

const INDEX_NAMES = Object.keys(INDEX_OPTIONS);

/** mod_autoindex add_opts. */
function indexOptions(all: readonly string[], ctx: KeywordContext): LineProblem | null {
  // measured: an empty "" that ends the line is not read (`IndexOptions FancyIndexing ""`), one before another word is refused
  const words = all.length > 0 && all[all.length - 1] === "" ? all.slice(0, -1) : all;
  let none = ctx.indexNone === true;
  let conflict = -1;
  for (let i = 0; i < words.length; i++) {
    const raw = words[i]!;
    const action = raw.startsWith("+") || raw.startsWith("-") ? raw[0]! : "";
    const w = raw.slice(action.length);
    const eq = w.indexOf("=");
    const name = caseless(INDEX_NAMES, eq === -1 ? w : w.slice(0, eq));
    const form = name === undefined ? undefined : INDEX_OPTIONS[name]!;
    const invalid = (): LineProblem => {
      const m = meant(eq === -1 ? w : w.slice(0, eq), [...INDEX_NAMES, "None"]);
      return { word: i, what: `\`${raw}\` is no IndexOptions keyword${m ? `, the nearest is ${m}` : ""}`, apache: INDEX_OPTIONS_SAYS.invalid };
    };
    if (w.toLowerCase() === "none") {
      if (action) return { word: i, what: "None takes no sign", apache: INDEX_OPTIONS_SAYS.noneSigned, replacement: { text: w, safety: "unsafe" } };
      none = true;
      conflict = -1;
      continue;
    }
    if (!form || !name) return invalid();
    switch (form.kind) {
      case "flag":
        if (eq !== -1) return invalid();
        if (!action && form.none && none && conflict === -1) conflict = i;
        break;
      case "size":
        if (eq !== -1 && action === "-") return { word: i, what: `\`${raw}\`: a size cannot be removed, write -${name} or ${name}=n`, apache: say(INDEX_OPTIONS_SAYS.minus, { name }) };
        break;
      case "width": {
        if (eq === -1) {
          if (action !== "-") return { word: i, what: `${name} needs a value (${name}=n or ${name}=*), or -${name} for the default`, apache: say(INDEX_OPTIONS_SAYS.bare, { name }) };
          break;
        }
        if (action === "-") return { word: i, what: `\`${raw}\`: a width cannot be removed, write -${name} or ${name}=n`, apache: say(INDEX_OPTIONS_SAYS.minus, { name }) };
        const v = w.slice(eq + 1);
        const n = v.startsWith("*") ? 0 : atoi(v);
        if (n !== 0 && n < form.min) return { word: i, what: `${name}=${v} is below ${form.min}: write at least ${form.min}, or *`, apache: say(INDEX_OPTIONS_SAYS.small, { name, min: form.min }) };
        break;
      }
      case "text":
        if (eq === -1) return invalid();
        break;
    }
  }
  return conflict === -1 ? null : { word: conflict, what: `\`${words[conflict]}\` after None: None switches every option off, so add options with + (\`+${words[conflict]}\`) or drop None`, apache: INDEX_OPTIONS_SAYS.none };
}

/** By lower-cased directive name. */
export const KEYWORD_CHECKS: Readonly<Record<string, KeywordCheck>> = {
  options,
  allowoverride: allowOverride,
  allowoverridelist: allowOverrideList,
  allowmethods: allowMethods,
  indexoptions: indexOptions,
};

/** Does an IndexOptions line leave None in force (for the next line of its context)? */
export function indexNoneAfter(words: readonly string[], before: boolean): boolean {
  let none = before;
  for (const raw of words) {
    const action = raw.startsWith("+") || raw.startsWith("-") ? raw[0]! : "";
    const w = raw.slice(action.length).toLowerCase();
    if (w === "none" && !action) none = true;
  }
  return none;
}
