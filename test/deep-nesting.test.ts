// Deeply nested sections must not overflow a recursion or crash a rule: a
// crashing rule is reported as "internal error in rule …", which is asserted absent.
import { describe, expect, it } from "vitest";
import { lintText } from "../src/index.js";
import { fixUntilStable } from "../src/core/fixer.js";

const DEPTH = 5000;

describe("deep nesting", () => {
  it("lints closed conditional sections 5000 deep without an internal error", () => {
    const text =
      Array.from({ length: DEPTH }, (_, i) => `<IfModule mod_x${i}.c>\n`).join("") +
      "ProxyPass /ws/ ws://127.0.0.1:3000/ws/\n" +
      "</IfModule>\n".repeat(DEPTH);
    const findings = lintText(text, "deep.conf").findings;
    expect(findings.filter((f) => f.message.includes("internal error"))).toEqual([]);
  });

  it("reports each of 5000 nested unclosed sections once, and the fix closes them all", () => {
    const text = Array.from({ length: DEPTH }, (_, i) => `<Location /${i}>\n`).join("");
    const findings = lintText(text, "deep.conf").findings;
    expect(findings.filter((f) => f.message.includes("internal error"))).toEqual([]);
    expect(findings.filter((f) => f.ruleId === "section-unclosed")).toHaveLength(DEPTH);
    // sections that end at one point are closed by one edit: all 5000 in a single pass
    const result = fixUntilStable(text, (t) => lintText(t, "deep.conf").findings, (f) => f.safety === "safe");
    expect(result.output).toBe(text + "</Location>\n".repeat(DEPTH));
    expect(lintText(result.output, "deep.conf").findings.filter((f) => f.ruleId === "section-unclosed")).toEqual([]);
  });
});
