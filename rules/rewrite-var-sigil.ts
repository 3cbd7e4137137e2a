import { defineRule } from "../src/rule.js";

export default defineRule({
  id: "rewrite-var-sigil",
  severity: "error",
  description: "A mod_rewrite server variable written `${\u2026}` instead of `%{\u2026}`",
  fixable: "safe",
  doc: {
    problem: "TODO",
    bad: "TODO",
    good: "TODO",
    why: "TODO",
    versions: "TODO",
  },
  check() {
    return []; // TODO: skeleton
  },
});
