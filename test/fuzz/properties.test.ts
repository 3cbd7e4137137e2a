// The whole tool under fuzzing (issue 11), bounded for CI: FUZZ_RUNS cases per
// property (default below), seeded by FUZZ_SEED (default fixed; "random" for a fresh one). On a failure
// fast-check prints the seed and the shrunk counterexample; `npm run fuzz --
// --seed S --runs N` replays and minimizes it into fixtures/fuzz/.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "../../grammar/index.js";
import { lintText } from "../../src/index.js";
import { allFixProblems, growthRatio, inputArb, mutatedConfigArb, seedConfigs } from "../../src/tools/fuzz.js";

export const RUNS = Number(process.env.FUZZ_RUNS ?? 400);
// a fixed seed in CI keeps `npm test` reproducible; FUZZ_SEED=random (or a number) explores further
const seed = process.env.FUZZ_SEED === "random" ? undefined : Number(process.env.FUZZ_SEED ?? 20261206);
const params = (numRuns: number): fc.Parameters<[string]> => ({ numRuns, ...(seed !== undefined && { seed }) });

describe("fuzz: parse, lint and fix", { timeout: 60_000 }, () => {
  it("starts from real configs", () => expect(seedConfigs().length).toBeGreaterThan(100));

  it(`parse and lint never throw nor crash a rule (${RUNS} inputs)`, () => {
    fc.assert(
      fc.property(inputArb(), (text) => {
        parse(text, "/fuzz/site.conf");
        const internal = lintText(text, "/fuzz/site.conf").findings.filter((f) => f.message.startsWith("internal error"));
        expect(internal.map((f) => f.message)).toEqual([]);
      }),
      params(RUNS),
    );
  });

  it(`fixing keeps every fix property (${RUNS} inputs, --fix and --fix --unsafe-fixes)`, () => {
    // idempotent, no new parse error, bytes outside the edits kept, a fixed point within the pass limit
    fc.assert(fc.property(inputArb(), (text) => {
          expect(allFixProblems(text)).toBeNull();
        }), params(RUNS));
  });

  it("fixing stays linear: 8x the text costs well under 8x squared (linear ~8, quadratic ~64)", () => {
    // CPU time, best of three, on texts large enough to measure: ~8 when linear, ~64 when quadratic
    const worst: [number, string][] = [];
    fc.assert(
      fc.property(mutatedConfigArb(), (text) => {
        // a ratio over the bound is measured twice more and the least kept: a quadratic path stays
        // over it every time, a pause of the loaded machine does not (measured: 47 once, linear after)
        let r = growthRatio(text);
        for (let again = 0; again < 2 && r !== null && r >= 40; again++) r = Math.min(r, growthRatio(text) ?? r);
        if (r !== null) worst.push([r, text.slice(0, 80)]);
        expect(r ?? 0).toBeLessThan(40);
      }),
      params(6),
    );
    expect(worst.length).toBeGreaterThan(0);
  });
});
