// Where a config names a proxy backend, per directive, as mod_proxy and
// mod_rewrite read it.
import type { Argument, Directive, Parent } from "../../grammar/index.js";
import { directives } from "../../grammar/index.js";
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

const backends = new WeakMap<Directive, BackendRef | null>();

/** The backend a directive names, or null. Worked out once per directive: several rules ask. */
export function backendOf(d: Directive): BackendRef | null {
  if (!BACKEND_KEYS.has(d.key)) return null;
  let ref = backends.get(d);
  if (ref === undefined) backends.set(d, (ref = readBackend(d)));
  return ref;
}

const BACKEND_KEYS = new Set(["proxypass", "proxypassmatch", "proxypassreverse", "balancermember", "rewriterule"]);

function readBackend(d: Directive): BackendRef | null {
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

/** Schemes mod_proxy has handlers for: a `scheme:` prefix from this list is meant as a backend URL. */
export const PROXY_SCHEMES: ReadonlySet<string> = new Set([
  "http", "https", "ws", "wss", "ajp", "fcgi", "scgi", "uwsgi", "h2", "h2c", "balancer", "ftp",
]);

/** Schemes whose connection to the backend is TLS: they need mod_ssl's SSLProxyEngine. */
export const TLS_SCHEMES: ReadonlySet<string> = new Set(["https", "wss", "h2"]);

// mod_rewrite's is_absolute_uri (2.4.71, checked against the strings in mod_rewrite.so):
// a [P] target that starts with none of these is "fully qualified" to this server.
const REWRITE_ABSOLUTE = [
  "ajp://", "balancer://", "fcgi://", "ftp://", "gopher://", "http://", "https://", "h2://", "h2c://",
  "ldap://", "mailto:", "news:", "nntp://", "scgi://", "ws://", "wss://", "unix:",
];

/** Does mod_rewrite take this substitution as an absolute URL (and not as a path on this server)? */
export function isRewriteAbsolute(url: string): boolean {
  if (url.startsWith("/") || url.length <= 5) return false;
  const lower = url.slice(0, 12).toLowerCase();
  return REWRITE_ABSOLUTE.some((p) => lower.startsWith(p));
}

// Curly quotes pasted from a web page are ordinary bytes to Apache; they are
// skipped here so that the URL inside them can still be checked.
const TYPOGRAPHIC_QUOTES = "\u201c\u201d\u201e\u201f\u2018\u2019\u201a\u201b\u00ab\u00bb\u2032\u2033";

/** Offset in the file of `arg.value[0]`, when the value is written without escapes or continuations; else null. */
export function valueOffset(arg: Argument): number | null {
  const at = arg.quote ? 1 : 0;
  return arg.raw.startsWith(arg.value, at) ? arg.start + at : null;
}

export interface BackendUrl {
  /** the URL as Apache parses it: typographic quotes and a `unix:…|` socket prefix removed */
  text: string;
  /** offset of text[0] in the file, or null when the argument's text does not map 1:1 */
  start: number | null;
  /** the argument it comes from */
  arg: Argument;
}

/** The URL part of a backend argument. */
export function backendUrl(arg: Argument): BackendUrl {
  let text = arg.value;
  let skip = 0;
  while (skip < text.length && TYPOGRAPHIC_QUOTES.includes(text[skip]!)) skip++;
  let end = text.length;
  while (end > skip && TYPOGRAPHIC_QUOTES.includes(text[end - 1]!)) end--;
  // mod_proxy's Unix domain socket form: unix:/path/to.sock|http://host/path
  const pipe = /^unix:/i.test(text.slice(skip)) ? text.indexOf("|", skip) : -1;
  if (pipe !== -1) skip = pipe + 1;
  text = text.slice(skip, end);
  const base = valueOffset(arg);
  return { text, start: base === null ? null : base + skip, arg };
}

export interface UrlParts {
  scheme: string;
  /** host[:port], possibly empty */
  authority: string;
  /** everything after the authority up to `?` or `#`; "" when the URL has no path */
  path: string;
  /** index in the URL text where the path ends */
  pathEnd: number;
}

/** Splits `scheme://authority/path`; null when the URL does not have that shape. */
export function urlParts(url: string): UrlParts | null {
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)/i.exec(url);
  if (!m) return null;
  return { scheme: m[1]!.toLowerCase(), authority: m[2]!, path: m[3]!, pathEnd: m[0].length };
}
