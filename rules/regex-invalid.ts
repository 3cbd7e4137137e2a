import { defineRule } from "../src/rule.js";

export default defineRule({
  id: "regex-invalid",
  severity: "error",
  description: "A regular expression (RewriteRule, RewriteCond, ProxyPassMatch, *Match sections) that does not compile",
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
