// SSLProtocol is read as mod_ssl reads it (ssl_engine_config.c,
// ssl_cmd_protocol_parse): a word with `+` adds a protocol, `-` removes it, a
// bare word replaces everything before it, `all` is every protocol this
// OpenSSL has. Measured on 2.4.71 with OpenSSL 3.0: `all -SSLv3` accepts TLSv1
// and TLSv1.1 handshakes once the cipher list allows them (@SECLEVEL=0), so the
// old protocols are on; only OpenSSL's default security level hides them.
import type { Directive } from "../grammar/index.js";
import { defineRule, type RuleContext } from "../src/core/rule.js";
import { ALL_PROTOCOLS, INTERMEDIATE_PROTOCOL, SSL_PROTOCOLS, TLS_PROFILE_SOURCE, WEAK_PROTOCOLS } from "../src/data/tls-profile.js";

const CANONICAL = new Map(SSL_PROTOCOLS.map((p) => [p.toLowerCase(), p]));

/** The protocols a line enables, in SSL_PROTOCOLS spelling; null when a word is not a protocol (other rules say so). */
export function enabledProtocols(d: Directive): Set<string> | null {
  let on = new Set<string>();
  for (const a of d.args) {
    const v = a.value.toLowerCase();
    const sign = v[0] === "+" || v[0] === "-" ? v[0] : "";
    const word = sign ? v.slice(1) : v;
    const set = word === "all" ? ALL_PROTOCOLS : CANONICAL.has(word) ? [CANONICAL.get(word)!] : null;
    if (!set) return null;
    if (sign === "-") for (const p of set) on.delete(p);
    else if (sign === "+") for (const p of set) on.add(p);
    else on = new Set(set);
  }
  return on;
}

export default defineRule({
  id: "tls-weak-protocol",
  severity: "error",
  severities: ["error", "warning"],
  category: "security",
  description: "`SSLProtocol` allows SSLv3, TLSv1 or TLSv1.1",
  fixable: "unsafe",
  doc: {
    problem:
      "`SSLProtocol` leaves SSLv3, TLSv1 or TLSv1.1 enabled, read as mod_ssl reads it: `all` is every protocol, so " +
      "`all -SSLv3` (the common recipe, and Debian's ssl.conf) still has TLSv1 and TLSv1.1. These protocols lack " +
      "modern cipher suites and are deprecated by RFC 8996. The recommended value is Mozilla's intermediate profile " +
      `(${TLS_PROFILE_SOURCE.name}, version ${TLS_PROFILE_SOURCE.version}, ${TLS_PROFILE_SOURCE.url}): ` +
      `\`SSLProtocol ${INTERMEDIATE_PROTOCOL}\`.`,
    bad: "SSLProtocol all -SSLv3\n",
    good: `SSLProtocol ${INTERMEDIATE_PROTOCOL}\n`,
    why:
      "Measured on 2.4.71 with OpenSSL 3.0.22 (fixtures/rules/tls-weak-protocol/measured.json, `openssl s_client " +
      "-tls1|-tls1_1|-tls1_2|-tls1_3`): `SSLProtocol all -SSLv3` with `SSLCipherSuite DEFAULT@SECLEVEL=0` accepts " +
      "`TLSv1` and `TLSv1.1` handshakes (ECDHE-ECDSA-AES256-SHA) as well as TLSv1.2 and TLSv1.3; with Debian's " +
      "`SSLCipherSuite HIGH:!aNULL` OpenSSL's default security level refuses TLSv1 and TLSv1.1, but that is a setting " +
      "of the system's OpenSSL (openssl.cnf), not of the config; `-all +TLSv1.2 +TLSv1.3` refuses them whatever the " +
      "cipher list. This OpenSSL has no SSLv3 at all. So a protocol named outright (`+TLSv1`, `TLSv1.1`) is an error, and " +
      "one enabled only through `all` a warning: it is on, and off only as long as the system's OpenSSL policy says so.",
    versions: "All Apache 2.4 versions; `+TLSv1.3` needs 2.4.36 or newer with OpenSSL 1.1.1 or newer.",
    fix:
      `Unsafe: replaces the arguments with \`${INTERMEDIATE_PROTOCOL}\` (apache2 -t still passes). Unsafe because ` +
      "clients that only speak TLSv1/TLSv1.1 (Android 4.3 and older, Java 7, IE 10 on Windows 7) can no longer connect.",
  },
  create(ctx: RuleContext) {
    const check = (d: Directive) => {
      const on = enabledProtocols(d);
      if (!on || !d.args.length) return;
      const weak = [...on].filter((p) => WEAK_PROTOCOLS.has(p.toLowerCase()));
      if (!weak.length) return;
      const first = d.args[0]!;
      const last = d.args[d.args.length - 1]!;
      // named outright it is on whatever OpenSSL says; only through `all`, OpenSSL 3's default
      // security level still refuses the handshake (measured): a warning, as for Debian's ssl.conf
      const named = d.args.some((a) => a.value[0] !== "-" && WEAK_PROTOCOLS.has(a.value.replace(/^\+/, "").toLowerCase()));
      ctx.report({
        ...(named ? {} : { severity: "warning" as const }),
        message:
          `\`${d.text}\` enables ${weak.join(", ")}: deprecated protocols (RFC 8996)` +
          (named ? "" : ", which only OpenSSL's default security level refuses today (a cipher list with @SECLEVEL=0, or another OpenSSL build, lets them in)") +
          `. Use Mozilla's intermediate profile: \`${d.name} ${INTERMEDIATE_PROTOCOL}\`.`,
        start: first.start,
        end: last.end,
        fix: { safety: "unsafe", title: `Set \`${d.name} ${INTERMEDIATE_PROTOCOL}\``, edits: [{ start: first.start, end: last.end, text: INTERMEDIATE_PROTOCOL }] },
      });
    };
    return { directive: { sslprotocol: check } };
  },
});
