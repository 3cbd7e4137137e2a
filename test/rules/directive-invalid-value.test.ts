// directive-invalid-value against Apache 2.4.71. Moved from test/rules-modules.test.ts, plus the rule tester.
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/directive-invalid-value.js";
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { DIRECTIVES, directiveInfo, loadableProviders } from "../../src/apache/directives.js";
import { DEBIAN_MODULE_DIR, MODULES } from "../../src/data/modules.js";
import { moduleByName } from "../../src/apache/modules.js";
import directiveInvalidValue from "../../rules/directive-invalid-value.js";
import { rmSync } from "node:fs";
import { afterAll, beforeAll } from "vitest";
import { HTTP_METHODS } from "../../src/data/http-methods.js";
import { INDEX_OPTIONS, OPTIONS_KEYWORDS, OVERRIDE_KEYWORDS } from "../../src/data/keyword-arguments.js";
import { makeServerRoot } from "../../src/tools/differential.js";
import { APACHE, apacheOrSkip } from "../apache/harness.js";
import { liveDisagreements } from "../helpers/live-agreement.js";

import {
  withApache,
  fixture,
  lint,
  fix,
  serverRoot,
  start,
  SKELETON,
  useModuleProofs,
} from "../helpers/module-proofs.js";

useModuleProofs();

