import { defineRule } from "../src/rule.js";

export default defineRule({
  id: "suppression-unused",
  severity: "warning",
  description: "An apachelint-disable comment that suppresses nothing",
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
