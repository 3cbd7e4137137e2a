import { defineRule } from "../src/rule.js";

export default defineRule({
  id: "rewrite-flags-malformed",
  severity: "error",
  description: "A RewriteRule/RewriteCond flags field Apache rejects or ignores",
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
