import { defineRule } from "../src/rule.js";

export default defineRule({
  id: "listen-duplicate",
  severity: "error",
  description: "The same `Listen` address twice, which stops Apache from starting",
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
