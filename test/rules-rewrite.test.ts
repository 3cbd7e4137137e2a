// Targeted tests for the mod_rewrite rules (issue 4): exact positions and
// messages, edge cases the fixtures do not pin down, the helpers in
// src/rewrite.ts they rely on, and how their fixes compose on the tutorial.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "../grammar/index.js";
import { lintText, type Finding, type Options as LintOptions } from "../src/index.js";
import { applyFixes, fixUntilStable } from "../src/core/fixer.js";
import { captureGroupCount, expansions, valueOffsets } from "../src/apache/rewrite.js";
import { parseVersion } from "../src/apache/version.js";
import { ruleById } from "../rules/index.js";
import type { Rule } from "../src/core/rule.js";

const IDS = [
  "rewrite-var-sigil",
  "rewrite-backref-without-group",
  "upgrade-header-anchored",
  "rewrite-flags-malformed",
  "websocket-prefer-upgrade-param",
] as const;
const rule = (id: (typeof IDS)[number]): Rule => ruleById(id)!;
const mine = IDS.map(rule);

function lint(id: (typeof IDS)[number], text: string, opts: LintOptions & { path?: string } = {}): Finding[] {
  const { path = "test.conf", ...rest } = opts;
  return lintText(text, path, { rules: [rule(id)], ...rest }).findings;
}

/** Applies every fix (safe and unsafe) of the given rules until nothing changes. */
function fixAll(text: string, rules: readonly Rule[], opts: LintOptions & { path?: string } = {}): string {
  const { path = "test.conf", ...rest } = opts;
  return fixUntilStable(text, (t) => lintText(t, path, { rules, ...rest }).findings, () => true).output;
}

const at = (f: Finding) => `${f.line}:${f.column}-${f.endLine}:${f.endColumn}`;
const fixture = (id: string, name: string) => readFileSync(join(import.meta.dirname, "..", "fixtures", "rules", id, name), "utf8");

