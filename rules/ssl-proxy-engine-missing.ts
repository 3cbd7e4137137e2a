import { defineRule } from "../src/rule.js";

export default defineRule({
  id: "ssl-proxy-engine-missing",
  severity: "error",
  description: "A `wss://` or `https://` backend without `SSLProxyEngine on`",
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
