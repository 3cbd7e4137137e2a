import { defineRule } from "../src/rule.js";

export default defineRule({
  id: "section-unclosed",
  severity: "error",
  description: "A section (`<VirtualHost>`, `<Proxy>`, `<IfModule>` \u2026) that is never closed",
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
