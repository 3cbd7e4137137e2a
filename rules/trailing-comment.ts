import { defineRule } from "../src/rule.js";

export default defineRule({
  id: "trailing-comment",
  severity: "warning",
  description: "A `# comment` after a directive's arguments: Apache has no trailing comments",
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
