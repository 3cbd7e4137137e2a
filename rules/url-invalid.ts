import type { Directive } from "../grammar/index.js";
import { arityAccepts, isCounted } from "../src/apache/arity.js";
import { directiveInfo } from "../src/apache/directives.js";
import { refusalIn } from "../src/apache/file-kind.js";
import { apacheSays, readUrl, URL_READERS, type UrlReader } from "../src/apache/url-readers.js";
import { defineRule, type RuleContext } from "../src/core/rule.js";

function check(ctx: RuleContext, d: Directive, reader: UrlReader): void {
  const args = d.args;
  const arity = directiveInfo(d.name)?.arity;
  // a wrong count, a trailing comment, an unclosed quote and ${VAR} (known only after Define) are other rules' findings
  if (!arity || args.length === 0 || d.trailingCommentIndex !== -1) return;
  if (isCounted(arity) && !arityAccepts(arity, args.length, (i) => args[i]!.value === "")) return;
  if (args.some((a) => a.unterminated || a.value.includes("${"))) return;
  const urls = reader.url === "every" ? args : args[reader.url] ? [args[reader.url]!] : [];
  for (const arg of urls) {
    const next = reader.url === "every" ? undefined : args[reader.url + 1];
    const refusal = readUrl(reader, { url: arg.value, next: next?.value });
    if (!refusal) continue;
    const at = refusal.next && next ? next : arg;
    ctx.report({ message: `${refusal.what}: ${refusalIn(ctx.fileKind)} ("${apacheSays(reader, arg.value, refusal)}").`, start: at.start, end: at.end });
    // Apache stops at the first word it refuses
    return;
  }
}

export default defineRule({
  id: "url-invalid",
  severity: "error",
  category: "correctness",
  description: "A URL argument its module refuses at startup: a placeholder port or host, no scheme, a scheme or mode it does not take",
  fixable: "none",
  doc: {
    problem:
      "A directive whose module parses its URL argument when the configuration is read is given one it refuses: " +
      "SSLOCSPProxyURL, CacheKeyBaseURL, MDHttpProxy, MDCertificateAuthority, ProxyRemote, ProxyRemoteMatch and AuthLDAPURL. " +
      "Typically a placeholder left in (`http://127.0.0.1:APP_PORT/`, `https://<your-domain>/directory`), a `host:port` without " +
      "its scheme, or the hosts of an AuthLDAPURL not quoted together.",
    bad:
      "SSLOCSPProxyURL http://127.0.0.1:APP_PORT/\nCacheKeyBaseURL www.example.com/\nMDCertificateAuthority https://<your-domain>/directory\n" +
      "ProxyRemote * proxy.example.com:8080\n<Directory \"/srv/private\">\n    AuthLDAPURL ldap://ldap1.example.com ldap2.example.com/dc=example,dc=com\n</Directory>",
    good:
      "SSLOCSPProxyURL http://127.0.0.1:8080/\nCacheKeyBaseURL http://www.example.com/\nMDCertificateAuthority https://acme.example.com/directory\n" +
      "ProxyRemote * http://proxy.example.com:8080\n<Directory \"/srv/private\">\n    AuthLDAPURL \"ldap://ldap1.example.com ldap2.example.com/dc=example,dc=com\"\n</Directory>",
    why:
      "Each of these handlers parses the URL while apache2 -t reads the line and stops with its own words. SSLOCSPProxyURL " +
      "(\"SSLOCSPProxyURL: Cannot parse URL …\") and CacheKeyBaseURL (\"Could not parse '…' as an URL.\") call apr_uri_parse, " +
      "which refuses a port strtol cannot read whole (`APP_PORT`, `80a`, `8080:90`), a `[` with no `]`, and a `:` before the first " +
      "`/` of a URL without scheme (`127.0.0.1:8080/`); CacheKeyBaseURL also wants a scheme, a host or a port (\"URL '…' must " +
      "contain at least one of a scheme, a hostname or a port.\"). mod_md's MDHttpProxy and MDCertificateAuthority add their own " +
      "checks after apr_uri_parse: a scheme (http or https only for MDHttpProxy), a host of letters, digits, `-` and `.` (so " +
      "`<your-domain>`, `a_b` and IPv6 addresses are refused), a port in 1-65353, no blanks; MDCertificateAuthority also takes " +
      "the names LetsEncrypt, LetsEncrypt-Test, Buypass and Buypass-Test. ProxyRemote and ProxyRemoteMatch read their second " +
      "word with a parser of their own: `scheme://` and something after it, then the port after the next `:` read by " +
      "sscanf (so `http://[::1]:8080` and `http://user:pw@proxy` are refused, `http://p:80abc` is taken as port 80). AuthLDAPURL " +
      "goes through apr_ldap_url_parse (ldap://, ldaps:// or ldapi://, a scope of base, one or sub, at most five `?` parts; the " +
      "port is read with atoi, so a placeholder there is not refused) and then its optional second word must be NONE, SSL, TLS or " +
      "STARTTLS: several hosts not quoted together make the second host the mode. Accepted forms stay quiet: IPv6 hosts in " +
      "brackets and user info for the apr_uri_parse readers, ports 0 and 65536 there (apr_uri_parse does not check the range), " +
      "a placeholder host where only apr_uri_parse reads it. A word holding `${VAR}` is left alone, the argument count is " +
      "directive-arity's finding. ProxyPass, ProxyPassMatch, BalancerMember and RewriteRule [P] URLs are proxy-url-malformed's.",
    versions: "All 2.4 releases; measured on Debian's apache2 2.4.71 (apr-util 1.6, mod_md 2.4).",
  },
  create(ctx) {
    const directive: Record<string, (d: Directive) => void> = {};
    for (const [key, reader] of Object.entries(URL_READERS)) directive[key] = (d) => check(ctx, d, reader);
    return { directive };
  },
});
