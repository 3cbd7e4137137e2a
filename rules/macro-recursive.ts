// A macro whose body uses itself, directly or through other macros: mod_macro
// refuses the expansion ("recursive use of macro 'a' is invalid") the first
// time it is used, so the server does not start.
import { defineRule } from "../src/core/rule.js";
import { type MacroDefinition, type MacroUse } from "../src/apache/macros.js";

/** The chain of macro names from `from` back to `target` through body Uses, or null. */
function pathTo(from: string, target: string, uses: ReadonlyMap<string, readonly MacroUse[]>, seen = new Set<string>()): string[] | null {
  if (from === target) return [from];
  if (seen.has(from)) return null;
  seen.add(from);
  for (const u of uses.get(from) ?? []) {
    const rest = pathTo(u.key, target, uses, seen);
    if (rest) return [from, ...rest];
  }
  return null;
}

export default defineRule({
  id: "macro-recursive",
  severity: "error",
  category: "correctness",
  description: "A macro that uses itself, directly or through other macros, which Apache refuses when it is used",
  fixable: "none",
  doc: {
    problem:
      "A `Use` inside a macro's body leads back to the same macro, directly or through other macros' bodies. mod_macro " +
      "has no conditionals that could end such a loop, so it refuses every recursive use.",
    bad: "<Macro A $x>\n    Use B $x\n</Macro>\n<Macro B $x>\n    Use A $x\n</Macro>",
    good: "<Macro A $x>\n    Use B $x\n</Macro>\n<Macro B $x>\n    ServerAlias $x\n</Macro>",
    why:
      "Measured with apache2 -t on 2.4.71: \"Syntax error on line 1 of macro 'b' (defined on line 4 …) used on line 1 of " +
      "macro 'a' …: recursive use of macro 'a' is invalid\". Apache only notices at a top-level `Use`; the definition is " +
      "already wrong.",
    versions: "Apache 2.4.5 and later.",
  },
  create(ctx) {
    const { facts } = ctx;
    return {
      end() {
        const model = facts.macros;
        if (model.bodyUses.length === 0) return;
        const uses = new Map<string, MacroUse[]>();
        for (const u of model.bodyUses) {
          const list = uses.get(u.inside!.key) ?? [];
          list.push(u);
          uses.set(u.inside!.key, list);
        }
        const reported = new Set<MacroDefinition>();
        for (const u of model.bodyUses) {
          // a `Use` with no name (in a `<Macro>` with none) leads nowhere: other rules report both
          if (u.directive.args.length === 0) continue;
          const def = u.inside!;
          const chain = pathTo(u.key, def.key, uses);
          if (!chain || reported.has(def)) continue;
          reported.add(def);
          const d = u.directive;
          const nameOf = (key: string) => model.definitions.find((m) => m.key === key)?.name ?? key;
          const through = chain.length > 1 ? `, through ${chain.slice(0, -1).map((k) => `\`${nameOf(k)}\``).join(" → ")},` : "";
          ctx.report({
            start: d.start,
            end: d.end,
            message: `\`Use ${d.args[0]!.value}\` inside macro \`${def.name}\` leads back to \`${def.name}\`${through} so it can never expand: Apache refuses to start at its first Use ("recursive use of macro '${def.key}' is invalid").`,
            related: [{ start: def.section.open.start, end: def.section.open.end, message: "the macro" }],
          });
        }
      },
    };
  },
});
