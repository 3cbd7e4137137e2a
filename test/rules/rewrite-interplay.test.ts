// The mod_rewrite helpers (src/apache/rewrite.ts) and how the five rewrite rules' fixes compose on the tutorial. Moved from test/rules-rewrite.test.ts.
import { ruleTester } from "../helpers/rule-tester.js";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "../../grammar/index.js";
import { lintText, type Finding, type Options as LintOptions } from "../../src/index.js";
import { applyFixes, fixUntilStable } from "../../src/core/fixer.js";
import { captureGroupCount, expansions, valueOffsets } from "../../src/apache/rewrite.js";
import { parseVersion } from "../../src/apache/version.js";
import { ruleById } from "../../rules/index.js";
import type { Rule } from "../../src/core/rule.js";

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
const fixture = (id: string, name: string) => readFileSync(join(import.meta.dirname, "..", "..", "fixtures", "rules", id, name), "utf8");

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
