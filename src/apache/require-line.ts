// `Require [not] provider words…` read as mod_authz_core and its providers read
// it (src/data/authz-providers.ts): the first refusal of a line, at the word
// Apache stops at. Where the line stands (negation inside <RequireAny>) is the
// rule's to judge: it needs the sections around the line.
import { AUTHZ_PROVIDERS, type AuthzProvider } from "../data/authz-providers.js";
import { HTTP_METHODS } from "../data/http-methods.js";
import { editDistance } from "./edit-distance.js";
import { ipSubnet } from "./ip-subnet.js";
import type { LineProblem } from "./line-problem.js";

const BY_NAME = new Map(AUTHZ_PROVIDERS.map((p) => [p.name, p]));
const NAMES = AUTHZ_PROVIDERS.map((p) => p.name);

/** One word of a Require line: its value, and whether it was written bare (no quotes, no escapes). */
export interface RequireWord {
  readonly value: string;
  readonly bare: boolean;
}

export interface RequireContext {
  /** provider names the configuration defines (<AuthzProviderAlias>, AuthnzFcgiDefineProvider, LuaAuthzProvider) */
  readonly defined: ReadonlySet<string>;
  /** method names registered by <Limit>/<LimitExcept> */
  readonly methods: ReadonlySet<string>;
}

/** A known provider the unknown name is a slip of: the same in another case, or a letter or two away. */
function meantProvider(name: string): { name: string; safety: "safe" | "unsafe" } | undefined {
  const lower = name.toLowerCase();
  const same = NAMES.find((n) => n === lower);
  if (same) return { name: same, safety: "safe" };
  const max = Math.min(2, Math.max(1, Math.floor(name.length / 4)));
  const near = NAMES.filter((n) => editDistance(lower, n, { max, transpositions: true }) <= max);
  return near.length === 1 ? { name: near[0]!, safety: "unsafe" } : undefined;
}

/** Does Apache know the provider the line names (so that what follows it is checked at all)? */
export function namesKnownProvider(words: readonly RequireWord[], ctx: RequireContext): boolean {
  const name = words[isNegated(words) ? 1 : 0]?.value ?? "";
  return BY_NAME.has(name) || ctx.defined.has(name);
}

/** Is the line's first word `not` (strcasecmp)? */
export const isNegated = (words: readonly RequireWord[]) => words[0]?.value.toLowerCase() === "not";

/** The first refusal of a Require line, given its words before any trailing comment. */
export function requireProblem(words: readonly RequireWord[], ctx: RequireContext): LineProblem | null {
  const p = isNegated(words) ? 1 : 0;
  const name = words[p]?.value ?? "";
  const provider = BY_NAME.get(name);
  const apache = `Unknown Authz provider: ${name}`;
  if (!provider) {
    if (ctx.defined.has(name)) return null;
    if (name === "") return { word: -1, what: `Require needs an authorization provider (all granted, valid-user, ip …)${p ? " after `not`" : ""}`, apache };
    if (name.toLowerCase() === "not") return { word: p, what: "`not` may stand once, before the provider", apache };
    const meant = meantProvider(name);
    // a name far from every known provider may be a third-party module's: not reported
    if (!meant) return null;
    const what = meant.safety === "safe"
      ? `\`${name}\` is no authorization provider: provider names are case-sensitive, write \`${meant.name}\``
      : `\`${name}\` is no authorization provider, the nearest is \`${meant.name}\``;
    return { word: p, what, apache, replacement: { text: meant.name, safety: meant.safety } };
  }
  return argumentsProblem(provider, words, p + 1, ctx);
}

