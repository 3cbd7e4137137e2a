// The regex fast path (src/apache/pcre.ts simplePatternGroups) answers for
// simple patterns without regexpp. Whenever it answers, it must say what the
// full analysis says: PCRE2 validity as checkPattern models it, and the
// capture-group count as regexpp reads the pattern (countCaptureGroups).
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { analyzeRegex, captureGroupCount, checkPattern, checkPcre, countCaptureGroups, simplePatternGroups } from "../src/apache/pcre.js";

/** The fast path's verdict compared with the full analysis; true when it answered. */
function agrees(p: string): boolean {
  const n = simplePatternGroups(p);
  const a = analyzeRegex(p);
  // whatever path answered, analyzeRegex is the full analysis
  expect(a.check, p).toEqual(checkPattern(p));
  expect(a.groups, p).toBe(countCaptureGroups(p));
  if (n < 0) return false;
  expect(checkPattern(p), p).toEqual({ valid: true });
  const full = countCaptureGroups(p);
  // the two forms regexpp reads otherwise than PCRE have no count, fast or not
  expect(full === null ? null : n, p).toBe(full);
  return true;
}

// Pieces of typical and of tricky patterns: the fast path must bail on the tricky ones or agree.
const PIECES = [
  "a", "b", "Z", "0", "9", "/", "-", "_", " ", "#", ":", "=", "%", "~", "é", "\u00ff", "\u2028", "\t",
  ".", "^", "$", "|", "(", ")", "(?:", "(?", "(?i)", "(?<n>", "(?P<n>", "(?=", "(?<=", "(*", "(*ACCEPT)",
  "*", "+", "?", "*?", "+?", "??", "*+", "++", "{", "}", "{2}", "{1,3}", "{2,}", "{3,1}", "{,2}", "{70000}", "{0}", "{1,}?",
  "[", "]", "[^", "[]", "[^]", "[a-z]", "[z-a]", "[a-]", "[-a]", "[^a-zA-Z0-9_]", "[\\d-z]", "[a-\\d]", "[\\w.-]",
  "[[:alpha:]]", "[:alpha:]", "[.a.]", "[=a=]", "[.]", "[:]", "[=]", "[\\]]", "[\\[]", "[\\-]", "[\\\\]", "[\\b]", "[\\Q]\\E]",
  "\\", "\\.", "\\/", "\\-", "\\\\", "\\(", "\\)", "\\[", "\\]", "\\{", "\\}", "\\*", "\\?", "\\+", "\\|", "\\$", "\\^", "\\ ",
  "\\d", "\\D", "\\w", "\\W", "\\s", "\\S", "\\b", "\\B", "\\A", "\\z", "\\Z", "\\h", "\\Q", "\\E", "\\1", "\\2", "\\0",
  "\\x41", "\\x{41}", "\\k<n>", "\\g1", "\\c", "\\i", "\\u0041", "\\p{L}", "\\é",
  "(.*)", "^/", "(.*)$", "/ws/", "websocket", "upgrade", ".*", "^/?(.*)",
  // escaped text that holds `\Q`, `[]` or `[^]`, which regexpp is not asked to count
  "Q", "^]", "[!-\\]", "[!-\\", "[!-\[]", "[!-\[", "[\[^]", "[\[", "[#-\\Q]", "[\\", "\\Q",
];

const pattern = fc.array(fc.constantFrom(...PIECES), { maxLength: 12 }).map((parts) => parts.join(""));
// free text over the characters that matter
const noisy = fc.string({ unit: fc.constantFrom(..."ab.^$|()[]{}*+?\\-:=,0129dwsbQE^/ "), maxLength: 16 });

