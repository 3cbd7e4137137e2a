// apr_uri_parse as Apache 2.4.71 on Debian runs it (apr-util 1.6, uri/apr_uri.c): one model for
// every reader that refuses what it refuses at startup (mod_proxy's ProxyPass, ProxyPassMatch and
// BalancerMember, mod_ssl's SSLOCSPProxyURL, mod_cache's CacheKeyBaseURL, mod_md). Measured
// through SSLOCSPProxyURL, which does nothing but call it (test/rules/url-invalid.test.ts).

/** The parts apr_uri_parse fills in; null where the URL has none. */
export interface AprUri {
  readonly scheme: string | null;
  /** `user[:password]@host[:port]`, when the URL has `//` */
  readonly hostinfo: string | null;
  readonly hostname: string | null;
  /** offset of the host in the text (after `[` for an IPv6 address); -1 when there is none */
  readonly hostAt: number;
  /** the host was written in brackets: `[::1]` */
  readonly ipv6: boolean;
  /** what follows the host's `:` (possibly ""), or null when there is no `:` */
  readonly portStr: string | null;
  /** offset of portStr in the text; -1 when there is none */
  readonly portAt: number;
  /** the port as apr_port_t holds it: strtol's value cut to 16 bits; 0 when none is written */
  readonly port: number;
  readonly path: string | null;
}

/** Why apr_uri_parse refuses a URL, and where in the text. */
export type AprUriFault =
  /** what follows the host's `:` is not a number strtol reads whole (`APP_PORT`, `80a`, `80:90`) */
  | { readonly kind: "port"; readonly port: string; readonly at: number; readonly hostport: string }
  /** a host that opens with `[` and has no `]` */
  | { readonly kind: "bracket"; readonly at: number }
  /** no scheme and no `//`, and a `:` before the first `/` (RFC 3986 4.2: it would read as a scheme) */
  | { readonly kind: "colon"; readonly at: number };

export type AprUriParse = { readonly ok: true; readonly uri: AprUri } | { readonly ok: false; readonly fault: AprUriFault };

const isAlpha = (c: string | undefined) => c !== undefined && /^[A-Za-z]$/.test(c);
const isSchemeChar = (c: string | undefined) => c !== undefined && /^[A-Za-z0-9+.-]$/.test(c);

/** strtol(s, &end, 10) with *end == '\0': C-locale blanks, a sign, digits, nothing after. */
const STRTOL_WHOLE = /^[ \t\n\v\f\r]*[+-]?\d+$/;
const INT64_MAX = (1n << 63n) - 1n;

/** strtol's value (saturating at 64 bits) stored in an int and then in apr_port_t. */
export function aprPortValue(portStr: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(portStr);
  if (!m) return 0;
  let n = BigInt(m[1]!);
  if (n > INT64_MAX) n = INT64_MAX;
  else if (n < -INT64_MAX - 1n) n = -INT64_MAX - 1n;
  return Number(BigInt.asUintN(16, n));
}

/** apr_uri_parse(text): the parts, or why it returns APR_EGENERAL. */
export function aprUriParse(text: string): AprUriParse {
  if (text.startsWith("/")) {
    // `//host…` is an authority; `///x` a path
    return text[1] === "/" && text[2] !== "/" ? authority(text, null, 2) : pathOnly(text, null, 0);
  }
  let s = 0;
  if (isAlpha(text[0])) {
    s = 1;
    while (isSchemeChar(text[s])) s++;
  }
  const scheme = s > 0 && text[s] === ":" ? text.slice(0, s) : null;
  const rest = scheme === null ? 0 : s + 1;
  if (text[rest] !== "/" || text[rest + 1] !== "/") {
    if (scheme === null) {
      const slash = text.indexOf("/");
      const colon = text.indexOf(":");
      if (colon !== -1 && (slash === -1 || colon < slash)) return { ok: false, fault: { kind: "colon", at: colon } };
    }
    return pathOnly(text, scheme, rest);
  }
  return authority(text, scheme, rest + 2);
}

