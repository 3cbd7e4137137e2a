// tls-weak-cipher against what Apache 2.4.71 with OpenSSL 3.0 was measured to do (test/apache/security-live.test.ts).
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/tls-weak-cipher.js";

ruleTester(testedRule, {
  valid: [
    "SSLCipherSuite HIGH:!aNULL\n",
    "SSLCipherSuite HIGH:!aNULL:!MD5:!RC4:-3DES:!EXPORT:!eNULL\n",
    "SSLCipherSuite ECDHE-ECDSA-AES128-GCM-SHA256:DHE-RSA-CHACHA20-POLY1305\n",
    "SSLCipherSuite TLSv1.3 TLS_AES_256_GCM_SHA384\n",
    "SSLCompression off\nSSLInsecureRenegotiation off\n",
    // +RC4 only moves RC4 ciphers to the end of what is already selected
    "SSLCipherSuite HIGH:+RC4\n",
  ],
  invalid: [
    {
      name: "RC4 and 3DES in the list, each element reported where it stands",
      code: "SSLCipherSuite HIGH:RC4-SHA:DES-CBC3-SHA:!aNULL\n",
      findings: [
        { line: 1, column: 21, endColumn: 28, severity: "error", fix: "none", message: "`RC4-SHA` in SSLCipherSuite selects weak ciphers: RC4 is broken (RFC 7465 forbids it)." },
        { line: 1, column: 29, endColumn: 41, severity: "error", message: "`DES-CBC3-SHA` in SSLCipherSuite selects weak ciphers: 3DES has 64-bit blocks" },
      ],
    },
    {
      name: "the SSL protocol argument, aliases joined with +",
      code: "SSLCipherSuite SSL ECDHE-RSA-AES128-SHA:3DES:RC4+RSA\n",
      findings: [
        { line: 1, column: 41, message: "`3DES` in SSLCipherSuite selects weak ciphers" },
        { line: 1, column: 46, message: "`RC4+RSA` in SSLCipherSuite selects weak ciphers" },
      ],
    },
    {
      name: "NULL and EXPORT are removed by mod_ssl anyway: info",
      code: "SSLCipherSuite HIGH:eNULL:EXP-RC4-MD5\n",
      findings: [
        { line: 1, column: 21, severity: "info", message: "`eNULL` in SSLCipherSuite has no effect: mod_ssl appends `:!aNULL:!eNULL:!EXP`" },
        { line: 1, column: 27, severity: "info", message: "`EXP-RC4-MD5` in SSLCipherSuite has no effect" },
      ],
    },
    {
      name: "a quoted list is reported as a whole",
      code: 'SSLCipherSuite "HIGH:MD5"\n',
      findings: [{ line: 1, column: 16, endColumn: 26, message: "`MD5` in SSLCipherSuite selects weak ciphers: MD5 MACs" }],
    },
    {
      name: "compression and insecure renegotiation",
      code: "SSLCompression On\nSSLInsecureRenegotiation on\n",
      findings: [
        { line: 1, column: 1, message: "`SSLCompression on`: TLS compression makes secrets in responses guessable (CRIME" },
        { line: 2, column: 1, message: "`SSLInsecureRenegotiation on`: insecure renegotiation" },
      ],
    },
  ],
});
