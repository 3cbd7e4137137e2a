// url-invalid: the rule tester, the parsers' models, then every measured form judged live by apache2 -t.
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import testedRule from "../../rules/url-invalid.js";
import { aprUriParse } from "../../src/apache/uri.js";
import { ldapUrlFault } from "../../src/apache/ldap-url.js";
import { makeServerRoot } from "../../src/tools/differential.js";
import { APACHE, apacheOrSkip } from "../apache/harness.js";
import { liveDisagreements } from "../helpers/live-agreement.js";
import { ruleTester } from "../helpers/rule-tester.js";

const CA = (url: string, reason: string) =>
  `("The CA name '${url}' is not known and it is not a URL either (${reason}). Known CA names are: LetsEncrypt LetsEncrypt-Test Buypass Buypass-Test.").`;
const dir = (line: string) => `<Directory "/tmp">\n${line}\n</Directory>\n`;

ruleTester(testedRule, {
  valid: [
    // apr_uri_parse takes IPv6 in brackets, user info, an empty port, ports it does not range-check, a placeholder host
    "SSLOCSPProxyURL http://[::1]:8080/\nSSLOCSPProxyURL http://u:p@h:81/\nSSLOCSPProxyURL http://h:/\nSSLOCSPProxyURL http://h:0/\n",
    "SSLOCSPProxyURL http://h:65536/\nSSLOCSPProxyURL http://<your-domain>:8080/\nSSLOCSPProxyURL localhost:8080/\nSSLOCSPProxyURL 127.0.0.1/x\n",
    "CacheKeyBaseURL //www.example.com\nCacheKeyBaseURL http:\nCacheKeyBaseURL http://<your-domain>/\n",
    "MDHttpProxy http://proxy.example.com:8080\nMDHttpProxy HTTPS://127.0.0.1\nMDHttpProxy http://proxy.example.com:65353/\n",
    "MDCertificateAuthority letsencrypt\nMDCertificateAuthority LetsEncrypt Buypass-Test\nMDCertificateAuthority ftp://a_b:0/\nMDCertificateAuthority urn:x:y\n",
    "ProxyRemote * http://p:8080\nProxyRemote * http://p:80abc\nProxyRemote * http://<your-domain>:8080\nProxyRemote * socks5://p:1080\nProxyRemote * http://u@h:8080\n",
    "ProxyRemoteMatch ^x http://p:-1\nProxyRemote * http://p:8080/x:y\n",
    dir('AuthLDAPURL "ldap://ldap1.example.com ldap2.example.com/dc=example,dc=com" TLS'),
    dir("AuthLDAPURL ldap://ldap.example.com:APP_PORT/dc=x\nAuthLDAPURL ldap://<your-domain>/dc=x?uid?one?(a=b)\nAuthLDAPURL <URL:ldaps://[::1]/dc=x>"),
    dir('AuthLDAPURL ldap://h/dc=x ""'),
    // ${VAR} is known after Define only; the argument count is directive-arity's
    "Define P x\nSSLOCSPProxyURL http://h:${P}/\nSSLOCSPProxyURL a b\nMDHttpProxy http://h:x/ # comment\n",
  ],
  invalid: [
    {
      name: "placeholders (the differential's cases)",
      code: "SSLOCSPProxyURL http://127.0.0.1:APP_PORT/\nCacheKeyBaseURL http://www.example.com:APP_PORT/\nMDHttpProxy http://<your-domain>:8080/\nMDCertificateAuthority https://acme.example.com:APP_PORT/directory\nProxyRemote * http://p:APP_PORT\n",
      findings: [
        {
          line: 1,
          column: 17,
          covers: "http://127.0.0.1:APP_PORT/",
          severity: "error",
          fix: "none",
          message: { exact: '`APP_PORT` is not a port number: replace the placeholder: Apache refuses to start ("SSLOCSPProxyURL: Cannot parse URL http://127.0.0.1:APP_PORT/").' },
        },
        { line: 2, column: 17, message: { exact: "`APP_PORT` is not a port number: replace the placeholder: Apache refuses to start (\"Could not parse 'http://www.example.com:APP_PORT/' as an URL.\")." } },
        { line: 3, column: 13, message: { exact: '`<your-domain>` is a placeholder, not a host name: replace the placeholder: Apache refuses to start ("invalid hostname").' } },
        { line: 4, column: 24, message: { exact: `\`APP_PORT\` is not a port number: replace the placeholder: Apache refuses to start ${CA("https://acme.example.com:APP_PORT/directory", "not an uri")}` } },
        { line: 5, column: 15, message: { exact: '`APP_PORT` is not a port number: replace the placeholder: Apache refuses to start ("ProxyRemote: Bad syntax for a remote proxy server (bad port number)").' } },
      ],
    },
    {
      name: "no scheme",
      code: "SSLOCSPProxyURL 127.0.0.1:8080/\nCacheKeyBaseURL www.example.com/\nMDHttpProxy proxy.example.com\nMDCertificateAuthority acme.example.com/directory\nProxyRemoteMatch ^x p:8080\nMDCertificateAuthority ZeroSSL\n",
      findings: [
        { line: 1, column: 17, message: { exact: '`127.0.0.1:8080/` has no scheme, so its `:` cannot be read: write `http://127.0.0.1:8080/`: Apache refuses to start ("SSLOCSPProxyURL: Cannot parse URL 127.0.0.1:8080/").' } },
        { line: 2, column: 17, message: { exact: "`www.example.com/` is read as a path, with no scheme, host or port: write `http://www.example.com/`: Apache refuses to start (\"URL 'www.example.com/' must contain at least one of a scheme, a hostname or a port.\")." } },
        { line: 3, column: 13, message: { exact: '`proxy.example.com` has no scheme: write `http://proxy.example.com`: Apache refuses to start ("missing uri scheme").' } },
        { line: 4, column: 24, message: { exact: `\`acme.example.com/directory\` has no scheme: write \`https://acme.example.com/directory\`: Apache refuses to start ${CA("acme.example.com/directory", "missing uri scheme")}` } },
        { line: 5, column: 21, message: { exact: '`p:8080` has no scheme: write `http://p:8080`: Apache refuses to start ("ProxyRemoteMatch: Bad syntax for a remote proxy server").' } },
        { line: 6, column: 24, message: "`ZeroSSL` is not a CA name mod_md knows (LetsEncrypt, LetsEncrypt-Test, Buypass, Buypass-Test)" },
      ],
    },
    {
      name: "AuthLDAPURL: its hosts not quoted together, a scheme, a scope; the column is the word refused",
      code: dir("AuthLDAPURL ldap://ldap1.example.com:APP_PORT ldap2.example.com/dc=...\nAuthLDAPURL ldap1.example.com ldap2.example.com/dc=...\nAuthLDAPURL ldap://h/dc=x?uid?onelevel\nAuthLDAPURL ldap://h/dc=x bogus"),
      findings: [
        {
          line: 2,
          column: 47,
          covers: "ldap2.example.com/dc=...",
          message: {
            exact:
              '`ldap2.example.com/dc=...` is read as the connection mode (NONE, SSL, TLS or STARTTLS): to give several LDAP servers, quote the whole URL with the hosts separated by spaces (`"ldap://host1 host2/dc=…"`): Apache refuses to start ("Invalid LDAP connection mode setting: must be one of NONE, SSL, or TLS/STARTTLS").',
          },
        },
        { line: 3, column: 13, covers: "ldap1.example.com", message: { exact: '`ldap1.example.com` has no scheme: write `ldap://ldap1.example.com` (or `ldaps://`): Apache refuses to start ("The scheme was not recognised as a valid LDAP URL scheme.").' } },
        { line: 4, column: 13, message: { exact: '`onelevel` is not a search scope: base, one or sub: Apache refuses to start ("Bad scope encountered while parsing LDAP URL.").' } },
        { line: 5, column: 27, covers: "bogus", message: "`bogus` is not a connection mode: NONE, SSL, TLS or STARTTLS" },
      ],
    },
    {
      name: ".htaccess: 500 instead of a refused start",
      path: "site/.htaccess",
      code: "AuthLDAPURL http://ldap.example.com/\n",
      findings: [{ line: 1, column: 13, message: { exact: '`http://ldap.example.com/` is not an LDAP URL: AuthLDAPURL takes `ldap://`, `ldaps://` or `ldapi://`: Apache answers 500 for every request this .htaccess applies to ("The scheme was not recognised as a valid LDAP URL scheme.").' } }],
    },
    {
      name: "IPv6 where a module takes none, and one without brackets",
      code: "ProxyRemote * http://[::1]:8080\nMDHttpProxy http://[::1]:8080/\nSSLOCSPProxyURL http://::1/\nSSLOCSPProxyURL http://[::1/\n",
      findings: [
        { line: 1, column: 15, message: "ProxyRemote reads the port after the first `:` behind `//`, so it takes no IPv6 address: use a host name" },
        { line: 2, column: 13, message: "mod_md takes no IPv6 address (`[::1]`): use a host name" },
        { line: 3, column: 17, message: "`::1` is an IPv6 address without brackets, so its first `:` starts the port: write `[::1]`" },
        { line: 4, column: 17, message: "`[::1/` opens an IPv6 address with `[` and no `]` closes it" },
      ],
    },
  ],
});

