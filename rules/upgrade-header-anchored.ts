import { defineRule } from "../src/rule.js";

export default defineRule({
  id: "upgrade-header-anchored",
  severity: "warning",
  description: "An Upgrade/Connection header test that misses real browsers' headers",
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
