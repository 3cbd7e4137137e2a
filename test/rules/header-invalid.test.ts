// header-invalid: Header and RequestHeader lines mod_headers refuses, against Apache 2.4.71.
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import testedRule from "../../rules/header-invalid.js";
import { HEADER_ACTIONS, HEADER_FORMAT_LETTERS } from "../../src/data/header-syntax.js";
import { caseText, makeServerRoot } from "../../src/tools/differential.js";
import { apacheTest } from "../../src/tools/probe-support.js";
import { APACHE, apacheOrSkip } from "../apache/harness.js";
import { liveDisagreements } from "../helpers/live-agreement.js";
import { RULE_FIXTURES, ruleTester } from "../helpers/rule-tester.js";

const ACTION_REFUSAL = "first argument must be 'add', 'set', 'setifempty', 'append', 'merge', 'unset', 'echo', 'note', 'edit', or 'edit*'.";

ruleTester(testedRule, {
  valid: [
    "Header set X y\nHeader always set X y\nHeader onsuccess unset X\nHeader ALWAYS Set X y\nRequestHeader set X y\n",
    "Header setifempty X y\nHeader note X y\nHeader add X y\nHeader append X y\nHeader merge X y\nHeader echo ^X-\nHeader unset X\n",
    "Header edit X a b\nHeader edit* X a b env=foo\nRequestHeader edit X a b early\n",
    "Header set X y env=foo\nHeader set X y env=!foo\nHeader set X y ENV=foo\nHeader set X y early\nHeader set X y expr=true\nHeader unset X env=foo\nHeader echo X early\n",
    'Header set X "%D %t %{FOO}e %{BAR}s %{Host}i %%"\nHeader set X "100%"\nHeader set X "a%"\nHeader unset X\nHeader echo\nHeader set X ""\nHeader set "" y\n',
    "Header set X-Frame-Options SAMEORIGIN # a trailing comment is trailing-comment's finding\nHeader set X # comment\n",
    // Apache has no trailing comments: a `#` word that fills the value is the value
    "Header set X-Color #fff\nHeader unset X-Color #\n",
    "Define V \"a b\"\nHeader set X ${V}\n",
    // the regular expression of edit is regex-invalid's
    'Header edit X "(" b\n',
    'Header set Content-Security-Policy "default-src \'self\'"\n',
  ],
  invalid: [
    {
      name: "the differential's cases: a value left out, a word too many",
      code: "Header set X\nHeader set X y extra\nRequestHeader set X\nRequestHeader set X y extra\n",
      findings: [
        { line: 1, column: 1, covers: "Header set X", fix: "none", message: { exact: 'Header set needs a header and a value after `X`: Apache refuses to start ("Header requires three arguments").' } },
        { line: 2, column: 16, covers: "extra", fix: "unsafe", message: '`extra` is read as a condition (early, env=NAME or expr=…), not as part of the value: quote a value that has spaces: Apache refuses to start ("Unknown parameter: extra").' },
        { line: 3, column: 1, message: "RequestHeader set needs a header and a value after `X`" },
        { line: 4, column: 23, message: "`extra` is read as a condition" },
      ],
      output: 'Header set X\nHeader set X "y extra"\nRequestHeader set X\nRequestHeader set X "y extra"\n',
    },
    {
      name: "doc.bad: an unquoted value, always at the end, a misspelt action",
      code: testedRule.doc.bad,
      findings: [
        { line: 1, column: 39, covers: "public", fix: "unsafe", message: "`public` is read as a condition" },
        { line: 2, column: 39, covers: "always", fix: "unsafe", message: '`always` is a condition of the action: it goes first (`Header always set …`), not at the end: Apache refuses to start ("Unknown parameter: always").' },
        { line: 3, column: 15, covers: "sett", fix: "unsafe", message: `\`sett\` is no RequestHeader action (add, set, setifempty, append, merge, unset, echo, note, edit or edit*), the nearest is \`set\`: Apache refuses to start ("${ACTION_REFUSAL}").` },
      ],
      output: testedRule.doc.good,
    },
    {
      name: "an unquoted CSP: the single quotes stay inside the new double ones",
      code: "Header set Content-Security-Policy default-src 'self'\n",
      findings: [{ line: 1, column: 48, covers: "'self'", fix: "unsafe", message: "`self` is read as a condition" }],
      output: "Header set Content-Security-Policy \"default-src 'self'\"\n",
    },
    {
      name: "words too many: mod_headers' own counts",
      code: "Header set X a b env=foo\nHeader set X a b c d\nHeader unset X y z\nHeader echo X y z\nHeader edit X a b c\n",
      findings: [
        { line: 1, column: 18, covers: "env=foo", fix: "unsafe", message: '`env=foo` is one word too many: Header set takes a header, a value and a condition; quote a value that has spaces: Apache refuses to start ("Too many arguments to directive").' },
        { line: 2, column: 20, covers: "d", fix: "unsafe", message: '`d` is one word too many: Header takes at most an action, a header, a value and its replacement, and a condition; quote a value that has spaces: Apache refuses to start ("Header has too many arguments").' },
        { line: 3, column: 18, covers: "z", fix: "none", message: '{"header unset takes two arguments")'.slice(0, 0) + "Header unset takes a header and an optional condition, not a value" },
        { line: 4, column: 17, covers: "z", message: "Header echo takes a header and an optional condition, not a value" },
        { line: 5, column: 19, covers: "c", fix: "none", message: '`c` is no condition: Header takes early, env=NAME or expr=… there: Apache refuses to start ("Unknown parameter: c").' },
      ],
      output: 'Header set X "a b" env=foo\nHeader set X "a b c d"\nHeader unset X y z\nHeader echo X y z\nHeader edit X a b c\n',
    },
    {
      name: "conditions and formats",
      code: 'Header set X y env=\nHeader set X y env=!\nHeader set X y expr=\nHeader set X "%z"\nHeader set X "100% sure"\nHeader set X "%{FOO}"\nHeader edit X a\n',
      findings: [
        { line: 1, column: 16, message: { exact: '`env=` names no environment variable: write env=NAME or env=!NAME: Apache refuses to start ("error: missing environment variable name. envclause should be in the form env=envar ").' } },
        { line: 2, column: 16, message: "`env=!` names no environment variable" },
        { line: 3, column: 16, message: '`expr=` has no expression after it: Apache refuses to start ("Can\'t parse envclause/expression: syntax error, unexpected $end").' },
        { line: 4, column: 14, message: '`%z` is no format of a header value (%D, %t, %{NAME}e, %{NAME}s, %{NAME}i or %%): write %% for a literal %: Apache refuses to start ("Unrecognized header format %z").' },
        { line: 5, column: 14, message: "`% ` (a `%` before a space) is no format" },
        { line: 6, column: 14, message: { exact: '`%` with no format letter is no format of a header value (%D, %t, %{NAME}e, %{NAME}s, %{NAME}i or %%): write %% for a literal %: Apache refuses to start ("Unrecognized header format %").' } },
        { line: 7, column: 1, message: 'Header edit needs a header, a regular expression and its replacement: Apache refuses to start ("Header edit requires a match and a substitution").' },
      ],
    },
    {
      name: "RequestHeader has no condition, no note, no echo",
      code: "RequestHeader always set X y\nRequestHeader note X y\nRequestHeader echo X\nHeader\n",
      findings: [
        { line: 1, column: 15, message: `RequestHeader takes no \`always\` condition (only Header does): start with the action (add, set, setifempty, append, merge, unset, echo, note, edit or edit*): Apache refuses to start ("${ACTION_REFUSAL}").` },
        { line: 2, column: 15, message: '`RequestHeader has no `note` action'.slice(1) },
        { line: 3, column: 15, message: 'RequestHeader has no `echo` action (it copies request headers into the response: Header echo): Apache refuses to start ("Header echo only valid on Header directives").' },
        { line: 4, column: 1, message: "Header needs an action" },
      ],
    },
    {
      name: "f4: typographic quotes group nothing (Apache prints the bytes of b” escaped)",
      code: "RequestHeader set X-Test \u201ca b\u201d\n",
      findings: [{ line: 1, column: 29, message: '`b\u201d` is read as a condition (early, env=NAME or expr=…), not as part of the value: quote a value that has spaces: Apache refuses to start ("Unknown parameter: b\u201d").' }],
    },
    {
      name: "in .htaccess: a 500 per request",
      code: "Header set X\n",
      path: ".htaccess",
      findings: [{ line: 1, column: 1, severity: "error", message: "Header set needs a header and a value after `X`: Apache answers 500 for every request" }],
    },
    {
      name: "in a body Apache skips: a warning for the day it is read",
      code: "<IfVersion < 2.0>\n  Header set X\n</IfVersion>\n",
      findings: [{ line: 2, column: 3, severity: "warning", message: "Header set needs a header and a value after `X`: Apache skips it today because `<IfVersion < 2.0>` is false here, and stops the day it is true" }],
    },
  ],
});

