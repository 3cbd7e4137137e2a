// Where a config names a proxy backend, per directive, as mod_proxy and
// mod_rewrite read it.
import type { Argument, ConfigFile, Directive, Parent } from "../../grammar/index.js";
import { directives } from "../../grammar/index.js";
import { hasFlag, rewriteRuleParts } from "./rewrite.js";
import { enclosing, PATH_SECTIONS, PER_DIRECTORY_SECTIONS } from "./scope.js";

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

/** The directives that can name a backend (lower-cased names): the handlers a backend rule asks for. */
export const BACKEND_KEYS: ReadonlySet<string> = new Set(["proxypass", "proxypassmatch", "proxypassreverse", "balancermember", "rewriterule"]);

/** Those that send requests to their backend: ProxyPassReverse only rewrites what comes back. */
export const REQUEST_BACKEND_KEYS: ReadonlySet<string> = new Set([...BACKEND_KEYS].filter((k) => k !== "proxypassreverse"));

/**
 * The backend a directive names, or null. Worked out on each call: rules in
 * the engine's walk share one per row through `backends(facts)`.
 */
export function backendOf(d: Directive): BackendRef | null {
  return BACKEND_KEYS.has(d.key) ? readBackend(d) : null;
}

/** A BackendRef whose parameters are sliced from the arguments only when asked for (most callers never do). */
class Ref implements BackendRef {
  constructor(
    readonly directive: Directive,
    readonly kind: BackendKind,
    readonly url: Argument,
    readonly path: Argument | null,
    /** index of the first parameter in the arguments; -1: none */
    private readonly paramsFrom: number,
  ) {}
  get params(): readonly Argument[] {
    return this.paramsFrom < 0 ? [] : this.directive.args.slice(this.paramsFrom);
  }
}

function readBackend(d: Directive): BackendRef | null {
  const args = d.args;
  switch (d.key) {
    case "proxypass":
    case "proxypassmatch":
    case "proxypassreverse": {
      // Inside <Location> or <Proxy> the path comes from the section and is not repeated.
      const inSection = enclosing(d, PATH_SECTIONS) !== null;
      const url = inSection ? args[0] : args[1];
      if (!url) return null;
      return new Ref(d, d.key as BackendKind, url, inSection ? null : args[0]!, inSection ? 1 : 2);
    }
    case "balancermember": {
      // the balancer name comes from the section (cmd->path), the URL is then the first word
      const inSection = enclosing(d, PER_DIRECTORY_SECTIONS) !== null;
      const url = inSection ? args[0] : args[1];
      if (!url) return null;
      return new Ref(d, "balancermember", url, null, inSection ? 1 : 2);
    }
    case "rewriterule": {
      // only a flags word with a `p` in it can hold [P]: skip the parts of the others
      const flags = args[2];
      if (!flags || (!flags.value.includes("p") && !flags.value.includes("P"))) return null;
      const parts = rewriteRuleParts(d);
      if (!parts || !hasFlag(parts, "proxy")) return null;
      return new Ref(d, "rewrite", parts.substitution, parts.pattern, -1);
    }
  }
  return null;
}

/** What the proxy facts need of a file (src/core/facts.ts FileFacts has it; the engine is a layer above). */
export interface ProxyFacts {
  readonly file: ConfigFile;
  readonly parentRows: Int32Array;
  shared<T>(key: string, compute: (facts: ProxyFacts) => T): T;
}

/**
 * Each row's backend, shared by the rules of one lint. The engine calls every
 * rule's handler for a row before it moves on, so the backend of the row being
 * visited is worked out once and served to the others by row; a row asked for
 * again later is simply read again.
 */
export class Backends {
  private row = -1;
  private ref: BackendRef | null = null;
  private urlRef: BackendRef | null = null;
  private _url: BackendUrl | null = null;
  /** The backend the directive names, or null. */
  of(d: Directive): BackendRef | null {
    if (d.row !== this.row) {
      this.ref = BACKEND_KEYS.has(d.key) ? readBackend(d) : null;
      this.row = d.row;
    }
    return this.ref;
  }
  /** backendUrl(ref.url), worked out once for the row being visited. */
  url(ref: BackendRef): BackendUrl {
    if (ref !== this.urlRef || this._url === null) {
      this._url = backendUrl(ref.url);
      this.urlRef = ref;
    }
    return this._url;
  }
}

const newBackends = () => new Backends();

/** The file's shared backend reader (one per lint). */
export function backends(facts: ProxyFacts): Backends {
  return facts.shared("proxy:backends", newBackends);
}

/** Every backend under `root`, in order. Walks the tree: for callers outside the engine's walk. */
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
  const n = text.length;
  // the usual case: ASCII at both ends (no typographic quote) and no `unix:` socket prefix
  const c0 = n === 0 ? 0 : text.charCodeAt(0);
  if (n === 0 || (c0 < 0x80 && text.charCodeAt(n - 1) < 0x80 && c0 !== 0x75 && c0 !== 0x55)) {
    return { text, start: valueOffset(arg), arg };
  }
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