describe("the parsers' models", () => {
  it("apr_uri_parse: the parts and the port as apr_port_t", () => {
    const r = aprUriParse("http://u:p@[::1]:131152/x?q");
    expect(r.ok && [r.uri.scheme, r.uri.hostname, r.uri.portStr, r.uri.port, r.uri.path]).toEqual(["http", "::1", "131152", 80, "/x"]);
    expect(aprUriParse("a/b:c").ok).toBe(true);
    expect(aprUriParse("?a:b")).toEqual({ ok: false, fault: { kind: "colon", at: 2 } });
    expect(aprUriParse("//h:x/")).toMatchObject({ ok: false, fault: { kind: "port", port: "x" } });
    expect(aprUriParse("///h:x/").ok).toBe(true);
  });

  it("apr_ldap_url_parse: Apache's reasons", () => {
    expect(ldapUrlFault("ldap://h/dc=x?uid?s%75b")).toBeNull();
    expect(ldapUrlFault("ldap://h:%00/dc=x")?.reason).toBe("Bad LDAP URL while parsing.");
    expect(ldapUrlFault("ldap://h/dc=x????")?.reason).toBe("Bad extensions encountered while parsing LDAP URL.");
    expect(ldapUrlFault("ldap://h/dc=x?????")?.reason).toBe("Bad URL encountered while parsing LDAP URL.");
    expect(ldapUrlFault("<ldap://h/dc=x")?.reason).toBe("Bad enclosure error while parsing LDAP URL.");
  });
});

