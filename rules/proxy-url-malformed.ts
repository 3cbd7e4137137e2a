import { defineRule } from "../src/rule.js";

export default defineRule({
  id: "proxy-url-malformed",
  severity: "error",
  description: "A proxy backend URL that is not absolute (`wss:/host`, `ws:host`, no scheme)",
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
