import { defineRule } from "../src/rule.js";

export default defineRule({
  id: "websocket-module-missing",
  severity: "error",
  description: "A proxy or rewrite feature used without the module that provides it",
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