function argumentsProblem(provider: AuthzProvider, words: readonly RequireWord[], first: number, ctx: RequireContext): LineProblem | null {
  const rest = words.slice(first);
  switch (provider.args) {
    case "all": {
      // the rest of the line is compared whole, quotes included
      const only = rest.length === 1 && rest[0]!.bare ? rest[0]!.value.toLowerCase() : "";
      if (only === "granted" || only === "denied") return null;
      const apache = "Argument for 'Require all' must be 'granted' or 'denied'";
      if (rest.length === 0) return { word: -1, what: "`Require all` needs `granted` or `denied` after it", apache };
      const meant = rest[0]!.value.toLowerCase();
      const extra = meant === "granted" || meant === "denied";
      const what = extra
        ? rest.length > 1 ? `\`Require all ${meant}\` takes nothing after \`${meant}\`` : `\`Require all\` compares its argument as written: \`${meant}\` without quotes`
        : `\`Require all\` takes \`granted\` or \`denied\`, not \`${rest[0]!.value}\``;
      return { word: extra && rest.length > 1 ? first + 1 : first, what, apache };
    }
    case "ip": {
      // mod_authz_host reads words up to the first empty one
      const end = rest.findIndex((w) => w.value === "");
      const list = end === -1 ? rest : rest.slice(0, end);
      if (list.length === 0) return { word: -1, what: "`Require ip` needs one or more addresses or networks (10.1.2.3, 10.1.0.0/16, 2001:db8::/32)", apache: "'require ip' requires an argument" };
      for (let i = 0; i < list.length; i++) {
        const w = list[i]!.value;
        const verdict = ipSubnet(w);
        if (verdict === "ok") continue;
        const reason = verdict === "bad-ip" ? ": The specified IP address is invalid." : verdict === "bad-mask" ? ": The specified network mask is invalid." : "";
        const apache = `ip address '${w}' appears to be invalid${reason}`;
        const parts = w.split(",").filter((x) => x !== "");
        const split = parts.length > 1 && parts.every((x) => ipSubnet(x) === "ok");
        return { word: first + i, what: ipHint(w, verdict), apache, ...(split && { replacement: { text: parts.join(" "), safety: "unsafe" as const } }) };
      }
      return null;
    }
    case "method": {
      const end = rest.findIndex((w) => w.value === "");
      const list = end === -1 ? rest : rest.slice(0, end);
      for (let i = 0; i < list.length; i++) {
        const w = list[i]!.value;
        if (HTTP_METHODS.includes(w) || ctx.methods.has(w)) continue;
        return { word: first + i, ...methodProblem(w, "Invalid Method '{m}'") };
      }
      return null;
    }
    case "expr": {
      const text = rest.map((w) => w.value).join(" ");
      return text.trim() === "" ? { word: -1, what: "`Require expr` needs an expression after it", apache: "Cannot parse expression in require line: syntax error, unexpected $end" } : null;
    }
    case "none":
      return rest.length === 0 ? null : { word: first, what: `\`Require ${provider.name}\` takes no arguments`, apache: `'Require ${provider.name}' does not take arguments` };
    case "any":
      return null;
  }
}

function ipHint(w: string, verdict: "not-ip" | "bad-ip" | "bad-mask"): string {
  if (w.includes(",")) return `\`${w}\`: separate addresses with spaces, not commas`;
  if (verdict === "not-ip") return `\`${w}\` is no IP address or network: a host name belongs in \`Require host\``;
  if (verdict === "bad-mask") return `\`${w}\`: the part after \`/\` must be a bit count (1-32, 1-128 for IPv6) or an IPv4 netmask`;
  if (/^::ffff:/i.test(w)) return `\`${w}\` is an IPv4-mapped IPv6 address, which APR refuses: write the IPv4 address`;
  return `\`${w}\` is no IP address or network`;
}

/** What is wrong with a method name Apache does not know; `says` has {m} for the name. */
export function methodProblem(w: string, says: string): Omit<LineProblem, "word"> {
  const apache = says.replace("{m}", w);
  const upper = w.toUpperCase();
  if (upper !== w && HTTP_METHODS.includes(upper)) {
    return { what: `method names are case-sensitive: \`${upper}\`, not \`${w}\``, apache, replacement: { text: upper, safety: "safe" } };
  }
  if (w.includes(",")) return { what: `\`${w}\`: separate method names with spaces, not commas`, apache };
  return { what: `\`${w}\` is no method Apache knows (GET, POST, PUT, DELETE, PROPFIND …; a <Limit> naming it first registers it)`, apache };
}
