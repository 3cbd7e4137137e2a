// directive-invalid-value against Apache 2.4.71. Moved from test/rules-modules.test.ts, plus the rule tester.
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/directive-invalid-value.js";
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { DIRECTIVES, directiveInfo, loadableProviders } from "../../src/apache/directives.js";
import { DEBIAN_MODULE_DIR, MODULES } from "../../src/data/modules.js";
import { moduleByName } from "../../src/apache/modules.js";
import directiveInvalidValue from "../../rules/directive-invalid-value.js";

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
