// redirect-arguments-invalid: the rule tester, then every measured Redirect form judged live by apache2 -t.
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import testedRule from "../../rules/redirect-arguments-invalid.js";
import { makeServerRoot } from "../../src/tools/differential.js";
import { APACHE, apacheOrSkip } from "../apache/harness.js";
import { liveDisagreements } from "../helpers/live-agreement.js";
import { ruleTester } from "../helpers/rule-tester.js";

ruleTester(testedRule, {
  valid: [
    "Redirect /old https://example.com/new\nRedirect /a /b\nRedirect /m mailto:x\nRedirect /p example.com:80/x\n",
    "Redirect permanent /a https://x/\nRedirect TEMP /a /b\nRedirect seeother /a /b\nRedirect 308 /a /b\nRedirect 301abc /a /b\n",
    "Redirect gone /a\nRedirect 410 /a\nRedirect 404 /a\nRedirect 200 /a\nRedirect gone\nRedirect 404\n",
    "RedirectMatch ^/a$ b\nRedirectMatch 301 ^/a$ b\nRedirectMatch gone ^/a$\nRedirectMatch 1abc https://x/\n",
    "RedirectPermanent /a /b\nRedirectTemp /a mailto:x\nRedirectPermanent gone /a\nRedirectPermanent 200 /a\n",
    '<Location "/x">\nRedirect https://x/\nRedirect permanent https://x/\nRedirect 301 www.example.com\nRedirect gone\n</Location>\n',
    '<Directory "/tmp">\nRedirect permanent https://x/\n</Directory>\n<If "true">\nRedirect 301 /old\n</If>\n',
    { name: "the path-less form in .htaccess", code: "Redirect permanent https://example.com/\n", path: ".htaccess" },
    "Define T https://x/\nRedirect /a ${T}\nRedirect /a ${UNKNOWN}\n",
    "Redirect /a https://x/ /b /c\nRedirect\nRedirectPermanent /a\n",
    "Redirect /a #comment\n",
  ],
  invalid: [
    {
      name: "three arguments whose first is not a status",
      code: "Redirect /old https://example.com/new /extra\nRedirectMatch moved ^/a$ https://x/\n",
      findings: [
        {
          line: 1,
          column: 10,
          covers: "/old",
          severity: "error",
          fix: "none",
          message: { exact: '`/old` is not a status (permanent, temp, seeother, gone or a number), so three arguments are too many: Apache refuses to start ("Redirect: invalid first argument (of three)").' },
        },
        { line: 2, column: 15, covers: "moved", message: "`moved` is not a status" },
      ],
    },
    {
      name: "a 3xx status without URL",
      code: "Redirect 301 /old\nRedirect permanent\nRedirect permanent https://example.com/\nRedirectPermanent 301 /a\n<VirtualHost *:80>\nRedirect https://example.com/\n</VirtualHost>\n",
      findings: [
        { line: 1, column: 1, covers: "Redirect 301 /old", message: { exact: 'there is no URL to redirect `/old` to: Apache refuses to start ("URL to redirect to is missing").' } },
        { line: 2, column: 1, message: { exact: '`permanent` must be followed by the path and the URL to redirect it to: Apache refuses to start ("URL to redirect to is missing").' } },
        { line: 3, column: 1, message: { exact: '`https://example.com/` is the URL, but the path before it is missing (only <Location>, <Directory> … give one): Apache refuses to start ("URL to redirect to is missing").' } },
        { line: 4, column: 1, message: "there is no URL to redirect `/a` to" },
        { line: 6, column: 1, message: "`https://example.com/` is the URL, but the path before it is missing" },
      ],
    },
    {
      name: "a URL after a status that is not 3xx",
      code: "Redirect gone /a https://x/\nRedirect 404 /a /b\nRedirect 3xx /a https://x/\nRedirectMatch 200 ^/a$ https://x/\n",
      findings: [
        { line: 1, column: 18, covers: "https://x/", message: { exact: 'status 410 is not a redirect (3xx), so Redirect takes no URL after the path: Apache refuses to start ("Redirect URL not valid for this status").' } },
        { line: 2, column: 17, message: "status 404 is not a redirect (3xx)" },
        { line: 3, column: 17, message: "status 3 is not a redirect (3xx)" },
        { line: 4, column: 24, message: "status 200 is not a redirect (3xx), so RedirectMatch takes no URL" },
      ],
    },
    {
      name: "a target that is not a URL",
      code: 'Redirect /old www.example.com/new\nRedirect 301 /a ""\nRedirectTemp /a b\n<Location "/x">\nRedirect /old new\n</Location>\n',
      findings: [
        { line: 1, column: 15, covers: "www.example.com/new", message: { exact: '`www.example.com/new` is neither an absolute URL (`https://…`) nor a path starting with `/`: Apache refuses to start ("Redirect to non-URL").' } },
        { line: 2, column: 17, message: "`` is neither an absolute URL" },
        { line: 3, column: 17, message: "`b` is neither an absolute URL" },
        { line: 5, column: 15, message: "`new` is neither an absolute URL" },
      ],
    },
    {
      name: "in .htaccess",
      code: "RedirectPermanent /a b\n",
      path: ".htaccess",
      findings: [{ line: 1, column: 22, message: '`b` is neither an absolute URL (`https://…`) nor a path starting with `/`: Apache answers 500 for every request this .htaccess applies to ("Redirect to non-URL").' }],
    },
  ],
});