describe("src/rewrite.ts helpers", () => {
  it("scans specials as mod_rewrite's do_expand does", () => {
    const kinds = expansions("a\\$1 $1 %2 ${map:%{HTTP_HOST}|x} ${REQUEST_URI} %{HTTP:Upgrade} $ %{open").map((x) =>
      x.kind === "backref" ? `${x.sigil}${x.n}` : x.kind === "variable" ? `var:${x.name}` : x.kind === "map" ? `map:${x.map}` : `db:${x.name}`,
    );
    // `\$1` is escaped; the map key is expanded too; an unclosed `%{` is text
    expect(kinds).toEqual(["$1", "%2", "map:map", "var:HTTP_HOST", "db:REQUEST_URI", "var:HTTP:Upgrade"]);
  });

  it("maps value indices back to file offsets across quotes, escapes and continuations", () => {
    const text = 'RewriteRule ^/a "x\\"y\\\\z" \\\n  b\\\nc\n';
    const file = parse(text);
    const d = file.children.find((n) => n.kind === "directive")!;
    if (d.kind !== "directive") throw new Error("no directive");
    const [, quoted, continued] = d.args;
    expect(quoted!.value).toBe('x"y\\z');
    const qo = valueOffsets(quoted!);
    expect([...quoted!.value].map((_, i) => text[qo[i]!]).join("")).toBe('x"y\\z');
    expect(continued!.value).toBe("bc");
    const co = valueOffsets(continued!);
    expect(text[co[0]!]).toBe("b");
    expect(text[co[1]!]).toBe("c");
    expect(co[2]).toBe(continued!.end);
  });

  it("maps every value character to the same character in the text (property)", () => {
    const piece = fc.constantFrom("a", "$", "{", "}", "\\", '"', "'", " ", "\\\n", "\\\r\n", "x y");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 24 }), (pieces) => {
        const text = `RewriteRule ${pieces.join("")}\n`;
        const file = parse(text);
        for (const n of file.children) {
          if (n.kind !== "directive") continue;
          for (const arg of n.args) {
            const offsets = valueOffsets(arg);
            expect(offsets).toHaveLength(arg.value.length + 1);
            for (let i = 0; i < arg.value.length; i++) expect(text[offsets[i]!]).toBe(arg.value[i]);
            for (let i = 1; i < offsets.length; i++) expect(offsets[i]!).toBeGreaterThan(offsets[i - 1]!);
            expect(offsets[offsets.length - 1]!).toBeLessThanOrEqual(arg.end);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("counts capture groups and gives up on PCRE-only syntax", () => {
    expect(captureGroupCount(".*")).toBe(0);
    expect(captureGroupCount("^/?(.*)")).toBe(1);
    expect(captureGroupCount("^/(?:a|b)/(x)(?<n>y)")).toBe(2);
    expect(captureGroupCount("[(](x)")).toBe(1);
    for (const pcre of ["(?i)^/(x)", "^/a++(b)", "(?P<n>x)", "\\Q(\\E(x)", "[]()]"]) expect(captureGroupCount(pcre), pcre).toBeNull();
  });
});

describe("rewrite-var-sigil", () => {
  it("reports the a1 conditions at the `${…}` span with Apache's behaviour in the message", () => {
    const f = lint("rewrite-var-sigil", fixture("rewrite-var-sigil", "bad-a1.conf"));
    expect(f.map(at)).toEqual(["18:17-18:32", "19:17-19:35"]);
    expect(f[0]!.message).toBe(
      "`${HTTP:Upgrade}` in RewriteCond is a lookup in a RewriteMap named `HTTP`, which is not declared, so mod_rewrite substitutes an empty string; the server variable is `%{HTTP:Upgrade}`.",
    );
    expect(f[0]!.fix).toMatchObject({ safety: "safe", edits: [{ start: f[0]!.start, end: f[0]!.start + 1, text: "%" }] });
  });

  it("locates a variable inside a quoted argument after an escape, and on a continued line", () => {
    const text = 'RewriteRule ^/a "/x\\"y${REQUEST_URI}" \\\n    [E=UA:${HTTP:User-Agent}]\n';
    const f = lint("rewrite-var-sigil", text);
    expect(f.map((x) => text.slice(x.start, x.end))).toEqual(["${REQUEST_URI}", "${HTTP:User-Agent}"]);
    expect(f.map(at)).toEqual(["1:23-1:37", "2:11-2:29"]);
    expect(f[0]!.message).toContain("AH00111");
  });

  it("honours maps declared anywhere in the file (case-sensitive) and Defines (case-insensitive)", () => {
    const text = [
      "<VirtualHost *:80>",
      "  RewriteCond ${HTTP:Upgrade} x",
      "  RewriteCond ${http:Upgrade} x",
      "  RewriteCond ${Request_Uri} x",
      "  RewriteCond ${HTTP_HOST} x",
      "</VirtualHost>",
      "RewriteMap HTTP int:toupper",
      "Define REQUEST_URI /x",
      "",
    ].join("\n");
    expect(lint("rewrite-var-sigil", text).map((f) => f.line)).toEqual([3, 5]);
  });

  it("keeps CRLF files CRLF and changes one byte per finding", () => {
    const text = "RewriteCond ${HTTP:Upgrade} websocket [NC]\r\nRewriteRule ^/?(.*) ws://b/$1 [P]\r\n";
    expect(fixAll(text, [rule("rewrite-var-sigil")])).toBe(text.replace("${", "%{"));
  });
});

describe("rewrite-backref-without-group", () => {
  it("reports b2's `$1` with the pattern as related location", () => {
    const f = lint("rewrite-backref-without-group", fixture("rewrite-backref-without-group", "bad-b2.conf"));
    expect(f).toHaveLength(1);
    expect(at(f[0]!)).toBe("20:42-20:44");
    expect(f[0]!.message).toBe("`$1` in the RewriteRule substitution expands to an empty string: the pattern `.*` has no capture group.");
    expect(f[0]!.related.map((r) => `${r.line}:${r.column} ${r.message}`)).toEqual(["20:17 the pattern"]);
    expect(f[0]!.fix?.safety).toBe("unsafe");
  });

  it("chooses the capture by context: server and vhost vs per-directory", () => {
    const rule = 'RewriteRule .* "ws://b/$1" [P,L]\n';
    const fixed = (text: string, path?: string) => fixAll(text, [ruleById("rewrite-backref-without-group")!], path ? { path } : {});
    expect(fixed(rule)).toBe('RewriteRule ^/?(.*) "ws://b/$1" [P,L]\n');
    expect(fixed(`<VirtualHost *:80>\n<IfModule rewrite_module>\n${rule}</IfModule>\n</VirtualHost>\n`)).toContain("^/?(.*)");
    expect(fixed(`<Location /ws/>\n${rule}</Location>\n`)).toContain("RewriteRule ^(.*)$ ");
    expect(fixed(`<If "true">\n${rule}</If>\n`)).toContain("RewriteRule ^(.*)$ ");
    expect(fixed(rule, "site/.htaccess")).toBe('RewriteRule ^(.*)$ "ws://b/$1" [P,L]\n');
  });

  it("offers no fix unless the pattern matches everything and only $1 is used", () => {
    for (const text of ["RewriteRule .* /x/$1/$2\n", "RewriteRule ^/a.* /x/$1\n", "RewriteRule !.* /x/$1\n"]) {
      const f = lint("rewrite-backref-without-group", text);
      expect(f.length, text).toBeGreaterThan(0);
      expect(f.every((x) => !x.fix), text).toBe(true);
    }
  });

  it("checks %N against the last positive regex condition only", () => {
    const conds = (lines: string[]) => lint("rewrite-backref-without-group", [...lines, "RewriteRule ^/(.*) /%1/$1\n"].join("\n"));
    expect(conds(["RewriteCond %{HTTP_HOST} ^(.+)$", "RewriteCond %{REQUEST_FILENAME} !-f"])).toEqual([]);
    expect(conds(["RewriteCond %{HTTP_HOST} ^(.+)$", "RewriteCond %{HTTP_HOST} ^www"]).map((f) => f.message)).toEqual([
      "`%1` in the RewriteRule substitution expands to an empty string: the last RewriteCond pattern `^www` has no capture group (write `\\%` for a literal percent sign).",
    ]);
    expect(conds(["RewriteCond %{HTTP_HOST} ^a [OR]", "RewriteCond %{HTTP_HOST} ^(b)"])).toEqual([]);
    expect(conds(["RewriteCond %{HTTP_HOST} !^(www)"]).map((f) => f.message)[0]).toContain("no RewriteCond of this rule has a (non-negated) regular expression");
  });

  it("reads ProxyPassMatch regexes from the directive or the enclosing <LocationMatch>", () => {
    expect(lint("rewrite-backref-without-group", fixture("rewrite-backref-without-group", "good-m28.conf"))).toEqual([]);
    const text = '<LocationMatch "^/ws/">\n  ProxyPassMatch ws://b/ws/$1\n</LocationMatch>\nProxyPassMatch ^/(a)$ http://b/$1$2\n';
    expect(lint("rewrite-backref-without-group", text).map((f) => `${at(f)} ${text.slice(f.start, f.end)}`)).toEqual(["2:28-2:30 $1", "4:34-4:36 $2"]);
  });
});

describe("upgrade-header-anchored", () => {
  it("reports l1's Connection condition only, with a fix to an unanchored token", () => {
    const text = fixture("upgrade-header-anchored", "bad-l1.conf");
    const f = lint("upgrade-header-anchored", text);
    expect(f.map(at)).toEqual(["19:36-19:45"]);
    expect(f[0]!.message).toContain("Firefox sends `keep-alive, Upgrade`");
    expect(applyFixes(text, [f[0]!.fix!]).text).toContain("RewriteCond %{HTTP:Connection} upgrade [NC]\n");
  });

  it("puts NC into an existing flags field, keeping its other flags", () => {
    expect(fixAll("RewriteCond %{HTTP:Upgrade} websocket [OR]\n", mine)).toBe("RewriteCond %{HTTP:Upgrade} websocket [NC,OR]\n");
    expect(fixAll('RewriteCond %{HTTP:Upgrade} websocket "[OR]"\n', mine)).toBe('RewriteCond %{HTTP:Upgrade} websocket "[NC,OR]"\n');
  });

  it("leaves conditions it cannot read alone", () => {
    for (const text of [
      "RewriteCond %{HTTP:Connection} !^$\n",
      "RewriteCond %{HTTP:Upgrade} ^websocket$ [NC]\n",
      "RewriteCond %{HTTP_HOST} ^Upgrade$\n",
      "RewriteCond %{HTTP:Connection} (?i)^.*upgrade\n",
    ]) {
      expect(lint("upgrade-header-anchored", text), text).toEqual([]);
    }
  });

  it("does not fix a case-sensitive condition whose flags field is malformed", () => {
    const f = lint("upgrade-header-anchored", "RewriteCond %{HTTP:Upgrade} websocket NC\n");
    expect(f).toHaveLength(1);
    expect(f[0]!.fix).toBeUndefined();
  });
});

describe("rewrite-flags-malformed", () => {
  it("reports m33's `[P, L]` over both words and joins them", () => {
    const text = fixture("rewrite-flags-malformed", "bad-m33.conf");
    const f = lint("rewrite-flags-malformed", text);
    expect(f.map((x) => text.slice(x.start, x.end))).toEqual(["[P, L]"]);
    expect(f[0]!.message).toContain('"RewriteRule: bad flag delimiters"');
    expect(f[0]!.fix).toMatchObject({ safety: "safe", edits: [{ text: "[P,L]" }] });
  });

  it("quotes Apache's unknown-flag error (m21) and offers no guess for a one-letter name", () => {
    const f = lint("rewrite-flags-malformed", fixture("rewrite-flags-malformed", "bad-m21.conf"));
    expect(f.map((x) => x.message)).toEqual([`\`X\` is not a RewriteRule flag: Apache refuses the config with "RewriteRule: unknown flag 'X'".`]);
    expect(f[0]!.fix).toBeUndefined();
  });

  it("accepts what mod_rewrite accepts, including the D quirk and quoted fields", () => {
    for (const flags of ["[DX]", "[backrefernoplus]", '"[P, L]"', "[l=1]", "[UnsafeAllow3F]"]) {
      expect(lint("rewrite-flags-malformed", `RewriteRule ^/a /b ${flags}\n`), flags).toEqual([]);
    }
    expect(lint("rewrite-flags-malformed", "RewriteRule ^/a /b [backrefnoplus]\n").map((f) => f.fix?.edits[0]?.text)).toEqual(["backrefernoplus"]);
  });

  it("leaves a `#` in the flags position to trailing-comment", () => {
    expect(lint("rewrite-flags-malformed", "RewriteRule ^/a /b # note\nRewriteCond %{HTTP_HOST} x #note\n")).toEqual([]);
  });

  it("reports [P] without mod_proxy only when the file loads its own modules", () => {
    const rule = "RewriteRule ^/ws/(.*) ws://b/ws/$1 [P,L]\n";
    expect(lint("rewrite-flags-malformed", rule)).toEqual([]);
    const noProxy = `LoadModule rewrite_module /usr/lib/apache2/modules/mod_rewrite.so\n${rule}`;
    const f = lint("rewrite-flags-malformed", noProxy);
    expect(f.map((x) => `${at(x)} ${x.severity}`)).toEqual(["2:37-2:38 error"]);
    expect(f[0]!.message).toContain("AH00669");
    expect(lint("rewrite-flags-malformed", `LoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so\n${noProxy}`)).toEqual([]);
  });

  it("warns about words after the flags field that Apache drops", () => {
    const f = lint("rewrite-flags-malformed", "RewriteRule ^/a /b [L] [NC] x # c\n");
    expect(f.map((x) => `${at(x)} ${x.severity} ${x.message}`)).toEqual([
      "1:24-1:30 warning Apache ignores `[NC] x` after the RewriteRule flags field `[L]`: only one flags field is read.",
    ]);
  });
});

describe("websocket-prefer-upgrade-param", () => {
  const dance = [
    "<VirtualHost *:80>",
    "  ProxyPass /api/ http://b:3000/api/",
    "  RewriteEngine on",
    "  RewriteCond %{HTTP:Upgrade} websocket [NC]",
    "  RewriteCond %{HTTP:Connection} upgrade [NC]",
    "  RewriteRule ^/ws/(.*)$ ws://b:3000/socket/$1 [P,L]",
    "  ProxyPass / http://b:3000/",
    "</VirtualHost>",
    "",
  ].join("\r\n");

  it("is silent below 2.4.47 and an info from 2.4.47 on", () => {
    expect(lint("websocket-prefer-upgrade-param", dance, { apacheVersion: parseVersion("2.4.46")! })).toEqual([]);
    const f = lint("websocket-prefer-upgrade-param", dance, { apacheVersion: parseVersion("2.4.47")! });
    expect(f.map((x) => `${at(x)} ${x.severity}`)).toEqual(["6:3-6:53 info"]);
    expect(f[0]!.related.map((r) => r.line)).toEqual([4]);
  });

  it("puts the ProxyPass line before the scope's first ProxyPass, in the file's line endings", () => {
    expect(fixAll(dance, [rule("websocket-prefer-upgrade-param")])).toBe(
      [
        "<VirtualHost *:80>",
        "  ProxyPass /ws/ http://b:3000/socket/ upgrade=websocket",
        "  ProxyPass /api/ http://b:3000/api/",
        "  RewriteEngine on",
        "  ProxyPass / http://b:3000/",
        "</VirtualHost>",
        "",
      ].join("\r\n"),
    );
  });

  it("reports `upgrade=` below 2.4.47 as an error, except on ws:// workers from 2.4.26", () => {
    const text = "ProxyPass /a/ http://b/a/ upgrade=websocket\nProxyPass /w/ ws://b/w/ upgrade=websocket\n";
    const at2430 = lint("websocket-prefer-upgrade-param", text, { apacheVersion: parseVersion("2.4.30")! });
    expect(at2430.map((f) => `${f.line} ${f.severity}`)).toEqual(["1 error"]);
    expect(at2430[0]!.message).toContain("needs Apache 2.4.47 or later");
    expect(lint("websocket-prefer-upgrade-param", text, { apacheVersion: parseVersion("2.4.20")! }).map((f) => f.line)).toEqual([1, 2]);
    expect(lint("websocket-prefer-upgrade-param", text)).toEqual([]);
  });
});

describe("documentation examples", () => {
  for (const r of mine) {
    it(`${r.id}: doc.bad fires and doc.good is silent`, () => {
      const run = (text: string) => lintText(`${text}\n`, "doc.conf", { rules: [r] }).findings;
      expect(run(r.doc.bad).length).toBeGreaterThan(0);
      expect(run(r.doc.good).map((f) => f.message)).toEqual([]);
    });
  }
});

describe("the fixes compose on the tutorial", () => {
  // The RewriteCond/RewriteRule lines of shared/apache-truth/e2e/conf/2-rewrite-fixed.conf,
  // which gave 101 with both clients. The e2e backend URL differs from the tutorial's.
  const working = [
    "RewriteCond %{HTTP:Upgrade} websocket [NC]",
    "RewriteCond %{HTTP:Connection} upgrade [NC]",
    'RewriteRule ^/?(.*) "ws://127.0.0.1:13101/$1" [P,L]',
  ];
  const rewriteLines = (text: string) =>
    text
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => /^Rewrite(Cond|Rule)\b/.test(l))
      .map((l) => l.replace(/"[a-z]+:\/+[^/"]+\//, '"<backend>/'));

  it("turns the tutorial's rewrite lines into the working form", () => {
    const tutorial = fixture("rewrite-var-sigil", "bad-tutorial.conf");
    const fixed = fixAll(tutorial, mine);
    expect(rewriteLines(fixed)).toEqual(rewriteLines(working.join("\n")));
    // only the backend URL is left, which is proxy-url-malformed's to fix
    expect(fixed).toContain('RewriteRule ^/?(.*) "wss:/localhost:3000/$1" [P,L]');
    // and what the five rules still say about it carries no fix
    const left = lintText(fixed, "tutorial.conf", { rules: mine }).findings;
    expect(left.map((f) => `${f.ruleId} ${f.severity}`)).toEqual(["websocket-prefer-upgrade-param info"]);
    expect(left.every((f) => !f.fix)).toBe(true);
  });

  it("fixes the tutorial's mistakes in any order (each rule alone, then all)", () => {
    const tutorial = fixture("rewrite-var-sigil", "bad-tutorial.conf");
    const stepwise = mine.reduce((text, r) => fixAll(text, [r]), tutorial);
    expect(stepwise).toBe(fixAll(tutorial, mine));
  });
});
