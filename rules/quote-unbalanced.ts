import { defineRule } from "../src/rule.js";

export default defineRule({
  id: "quote-unbalanced",
  severity: "error",
  description: "A quoted argument with no closing quote",
  fixable: "none",
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
