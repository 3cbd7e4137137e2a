// mod_macro substitutes each parameter with the argument in its place, and
// refuses a `Use` that does not give exactly one argument per parameter.
import { defineRule } from "../src/core/rule.js";
import { definedAt } from "../src/apache/macros.js";

export default defineRule({
  id: "macro-arity",
  severity: "error",
  category: "correctness",
  description: "`Use` of a macro with more or fewer arguments than it has parameters, which stops Apache from starting",
  fixable: "none",
  doc: {
    problem:
      "A `Use` line must give one argument for each parameter of the macro's definition, no more and no fewer. A quoted " +
      "argument with blanks in it counts as one. The finding shows the definition's parameters.",
    bad: "<Macro Backend $name $port>\n    ProxyPass /$name/ http://127.0.0.1:$port/\n</Macro>\nUse Backend app",
    good: "<Macro Backend $name $port>\n    ProxyPass /$name/ http://127.0.0.1:$port/\n</Macro>\nUse Backend app 3000",
    why:
      "Apache stops at the `Use` line: \"macro 'backend' (defined on line 1 of …) used with 1 arguments instead of 2\" " +
      "(measured with apache2 -t on 2.4.71).",
    versions: "Apache 2.4.5 and later.",
  },
  create(ctx) {
    const { file, facts } = ctx;
    return {
      end() {
        const model = facts.macros;
        if (model.events.length === 0) return;
        for (const { use, def } of facts.macroReading.uses) {
          if (!def || use.args.length === def.parameters.length) continue;
          const d = use.directive;
          const want = def.parameters.length;
          const params = want ? ` (${def.parameters.map((p) => p.name).join(" ")})` : "";
          ctx.report({
            start: d.start,
            end: d.end,
            message:
              `\`Use ${d.args[0]!.value}\` gives ${use.args.length} argument${use.args.length === 1 ? "" : "s"}, the macro takes ${want}${params}: ` +
              `Apache refuses to start ("macro '${def.key}' (defined on ${definedAt(file, def)} …) used with ${use.args.length} arguments instead of ${want}").`,
            related: [{ start: def.section.open.start, end: def.section.open.end, message: "defined here" }],
          });
        }
      },
    };
  },
});
