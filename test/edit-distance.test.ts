// The one edit distance (src/apache/edit-distance.ts) behind every "did you mean".
import { describe, expect, it } from "vitest";
import { editDistance } from "../src/apache/edit-distance.js";

describe("editDistance", () => {
  it("is Levenshtein's distance", () => {
    expect(editDistance("", "")).toBe(0);
    expect(editDistance("abc", "")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("flaw", "lawn")).toBe(2);
    expect(editDistance("mod_proxy_wstunel.c", "mod_proxy_wstunnel.c")).toBe(1);
    expect(editDistance("same", "same")).toBe(0);
  });

  it("counts a swap of two adjacent letters as two edits, or one with transpositions", () => {
    expect(editDistance("ab", "ba")).toBe(2);
    expect(editDistance("ab", "ba", { transpositions: true })).toBe(1);
    expect(editDistance("nocsae", "nocase", { transpositions: true })).toBe(1);
    expect(editDistance("ca", "abc", { transpositions: true })).toBe(3); // optimal string alignment, not Damerau
  });

  it("gives up past max with max + 1, and never changes a result within max", () => {
    expect(editDistance("proxy", "rewrite", { max: 2 })).toBe(3);
    expect(editDistance("a", "abcdef", { max: 2 })).toBe(3);
    expect(editDistance("kitten", "sitting", { max: 3 })).toBe(3);
    expect(editDistance("kitten", "sitting", { max: 2 })).toBe(3);
    expect(editDistance("abcd", "badc", { max: 2, transpositions: true })).toBe(2);
    const words = ["proxy_module", "mod_proxy.c", "proxy_http_module", "mod_rewrite.c", "rewrite", "keepalive", "timeout", "ping", "retry"];
    for (const a of words) {
      for (const b of words) {
        for (const transpositions of [false, true]) {
          const full = editDistance(a, b, { transpositions });
          for (const max of [0, 1, 2, 3]) expect(editDistance(a, b, { max, transpositions }), `${a} ${b} ${max}`).toBe(full > max ? max + 1 : full);
        }
      }
    }
  });
});
