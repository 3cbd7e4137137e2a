// Every registered rule has its tests in test/rules/<id>.test.ts, run through the
// rule tester (which also runs its fixtures), and every fixtures/rules/<dir> is a rule.
import { describe, expect, it } from "vitest";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { allRules } from "../../src/index.js";
import { RULE_FIXTURES } from "../helpers/rule-tester.js";

describe("the rule tests", () => {
  for (const rule of allRules) {
    it(`${rule.id} has test/rules/${rule.id}.test.ts, which runs the rule tester`, () => {
      const path = join(import.meta.dirname, `${rule.id}.test.ts`);
      expect(existsSync(path), path).toBe(true);
      const text = readFileSync(path, "utf8");
      expect(text).toContain(`import testedRule from "../../rules/${rule.id}.js";`);
      expect(text).toMatch(/^ruleTester\(testedRule, /m);
    });
  }

  it("every fixtures/rules/<dir> belongs to a registered rule", () => {
    const ids = new Set(allRules.map((r) => r.id));
    expect(readdirSync(RULE_FIXTURES).filter((d) => !ids.has(d))).toEqual([]);
  });
});
