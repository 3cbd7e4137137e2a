// Directives outside ProxyPass whose module parses a URL argument at startup and refuses a bad
// one (apache2 -t stops): which argument is the URL, the parser it goes through, what the module
// requires on top, and Apache's words. Read from the 2.4.71 sources named per row and measured
// with apache2 -t (every form in test/rules/url-invalid.test.ts is judged live).
import { aprUriParse, describeUriFault, isPlaceholder, portProblem, type AprUri } from "./uri.js";
import { LDAP_MODE_REFUSED, LDAP_MODES, ldapUrlFault, type LdapUrlFault } from "./ldap-url.js";

/** The parsers, each a module function (see the functions below). */
export type UrlParser = "apr_uri_parse" | "cache_key_base_url" | "md_abs_uri" | "md_abs_http_uri" | "proxy_remote" | "apr_ldap_url_parse";

export interface UrlReader {
  /** the directive, as the manual spells it */
  readonly name: string;
  /** where the module reads it */
  readonly source: string;
  /** index of the URL argument; "every": each argument is one (TAKE_ARGV) */
  readonly url: number | "every";
  readonly parser: UrlParser;
  /**
   * Apache's message per refusal the parser reports, `{url}` standing for the argument and
   * `{reason}` for the parser's own words.
   */
  readonly says: Readonly<Record<string, string>>;
  /** the scheme to suggest when none is written */
  readonly scheme: string;
}

/** Keyed by lower-cased directive name. */
export const URL_READERS: Readonly<Record<string, UrlReader>> = {
  sslocspproxyurl: {
    name: "SSLOCSPProxyURL",
    source: "modules/ssl/ssl_engine_config.c ssl_cmd_SSLOCSPProxyURL: apr_uri_parse only",
    url: 0,
    parser: "apr_uri_parse",
    says: { unparsable: "SSLOCSPProxyURL: Cannot parse URL {url}" },
    scheme: "http",
  },
  cachekeybaseurl: {
    name: "CacheKeyBaseURL",
    source: "modules/cache/mod_cache.c set_cache_key_base_url: apr_uri_parse, then a scheme, a host or a port",
    url: 0,
    parser: "cache_key_base_url",
    says: {
      unparsable: "Could not parse '{url}' as an URL.",
      "path-only": "URL '{url}' must contain at least one of a scheme, a hostname or a port.",
    },
    scheme: "http",
  },
  mdhttpproxy: {
    name: "MDHttpProxy",
    source: "modules/md/mod_md_config.c md_config_set_http_proxy: md_util_abs_http_uri_check (md_util.c)",
    url: 0,
    parser: "md_abs_http_uri",
    says: { md: "{reason}" },
    scheme: "http",
  },
  mdcertificateauthority: {
    name: "MDCertificateAuthority",
    source: "modules/md/mod_md_config.c md_config_set_ca: md_get_ca_url_from_name, a known name or md_util_abs_uri_check",
    url: "every",
    parser: "md_abs_uri",
    says: {
      md: "The CA name '{url}' is not known and it is not a URL either ({reason}). Known CA names are: LetsEncrypt LetsEncrypt-Test Buypass Buypass-Test.",
    },
    scheme: "https",
  },
  proxyremote: {
    name: "ProxyRemote",
    source: "modules/proxy/mod_proxy.c add_proxy: `scheme://host[:port]`, the port read with sscanf %u",
    url: 1,
    parser: "proxy_remote",
    says: { syntax: "ProxyRemote: Bad syntax for a remote proxy server", port: "ProxyRemote: Bad syntax for a remote proxy server (bad port number)" },
    scheme: "http",
  },
  proxyremotematch: {
    name: "ProxyRemoteMatch",
    source: "modules/proxy/mod_proxy.c add_proxy (regex): the URL is checked before the pattern is compiled",
    url: 1,
    parser: "proxy_remote",
    says: {
      syntax: "ProxyRemoteMatch: Bad syntax for a remote proxy server",
      port: "ProxyRemoteMatch: Bad syntax for a remote proxy server (bad port number)",
    },
    scheme: "http",
  },
  authldapurl: {
    name: "AuthLDAPURL",
    source: "modules/aaa/mod_authnz_ldap.c mod_auth_ldap_parse_url: apr_ldap_url_parse, then the connection mode",
    url: 0,
    parser: "apr_ldap_url_parse",
    says: { ldap: "{reason}", mode: LDAP_MODE_REFUSED },
    scheme: "ldap",
  },
};

