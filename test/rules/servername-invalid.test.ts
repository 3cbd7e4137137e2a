// servername-invalid: the rule tester, then every measured ServerName form judged live by apache2 -t.
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import testedRule from "../../rules/servername-invalid.js";
import { makeServerRoot } from "../../src/tools/differential.js";
import { APACHE, apacheOrSkip } from "../apache/harness.js";
import { liveDisagreements } from "../helpers/live-agreement.js";
import { ruleTester } from "../helpers/rule-tester.js";

const PATTERN = (v: string) => `("Invalid ServerName "${v}" use ServerAlias to set multiple server names.").`;
const PORT = (v: string) => `("The port number "${v}" is outside the appropriate range (i.e., 1..65535).").`;

ruleTester(testedRule, {
  valid: [
    "ServerName www.example.com\nServerName www.example.com:8080\nServerName 127.0.0.1:80\n",
    "ServerName http://www.example.com\nServerName https://www.example.com:443\n",
    "ServerName www.example.com/path\nServerName [www.example.com\nServerName www.example.com]\n",
    "ServerName www.example.com:80abc\nServerName www.example.com:80:90\n",
    "ServerName APP_HOST\nServerName <your-domain>\n",
    "Define H [x]\nServerName ${H}\n",
    "ServerName www.example.com extra\nServerName \"\"\n",
    "ServerName *.example.com # a trailing comment is trailing-comment's finding\n",
    '<Directory "/tmp">\nServerName [x]\n</Directory>\n',
  ],
  invalid: [
    {
      name: "brackets around the name: unsafe fix",
      code: "ServerName [www.example.com]\n<VirtualHost *:80>\n  ServerName \"[ws.example.com]:8080\"\n</VirtualHost>\n",
      findings: [
        {
          line: 1,
          column: 12,
          covers: "[www.example.com]",
          severity: "error",
          fix: "unsafe",
          message: { exact: `\`[www.example.com]\`: the brackets around the name make it a wildcard pattern, write the name without them: Apache refuses to start ${PATTERN("[www.example.com]")}` },
        },
        { line: 3, column: 14, fix: "unsafe", message: "`[ws.example.com]:8080`: the brackets around the name" },
      ],
      output: "ServerName www.example.com\n<VirtualHost *:80>\n  ServerName \"ws.example.com:8080\"\n</VirtualHost>\n",
    },
    {
      name: "wildcards, and IPv6 addresses with and without brackets",
      code: "ServerName *\nServerName *.example.com\nServerName www.example.com?x\nServerName [::1]\nServerName ::1\nServerName 2001:db8::1\n",
      findings: [
        { line: 1, column: 12, fix: "none", message: { exact: `\`*\` is a wildcard pattern (\`*\`, \`?\`, \`[…]\`), and ServerName takes one name: put patterns in ServerAlias: Apache refuses to start ${PATTERN("*")}` } },
        { line: 2, column: 12, message: "`*.example.com` is a wildcard pattern" },
        { line: 3, column: 12, message: "`www.example.com?x` is a wildcard pattern" },
        { line: 4, column: 12, fix: "none", message: { exact: `an IPv6 address cannot be a ServerName (in brackets it is a wildcard pattern, without them its first \`:\` starts the port): use a host name: Apache refuses to start ${PATTERN("[::1]")}` } },
        { line: 5, column: 12, message: { exact: `an IPv6 address cannot be a ServerName (in brackets it is a wildcard pattern, without them its first \`:\` starts the port): use a host name: Apache refuses to start ${PORT("::1")}` } },
        { line: 6, column: 12, message: "an IPv6 address cannot be a ServerName" },
      ],
    },
    {
      name: "ports that are not 1..65535",
      code: "ServerName www.example.com:APP_PORT\nServerName www.example.com:abc\nServerName www.example.com:\nServerName www.example.com:0\nServerName www.example.com:99999\nServerName http:/www.example.com\n",
      findings: [
        { line: 1, column: 12, message: { exact: `\`APP_PORT\` is a placeholder, not a port number: replace the placeholder: Apache refuses to start ${PORT("www.example.com:APP_PORT")}` } },
        { line: 2, column: 12, message: { exact: `\`abc\` is not a port number (1-65535): Apache refuses to start ${PORT("www.example.com:abc")}` } },
        { line: 3, column: 12, message: { exact: `\`www.example.com:\` ends in \`:\` with no port after it: Apache refuses to start ${PORT("www.example.com:")}` } },
        { line: 4, column: 12, message: "`0` is not a port number (1-65535)" },
        { line: 5, column: 12, message: "`99999` is not a port number (1-65535)" },
        { line: 6, column: 12, message: "`http:/www.example.com`: a scheme is followed by `://`" },
      ],
    },
  ],
});

/** Every form measured: what Apache refuses (brackets, wildcards, IPv6, bad ports) and what it takes. */
const FORMS = [
  "www.example.com", "[www.example.com]", "[www.example.com]:80", "http://www.example.com", "https://www.example.com:443",
  "ftp://x", "HTTP://www.example.com", "http://", "http:/www.example.com", "//www.example.com", "/path",
  "www.example.com/", "www.example.com/path", '"www.example.com extra"', '"www example.com"', '" www.example.com"',
  "www.example.com:80", "www.example.com:abc", "www.example.com:", "www.example.com:0", "www.example.com:99999",
  "www.example.com:-1", "www.example.com:4294967376", "www.example.com:80:90", "www.example.com:80/", "example.com:8O",
  "localhost:+80", "www.example.com:APP_PORT", "::1", "[::1]", "[::1]:80", "[::1]:abc", "2001:db8::1", "2001:db8::1:80",
  "*", "*:80", "*.example.com", "www.example.com?x", "www.example.com#x", "[www.example.com", "www.example.com]",
  "a\\*b", "127.0.0.1", "127.0.0.1:8080", "user@www.example.com", "<your-domain>", "APP_HOST", "a:b:c",
].flatMap((v) => [[`ServerName ${v}`], ["<VirtualHost *:80>", `ServerName ${v}`, "</VirtualHost>"]]);

describe.runIf(apacheOrSkip("servername-invalid (live)"))("servername-invalid against apache2 -t", () => {
  let root = "";
  beforeAll(() => (root = makeServerRoot()));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("reports exactly the ServerName lines apache2 -t refuses, with Apache's words", { timeout: 120_000 }, async () => {
    expect(APACHE).not.toBeNull();
    const { differ, refused } = await liveDisagreements(testedRule, FORMS, root);
    expect(differ).toEqual([]);
    expect(refused).toBeGreaterThan(30);
  });
});
