// The committed docs are the rendering of the rule modules: regenerate with `npm run docs`.
import { describe, expect, it } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { allRules } from "../rules/index.js";
import { renderRuleIndex, renderRuleMarkdown, withReadmeRules } from "../src/cli/rule-docs.js";

const docs = join(import.meta.dirname, "..", "docs", "rules");

describe("rule docs", () => {
  for (const rule of allRules) {
    it(`docs/rules/${rule.id}.md is up to date`, () => {
      const path = join(docs, `${rule.id}.md`);
      expect(existsSync(path), `${path} missing: run npm run docs`).toBe(true);
      expect(readFileSync(path, "utf8")).toBe(renderRuleMarkdown(rule));
    });
  }
  it("the index lists every rule", () => {
    expect(readFileSync(join(docs, "README.md"), "utf8")).toBe(renderRuleIndex(allRules));
  });
  it("README.md lists every rule with a link to its page", () => {
    const readme = readFileSync(join(docs, "..", "..", "README.md"), "utf8");
    expect(readme).toBe(withReadmeRules(readme, allRules));
    for (const rule of allRules) expect(readme).toContain(`](docs/rules/${rule.id}.md)`);
  });
  it("rule ids are unique", () => {
    expect(new Set(allRules.map((r) => r.id)).size).toBe(allRules.length);
  });
});
