// http2-prefork: only on a server whose modules are known to include mpm_prefork and mod_http2.
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/http2-prefork.js";
import { parseVersion } from "../../src/apache/version.js";

const M = "/usr/lib/apache2/modules";
const server = (mpm: string, protocols: string) =>
  `LoadModule mpm_${mpm}_module ${M}/mod_mpm_${mpm}.so\nLoadModule http2_module ${M}/mod_http2.so\nProtocols ${protocols}\n`;

ruleTester(testedRule, {
  valid: [
    server("event", "h2 http/1.1"),
    server("prefork", "http/1.1"),
    // a fragment: which MPM runs is not known
    "Protocols h2 http/1.1\n",
    { code: server("prefork", "h2 http/1.1"), options: { apacheVersion: parseVersion("2.4.26")! } },
  ],
  invalid: [
    {
      code: server("prefork", "h2 h2c http/1.1"),
      findings: [{ line: 3, column: 11, covers: "h2", severity: "warning", message: "`h2` with mpm_prefork loaded: mod_http2 does not support prefork and says so at startup only (\"AH10034: The mpm module (prefork.c) is not supported by mod_http2" }],
    },
  ],
});