/** md_get_ca_url_from_name's KNOWN_CAs, compared without case. */
export const MD_KNOWN_CAS: readonly string[] = ["LetsEncrypt", "LetsEncrypt-Test", "Buypass", "Buypass-Test"];

/** A refusal: which of the reader's messages Apache prints, the parser's reason, and what to tell the user. */
export interface UrlRefusal {
  readonly refusal: string;
  readonly reason?: string;
  readonly what: string;
  /** the refused word is the argument after the URL (AuthLDAPURL's mode) */
  readonly next?: boolean;
}

/** The words a reader is given: the URL and, for AuthLDAPURL, the mode after it. */
export interface UrlWords {
  readonly url: string;
  readonly next?: string;
}

type Read = (words: UrlWords, reader: UrlReader) => UrlRefusal | null;

function aprUri({ url }: UrlWords, reader: UrlReader): UrlRefusal | null {
  const r = aprUriParse(url);
  return r.ok ? null : { refusal: "unparsable", what: describeUriFault(url, r.fault, reader.scheme) };
}

function cacheKeyBaseUrl(words: UrlWords, reader: UrlReader): UrlRefusal | null {
  const r = aprUriParse(words.url);
  if (!r.ok) return { refusal: "unparsable", what: describeUriFault(words.url, r.fault, reader.scheme) };
  const { scheme, hostname, portStr } = r.uri;
  if (scheme !== null || hostname !== null || portStr !== null) return null;
  return { refusal: "path-only", what: `\`${words.url}\` is read as a path, with no scheme, host or port: write \`${reader.scheme}://${words.url.replace(/^\/+/, "")}\`` };
}

/** md_dns_is_name(p, name, 0): ASCII letters, digits, `-` and `.`, no empty label inside. */
const isDnsName = (name: string) => /^[A-Za-z0-9.-]*$/.test(name) && !name.includes("..");

/** The hostname and port checks mod_md makes of an http(s) URL, the port's last (it wins). */
function mdHostAndPort(url: string, uri: AprUri): Omit<UrlRefusal, "refusal"> | null {
  let found: Omit<UrlRefusal, "refusal"> | null = null;
  const host = uri.hostname;
  if (host === null) found = { reason: "missing hostname", what: `\`${url}\` has no host: the scheme's \`:\` is followed by \`//host\`` };
  else if (!isDnsName(host)) {
    const what = uri.ipv6
      ? `mod_md takes no IPv6 address (\`[${host}]\`): use a host name`
      : isPlaceholder(host)
        ? `\`${host}\` is a placeholder, not a host name: replace the placeholder`
        : `\`${host}\` is not a host name (letters, digits, \`-\` and \`.\`)`;
    found = { reason: "invalid hostname", what };
  }
  const port = uri.portStr;
  // the port is the 16-bit apr_port_t; mod_md's bound is 65353, not 65535
  if (port !== null && (!/^\d/.test(port) || uri.port === 0 || uri.port > 65353)) {
    const what = /^\d/.test(port) ? `port \`${port}\` is outside 1-65353, the ports mod_md takes` : portProblem(port);
    found = { reason: "invalid port", what };
  }
  return found;
}