ruleTester(testedRule, {
  valid: [
    "proxyrequests oFf\n",
    "ProxyRequests ${FWD}\n",
    "RewriteOptions inherit MERGEBASE\n",
    // signed enumerations: every word signed, or none (Options); SSLProtocol and FileETag may mix
    "Options -Indexes +FollowSymLinks\nOptions Indexes FollowSymLinks\nSSLProtocol all -SSLv2 -SSLv3 -TLSv1 -TLSv1.1\nFileETag MTime +Size\n",
    // None and All may stand before signed words; RunScripts is an old name Apache still takes
    "Options None +Indexes\nOptions All -ExecCGI\nOptions None Indexes +FollowSymLinks\nOptions +RunScripts\nFileETag None MTime\nRegexDefaultOptions None ICASE\n",
    '<Directory "/srv">\nAllowOverride None\nAllowOverride AuthConfig FileInfo Indexes Limit Options=Indexes,MultiViews Nonfatal=Override\nAllowOverride Indexes=x Options= Nonfatal=Bogus\nAllowOverrideList Redirect RedirectMatch\nAllowOverrideList None\n</Directory>\n',
    '<Directory "/srv">\nAllowMethods GET POST OPTIONS\nAllowMethods reset\nAllowMethods RESET\nAllowMethods GET ""\n<Limit BREW>\n</Limit>\nAllowMethods BREW\n</Directory>\n',
    "IndexOptions FancyIndexing +HTMLTable -IconsAreLinks Charset=UTF-8 Type=text/html NameWidth=* NameWidth=0 DescriptionWidth=12 -NameWidth IconHeight IconWidth=16 -IconHeight\nIndexOptions\n",
    "IndexOptions FancyIndexing None\nIndexOptions None +FancyIndexing UseOldDateFormat Charset=UTF-8\n<Directory \"/srv\">\nIndexOptions FancyIndexing\n</Directory>\n",
    "Options ${OPTS} Indexes\nIndexOptions None ${MORE}\n",
  ],
  invalid: [
    {
      name: "a signed word misspelt: the fix keeps the sign",
      code: "Options -Indexesx\nSSLProtocol -all +TLSv1.4\n",
      findings: [
        { line: 1, column: 9, severity: "error", fix: "unsafe", message: 'Options accepts None, All, Indexes, Includes, IncludesNOEXEC, FollowSymLinks, SymLinksIfOwnerMatch, ExecCGI or MultiViews (each may carry + or -), not "-Indexesx"' },
        { line: 2, column: 18, fix: "none", message: 'SSLProtocol accepts all, TLSv1, TLSv1.1, TLSv1.2, TLSv1.3, SSLv2 or SSLv3 (each may carry + or -), not "+TLSv1.4"' },
      ],
      output: "Options -Indexes\nSSLProtocol -all +TLSv1.4\n",
    },
    {
      name: "Options mixing signed and bare words (Apache's words)",
      code: "Options Indexes +FollowSymLinks\n",
      findings: [
        {
          line: 1,
          column: 17,
          covers: "+FollowSymLinks",
          fix: "none",
          message: { exact: 'Options mixes "Indexes" with "+FollowSymLinks": either every value carries + or - or none does: Apache refuses to start ("Either all Options must start with + or -, or no Option may.").' },
        },
      ],
    },
    {
      name: "Options: None and All first and unsigned, a bare word after a signed one",
      code: "Options Indexes None\nOptions +None\nOptions None All\nOptions +Indexes FollowSymLinks\nOptions ++Indexes\n",
      findings: [
        { line: 1, column: 17, fix: "none", message: { exact: `"None" must be the first value of Options: Apache refuses to start ("'Options None' must be the first Option given.").` } },
        { line: 2, column: 9, fix: "unsafe", message: `None takes no + or -: Apache refuses to start ("You may not use 'Options +None' or 'Options -None'.").` },
        { line: 3, column: 14, message: `"All" must be the first value of Options: Apache refuses to start ("'Options All' must be the first option given.").` },
        { line: 4, column: 18, message: 'Options mixes "+Indexes" with "FollowSymLinks": either every value carries + or - or none does' },
        { line: 5, column: 9, message: 'Options accepts None, All, Indexes, Includes, IncludesNOEXEC, FollowSymLinks, SymLinksIfOwnerMatch, ExecCGI or MultiViews (each may carry + or -), not "++Indexes": Apache refuses to start ("Illegal option +Indexes").' },
      ],
      output: "Options Indexes None\nOptions None\nOptions None All\nOptions +Indexes FollowSymLinks\nOptions ++Indexes\n",
    },
    {
      name: "FileETag and RegexDefaultOptions: None takes no sign",
      code: "FileETag +None\nRegexDefaultOptions -none\n",
      findings: [
        { line: 1, column: 10, fix: "unsafe", message: { exact: `None takes no + or -: Apache refuses to start ("FileETag keyword 'None' cannot be used with '+' or '-'").` } },
        { line: 2, column: 21, message: `None takes no + or -: Apache refuses to start ("RegexDefaultOptions: option 'none' unknown").` },
      ],
      output: "FileETag None\nRegexDefaultOptions none\n",
    },
    {
      name: "AllowOverride: the differential's case, On, commas, Options= and Nonfatal",
      code: '<Directory "/srv">\nAllowOverride None extra\nAllowOverride On\nAllowOverride AuthConfig,FileInfo\nAllowOverride Options=+Indexes\nAllowOverride Nonfatal\nAllowOverrideList Redirect None\n</Directory>\n',
      findings: [
        { line: 2, column: 20, covers: "extra", fix: "none", message: { exact: 'AllowOverride accepts All, None, AuthConfig, FileInfo, Indexes, Limit, Options or Nonfatal, not `extra`: Apache refuses to start ("Illegal override option extra").' } },
        { line: 3, column: 15, fix: "unsafe", message: "AllowOverride accepts All, None, AuthConfig, FileInfo, Indexes, Limit, Options or Nonfatal, not `On` (it is no On/Off directive" },
        { line: 4, column: 15, fix: "unsafe", message: "`AuthConfig,FileInfo`: separate the AllowOverride keywords with spaces, not commas" },
        { line: 5, column: 15, fix: "none", message: '`+Indexes` in `Options=+Indexes` is no option: Options= lists None, All, Indexes, Includes, IncludesNOEXEC, FollowSymLinks, SymLinksIfOwnerMatch, ExecCGI or MultiViews, separated by commas, without + or -: Apache refuses to start ("Illegal option +Indexes").' },
        { line: 6, column: 15, message: 'Nonfatal needs a value: Nonfatal=Override, Nonfatal=Unknown or Nonfatal=All: Apache refuses to start ("=Override, =Unknown or =All expected after Nonfatal").' },
        { line: 7, column: 28, message: "None stands alone in AllowOverrideList: list the directives .htaccess may use, or None: Apache refuses to start (\"'None' not allowed with other directives in AllowOverrideList\")." },
      ],
      output: '<Directory "/srv">\nAllowOverride None extra\nAllowOverride All\nAllowOverride AuthConfig FileInfo\nAllowOverride Options=+Indexes\nAllowOverride Nonfatal\nAllowOverrideList Redirect None\n</Directory>\n',
    },
    {
      name: "AllowMethods: the differential's cases, a method in lower case (a safe fix)",
      code: '<Directory "/srv">\nAllowMethods\nAllowMethods reset extra\nAllowMethods get\nAllowMethods BREW\n</Directory>\n',
      findings: [
        { line: 2, column: 1, message: { exact: `AllowMethods needs method names (GET POST …) or \`reset\`: Apache refuses to start ("AllowMethods: No method or 'reset' keyword given").` } },
        { line: 3, column: 14, covers: "reset", message: "`reset` stands alone: `AllowMethods reset` allows every method again: Apache refuses to start (\"AllowMethods: Invalid Method 'reset'\")." },
        { line: 4, column: 14, fix: "safe", message: "method names are case-sensitive: `GET`, not `get`: Apache refuses to start (\"AllowMethods: Invalid Method 'get'\")." },
        { line: 5, column: 14, fix: "none", message: "`BREW` is no method Apache knows" },
      ],
      output: '<Directory "/srv">\nAllowMethods\nAllowMethods reset extra\nAllowMethods GET\nAllowMethods BREW\n</Directory>\n',
    },
    {
      name: "IndexOptions: the differential's case, widths, signs, None",
      code: "IndexOptions Charset=UTF-8 extra\nIndexOptions NameWidth=3\nIndexOptions +DescriptionWidth\nIndexOptions -IconWidth=16\nIndexOptions -None\nIndexOptions None FancyIndexing\nIndexOptions FancyIndexng\n",
      findings: [
        { line: 1, column: 28, covers: "extra", message: { exact: '`extra` is no IndexOptions keyword: Apache refuses to start ("Invalid directory indexing option").' } },
        { line: 2, column: 14, message: 'NameWidth=3 is below 5: write at least 5, or *: Apache refuses to start ("NameWidth value must be greater than 5").' },
        { line: 3, column: 14, message: "DescriptionWidth needs a value (DescriptionWidth=n or DescriptionWidth=*), or -DescriptionWidth for the default: Apache refuses to start (\"DescriptionWidth with no value may only appear as '-DescriptionWidth'\")." },
        { line: 4, column: 14, message: "`-IconWidth=16`: a size cannot be removed, write -IconWidth or IconWidth=n: Apache refuses to start (\"Cannot combine '-' with IconWidth=n\")." },
        { line: 5, column: 14, fix: "unsafe", message: "None takes no sign: Apache refuses to start (\"Cannot combine '+' or '-' with 'None' keyword\")." },
        { line: 6, column: 19, covers: "FancyIndexing", message: "`FancyIndexing` after None: None switches every option off, so add options with + (`+FancyIndexing`) or drop None: Apache refuses to start (\"Cannot combine other IndexOptions keywords with 'None'\")." },
        { line: 7, column: 14, message: "`FancyIndexng` is no IndexOptions keyword" },
      ],
    },
    {
      name: "IndexOptions None holds for the later lines of its context",
      code: "IndexOptions None\nIndexOptions +FancyIndexing\nIndexOptions FancyIndexing\n<Directory \"/srv\">\nIndexOptions FancyIndexing\n</Directory>\n",
      findings: [{ line: 3, column: 14, message: "`FancyIndexing` after None" }],
    },
    {
      name: "the user's case style kept for a synonym",
      code: "ProxyPreserveHost YES\n",
      findings: [
        { line: 1, column: 19, endLine: 1, endColumn: 22, severity: "error", fix: "unsafe", message: "ProxyPreserveHost must be On or Off, not \"YES\": Apache refuses to star" },
      ],
      output: "ProxyPreserveHost ON\n",
    },
    {
      name: "in .htaccess: a 500 per request",
      code: "RewriteEngine onn\n",
      path: ".htaccess",
      findings: [
        { line: 1, column: 15, endLine: 1, endColumn: 18, severity: "error", fix: "unsafe", message: "RewriteEngine must be On or Off, not \"onn\": Apache answers 500 for eve" },
      ],
    },
    {
      name: "doc.bad, finding by finding",
      code: testedRule.doc.bad,
      findings: [
      { line: 1, column: 15, endLine: 1, endColumn: 22, severity: "error", fix: "unsafe", message: "ProxyRequests must be On or Off, not \"off4167\": Apache refuses to star" },
      { line: 2, column: 19, endLine: 2, endColumn: 24, severity: "error", fix: "none", message: "ProxyPreserveHost must be On or Off, not \"maybe\": Apache refuses to st" },
      ],
    },
  ],
});

