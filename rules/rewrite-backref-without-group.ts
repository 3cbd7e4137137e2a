import { defineRule } from "../src/rule.js";

export default defineRule({
  id: "rewrite-backref-without-group",
  severity: "warning",
  description: "`$N`/`%N` back-reference with no matching capture group",
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
