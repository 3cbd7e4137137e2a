import { defineRule } from "../src/rule.js";

export default defineRule({
  id: "loadmodule-invalid",
  severity: "error",
  description: "A LoadModule line with a wrong identifier, a path with no file, a duplicate or a wrong order",
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