/** md_util_abs_uri_check (MDCertificateAuthority) and md_util_abs_http_uri_check (MDHttpProxy). */
function mdUri(url: string, httpOnly: boolean, reader: UrlReader): Omit<UrlRefusal, "refusal"> | null {
  let found: Omit<UrlRefusal, "refusal"> | null = null;
  const r = aprUriParse(url);
  if (!r.ok) found = { reason: "not an uri", what: describeUriFault(url, r.fault, reader.scheme) };
  else if (r.uri.scheme === null) found = { reason: "missing uri scheme", what: `\`${url}\` has no scheme: write \`${reader.scheme}://${url.replace(/^\/+/, "")}\`` };
  else {
    const scheme = r.uri.scheme;
    if (scheme.length + 1 >= url.length) found = { reason: "missing uri identifier", what: `\`${url}\` has nothing after the scheme` };
    else if (httpOnly) {
      if (!/^https?$/i.test(scheme)) found = { reason: "uri scheme must be http or https", what: `\`${scheme}:\` is not a scheme MDHttpProxy takes: use http or https` };
      else found = mdHostAndPort(url, r.uri);
    } else if (scheme.startsWith("http")) found = mdHostAndPort(url, r.uri);
    else if (scheme === "mailto") found = mailto(url, r.uri);
  }
  // the last check, and it overrides every other
  if (/[ \t]/.test(url)) found = { reason: "whitespace in uri", what: `\`${url}\` has a blank in it` };
  return found;
}

function mailto(url: string, uri: AprUri): Omit<UrlRefusal, "refusal"> | null {
  const at = url.indexOf("@");
  const bad = (reason: string) => ({ reason, what: `\`${url}\` is not a mail address mod_md takes (${reason})` });
  if (at === -1) return bad("missing @");
  if (url.includes("@", at + 1)) return bad("duplicate @");
  // `mailto://a@b` has no path: the C compares with a NULL path and passes
  if (uri.path === null) return null;
  const pathAt = url.indexOf(":") + 1;
  if (at === pathAt) return bad("missing local part");
  if (at - pathAt === uri.path.length - 1) return bad("missing hostname");
  if (url.includes("..")) return bad("double period");
  return null;
}

function mdHttpProxy({ url }: UrlWords, reader: UrlReader): UrlRefusal | null {
  const found = mdUri(url, true, reader);
  return found && { refusal: "md", ...found };
}

function mdCertificateAuthority({ url }: UrlWords, reader: UrlReader): UrlRefusal | null {
  if (MD_KNOWN_CAS.some((n) => n.toLowerCase() === url.toLowerCase())) return null;
  const found = mdUri(url, false, reader);
  if (!found) return null;
  // a bare word is a CA name mod_md does not know rather than a URL without scheme
  if (found.reason === "missing uri scheme" && /^[A-Za-z0-9_-]+$/.test(url))
    return { refusal: "md", reason: found.reason, what: `\`${url}\` is not a CA name mod_md knows (${MD_KNOWN_CAS.join(", ")}): give one of those or the CA's ACME directory URL (\`https://…/directory\`)` };
  return { refusal: "md", ...found };
}

/** sscanf(s, "%u", &port) == 1 into an int: the value, or null when no number is read. */
function scanUnsigned(s: string): number | null {
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d+)/.exec(s);
  if (!m) return null;
  const max = (1n << 64n) - 1n;
  let n = BigInt(m[2]!);
  // strtoul: saturates at ULONG_MAX, a `-` negates modulo 2^64
  n = n > max ? max : m[1] === "-" ? BigInt.asUintN(64, -n) : n;
  return Number(BigInt.asIntN(32, n));
}

