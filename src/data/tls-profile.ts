// The TLS settings apachelint recommends: Mozilla's "intermediate" server-side
// TLS profile, as ssl-config.mozilla.org publishes it for Apache. The values are
// copied from the guidelines document named below; update all three together.
// Every cipher name is checked against this machine's OpenSSL and the profile is
// served by a live Apache in test/apache/security-live.test.ts.

/** Where the profile comes from, and which version of it. */
export const TLS_PROFILE_SOURCE = {
  name: "Mozilla Server Side TLS, intermediate configuration",
  url: "https://ssl-config.mozilla.org/guidelines/5.7.json",
  wiki: "https://wiki.mozilla.org/Security/Server_Side_TLS",
  version: "5.7",
} as const;

/** The SSLProtocol arguments of the intermediate profile. */
export const INTERMEDIATE_PROTOCOL = "-all +TLSv1.2 +TLSv1.3";

/** The intermediate profile's TLS 1.2 ciphers, in OpenSSL names and its order (TLS 1.3 suites are OpenSSL's defaults). */
export const INTERMEDIATE_CIPHERS = [
  "ECDHE-ECDSA-AES128-GCM-SHA256",
  "ECDHE-RSA-AES128-GCM-SHA256",
  "ECDHE-ECDSA-AES256-GCM-SHA384",
  "ECDHE-RSA-AES256-GCM-SHA384",
  "ECDHE-ECDSA-CHACHA20-POLY1305",
  "ECDHE-RSA-CHACHA20-POLY1305",
  "DHE-RSA-AES128-GCM-SHA256",
  "DHE-RSA-AES256-GCM-SHA384",
  "DHE-RSA-CHACHA20-POLY1305",
] as const;

/** The SSLCipherSuite argument of the intermediate profile. */
export const INTERMEDIATE_CIPHER_SUITE = INTERMEDIATE_CIPHERS.join(":");

/**
 * The protocols mod_ssl's SSLProtocol knows (ssl_engine_config.c, ssl_cmd_protocol_parse) and
 * what `all` stands for in 2.4.71 with an OpenSSL built without SSLv3 (Debian's): measured, `all
 * -SSLv3` accepts TLSv1 and TLSv1.1 handshakes once the cipher list's security level allows them.
 */
export const SSL_PROTOCOLS = ["SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"] as const;
export const ALL_PROTOCOLS: readonly string[] = ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"];
/** Protocols the profile does not allow: each is a finding of tls-weak-protocol. */
export const WEAK_PROTOCOLS: ReadonlySet<string> = new Set(["sslv3", "tlsv1", "tlsv1.1"]);

/**
 * Words of an OpenSSL cipher string that select a weak cipher, with why. `null`: mod_ssl appends
 * `:!aNULL:!eNULL:!EXP` to every SSLCipherSuite (ssl_engine_config.c), so these never reach a
 * handshake (measured: `HIGH:eNULL:@SECLEVEL=0` refuses an eNULL-only client).
 */
export const WEAK_CIPHER_WORDS: ReadonlyMap<string, string | null> = new Map([
  ["rc4", "RC4 is broken (RFC 7465 forbids it)"],
  ["3des", "3DES has 64-bit blocks (Sweet32, CVE-2016-2183)"],
  ["des-cbc3", "3DES has 64-bit blocks (Sweet32, CVE-2016-2183)"],
  ["des", "single DES has a 56-bit key"],
  ["md5", "MD5 MACs belong to SSLv3-era ciphers"],
  ["export", null],
  ["exp", null],
  ["null", null],
  ["enull", null],
  ["anull", null],
]);
