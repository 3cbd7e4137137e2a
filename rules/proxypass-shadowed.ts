import { defineRule } from "../src/rule.js";

export default defineRule({
  id: "proxypass-shadowed",
  severity: "error",
  description: "A ProxyPass that can never match because an earlier one covers its path",
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