// ------------------------------------------------------- directive-invalid-value

describe("directive-invalid-value", () => {
  const rule = directiveInvalidValue;
  const one = (line: string, path = "t.conf") => lint(rule, `${line}\n`, path);

  it("reports e1 on the value, with Apache's own words, and cuts it to the allowed prefix", () => {
    const text = fixture("directive-invalid-value", "bad-e1-proxyrequests-bad-flag.conf");
    const [f] = lint(rule, text);
    expect([f!.line, text.slice(f!.start, f!.end)]).toEqual([13, "off4167"]);
    expect(f!.message).toBe('ProxyRequests must be On or Off, not "off4167": Apache refuses to start.');
    expect(f!.fix?.safety).toBe("unsafe");
    expect(fix(rule, "ProxyRequests off4167\n")).toBe("ProxyRequests off\n");
  });

  it("keeps the user's letters, or their case style for a synonym", () => {
    expect(fix(rule, "ProxyRequests OFF4167\n")).toBe("ProxyRequests OFF\n");
    expect(fix(rule, "ProxyPreserveHost true\n")).toBe("ProxyPreserveHost on\n");
    expect(fix(rule, "ProxyPreserveHost YES\n")).toBe("ProxyPreserveHost ON\n");
    expect(fix(rule, 'SSLProxyEngine "Enabled"\n')).toBe('SSLProxyEngine "On"\n');
  });

  it("offers no fix when no allowed value is meant unambiguously", () => {
    expect(one("ProxyPreserveHost maybe").map((f) => f.fix)).toEqual([undefined]);
    expect(one("ProxyVia bogus")[0]!.message).toBe('ProxyVia accepts Off, On, Full or Block, not "bogus": Apache refuses to start.');
  });

  it("is case-insensitive like Apache, and skips what is not a value: # words, ${VAR}, words after a FLAG", () => {
    for (const ok of ["proxyrequests oFf", "ProxyRequests Off # comment", "ProxyRequests #Off", "ProxyRequests ${FWD}", "ProxyRequests On extra", "RewriteOptions inherit MERGEBASE"]) {
      expect(one(ok), ok).toEqual([]);
    }
    expect(one("RewriteOptions Inherit Bogus").map((f) => f.column)).toEqual([24]);
  });

  it("says what happens in .htaccess: a 500 per request", () => {
    expect(one("RewriteEngine onn", ".htaccess")[0]!.message).toContain("Apache answers 500");
  });

  it("has a table of at least 40 enumerated directives, FLAGs included, whose modules all exist", () => {
    const enumerated = DIRECTIVES.filter((d) => d.values || d.each);
    expect(enumerated.length).toBeGreaterThanOrEqual(40);
    for (const name of ["ProxyRequests", "ProxyPreserveHost", "RewriteEngine", "SSLProxyEngine", "ProxyAddHeaders", "SSLProxyCheckPeerName", "KeepAlive", "ExpiresActive"]) {
      expect(directiveInfo(name)?.arity, name).toBe("flag");
    }
    const known = new Set([...MODULES.map((m) => m.name), "core"]);
    for (const d of DIRECTIVES) for (const m of d.modules) expect(known, `${d.name}: ${m}`).toContain(m);
    expect(loadableProviders(directiveInfo("RewriteRule")!)).toEqual(["rewrite"]);
    expect(loadableProviders(directiveInfo("LoadModule")!)).toBeNull();
  });

  withApache("e1: apache2 -t fails with 'ProxyRequests must be On or Off' before the fix and passes after", () => {
    const sr = serverRoot();
    const text = fixture("directive-invalid-value", "bad-e1-proxyrequests-bad-flag.conf");
    const before = sr.test(text);
    expect([before.code, before.output]).toEqual([1, expect.stringContaining("ProxyRequests must be On or Off")]);
    expect(sr.test(fix(rule, text)).code).toBe(0);
  });

  withApache("the table still matches apache2: every 8th enumerated directive rejects a value outside its set", () => {
    const sr = serverRoot();
    const all = MODULES.filter((m) => !/^mpm_(worker|prefork)$/.test(m.name));
    // every module, each after the ones it links against
    const order: string[] = [];
    const visit = (name: string) => {
      if (order.includes(name)) return;
      for (const d of moduleByName(name)!.loadAfter) visit(d);
      order.push(name);
    };
    for (const m of all) visit(m.name);
    const head = [...SKELETON.split("\n").filter((l) => !l.startsWith("LoadModule")), ...order.map((n) => `LoadModule ${moduleByName(n)!.id} ${DEBIAN_MODULE_DIR}/${moduleByName(n)!.file}`)].join("\n");
    const sample = DIRECTIVES.filter((d) => (d.values?.[0] || d.each) && !d.modules.some((m) => m.startsWith("mpm_"))).filter((_, i) => i % 8 === 0);
    expect(sample.length).toBeGreaterThan(10);
    for (const d of sample) {
      const line = `${d.name} bogus4167`;
      const at = head.split("\n").length + 1;
      let r = sr.test(`${head}\n${line}\n`);
      let expected = at;
      if (/not allowed here/.test(r.output)) {
        r = sr.test(`${head}\n<Directory "/">\n${line}\n</Directory>\n`);
        expected = at + 1;
      }
      // refused, and for this very line
      expect(r.code, `${line}: ${r.output}`).toBe(1);
      expect(Number(/Syntax error on line (\d+) of/.exec(r.output)?.[1]), `${line}: ${r.output}`).toBe(expected);
    }
  });
});

