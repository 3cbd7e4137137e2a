// Where a config names a proxy backend, per directive, as mod_proxy and
// mod_rewrite read it.
import type { Argument, Directive, Parent } from "../grammar/index.js";
import { directives } from "../grammar/index.js";
import { hasFlag, rewriteRuleParts } from "./rewrite.js";
import { enclosing } from "./scope.js";

export type BackendKind = "proxypass" | "proxypassmatch" | "proxypassreverse" | "balancermember" | "rewrite";

export interface BackendRef {
  directive: Directive;
  kind: BackendKind;
  /** the argument holding the URL */
  url: Argument;
  /** the local path or pattern it maps, when the directive has one */
  path: Argument | null;
  /** worker parameters (key=value) after the URL */
  params: readonly Argument[];
}

const LOCATION = ["location", "locationmatch"];

/** The backend a directive names, or null. */
export function backendOf(d: Directive): BackendRef | null {
  const args = d.args;
  switch (d.key) {
    case "proxypass":
    case "proxypassmatch":
    case "proxypassreverse": {
      const kind = d.key as BackendKind;
      // Inside <Location> the path comes from the section and is not repeated.
      const inLocation = enclosing(d, LOCATION) !== null;
      const [path, url] = inLocation ? [null, args[0]] : [args[0] ?? null, args[1]];
      if (!url) return null;
      return { directive: d, kind, url, path, params: args.slice(inLocation ? 1 : 2) };
    }
    case "balancermember": {
      const inProxy = enclosing(d, ["proxy"]) !== null;
      const url = inProxy ? args[0] : args[1];
      if (!url) return null;
      return { directive: d, kind: "balancermember", url, path: null, params: args.slice(inProxy ? 1 : 2) };
    }
    case "rewriterule": {
      const parts = rewriteRuleParts(d);
      if (!parts || !hasFlag(parts, "proxy")) return null;
      return { directive: d, kind: "rewrite", url: parts.substitution, path: parts.pattern, params: [] };
    }
  }
  return null;
}

export function backendRefs(root: Parent): BackendRef[] {
  const out: BackendRef[] = [];
  for (const d of directives(root)) {
    const b = backendOf(d);
    if (b) out.push(b);
  }
  return out;
}

/** The URL scheme, lower-cased, when the value starts with one (`ws:`, `balancer:`). */
export function schemeOf(url: string): string | null {
  const m = /^([a-z][a-z0-9+.-]*):/i.exec(url);
  return m ? m[1]!.toLowerCase() : null;
}
