import { defineRule } from "../src/rule.js";

export default defineRule({
  id: "proxypass-trailing-slash",
  severity: "warning",
  description: "A ProxyPass path and URL that disagree on the trailing slash",
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