/** Typical patterns of real configs: all must take the fast path. */
const TYPICAL = [
  "", ".*", "^.*$", "^/?(.*)", "^/(.*)$", "^/r0/(.*)", "^/ws/(.*)", "websocket", "upgrade", "^Upgrade$", "^(upgrade)",
  "\\.php$", "^/api/v[0-9]+/(.*)", "^/(images|css|js)/(.+)$", "^www\\.example\\.com$", "(?:^|&)id=([0-9]+)",
  "^/old/(.*)\\.html?$", "\\.(gif|jpe?g|png)$", "^/(.*)/$", "[^/]+", "^([a-z]{2})/(.*)$", "^/user/([^/]+)/?$",
  "Mozilla/4\\.0 [678]", "^/\\.well-known/acme-challenge/", "^/(.*?)/index\\.html$", "\\s+", "\\bfoo\\b", "^[\\w.-]+$",
];

/** Outside the subset, or invalid: the fast path must not answer. */
const BAIL = [
  "(?i)^/(x)", "^/a++(b)", "(?P<n>x)", "\\Q(\\E(x)", "[]()]", "[^]a]", "(websocket", "[a-z", "*.php", "[z-a]", "\\i",
  "\\u0041", "(a)\\1", "(?<=a+)b", "a{3,1}", "a{70000}", "x{,3}", "[[:alpha:]]", "[:alpha:]", "[\\d-z]", "(*ACCEPT)",
  "a)", "^*", "a**", "a*+", "(?>x)", "(?#c)", "\\", "[\\b]", "a{", "}", "]",
];

describe("the regex fast path", () => {
  it("takes typical patterns and agrees with the full analysis on them", () => {
    for (const p of TYPICAL) {
      expect(simplePatternGroups(p), p).toBeGreaterThanOrEqual(0);
      expect(agrees(p)).toBe(true);
    }
    expect(simplePatternGroups("^/?(.*)")).toBe(1);
    expect(simplePatternGroups("^/(images|css|js)/(.+)$")).toBe(2);
    expect(simplePatternGroups("(?:^|&)id=([0-9]+)")).toBe(1);
    expect(simplePatternGroups("websocket")).toBe(0);
  });

  it("leaves PCRE-only, ambiguous and invalid patterns to the full analysis", () => {
    for (const p of BAIL) {
      expect(simplePatternGroups(p), p).toBe(-1);
      agrees(p);
    }
  });

  it("keeps the full analysis' answers through analyzeRegex, checkPcre and captureGroupCount", () => {
    expect(checkPcre("(websocket")).toEqual({ valid: false, reason: "missing closing parenthesis" });
    expect(checkPcre("(?i)^/(x)")).toEqual({ valid: true });
    expect(captureGroupCount("(?i)^/(x)")).toBeNull();
    expect(captureGroupCount("[(](x)")).toBe(1);
    // a `[]` or `\Q` anywhere, even where the fast path reads it as escaped text, gives no count
    expect(simplePatternGroups("[\\[]")).toBe(0);
    expect(captureGroupCount("[\\[]")).toBeNull();
    expect(captureGroupCount("\\\\Q(x)")).toBeNull();
    expect(checkPcre("\\\\Q(x)")).toEqual({ valid: true });
    for (const p of ["[!-\\[]", "[!-\\\\]Q", "[\\[^]", "[!-\\\\Q]"]) {
      expect(simplePatternGroups(p), p).toBe(0);
      expect(captureGroupCount(p), p).toBe(countCaptureGroups(p));
    }
    // asked twice in a row (two rules on one line), and interleaved
    for (const p of ["^/(a)", "^/(a)", "(b", "^/(a)", "(b"]) agrees(p);
  });

  it("agrees with the full analysis on generated patterns whenever it answers", () => {
    let answered = 0;
    let checked = 0;
    fc.assert(
      fc.property(fc.oneof(pattern, noisy), (p) => {
        checked++;
        if (agrees(p)) answered++;
      }),
      { numRuns: 30_000, seed: 20261203 },
    );
    expect(checked).toBe(30_000);
    // the generator must exercise the fast path, not only the bail-outs
    expect(answered).toBeGreaterThan(3_000);
  });
});
