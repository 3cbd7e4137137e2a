import { defineRule } from "../src/rule.js";

export default defineRule({
  id: "directive-context",
  severity: "error",
  description: "A directive where Apache does not allow it (`ProxyPass` in `<Directory>`, a path inside `<Location>`, server-only directives in .htaccess)",
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
