// Directives whose handler decides by its arguments where it may stand: the
// context table (src/data/directive-contexts.ts) says "anywhere" for Alias, yet
// `Alias /a /tmp` is refused inside <Location> and `Alias /tmp` outside it.
// Hand table: the handlers are mod_alias's add_alias, mod_cache's
// add_cache_enable / add_cache_disable and mod_md's md_config_sec_add_members;
// every row was measured with apache2 -t on Debian's 2.4.71 (the cases are in
// test/rules/directive-context.test.ts, with Apache's verbatim answers).
import type { Argument, Section } from "../../grammar/index.js";

/**
 * Where a handler finds itself, as it tells: "global" (cmd->path unset: the
 * server config or <VirtualHost>), "path" (<Location>, <LocationMatch>,
 * <Proxy>, <ProxyMatch>: cmd->path is the section's path) or "directory"
 * (inside <Directory>, <Files> or <If> and their kin, which set cmd->path too).
 */
export type ArgumentPlace = "global" | "path" | "directory";

/** A test of the handler's words that lets a form through. */
export type WordTest = "on" | "path-or-url" | "auto-or-manual" | "below-section" | "provider";

export interface ArgumentRefusal {
  /** "any": wherever the context table lets the directive stand */
  readonly place: ArgumentPlace | "any";
  /** the number of words the handler gets (see ArgumentContext.counting) */
  readonly words: number;
  /** `words` or more */
  readonly orMore?: true;
  /** refused only when this test fails; none: refused outright */
  readonly unless?: WordTest;
  /** what the finding covers: the line, or the handler's first or second word */
  readonly at: "line" | 0 | 1;
  /** Apache's message, verbatim but for {section}: the canonical name of the refusing section ("Directory") and {0}: the first word */
  readonly apache: string;
  /** what is wrong and what to do; {name}: the directive as written, {section}: the section as written, {path}: its path, {0} {1}: the words as written */
  readonly what: string;
  /** the section gives what the first word says: offer to remove it */
  readonly dropFirst?: true;
}

export interface ArgumentContext {
  /**
   * How invoke_cmd hands the words over: "take12" passes an empty second word
   * as none, "take1" one word, "argv" drops an empty last word (an empty
   * word before it counts).
   */
  readonly counting: "take1" | "take12" | "argv";
  /**
   * What a file's top level must be shown to be before a line there is judged
   * "global": "server" (not Included inside <Directory>, <Location> …) or
   * "main" (the main server, not Included inside <MDomainSet> either, which
   * only a <VirtualHost> or a directive refused inside one shows).
   */
  readonly top: "server" | "main";
  /** checked in order; the first that applies is Apache's answer */
  readonly refusals: readonly ArgumentRefusal[];
}

/** Alias and ScriptAlias: add_alias. Both say "Alias must have two arguments" (the one string in mod_alias.c). */
function aliasLike(name: string): ArgumentContext {
  return {
    counting: "take12",
    top: "server",
    refusals: [
      {
        place: "global",
        words: 1,
        at: "line",
        apache: "Alias must have two arguments when used globally",
        what: "{name} outside <Location> needs the URL-path before the target `{0}` (`{name} /url-path/ {0}`)",
      },
      {
        place: "path",
        words: 2,
        at: 0,
        apache: `${name} cannot occur within directory context`,
        what: "{name} inside {section} takes its URL-path from the section, so `{0}` is a word too many: give only the target (`{name} {1}`), or move the line out of the section",
        dropFirst: true,
      },
      {
        place: "directory",
        words: 2,
        at: "line",
        apache: `${name} cannot occur within directory context`,
        what: "{name} cannot be used inside {section}: it belongs in the server config or <VirtualHost>",
      },
      {
        place: "directory",
        words: 1,
        at: "line",
        apache: `${name} cannot occur within <{section}> section`,
        what: "{name} with only a target takes its URL-path from <Location>, which {section} does not give: use `{name} /url-path/ {0}` in the server config or <VirtualHost>",
      },
    ],
  };
}

/** MDMembers and MDMember: md_config_sec_add_members. Outside <MDomainSet> only the auto|manual switch of the server is allowed. */
function mdMembers(name: string): ArgumentContext {
  const only = `${name} is only valid inside a '<MDomainSet' context, not here`;
  const what = "{name} lists domain names only inside <MDomainSet> or <MDomain>; elsewhere it takes one word, `auto` or `manual`";
  return {
    counting: "argv",
    top: "main",
    refusals: [
      { place: "global", words: 0, at: "line", apache: only, what },
      { place: "global", words: 2, orMore: true, at: "line", apache: only, what },
      {
        place: "global",
        words: 1,
        unless: "auto-or-manual",
        at: 0,
        apache: 'unknown value, use "auto|manual"',
        what: "{name} outside <MDomainSet> takes `auto` or `manual`, not `{0}` (domain names go inside <MDomainSet> or <MDomain>)",
      },
    ],
  };
}

