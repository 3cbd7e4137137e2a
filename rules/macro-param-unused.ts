// A parameter the body never mentions is an argument every Use must pass for
// nothing; mod_macro warns about it (AH02800) when the definition is read.
import { defineRule } from "../src/core/rule.js";
import { bodyUses, hasNoContents } from "../src/apache/macros.js";

export default defineRule({
  id: "macro-param-unused",
  severity: "warning",
  category: "style",
  description: "A macro parameter its body never uses",
  fixable: "none",
  doc: {
    problem:
      "A parameter of `<Macro>` appears in no line of the body (comments do not count). Each `Use` still has to give an " +
      "argument for it, and that argument changes nothing: often the body was meant to use it and says something else " +
      "(`$hostname` for `$host`).",
    bad: "<Macro Site $host $root>\n    ServerName $host\n    DocumentRoot /var/www/html\n</Macro>",
    good: "<Macro Site $host $root>\n    ServerName $host\n    DocumentRoot $root\n</Macro>",
    why:
      "Apache warns and starts: \"AH02800: macro 'site' (defined on line 1 of …): argument '$root' (#2) never used\" " +
      "(apache2 -t, 2.4.71; a mention in a comment line is not a use).",
    versions: "Apache 2.4.5 and later.",
  },
  create(ctx) {
    const { file, facts } = ctx;
    return {
      end() {
        const model = facts.macros;
        for (const def of model.definitions) {
          // an empty body gets AH02799 alone (macro-definition-invalid)
          if (hasNoContents(file, def)) continue;
          def.parameters.forEach((p, i) => {
            if (p.name === "" || bodyUses(file, def, p.name)) return;
            ctx.report({
              start: p.start,
              end: p.end,
              message: `Parameter \`${p.name}\` of macro \`${def.name}\` is never used in its body: every Use passes an argument for nothing (Apache warns "AH02800: … argument '${p.name}' (#${i + 1}) never used").`,
            });
          });
        }
      },
    };
  },
});
