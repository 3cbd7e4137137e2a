import { defineRule } from "../src/rule.js";

export default defineRule({
  id: "proxy-param-invalid",
  severity: "error",
  description: "An unknown ProxyPass/BalancerMember worker parameter or an invalid value for one",
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
