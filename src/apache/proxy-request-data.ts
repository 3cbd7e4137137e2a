// Which parts of a backend URL the client writes. mod_rewrite's server
// variables (manual: mod_rewrite, RewriteCond "Server-Variables") that copy the
// request line or its headers, regex groups of a pattern matched against the
// URL, and mod_setenvif variables captured from a header. A host built from
// any of them lets the client choose where Apache connects (SSRF); measured on
// 2.4.71 in test/apache/proxy-silent-live.test.ts.
import { expansions, type Expansion } from "./rewrite.js";

/** %{NAME} variables taken from the request line or the request's headers. */
const REQUEST_VARIABLES: ReadonlySet<string> = new Set([
  "HTTP_HOST", "HTTP_USER_AGENT", "HTTP_REFERER", "HTTP_COOKIE", "HTTP_FORWARDED", "HTTP_PROXY_CONNECTION", "HTTP_ACCEPT",
  "QUERY_STRING", "REQUEST_URI", "THE_REQUEST", "PATH_INFO", "REQUEST_FILENAME", "SCRIPT_FILENAME",
]);

/** Is `%{name}` filled from the request (a header, `%{HTTP:…}`, the request line)? */
export function isRequestVariable(name: string): boolean {
  const n = name.toUpperCase();
  return REQUEST_VARIABLES.has(n) || n.startsWith("HTTP:");
}

/** The `[lo, hi)` range of the authority in a `scheme://authority/…` string, braces skipped; null without `://`. */
export function authorityRange(value: string): [number, number] | null {
  const m = /^[a-z][a-z0-9+.-]*:\/\//i.exec(value);
  if (!m) return null;
  let depth = 0;
  for (let i = m[0].length; i < value.length; i++) {
    const c = value[i]!;
    if (c === "{") depth++;
    else if (c === "}") depth = Math.max(0, depth - 1);
    else if (depth === 0 && (c === "/" || c === "?" || c === "#")) return [m[0].length, i];
  }
  return [m[0].length, value.length];
}

/** The expansions mod_rewrite makes inside the authority of a substitution, map lookups left out (their values are the operator's). */
export function authorityExpansions(value: string): Expansion[] {
  const range = authorityRange(value);
  if (!range) return [];
  const [lo, hi] = range;
  const all = expansions(value);
  const maps = all.filter((e) => e.kind === "map");
  return all.filter((e) => e.start >= lo && e.start < hi && e.kind !== "map" && !maps.some((m) => e.start > m.start && e.start < m.end));
}

/** The source text of capture group `n` (1-based) of a PCRE pattern, or null. Classes and escapes are skipped. */
export function groupSource(pattern: string, n: number): string | null {
  let count = 0;
  const stack: { n: number; from: number }[] = [];
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "\\") {
      i++;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      continue;
    }
    if (c === "[") {
      inClass = true;
      if (pattern[i + 1] === "]") i++;
      else if (pattern[i + 1] === "^" && pattern[i + 2] === "]") i += 2;
    } else if (c === "(") {
      const capturing = pattern[i + 1] !== "?" || pattern[i + 2] === "<" && pattern[i + 3] !== "=" && pattern[i + 3] !== "!" || pattern[i + 2] === "P";
      stack.push({ n: capturing ? ++count : 0, from: i + 1 });
    } else if (c === ")") {
      const g = stack.pop();
      if (g && g.n === n) return pattern.slice(g.from, i);
    }
  }
  return null;
}

/** A group that can only match listed literal words: `(app|api)`, `(?:www\.example\.com)`. */
export function isLiteralChoice(group: string): boolean {
  return /^(?:\?:)?(?:[\w-]|\\\.)+(?:\|(?:[\w-]|\\\.)+)*$/.test(group);
}

/** A RewriteCond pattern that accepts only listed literal values: anchored both ends, no quantifier or class. */
export function isLiteralPattern(pattern: string): boolean {
  return /^\^(?:[\w-]|\\\.|\(|\)|\|)*\$$/.test(pattern) && !/^\^\$$/.test(pattern);
}

/** mod_setenvif attributes the client does not write: the addresses and the parsed method and protocol. */
const SERVER_SIDE_ATTRIBUTES: ReadonlySet<string> = new Set(["remote_addr", "server_addr", "request_method", "request_protocol"]);

/** Is a SetEnvIf attribute (a header, Request_URI, Remote_Host…) written by the client? */
export function isRequestAttribute(attribute: string): boolean {
  return !SERVER_SIDE_ATTRIBUTES.has(attribute.toLowerCase());
}
