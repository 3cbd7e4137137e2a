import { describe, expect, it } from "vitest";
import { memoByString } from "../src/apache/memo.js";

describe("memoByString", () => {
  it("computes once per string, including undefined and null results", () => {
    const calls: string[] = [];
    const f = memoByString((s: string) => {
      calls.push(s);
      return s === "none" ? undefined : s.length;
    });
    expect([f("ab"), f("ab"), f("none"), f("none"), f("abc")]).toEqual([2, 2, undefined, undefined, 3]);
    expect(calls).toEqual(["ab", "none", "abc"]);
  });
  it("stays within its bound", () => {
    let n = 0;
    const f = memoByString((s: string) => (n++, s), 2);
    f("a");
    f("b");
    f("c"); // clears, then caches c
    f("a"); // computed again
    f("c"); // still cached
    expect(n).toBe(4);
  });
});