/** Every form measured on 2.4.71: what each module refuses and what it takes. */
const APR_URI = [
  "http://h:APP_PORT/", "http://h:/", "http://h:0/", "http://h:65535/", "http://h:65536/", "http://h:99999999999999999999999/",
  "http://h:-1/", "http://h:+80/", '"http://h: 80/"', "http://h:80a/", "http://h:0x50/", "http://[::1]:8080/", "http://[::1]/",
  "http://[::1/", "http://[::1]x/", "http://[::1]:x/", "http://::1/", "http://u:p@h:81/", "http://u:p@h:xx/", "http://a@b@h/",
  "http://<your-domain>/", "http://<your-domain>:8080/", "http://h:{port}/", "http://h:<port>/", "http:///x", "http://", "http:",
  "http:/x", "http:x:y", "h:8080", "localhost:8080/", "127.0.0.1/x", "127.0.0.1:8080", "a/b:c", "/a:b", "//h:80/", "//h:x/",
  "///h:x/", "x", "1x:80", "a_b:80", "a+b.c-d:80", "<your-domain>:8080", ":8080", "?a:b", "a?b:c", "a?b/c:d",
  "http://h/p:q", "http://h?x:y", "http://h:80?x", "http://h:8%30/", '"http://h :80/"', "http://h:8080:90/", "http://[]:80/",
  "http://h]:80/", "http://[h:80/", "http://[::1]@h:x/", "ws://h:1x", "2001:db8::1", "http://2001:db8::1/",
];
const FORMS: string[][] = [
  ...APR_URI.map((u) => [`SSLOCSPProxyURL ${u}`]),
  ...["http://www.example.com/", "http://www.example.com:APP_PORT/", "www.example.com/", "www.example.com", "/path", "//www.example.com",
    "//:80", "//", "http:", "localhost:8080", "127.0.0.1:8080", "http://[::1]:8080/", "?x", "http:///"].map((u) => [`CacheKeyBaseURL ${u}`]),
  ["<VirtualHost *:80>", "CacheKeyBaseURL www.example.com/", "</VirtualHost>"],
  ...["http://proxy.example.com:8080/", "https://proxy.example.com", "HTTP://proxy.example.com", "http://proxy.example.com:0/",
    "http://proxy.example.com:65353/", "http://proxy.example.com:65354/", "http://proxy.example.com:65536/", "http://proxy.example.com:-1/",
    "http://proxy.example.com:+80/", "http://proxy.example.com:/", "http://proxy.example.com:99999999999/", "http://h:131152",
    "http://h:9223372036854775807", "http://h:18446744073709551696", "http://[::1]:8080/", "http://127.0.0.1:8080/",
    "http://u:p@proxy.example.com:8080/", "http://proxy_x.example.com/", "http://a..b/", "http://proxy./", "http://.a/", "http:///x",
    "http://", "http:", "http:x", "socks5://proxy:1080", "ftp://h:0", "proxy.example.com", "/x", "//proxy.example.com:8080/",
    "http://<your-domain>:8080/", '"http://h /"', '"http://h:x /"', "http://h:80a", "http://-h/", "http://é/", "127.0.0.1:8080",
    "localhost:8080", "http1://h/", "http://h_x:0"].map((u) => [`MDHttpProxy ${u}`]),
  ...["letsencrypt", "LetsEncrypt-Test", "buypass-test", "LetsEncrypt Buypass", "ZeroSSL", "https://acme-v02.api.letsencrypt.org/directory",
    "https://acme.example.com:8443/directory", "https://acme.example.com:0/directory", "https://acme.example.com:65354/directory",
    "https://acme.example.com:/directory", "https://[::1]/directory", "https://127.0.0.1/directory", "httpx://acme_x/directory",
    "ftp://acme_x/directory", "ftp://a:x/", "urn:x:y", "mailto:a@b", "mailto:ab", "mailto:@b", "mailto:a@", "mailto:a@b@c",
    "mailto:a..b@c", "MAILTO:ab", "mailto:", "mailto://a@b", "x:", "x:y", "https://", "https:///directory", "https:directory",
    "https://a_b/directory", "HTTPS://a_b/", '"https://a b/directory"', '"Lets Encrypt"', "https://<your-domain>/directory",
    "https://acme.example.com:APP_PORT/directory", "acme.example.com/directory", "letsencrypt acme.example.com/directory",
    "acme.example.com/directory letsencrypt", "letsencrypt2"].map((u) => [`MDCertificateAuthority ${u}`]),
  ["<MDomain example.com>", "MDCertificateAuthority acme.example.com/directory", "</MDomain>"],
  ...["http://p:8080", "http://p:APP_PORT", "http://p:", "http://p:0", "http://p:65535", "http://p:65536", "http://p:-1", "http://p:+80",
    "http://p:80abc", '"http://p: 80"', "http://p:4294967296", "http://p:99999999999", "http://p:2147483648", "http://p:2147483647",
    "http://p:99999999999999999999999", "http://[::1]:8080", "http://[::1]", "http://u:p@h:8080", "http://u@h:8080", "http://p",
    "http://p/x:y", "http://p?x:y", "http://p:8080/x:y", "http://", "http:/p", "p:8080", "p", "p/", "socks5://p:1080", "x://", "://p",
    "http://<your-domain>:8080", "http://p:8080:9090", "http:///x", "http://p:+", "http://p:-"].map((u) => [`ProxyRemote * ${u}`]),
  ["ProxyRemoteMatch ^x p:8080"], ["ProxyRemoteMatch ^x http://p:APP_PORT"], ["ProxyRemoteMatch ^x http://[::1]:80"],
  ...[
    "ldap://ldap.example.com/dc=example,dc=com", '"ldap://ldap1.example.com ldap2.example.com/dc=example,dc=com"',
    "ldap://ldap1.example.com ldap2.example.com/dc=example,dc=com", "ldap://ldap1.example.com:APP_PORT ldap2.example.com/dc=...",
    "ldap://<your-domain> ldap2.example.com/dc=...", "ldap1.example.com ldap2.example.com/dc=...", "ldap://ldap.example.com:/dc=x",
    "ldap://ldap.example.com:", "LDAP://ldap.example.com/dc=x", "ldapi://%2fvar%2frun%2fldapi/dc=x", "<ldap://h/dc=x>", "<ldap://h/dc=x",
    "URL:ldap://h/dc=x", "<URL:ldap://h/dc=x>", "ldap:/h", "http://h", "ldap://", "ldap://[::1]:389/dc=x", "ldap://[::1/dc=x",
    "ldap://::1/dc=x", "ldap://h/dc=x?uid?sub", "ldap://h/dc=x?uid?onelevel", "ldap://h/dc=x?uid?SUB", "ldap://h/dc=x?uid?onetree",
    "ldap://h/dc=x?uid?s%75b", "ldap://h/dc=x?uid?sub?(a=b)?ext", "ldap://h/dc=x?uid?sub?(a=b)?ext?more", "ldap://h/dc=x?uid?sub??",
    "ldap://h/dc=x?uid?sub?(a=b)?,", "ldap://h/dc=x?uid?sub?%00", "ldap://h:%00/dc=x", "ldap://h/dc=x NONE", "ldap://h/dc=x starttls",
    "ldap://h/dc=x bogus", 'ldap://h/dc=x ""', "ldap://h:-1/dc=x", "ldap://h:389:390/dc=x", '"ldap://h1 h2:/dc=x"', "<>",
  ].map((u) => ['<Directory "/tmp">', `AuthLDAPURL ${u}`, "</Directory>"]),
  ["<Location /x>", "AuthLDAPURL ldap.example.com", "</Location>"],
];

describe.runIf(apacheOrSkip("url-invalid (live)"))("url-invalid against apache2 -t", () => {
  let root = "";
  beforeAll(() => (root = makeServerRoot()));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("reports exactly the lines apache2 -t refuses, with Apache's words", { timeout: 300_000 }, async () => {
    expect(APACHE).not.toBeNull();
    const { differ, refused } = await liveDisagreements(testedRule, FORMS, root);
    expect(differ).toEqual([]);
    expect(refused).toBeGreaterThan(100);
  });
});
