import { defineRule } from "../src/rule.js";

export default defineRule({
  id: "typographic-quotes",
  severity: "error",
  description: "Typographic quotes (\u201c \u201d \u2018 \u2019 \u2033 \uff02) where Apache needs ASCII quotes",
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
