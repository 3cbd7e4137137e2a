// What mod_macro checks when it reads a `<Macro>` tag and body (macro_section
// in mod_macro.c, probed with apache2 -t on 2.4.71): an empty name or two
// parameters of one name stop Apache; a parameter without a sigil, one that
// is a prefix of another, or a body with no lines get a warning.
import { defineRule, type Report } from "../src/core/rule.js";
import { hasNoContents, PARAMETER_SIGILS, type MacroDefinition } from "../src/apache/macros.js";
import type { ConfigFile } from "../grammar/index.js";

function check(file: ConfigFile, def: MacroDefinition): Report[] {
  const o = def.section.open;
  const out: Report[] = [];
  if (def.name === "") {
    return [{ start: o.start, end: o.end, message: `\`<Macro>\` names no macro: Apache refuses to start ("<Macro macro definition: empty name").` }];
  }
  const ps = def.parameters;
  ps.forEach((p, i) => {
    const first = ps.findIndex((q) => q.name === p.name);
    if (first < i) {
      out.push({
        start: p.start,
        end: p.end,
        message: `Parameter \`${p.name}\` of macro \`${def.name}\` is named twice (#${first + 1} and #${i + 1}): Apache refuses to start ("argument name conflict in macro '${def.key}' …").`,
        related: [{ start: ps[first]!.start, end: ps[first]!.end, message: "first here" }],
      });
      return;
    }
    if (!PARAMETER_SIGILS.includes(p.name[0]!)) {
      out.push({
        start: p.start,
        end: p.end,
        severity: "warning",
        message: `Parameter \`${p.name}\` of macro \`${def.name}\` does not start with $, % or @: every \`${p.name}\` in the body is replaced, also inside other words (Apache warns AH02796 "without expected prefix").`,
      });
    }
    for (let j = i + 1; j < ps.length; j++) {
      const q = ps[j]!;
      if (q.name === p.name || !(q.name.startsWith(p.name) || p.name.startsWith(q.name))) continue;
      out.push({
        start: q.start,
        end: q.end,
        severity: "warning",
        message: `Parameters \`${p.name}\` and \`${q.name}\` of macro \`${def.name}\`: one is a prefix of the other, so mod_macro may substitute the shorter inside the longer (Apache warns AH02797 "argument name prefix conflict").`,
        related: [{ start: p.start, end: p.end, message: "the other parameter" }],
      });
    }
  });
  if (hasNoContents(file, def)) out.push({ start: o.start, end: o.end, severity: "warning", message: `Macro \`${def.name}\` has no contents: each Use expands to nothing (Apache warns AH02799 "empty contents!").` });
  return out;
}

export default defineRule({
  id: "macro-definition-invalid",
  severity: "error",
  category: "correctness",
  severities: ["error", "warning"],
  description: "A `<Macro>` tag or body that mod_macro refuses (no name, a parameter twice) or warns about",
  fixable: "none",
  doc: {
    problem:
      "mod_macro checks a definition when it reads it. A `<Macro>` tag with no name, or with the same parameter twice, is " +
      "an error. It warns about a parameter that does not start with `$`, `%` or `@` (it is replaced wherever its text " +
      "appears, also inside other words), about two parameters where one is a prefix of the other (`$a` and `$ab`), and " +
      "about a body with nothing but comments.",
    bad: "<Macro Backend $name $name>\n    ProxyPass /$name/ http://127.0.0.1:3000/\n</Macro>",
    good: "<Macro Backend $name $port>\n    ProxyPass /$name/ http://127.0.0.1:$port/\n</Macro>",
    why:
      "Measured with apache2 -t on 2.4.71: \"argument name conflict in macro 'backend' (defined on line 1 of …): argument " +
      "'$name': #1 and #2, change argument names!\" and \"<Macro macro definition: empty name\" stop Apache; AH02796, " +
      "AH02797 and AH02799 are warnings it starts with.",
    versions: "Apache 2.4.5 and later.",
  },
  create(ctx) {
    const { file, facts } = ctx;
    return {
      end() {
        for (const def of facts.macros.definitions) for (const r of check(file, def)) ctx.report(r);
      },
    };
  },
});
