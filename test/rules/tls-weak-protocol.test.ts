// tls-weak-protocol against what Apache 2.4.71 was measured to do (test/apache/security-live.test.ts),
// and its fix checked by `apache2 -t` with mod_ssl loaded.
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { RULE_FIXTURES, ruleTester } from "../helpers/rule-tester.js";
import { apacheOrSkip, freePort, makeServerRoot, MODULE_SETS, run, serverConfig } from "../apache/harness.js";
import testedRule from "../../rules/tls-weak-protocol.js";
import { INTERMEDIATE_CIPHERS, INTERMEDIATE_PROTOCOL } from "../../src/data/tls-profile.js";

ruleTester(testedRule, {
  valid: [
    "SSLProtocol -all +TLSv1.2 +TLSv1.3\n",
    "SSLProtocol TLSv1.2\n",
    "SSLProtocol all -SSLv3 -TLSv1 -TLSv1.1\n",
    // not a protocol word: directive-keyword-invalid's business, not this rule's
    "SSLProtocol all -TLSv9\n",
    "SSLProtocol TLSv1 TLSv1.2\n",
  ],
  invalid: [
    {
      name: "all -SSLv3 still has TLSv1 and TLSv1.1 (measured): a warning, since OpenSSL 3's default level refuses them",
      code: "SSLProtocol all -SSLv3\n",
      findings: [{ line: 1, column: 13, endColumn: 23, severity: "warning", fix: "unsafe", message: "`SSLProtocol all -SSLv3` enables TLSv1, TLSv1.1: deprecated protocols (RFC 8996), which only OpenSSL's default security level refuses today" }],
      output: `SSLProtocol ${INTERMEDIATE_PROTOCOL}\n`,
    },
    {
      name: "a bare word replaces what came before; +SSLv3 is reported",
      code: "SSLProtocol TLSv1.2 +SSLv3\n",
      findings: [{ line: 1, column: 13, severity: "error", message: "`SSLProtocol TLSv1.2 +SSLv3` enables SSLv3: deprecated protocols (RFC 8996). Use" }],
      output: `SSLProtocol ${INTERMEDIATE_PROTOCOL}\n`,
    },
    {
      name: "case-insensitive, in a virtual host",
      code: "<VirtualHost *:443>\n  SSLProtocol ALL -sslv3 -tlsv1\n</VirtualHost>\n",
      findings: [{ line: 2, column: 15, message: "`SSLProtocol ALL -sslv3 -tlsv1` enables TLSv1.1:" }],
      output: `<VirtualHost *:443>\n  SSLProtocol ${INTERMEDIATE_PROTOCOL}\n</VirtualHost>\n`,
    },
  ],
});

describe("the intermediate profile (src/data/tls-profile.ts)", () => {
  it("names only ciphers this machine's OpenSSL knows", async () => {
    const r = await run("openssl", ["ciphers", INTERMEDIATE_CIPHERS.join(":")]);
    expect(r.code, r.stderr).toBe(0);
    const known = new Set(r.stdout.trim().split(":"));
    for (const c of INTERMEDIATE_CIPHERS) expect(known.has(c), c).toBe(true);
  });
});

describe.runIf(apacheOrSkip("test/rules/tls-weak-protocol.test.ts"))("tls-weak-protocol fixes keep apache2 -t passing", () => {
  const dir = join(RULE_FIXTURES, testedRule.id);
  const fixed = readdirSync(dir).filter((n) => n.endsWith(".fixed"));
  it("has fixed fixtures", () => expect(fixed.length).toBeGreaterThan(1));
  for (const name of fixed) {
    it(name, async () => {
      const sr = await makeServerRoot();
      try {
        const conf = await sr.write("httpd.conf", serverConfig({ port: await freePort(), modules: MODULE_SETS.ssl, body: readFileSync(join(dir, name), "utf8") }));
        const t = await sr.test(conf);
        expect(t.ok, t.output).toBe(true);
      } finally {
        await sr.remove();
      }
    });
  }
});
