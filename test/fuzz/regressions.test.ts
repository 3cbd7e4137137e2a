// Every failure the fuzzer found, as its minimal input (fixtures/fuzz/): each must
// now keep every fix property (src/tools/fuzz.ts allFixProblems).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { allFixProblems } from "../../src/tools/fuzz.js";

const DIR = join(import.meta.dirname, "..", "..", "fixtures", "fuzz");
const inputs = (d: string) => readdirSync(d).filter((n) => n.endsWith(".conf")).sort();

describe("fuzz-found inputs keep the fix properties", () => {
  it("has the fixtures", () => expect(inputs(DIR).length).toBeGreaterThanOrEqual(10));
  it.for(inputs(DIR))("%s", (name) => {
    expect(allFixProblems(readFileSync(join(DIR, name), "utf8"))).toBeNull();
  });
});
