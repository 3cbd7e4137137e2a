import { defineRule } from "../src/rule.js";

export default defineRule({
  id: "section-mismatched",
  severity: "error",
  description: "A close tag that closes the wrong section, a stray close tag, or a tag missing `>`",
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
