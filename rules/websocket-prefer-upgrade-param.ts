import { defineRule } from "../src/rule.js";

export default defineRule({
  id: "websocket-prefer-upgrade-param",
  severity: "info",
  description: "A RewriteRule Upgrade dance that `ProxyPass \u2026 upgrade=websocket` replaces",
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
