import { defineRule } from "../src/rule.js";

export default defineRule({
  id: "include-missing",
  severity: "error",
  description: "An `Include` of a file that does not exist or a wildcard that matches nothing",
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
