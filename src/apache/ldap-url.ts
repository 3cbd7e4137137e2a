// apr_ldap_url_parse as mod_authnz_ldap's AuthLDAPURL runs it (apr-util 1.6, ldap/apr_ldap_url.c,
// derived from OpenLDAP's): `[<][URL:]ldap[s|i]://hosts[:port][/basedn[?attrs[?scope[?filter[?exts]]]]][>]`.
// Its own parser, not apr_uri_parse: the port is read with atoi (`ldap://h:APP_PORT` passes), the
// hosts may be a space-separated list. Each refusal's reason is Apache's message, verbatim.

/** What in the URL apr_ldap_url_parse refuses, with its reason (Apache prints it as the whole message). */
export interface LdapUrlFault {
  readonly kind: "scheme" | "enclosure" | "ipv6" | "port" | "scope" | "filter" | "extensions" | "too-many-parts";
  readonly reason: string;
  /** the part refused, as written */
  readonly part: string;
}

const REASON: Record<LdapUrlFault["kind"], string> = {
  scheme: "The scheme was not recognised as a valid LDAP URL scheme.",
  enclosure: "Bad enclosure error while parsing LDAP URL.",
  ipv6: "Bad LDAP URL while parsing IPV6 syntax.",
  port: "Bad LDAP URL while parsing.",
  scope: "Bad scope encountered while parsing LDAP URL.",
  filter: "Bad filter encountered while parsing LDAP URL.",
  extensions: "Bad extensions encountered while parsing LDAP URL.",
  "too-many-parts": "Bad URL encountered while parsing LDAP URL.",
};

/** skip_url_prefix: the schemes it knows, compared without case. */
export const LDAP_SCHEMES = ["ldap://", "ldaps://", "ldapi://"] as const;

/** str2scope, without case. */
const SCOPES: ReadonlySet<string> = new Set(["one", "onetree", "base", "sub", "subtree"]);

/** apr_ldap_pvt_unhex: any character after `%` counts, as in the C. */
function unhex(c: number): number {
  return c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 70 ? c - 55 : c - 87;
}

/** apr_ldap_pvt_hex_unescape, cut at the first NUL as the C string is. */
function hexUnescape(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== "%") {
      out += s[i];
      continue;
    }
    if (++i >= s.length) break;
    const hi = unhex(s.charCodeAt(i)) << 4;
    // a lone digit after `%` is written and then overwritten by the closing NUL
    if (++i >= s.length) break;
    out += String.fromCharCode((hi + unhex(s.charCodeAt(i))) & 0xff);
  }
  const nul = out.indexOf("\0");
  return nul === -1 ? out : out.slice(0, nul);
}

const fault = (kind: LdapUrlFault["kind"], part: string): LdapUrlFault => ({ kind, reason: REASON[kind], part });

/** apr_ldap_url_parse(url): null when it succeeds, else what it refuses. */
export function ldapUrlFault(url: string): LdapUrlFault | null {
  let p = url;
  const enclosed = p.startsWith("<");
  if (enclosed) p = p.slice(1);
  if (p.slice(0, 4).toLowerCase() === "url:") p = p.slice(4);
  const prefix = LDAP_SCHEMES.find((s) => p.slice(0, s.length).toLowerCase() === s);
  if (!prefix) return fault("scheme", url);
  p = p.slice(prefix.length);
  if (enclosed) {
    if (!p.endsWith(">")) return fault("enclosure", url);
    p = p.slice(0, -1);
  }
  const slash = p.indexOf("/");
  const hostport = slash === -1 ? p : p.slice(0, slash);
  let afterHost = hostport;
  if (hostport.startsWith("[")) {
    const close = hostport.indexOf("]");
    if (close === -1) return fault("ipv6", hostport);
    afterHost = hostport.slice(close + 1);
  }
  const colon = afterHost.lastIndexOf(":");
  if (colon !== -1 && hexUnescape(afterHost.slice(colon + 1)) === "") return fault("port", hostport);
  if (slash === -1) return null;
  // basedn ? attributes ? scope ? filter ? extensions
  const parts = p.slice(slash + 1).split("?");
  if (parts.length > 5) return fault("too-many-parts", url);
  const [, , scope, filter, exts] = parts;
  if (scope !== undefined && scope !== "" && !SCOPES.has(hexUnescape(scope).toLowerCase())) return fault("scope", scope);
  if (filter !== undefined && filter !== "" && hexUnescape(filter) === "") return fault("filter", filter);
  // apr_str2charray skips empty tokens: at least one extension must be left
  if (exts !== undefined && !exts.split(",").some((e) => e !== "")) return fault("extensions", exts);
  return null;
}

/** mod_auth_ldap_parse_url's connection modes, compared without case. */
export const LDAP_MODES: readonly string[] = ["NONE", "SSL", "TLS", "STARTTLS"];

export const LDAP_MODE_REFUSED = "Invalid LDAP connection mode setting: must be one of NONE, SSL, or TLS/STARTTLS";
