// A second `<Macro>` of a name replaces the first for every later `Use`;
// mod_macro warns (AH02802) and starts.
import { defineRule } from "../src/core/rule.js";
import { definedAt } from "../src/apache/macros.js";

export default defineRule({
  id: "macro-redefined",
  severity: "warning",
  category: "correctness",
  description: "A macro defined twice: the later definition silently replaces the earlier one",
  fixable: "none",
  doc: {
    problem:
      "Two `<Macro>` sections have the same name (case-insensitive) with no `UndefMacro` between them. Every `Use` after " +
      "the second expands the second; usually one of them was copied from another file and renamed halfway. If the " +
      "replacement is meant, say so with `UndefMacro name` before it.",
    bad: "<Macro Site $host>\n    ServerName $host\n</Macro>\n<Macro site $host>\n    ServerAlias $host\n</Macro>",
    good: "<Macro Site $host>\n    ServerName $host\n</Macro>\n<Macro SiteAlias $host>\n    ServerAlias $host\n</Macro>",
    why:
      "Apache starts, with a warning only: \"AH02802: macro 'site' multiply defined: defined on line 1 of …, redefined on " +
      "line 4 of …\" (apache2 -t, 2.4.71).",
    versions: "Apache 2.4.5 and later.",
  },
  create(ctx) {
    const { file, facts } = ctx;
    return {
      end() {
        const model = facts.macros;
        if (model.definitions.length < 2) return;
        for (const { def, previous } of facts.macroReading.redefinitions) {
          const o = def.section.open;
          ctx.report({
            start: o.start,
            end: o.end,
            message: `Macro \`${def.name}\` is already defined on ${definedAt(file, previous)}: this definition replaces it for every later Use (Apache warns "AH02802: macro '${def.key}' multiply defined").`,
            related: [{ start: previous.section.open.start, end: previous.section.open.end, message: "first defined here" }],
          });
        }
      },
    };
  },
});