/** Every form measured: what mod_headers refuses and what it takes (each alone in the server config). */
const FORMS = [
  ...Object.keys(HEADER_ACTIONS).flatMap((a) => [`Header ${a} X y z`, `Header ${a} X`, `Header always ${a} X y`, `RequestHeader ${a} X y z`]),
  ...[...HEADER_FORMAT_LETTERS, "z", "d", "x", "{X}e", "{X}z"].map((l) => `Header set X "%${l}"`),
  "Header", "Header set", "Header set X", "Header set X y", "Header bogus X y", "Header sett X y", "Header always", "Header onsuccess set X y",
  "Header always onsuccess set X y", "Header set X y extra", "Header set X y env=foo extra", "Header set X y env=foo extra more", "Header set X y z w v",
  "Header unset X y", "Header unset X env=foo", "Header unset X env=foo extra", "Header echo X y", "Header echo X y z", "Header edit X a", "Header edit X a b c",
  "Header edit X a b c d", "Header edit X a b env=", "Header set X y env=", "Header set X y env=!", "Header set X y env=!!", "Header set X y expr=",
  "Header set X y EARLY", "Header set X y always", "Header set X y onsuccess", 'Header set X "100% sure"', 'Header set X "%{FOO"', 'Header set X "%{FOO}"',
  'Header set X "100%"', 'Header set X "%%"', "Header unset", "Header echo", 'Header set "" y', 'Header set X ""', "Header note X", "Header always note X y",
  "RequestHeader", "RequestHeader always set X y", "RequestHeader onsuccess set X y", "RequestHeader note X", "RequestHeader echo X y z", "RequestHeader echo",
  "RequestHeader set X y early", "Header set Cache-Control max-age=600, public", "Header set X-Frame-Options SAMEORIGIN always",
  "Header set Content-Security-Policy default-src 'self'", "Header set X a b env=foo", "Header set X-Color #fff",
].map((l) => [l]);

describe.runIf(apacheOrSkip("header-invalid (live)"))("header-invalid against apache2 -t", () => {
  let root = "";
  beforeAll(() => (root = makeServerRoot()));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("reports exactly the lines apache2 -t refuses, at Apache's line, quoting Apache's words", { timeout: 180_000 }, async () => {
    expect(APACHE).not.toBeNull();
    const { differ, refused } = await liveDisagreements(testedRule, FORMS, root);
    expect(differ).toEqual([]);
    expect(refused).toBeGreaterThan(50);
  });

  it("takes the good fixture", { timeout: 30_000 }, async () => {
    const text = readFileSync(join(RULE_FIXTURES, "header-invalid", "good-security-headers.conf"), "utf8");
    const { code, stderr } = await apacheTest(root, caseText(text.split("\n"), root));
    expect([code, stderr]).toEqual([0, expect.any(String)]);
  });
});
