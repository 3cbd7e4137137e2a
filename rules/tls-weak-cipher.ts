// SSLCipherSuite words that select broken ciphers, and the two mod_ssl switches
// that reopen old attacks (SSLCompression: CRIME; SSLInsecureRenegotiation:
// CVE-2009-3555). Measured on 2.4.71 with OpenSSL 3.0.22: mod_ssl appends
// `:!aNULL:!eNULL:!EXP` to every cipher list, so NULL and EXPORT words are dead
// text (an eNULL-only client is refused), and are only told as info; RC4 and
// 3DES are passed to OpenSSL as written, and what they select depends on its
// build (this one has neither: `SSLCipherSuite RC4-SHA` gives AH01898 and every
// handshake fails).
import type { Argument, Directive } from "../grammar/index.js";
import { defineRule, type RuleContext } from "../src/core/rule.js";
import { INTERMEDIATE_CIPHER_SUITE, TLS_PROFILE_SOURCE, WEAK_CIPHER_WORDS } from "../src/data/tls-profile.js";

/** SSLCipherSuite's optional first argument: the protocol the list is for (mod_ssl 2.4.36+). */
const PROTOCOL_ARG = /^(ssl|tlsv1\.3)$/i;

/** The weak words a cipher-string element selects: `RC4-SHA`, `HIGH+3DES`; not `!RC4`, `-MD5` or `+RC4` (which only reorders). */
function weakWords(element: string): string[] {
  if (/^[!+-]/.test(element) || element.startsWith("@")) return [];
  const out: string[] = [];
  for (const part of element.toLowerCase().split("+")) {
    // a cipher name is dash-separated (EXP-RC4-MD5, DES-CBC3-SHA); an alias is one word
    const pieces = part.split("-");
    for (let i = 0; i < pieces.length; i++) {
      const two = i + 1 < pieces.length ? `${pieces[i]}-${pieces[i + 1]}` : "";
      if (WEAK_CIPHER_WORDS.has(two)) out.push(two), i++;
      else if (WEAK_CIPHER_WORDS.has(pieces[i]!)) out.push(pieces[i]!);
    }
  }
  return out;
}

/** The elements of a cipher string with their offsets in the file (`:`, `,` and spaces separate them). */
function elements(arg: Argument): { text: string; start: number; end: number }[] {
  const out: { text: string; start: number; end: number }[] = [];
  // offsets are exact for an unquoted argument; a quoted one is reported as a whole
  const base = arg.quote ? -1 : arg.start;
  const re = /[^:, ]+/g;
  for (let m; (m = re.exec(arg.value)); ) {
    out.push(base < 0 ? { text: m[0], start: arg.start, end: arg.end } : { text: m[0], start: base + m.index, end: base + m.index + m[0].length });
  }
  return out;
}

const SWITCHES: ReadonlyMap<string, string> = new Map([
  ["sslcompression", "TLS compression makes secrets in responses guessable (CRIME, CVE-2012-4929); with an OpenSSL built without compression (Debian's 3.0) Apache refuses to start"],
  ["sslinsecurerenegotiation", "insecure renegotiation lets a man in the middle inject a request prefix (CVE-2009-3555)"],
]);

export default defineRule({
  id: "tls-weak-cipher",
  severity: "error",
  severities: ["error", "info"],
  category: "security",
  description: "RC4, 3DES, EXPORT, NULL or MD5 in `SSLCipherSuite`; `SSLCompression on`; `SSLInsecureRenegotiation on`",
  fixable: "none",
  doc: {
    problem:
      "An `SSLCipherSuite` element that selects RC4, 3DES (DES-CBC3), single DES or MD5-MAC ciphers, written without " +
      "`!` or `-`; `SSLCompression on`; `SSLInsecureRenegotiation on`. NULL, eNULL, aNULL, EXPORT and EXP elements are " +
      "reported as info: mod_ssl removes them whatever the list says. The recommended list is Mozilla's intermediate " +
      `profile (${TLS_PROFILE_SOURCE.name}, version ${TLS_PROFILE_SOURCE.version}, ${TLS_PROFILE_SOURCE.url}).`,
    bad: "SSLCipherSuite HIGH:RC4-SHA:!aNULL\nSSLCompression on\n",
    good: `SSLCipherSuite ${INTERMEDIATE_CIPHER_SUITE}\nSSLCompression off\n`,
    why:
      "Measured on 2.4.71 with OpenSSL 3.0.22 (fixtures/rules/tls-weak-cipher/measured.json): this OpenSSL has " +
      "no RC4 and no 3DES (`openssl ciphers RC4` and `3DES`: no cipher match; a client asking for DES-CBC3-SHA or " +
      "RC4-SHA is refused), and `SSLCipherSuite RC4-SHA` alone logs `AH01898: Unable to configure permitted SSL " +
      "ciphers` and every TLS 1.2 and 1.3 handshake fails; with an OpenSSL that has them (1.0.x, 1.1.1 with 3DES) " +
      "they are offered. `SSLCipherSuite HIGH:eNULL:@SECLEVEL=0` still refuses an eNULL-only client: mod_ssl appends " +
      "`!aNULL:!eNULL:!EXP`. `SSLCompression on` stops `apache2 -t` here: `This version of OpenSSL does not have any " +
      "compression methods available, cannot enable SSLCompression.`; `SSLInsecureRenegotiation on` is accepted.",
    versions: "All Apache 2.4 versions. The TLSv1.3 form `SSLCipherSuite TLSv1.3 …` (2.4.36+) lists TLS 1.3 suites, which are not checked.",
  },
  create(ctx: RuleContext) {
    const suite = (d: Directive) => {
      const args = d.args;
      if (args.length === 2 && PROTOCOL_ARG.test(args[0]!.value) && args[0]!.value.toLowerCase() === "tlsv1.3") return;
      const list = args.length === 2 && PROTOCOL_ARG.test(args[0]!.value) ? args[1]! : args[0];
      if (!list) return;
      for (const el of elements(list)) {
        for (const w of weakWords(el.text)) {
          const why = WEAK_CIPHER_WORDS.get(w);
          if (why === null) {
            if (!ctx.wants("info")) continue;
            ctx.report({
              severity: "info",
              message: `\`${el.text}\` in ${d.name} has no effect: mod_ssl appends \`:!aNULL:!eNULL:!EXP\` to every cipher list. Remove it.`,
              start: el.start,
              end: el.end,
            });
          } else {
            ctx.report({
              message: `\`${el.text}\` in ${d.name} selects weak ciphers: ${why}. Use Mozilla's intermediate list: \`${d.name} ${INTERMEDIATE_CIPHER_SUITE}\`.`,
              start: el.start,
              end: el.end,
            });
          }
          break;
        }
      }
    };
    const onSwitch = (d: Directive) => {
      const arg = d.args[0];
      if (!arg || arg.value.toLowerCase() !== "on") return;
      ctx.report({ message: `\`${d.name} on\`: ${SWITCHES.get(d.key)}. Remove it (the default is off).`, start: d.start, end: d.end });
    };
    return { directive: { sslciphersuite: suite, sslcompression: onSwitch, sslinsecurerenegotiation: onSwitch } };
  },
});
