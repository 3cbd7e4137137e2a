import { defineRule } from "../src/rule.js";

export default defineRule({
  id: "bom",
  severity: "error",
  description: "A UTF-8 byte order mark, which Apache reads as part of the first line",
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
