import { defineRule } from "../src/rule.js";

export default defineRule({
  id: "continuation-trailing-space",
  severity: "error",
  description: "A `\\` line continuation followed by blanks, which does not continue",
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
