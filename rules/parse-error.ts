import { defineRule } from "../src/rule.js";

export default defineRule({
  id: "parse-error",
  severity: "error",
  description: "Text the parser could not read, or an internal parser failure",
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