/** By lower-cased directive name. */
export const ARGUMENT_CONTEXTS: Readonly<Record<string, ArgumentContext>> = {
  alias: aliasLike("Alias"),
  scriptalias: aliasLike("ScriptAlias"),
  cacheenable: {
    counting: "take12",
    top: "server",
    refusals: [
      // tested before the URL, so it decides between the two below
      {
        place: "any",
        words: 1,
        orMore: true,
        unless: "provider",
        at: 0,
        apache: "provider ({0}) starts with a '/'.  Are url and provider switched?",
        what: "CacheEnable takes the provider first (`disk`, `socache`), then the URL: `{0}` looks like the URL",
      },
      {
        place: "global",
        words: 1,
        at: "line",
        apache: "CacheEnable provider ({0}) is missing an URL.",
        what: "CacheEnable outside <Location> needs the URL-path or URL to cache after the provider `{0}` (`{name} {0} /`)",
      },
      {
        place: "path",
        words: 2,
        unless: "below-section",
        at: 1,
        apache: "When in a Location, CacheEnable must specify a path or an URL below that location.",
        what: "CacheEnable inside {section} caches only below the section's path, and `{1}` does not start with `{path}`: give a URL-path that does, or leave the URL out",
      },
    ],
  },
  cachedisable: {
    counting: "take1",
    top: "server",
    refusals: [
      {
        place: "path",
        words: 1,
        unless: "on",
        at: 0,
        apache: "CacheDisable must be followed by the word 'on' when in a Location.",
        what: "CacheDisable inside {section} takes the word `on` (the section gives the path), not `{0}`",
      },
      {
        place: "global",
        words: 1,
        unless: "path-or-url",
        at: 0,
        apache: "CacheDisable must specify a path or an URL.",
        what: "CacheDisable outside <Location> takes a URL-path (`/…`) or a URL, not `{0}` (`CacheDisable on` is for inside <Location>)",
      },
    ],
  },
  mdmembers: mdMembers("MDMembers"),
  mdmember: mdMembers("MDMember"),
};

/** The sections that give cmd->path and let the path-less forms through: mod_alias and mod_cache refuse the others. */
const PATH_KEYS: ReadonlySet<string> = new Set(["location", "locationmatch", "proxy", "proxymatch"]);

/**
 * The other sections that set cmd->path, in the order ap_check_cmd_context
 * looks for them with NOT_IN_DIRECTORY|NOT_IN_FILES: the first one found among
 * the enclosing sections is the one Apache names, whatever the nesting
 * (<Directory> around <Files> says <Directory>; <If> around <Files> says <Files>).
 */
const DIRECTORY_KEYS: readonly (readonly [string, string])[] = [
  ["directory", "Directory"],
  ["directorymatch", "DirectoryMatch"],
  ["files", "Files"],
  ["filesmatch", "FilesMatch"],
  ["if", "If"],
  ["elseif", "ElseIf"],
  ["else", "Else"],
];

export interface Place {
  readonly place: ArgumentPlace;
  /** the section that makes it "path" or "directory" */
  readonly section?: Section;
  /** for "directory": the name Apache gives that section */
  readonly canonical?: string;
}

/** Where a directive inside `chain` (its enclosing non-conditional sections, outermost first) finds itself. */
export function placeIn(chain: readonly Section[]): Place {
  for (const [key, canonical] of DIRECTORY_KEYS) {
    const section = chain.find((s) => s.key === key);
    if (section) return { place: "directory", section, canonical };
  }
  const section = chain.find((s) => PATH_KEYS.has(s.key));
  return section ? { place: "path", section } : { place: "global" };
}

/**
 * cmd->path of a path section: its argument, the one after `~` in <Location ~>;
 * undefined when it is not known from the text (<Proxy ~ …>, `${VAR}`, none).
 */
export function sectionPath(section: Section): string | undefined {
  const [first, second] = section.args;
  if (!first) return undefined;
  const regex = first.value === "~";
  if (regex && section.key !== "location") return undefined;
  const path = regex ? second?.value : first.value;
  return path === undefined || path.includes("${") ? undefined : path;
}

/** The words the handler gets, or null when invoke_cmd refuses the count first (directive-arity's finding). */
export function handlerWords(args: readonly Argument[], counting: ArgumentContext["counting"]): readonly Argument[] | null {
  if (counting === "argv") return args.length > 0 && args[args.length - 1]!.value === "" ? args.slice(0, -1) : args;
  const max = counting === "take1" ? 1 : 2;
  if (args.length === 0 || args.length > max || args[0]!.value === "") return null;
  return args.length === 2 && args[1]!.value === "" ? args.slice(0, 1) : args;
}

const TESTS: Readonly<Record<WordTest, (words: readonly Argument[], path: string | undefined) => boolean>> = {
  on: (w) => w[0]!.value.toLowerCase() === "on",
  // add_cache_disable: url[0] == '/' or a ':' anywhere
  "path-or-url": (w) => w[0]!.value.startsWith("/") || w[0]!.value.includes(":"),
  "auto-or-manual": (w) => ["auto", "manual"].includes(w[0]!.value.toLowerCase()),
  // add_cache_enable: `if (*type == '/')`
  provider: (w) => !w[0]!.value.startsWith("/"),
  // add_cache_enable: strncmp(cmd->path, url, strlen(cmd->path)), case and all
  "below-section": (w, path) => path === undefined || w[1]!.value.startsWith(path),
};

/** Apache's refusal of these words in this place, or null. */
export function argumentRefusal(entry: ArgumentContext, place: ArgumentPlace, words: readonly Argument[], path: string | undefined): ArgumentRefusal | null {
  const n = words.length;
  for (const r of entry.refusals) {
    if ((r.place !== place && r.place !== "any") || (r.orMore ? n < r.words : n !== r.words)) continue;
    if (r.unless && TESTS[r.unless](words, path)) continue;
    return r;
  }
  return null;
}