function proxyRemote({ url }: UrlWords, reader: UrlReader): UrlRefusal | null {
  const p = url.indexOf(":");
  if (p === -1 || url[p + 1] !== "/" || url[p + 2] !== "/" || p + 3 >= url.length) {
    const what =
      p === -1 || /^\d/.test(url.slice(p + 1))
        ? `\`${url}\` has no scheme: write \`${reader.scheme}://${url}\``
        : url.slice(p + 1) === "//"
          ? `\`${url}\` has no host after \`//\``
          : `\`${url}\`: a scheme is followed by \`://\``;
    return { refusal: "syntax", what };
  }
  // the port is whatever follows the next `:`, wherever it is
  const q = url.indexOf(":", p + 3);
  if (q === -1) return null;
  const value = scanUnsigned(url.slice(q + 1));
  if (value !== null && value <= 65535) return null;
  const hostStart = p + 3;
  const hostLength = url.slice(hostStart).search(/[/?#]/);
  const hostEnd = hostLength === -1 ? url.length : hostStart + hostLength;
  const port = url.slice(q + 1, Math.max(q + 1, hostEnd));
  const reads = `${reader.name} reads the port after the first \`:\` behind \`//\``;
  let what: string;
  if (url[hostStart] === "[") what = `${reads}, so it takes no IPv6 address: use a host name`;
  else if (q >= hostEnd) what = `${reads}, here one in \`${url.slice(hostEnd)}\`: a remote proxy is \`scheme://host[:port]\``;
  else if (url.indexOf("@", q) !== -1 && url.indexOf("@", q) < hostEnd) what = `${reads}, so it takes no \`user:password@\``;
  else if (value !== null) what = `port \`${port}\` is above 65535`;
  else what = portProblem(port);
  return { refusal: "port", what };
}

function ldapWhat(f: LdapUrlFault, url: string, reader: UrlReader): string {
  switch (f.kind) {
    case "scheme": {
      if (!url.includes(":")) return `\`${url}\` has no scheme: write \`${reader.scheme}://${url}\` (or \`ldaps://\`)`;
      if (/^<?(?:url:)?ldap[si]?:/i.test(url)) return `\`${url}\`: the scheme is followed by \`//\``;
      return `\`${url}\` is not an LDAP URL: AuthLDAPURL takes \`ldap://\`, \`ldaps://\` or \`ldapi://\``;
    }
    case "enclosure":
      return `\`${url}\` opens with \`<\` and does not end with \`>\``;
    case "ipv6":
      return `\`${f.part}\` opens an IPv6 address with \`[\` and no \`]\` closes it`;
    case "port":
      return `\`${f.part}\`: the host's \`:\` has no port after it`;
    case "scope":
      return isPlaceholder(f.part)
        ? `\`${f.part}\` is not a search scope: replace the placeholder with base, one or sub`
        : `\`${f.part}\` is not a search scope: base, one or sub`;
    case "filter":
      return `the filter \`${f.part}\` is empty once its \`%\` escapes are decoded`;
    case "extensions":
      return "the extensions after the fourth `?` are empty: remove that `?` or name an extension";
    case "too-many-parts":
      return `\`${url}\` has more than four \`?\`: an LDAP URL is \`ldap://host/basedn?attribute?scope?filter?extensions\``;
  }
}

function ldapUrl({ url, next }: UrlWords, reader: UrlReader): UrlRefusal | null {
  const f = ldapUrlFault(url);
  if (f) return { refusal: "ldap", reason: f.reason, what: ldapWhat(f, url, reader) };
  // TAKE12 passes an empty second word as none
  if (next === undefined || next === "" || LDAP_MODES.some((m) => m.toLowerCase() === next.toLowerCase())) return null;
  const what = /[./=:]/.test(next)
    ? `\`${next}\` is read as the connection mode (NONE, SSL, TLS or STARTTLS): to give several LDAP servers, quote the whole URL with the hosts separated by spaces (\`"ldap://host1 host2/dc=…"\`)`
    : `\`${next}\` is not a connection mode: NONE, SSL, TLS or STARTTLS`;
  return { refusal: "mode", what, next: true };
}

const READ: Readonly<Record<UrlParser, Read>> = {
  apr_uri_parse: aprUri,
  cache_key_base_url: cacheKeyBaseUrl,
  md_abs_uri: mdCertificateAuthority,
  md_abs_http_uri: mdHttpProxy,
  proxy_remote: proxyRemote,
  apr_ldap_url_parse: ldapUrl,
};

/** What the reader's module refuses in these words, or null when it accepts them. */
export function readUrl(reader: UrlReader, words: UrlWords): UrlRefusal | null {
  return READ[reader.parser](words, reader);
}

/** Apache's message for a refusal. */
export function apacheSays(reader: UrlReader, url: string, r: UrlRefusal): string {
  return reader.says[r.refusal]!.replace("{url}", url).replace("{reason}", r.reason ?? "");
}