describe("the documented examples", () => {
  for (const rule of [directiveInvalidValue]) {
    it(`${rule.id}: doc.bad fires and doc.good is silent`, () => {
      expect(lint(rule, rule.doc.bad).length).toBeGreaterThan(0);
      expect(lint(rule, rule.doc.good)).toEqual([]);
    });
  }
});

/** The keyword lines, every form measured (src/data/keyword-arguments.ts, src/data/http-methods.ts), each alone in a <Directory>. */
const KEYWORD_FORMS: string[][] = [
  ...OPTIONS_KEYWORDS.flatMap((k) => [`Options ${k}`, `Options +${k}`, `Options Indexes ${k}`, `Options None ${k}`, `AllowOverride Options=${k}`, `AllowOverride Options=Indexes,${k}`]),
  ...OVERRIDE_KEYWORDS.flatMap((k) => [`AllowOverride ${k}`, `AllowOverride ${k}=All`, `AllowOverride None ${k}`]),
  ...Object.keys(INDEX_OPTIONS).flatMap((k) => [`IndexOptions ${k}`, `IndexOptions +${k}`, `IndexOptions -${k}`, `IndexOptions ${k}=3`, `IndexOptions -${k}=20`, `IndexOptions ${k}=*`, `IndexOptions None ${k}`, `IndexOptions ${k}X`]),
  ...HTTP_METHODS.map((m) => `AllowMethods ${m}`),
  "Options None +Indexes", "Options All -Indexes", "Options None Indexes +FollowSymLinks", "Options Indexes +FollowSymLinks", "Options +Indexes FollowSymLinks",
  "Options -Indexes None", "Options ++Indexes", 'Options ""', 'Options Indexes ""', "Options Indexes,FollowSymLinks", "Options All None", "Options None None",
  "AllowOverride", "AllowOverride On", "AllowOverride Off", "AllowOverride bogus", "AllowOverride +AuthConfig", "AllowOverride AuthConfig,FileInfo", 'AllowOverride ""', "AllowOverride =x",
  "AllowOverride Options=", "AllowOverride Options=bogus", "AllowOverride Options=+Indexes", "AllowOverride Options=Indexes;MultiViews", "AllowOverride Nonfatal", "AllowOverride Nonfatal=",
  "AllowOverrideList", "AllowOverrideList None", "AllowOverrideList Redirect None", "AllowOverrideList NONE Redirect", "AllowOverrideList Bogus",
  "AllowMethods", 'AllowMethods ""', 'AllowMethods GET ""', 'AllowMethods "" GET', "AllowMethods reset", "AllowMethods RESET", "AllowMethods GET reset", "AllowMethods reset reset",
  "AllowMethods get", "AllowMethods BREW", "AllowMethods GET,POST",
  "IndexOptions", 'IndexOptions ""', "IndexOptions +", "IndexOptions None", "IndexOptions -None", "IndexOptions None None", "IndexOptions None -FancyIndexing",
  "IndexOptions FancyIndexing None", "IndexOptions NameWidth=4x", "IndexOptions NameWidth=+3", "IndexOptions NameWidth=-1", "IndexOptions NameWidth=99999999999",
  "IndexOptions DescriptionWidth=11", "IndexOptions DescriptionWidth=abc", "IndexOptions Charset=", "IndexOptions Charset=x=y", "IndexOptions NameWidth= 3",
  'IndexOptions "" FancyIndexing', 'IndexOptions FancyIndexing ""', "FileETag +None", "FileETag -All", "FileETag +none", "FileETag None MTime",
].map((l) => ['<Directory "/tmp">', l, "</Directory>"]);

describe.runIf(apacheOrSkip("directive-invalid-value keyword lines (live)"))("directive-invalid-value's keyword lines against apache2 -t", () => {
  let root = "";
  beforeAll(() => (root = makeServerRoot()));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("reports exactly the lines apache2 -t refuses, at Apache's line, quoting Apache's words", { timeout: 300_000 }, async () => {
    expect(APACHE).not.toBeNull();
    const cross = [
      ["RegexDefaultOptions +None"],
      ["RegexDefaultOptions None ICASE"],
      ['<Directory "/tmp">', "IndexOptions None", "IndexOptions FancyIndexing", "</Directory>"],
      ['<Directory "/tmp">', "IndexOptions None", "IndexOptions +FancyIndexing", "</Directory>"],
      ['<Directory "/tmp">', "<Limit BREW>", "</Limit>", "AllowMethods BREW", "</Directory>"],
    ];
    const { differ, refused } = await liveDisagreements(testedRule, [...KEYWORD_FORMS, ...cross], root);
    expect(differ).toEqual([]);
    expect(refused).toBeGreaterThan(100);
  });
});