/** Every form measured, in the server and in sections with and without a path. */
const LINES = [
  "Redirect /old https://example.com/new", "Redirect /old /new", "Redirect /old new", "Redirect /old www.example.com/new",
  "Redirect /old example.com:80/new", "Redirect /old :foo", "Redirect /old mailto:x", "Redirect /old h_t://x", "Redirect /old a+b-c.d:x",
  "Redirect /old ?x", "Redirect /old .", 'Redirect /old ""', "Redirect /old \"https://x/ y\"",
  "Redirect /old https://example.com/new /extra", "Redirect moved /old https://example.com/new", "Redirect -1 /old /new",
  "Redirect +301 /old /new", 'Redirect " 301" /old /new',
  "Redirect permanent /old https://example.com/new", "Redirect PERMANENT /old /new", "Redirect temp /old /new", "Redirect seeother /old /new",
  "Redirect gone /old", "Redirect gone /old https://example.com/new", "Redirect 410 /old", "Redirect 410 /old /new",
  "Redirect 301 /old https://example.com/new", "Redirect 301 /old", "Redirect 301", "Redirect permanent", "Redirect gone", "Redirect 410",
  "Redirect 404", "Redirect 404 /old", "Redirect 404 /old /new", "Redirect 200 /old /new", "Redirect 200 /old", "Redirect 999 /old",
  "Redirect 0 /old", "Redirect 3xx /old /new", "Redirect 301abc /old /new", "Redirect 1000 /old /new", "Redirect 399 /old /new",
  "Redirect 300 /old /new", "Redirect 0301 /old /new", "Redirect 4294967597 /old /new", "Redirect 4294967296 /old /new",
  "Redirect 301 /old new", 'Redirect 301 /old ""', "Redirect seeother /old", "Redirect /old", "Redirect www.example.com",
  "Redirect https://example.com/new", "Redirect permanent https://example.com/new", "Redirect 301 www.example.com",
  "RedirectMatch ^/a$ b", "RedirectMatch 301 ^/a$ b", "RedirectMatch permanent ^/a$ https://x/", "RedirectMatch gone ^/a$",
  "RedirectMatch gone ^/a$ https://x/", "RedirectMatch 301 ^/a$", "RedirectMatch moved ^/a$ https://x/", "RedirectMatch 200 ^/a$ https://x/",
  "RedirectMatch 200 ^/a$", "RedirectMatch 1abc https://x/", "RedirectMatch 410 https://x/",
  "RedirectPermanent /a b", "RedirectPermanent /a https://x/", "RedirectPermanent gone /a", "RedirectPermanent 301 /a",
  "RedirectPermanent 200 /a", "RedirectPermanent permanent /a", "RedirectPermanent 301 x",
  "RedirectTemp /a mailto:x", "RedirectTemp seeother /a", "RedirectTemp /a b", "RedirectTemp /a /b",
];
const AROUND: readonly (readonly [string, string] | null)[] = [
  null, ["<VirtualHost *:80>", "</VirtualHost>"], ['<Location "/x">', "</Location>"], ['<Directory "/tmp">', "</Directory>"],
  ['<Files "x">', "</Files>"], ['<If "true">', "</If>"], ['<Proxy "http://b/">', "</Proxy>"],
];
const FORMS = AROUND.flatMap((a) => LINES.map((l) => (a ? [a[0], l, a[1]] : [l])));

describe.runIf(apacheOrSkip("redirect-arguments-invalid (live)"))("redirect-arguments-invalid against apache2 -t", () => {
  let root = "";
  beforeAll(() => (root = makeServerRoot()));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("reports exactly the Redirect lines apache2 -t refuses, with Apache's words", { timeout: 300_000 }, async () => {
    expect(APACHE).not.toBeNull();
    const { differ, refused } = await liveDisagreements(testedRule, FORMS, root);
    expect(differ).toEqual([]);
    expect(refused).toBeGreaterThan(150);
  });
});