function pathOnly(text: string, scheme: string | null, from: number): AprUriParse {
  return { ok: true, uri: { scheme, hostinfo: null, hostname: null, hostAt: -1, ipv6: false, portStr: null, portAt: -1, port: 0, path: pathAt(text, from) } };
}

/** The path from `from` up to `?` or `#`; null when empty. */
function pathAt(text: string, from: number): string | null {
  let end = from;
  while (end < text.length && text[end] !== "?" && text[end] !== "#") end++;
  return end > from ? text.slice(from, end) : null;
}

function authority(text: string, scheme: string | null, from: number): AprUriParse {
  let end = from;
  while (end < text.length && !"/?#".includes(text[end]!)) end++;
  const hostinfo = text.slice(from, end);
  // userinfo ends at the last `@`
  const host = from + hostinfo.lastIndexOf("@") + 1;
  let colon: number;
  const ipv6 = text[host] === "[";
  if (ipv6) {
    const close = text.indexOf("]", host);
    if (close === -1 || close >= end) return { ok: false, fault: { kind: "bracket", at: host } };
    colon = text[close + 1] === ":" ? close + 1 : -1;
  } else {
    colon = text.indexOf(":", host);
    if (colon >= end) colon = -1;
  }
  const cut = ipv6 ? 1 : 0;
  const path = pathAt(text, end);
  if (colon === -1) {
    const hostname = text.slice(host + cut, end - cut);
    return { ok: true, uri: { scheme, hostinfo, hostname, hostAt: host + cut, ipv6, portStr: null, portAt: -1, port: 0, path } };
  }
  const portStr = text.slice(colon + 1, end);
  if (portStr !== "" && !STRTOL_WHOLE.test(portStr)) return { ok: false, fault: { kind: "port", port: portStr, at: colon + 1, hostport: text.slice(host, end) } };
  const hostname = text.slice(host + cut, colon - cut);
  return { ok: true, uri: { scheme, hostinfo, hostname, hostAt: host + cut, ipv6, portStr, portAt: colon + 1, port: aprPortValue(portStr), path } };
}

const IPV6_BARE = /^[0-9a-f]*:[0-9a-f.]*:[0-9a-f:.]*$/i;

/** A word left where a value was to go: `APP_PORT`, `<port>`, `{port}`, `<your-domain>`. */
const PLACEHOLDER = /^(?:<[^<>]*>|\{[^{}]*\}|[A-Z][A-Z0-9_]*)$/;

export function isPlaceholder(word: string): boolean {
  return PLACEHOLDER.test(word);
}

/** What is wrong with a port that is not a number, for a message: `APP_PORT` is a placeholder. */
export function portProblem(port: string): string {
  if (port === "") return "the host's `:` has no port after it";
  return isPlaceholder(port) ? `\`${port}\` is not a port number: replace the placeholder` : `\`${port}\` is not a port number`;
}

/**
 * Why apr_uri_parse refuses `text`, for a message. `scheme` is the one to suggest when none is
 * written (`http` for a proxy, `https` for an ACME server).
 */
export function describeUriFault(text: string, fault: AprUriFault, scheme: string): string {
  switch (fault.kind) {
    case "port":
      // `http://::1/` fails on its port: the first `:` of an IPv6 address without brackets starts it
      if (IPV6_BARE.test(fault.hostport)) return `\`${fault.hostport}\` is an IPv6 address without brackets, so its first \`:\` starts the port: write \`[${fault.hostport}]\``;
      return portProblem(fault.port);
    case "bracket":
      return `\`${text.slice(fault.at)}\` opens an IPv6 address with \`[\` and no \`]\` closes it`;
    case "colon":
      return `\`${text}\` has no scheme, so its \`:\` cannot be read: write \`${scheme}://${text}\``;
  }
}
