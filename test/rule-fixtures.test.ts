// Every rule is proven on its own fixtures (fixtures/rules/<id>/):
//   bad*.conf | bad*.htaccess   the rule must fire
//   good*.conf | good*.htaccess the rule must stay silent (the correct form)
//   <bad fixture>.fixed         what applying the rule's fixes (safe and unsafe) must produce
// A fixture may set lint options on a comment line: `# fixture: apache-version=2.4.46`.
// `# fixture: server-root=DIR` (relative to the fixture's directory) resolves its
// Include lines on disk with the real resolver, as the CLI does with --server-root.
import { describe, expect, it } from "vitest";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parse } from "../grammar/index.js";
import { allRules } from "../rules/index.js";
import { lintText, type Options as LintOptions } from "../src/index.js";
import { fixUntilStable } from "../src/core/fixer.js";
import { parseVersion } from "../src/apache/version.js";
import { IncludeResolver } from "../src/server/includes.js";
import { withIncludes } from "../src/server/server-info.js";
import { serverInfoFromFile } from "../src/server/server-info.js";
import type { Rule } from "../src/core/rule.js";

const root = join(import.meta.dirname, "..", "fixtures", "rules");
const isFixture = (n: string) => /\.(conf|htaccess)$/.test(n);

function optionsFor(text: string, rule: Rule, path: string): LintOptions {
  const opts: LintOptions = { rules: [rule] };
  const m = /^#\s*fixture:\s*apache-version=(\S+)/m.exec(text);
  if (m) opts.apacheVersion = parseVersion(m[1]!)!;
  const root = /^#\s*fixture:\s*server-root=(\S+)/m.exec(text);
  if (root) {
    const file = parse(text, path);
    const serverRoot = resolve(dirname(path), root[1]!);
    const resolver = new IncludeResolver();
    opts.server = withIncludes(serverInfoFromFile(file), resolver.resolveFile(file, resolver.realPath(path), { serverRoot, chain: [] }));
  }
  return opts;
}

function lintWith(rule: Rule, text: string, path: string) {
  return lintText(text, path, optionsFor(text, rule, path)).findings.filter((f) => f.ruleId === rule.id);
}

for (const rule of allRules) {
  describe(rule.id, () => {
    const dir = join(root, rule.id);
    const files = existsSync(dir) ? readdirSync(dir).filter(isFixture).sort() : [];
    const bad = files.filter((f) => f.startsWith("bad"));
    const good = files.filter((f) => f.startsWith("good"));

    it("is documented", () => {
      for (const [k, v] of Object.entries(rule.doc)) {
        if (typeof v === "string") expect(v, `${rule.id} doc.${k}`).not.toMatch(/^TODO|^\s*$/);
      }
      expect(rule.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    });

    it("has fixtures where it fires and where it must not", () => {
      expect(bad.length, `${dir}/bad*.conf`).toBeGreaterThan(0);
      expect(good.length, `${dir}/good*.conf`).toBeGreaterThan(0);
      if (rule.fixable !== "none") {
        expect(bad.some((b) => existsSync(join(dir, `${b}.fixed`))), `${rule.id} is fixable: a bad fixture needs a .fixed`).toBe(true);
      }
    });

    for (const name of bad) {
      const path = join(dir, name);
      const text = readFileSync(path, "utf8");
      it(`fires on ${name}`, () => {
        expect(lintWith(rule, text, path).length).toBeGreaterThan(0);
      });
      const fixedPath = `${path}.fixed`;
      if (existsSync(fixedPath)) {
        it(`fixes ${name}`, () => {
          const lint = (t: string) => lintText(t, path, optionsFor(text, rule, path)).findings;
          const result = fixUntilStable(text, lint, () => true);
          expect(result.output).toBe(readFileSync(fixedPath, "utf8"));
          // idempotent: fixing the fixed text changes nothing
          expect(fixUntilStable(result.output, lint, () => true).output).toBe(result.output);
          // and what is left of this rule has no fix to offer
          expect(lintWith(rule, result.output, path).filter((f) => f.fix)).toEqual([]);
        });
      }
    }

    for (const name of good) {
      const path = join(dir, name);
      it(`stays silent on ${name}`, () => {
        const text = readFileSync(path, "utf8");
        expect(lintWith(rule, text, path).map((f) => `${f.line}:${f.column} ${f.message}`)).toEqual([]);
      });
    }
  });
}
