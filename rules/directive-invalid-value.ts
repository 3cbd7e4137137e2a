import { defineRule } from "../src/rule.js";

export default defineRule({
  id: "directive-invalid-value",
  severity: "error",
  description: "A directive value outside the set Apache accepts",
  fixable: "unsafe",
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
