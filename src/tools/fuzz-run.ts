// `npm run fuzz -- --runs N [--seed S]`: the fix properties over N inputs, for
// deep searches. Each distinct failure is minimized and written to
// fixtures/fuzz/found-<kind>.conf, where test/fuzz/regressions.test.ts picks it up.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { failureKind, inputArb, minimize, problemOf, ROOT } from "./fuzz.js";

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
};
const runs = Number(arg("runs") ?? 10_000);
const seed = Number(arg("seed") ?? Date.now() % 2 ** 31);
if (!Number.isInteger(runs) || runs <= 0 || !Number.isInteger(seed)) {
  console.error("apachelint fuzz: usage: npm run fuzz -- [--runs N] [--seed S]");
  process.exit(2);
}
const found = new Map<string, string>();
fc.check(
  fc.property(inputArb(), (text) => {
    const p = problemOf(text);
    if (p) {
      const k = failureKind(p);
      if (!found.has(k) || found.get(k)!.length > text.length) found.set(k, text);
    }
    return true;
  }),
  { numRuns: runs, seed },
);
for (const [kind, text] of found) {
  const min = minimize(text, (t) => {
    const p = problemOf(t);
    return p !== null && failureKind(p) === kind;
  });
  const file = join(ROOT, "fixtures", "fuzz", `found-${kind.replace(/[^A-Za-z0-9]+/g, "-").slice(0, 60).replace(/-$/, "")}.conf`);
  writeFileSync(file, min);
  console.log(`${problemOf(min)}\n  minimal input ${JSON.stringify(min)} → ${file}`);
}
console.log(`seed ${seed}, ${runs} inputs: ${found.size} distinct failure${found.size === 1 ? "" : "s"}`);
process.exit(found.size ? 1 : 0);
