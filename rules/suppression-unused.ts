import { defineRule } from "../src/core/rule.js";

export default defineRule({
  id: "suppression-unused",
  severity: "warning",
  category: "style",
  description: "An apachelint-disable comment that suppresses nothing",
  fixable: "none",
  doc: {
    problem:
      "An `# apachelint-disable-next-line`, `# apachelint-disable` or `# apachelint-disable-file` comment that " +
      "suppressed no finding, or that names a rule id apachelint does not know.",
    bad:
      "# apachelint-disable-next-line trailing-comment -- fixed long ago\n" +
      "ProxyRequests Off\n" +
      "# apachelint-disable-next-line trailing-coment\n" +
      "ProxyTimeout 60 # seconds",
    good: "# apachelint-disable-next-line trailing-comment -- kept for the diff tool\nProxyRequests Off # no forward proxy",
    why:
      "Suppressions outlive the problems they were written for. A stale one hides the next real problem on that line, " +
      "and a misspelt rule id suppresses nothing at all while looking as if it did. Apache itself ignores these " +
      "comments; this is about keeping apachelint's own configuration honest.",
    versions: "Not about Apache: applies to every file apachelint reads.",
    fix:
      "None: whether to delete the comment or fix the rule id is the author's call. The rule can be switched off like " +
      "any other, and the engine option reportUnusedSuppressions does the same.",
  },
  create() {
    // The engine reports unused suppressions itself (src/core/engine.ts), after
    // every other rule has run: only then is it known which suppressions were
    // used. This module carries the id, severity and documentation.
    return {};
  },
});
