// `Use` and `UndefMacro` name a macro Apache must already have read: mod_macro
// expands at the `Use` line, so a definition further down is not there yet,
// and one removed by UndefMacro is gone (measured on 2.4.71, test/data/macro-cases).
import { defineRule } from "../src/core/rule.js";
import { definedAt, type MacroDefinition } from "../src/apache/macros.js";
import { editDistance } from "../src/apache/edit-distance.js";

/** Whether every macro of the server is in this one file: a whole server config with no Include. */
const KNOWS_ALL = "macro-undefined:knows-all";

export default defineRule({
  id: "macro-undefined",
  severity: "error",
  category: "correctness",
  description: "`Use` or `UndefMacro` of a macro that is not defined at that point, which stops Apache from starting",
  fixable: "none",
  doc: {
    problem:
      "`Use name …` expands a macro Apache has already read, and `UndefMacro name` removes one. A macro defined further " +
      "down the file, removed earlier by `UndefMacro`, or not defined at all is an error. Names are case-insensitive. In a " +
      "fragment (a vhost or conf.d file) a macro may come from another file, so only the order within the file is checked; " +
      "in a whole server config with no Include, a name no `<Macro>` defines is reported too.",
    bad: "Use VHost example.com\n<Macro VHost $host>\n    <VirtualHost *:80>\n        ServerName $host\n    </VirtualHost>\n</Macro>",
    good: "<Macro VHost $host>\n    <VirtualHost *:80>\n        ServerName $host\n    </VirtualHost>\n</Macro>\nUse VHost example.com",
    why:
      "mod_macro keeps a table of the macros read so far. Before any `<Macro>` it says \"no macro defined before Use\"; " +
      "after one, an unknown name gives \"macro 'vhost' undefined\", and `UndefMacro` of one not there gives \"cannot remove " +
      "undefined macro 'vhost'\". Each stops `apache2 -t`.",
    versions: "Apache 2.4.5 and later (mod_macro entered 2.4 in 2.4.5).",
  },
  create(ctx) {
    const { file, facts } = ctx;
    return {
      end() {
        const model = facts.macros;
        if (model.events.length === 0) return;
        const reading = facts.macroReading;
        const knowsAll = facts.shared(KNOWS_ALL, (f) => ctx.server.managesModules && ctx.server.debianRoot === null && !f.has("include") && !f.has("includeoptional"));
        const near = (key: string) => {
          const names = [...new Set(model.definitions.filter((d) => !d.nested).map((d) => d.name))];
          const close = names.filter((n) => editDistance(n.toLowerCase(), key, { max: 2, transpositions: true }) <= Math.min(2, Math.floor(key.length / 3)));
          return close.length === 1 ? ` (did you mean \`${close[0]}\`?)` : "";
        };
        const at = (d: MacroDefinition, what: string) => ({ start: d.section.open.start, end: d.section.open.end, message: what });
        for (const u of reading.uses) {
          if (u.def || reading.nestedNames.has(u.use.key)) continue;
          const d = u.use.directive;
          const apache = u.anyBefore ? `macro '${u.use.key}' undefined` : "no macro defined before Use";
          const name = u.use.directive.args[0]?.value ?? "";
          if (u.removedBy) {
            const line = file.position(u.removedBy.directive.start).line;
            ctx.report({ start: d.start, end: d.end, message: `\`Use ${name}\` comes after \`UndefMacro\` removed it on line ${line}: Apache refuses to start ("${apache}").`, related: [{ start: u.removedBy.directive.start, end: u.removedBy.directive.end, message: "removed here" }] });
          } else if (u.later) {
            ctx.report({ start: d.start, end: d.end, message: `\`Use ${name}\` comes before the macro's definition on ${definedAt(file, u.later)}: Apache expands it where it stands and refuses to start ("${apache}"). Move the definition up.`, related: [at(u.later, "defined here, too late")] });
          } else if (knowsAll) {
            ctx.report({ start: d.start, end: d.end, message: `No macro \`${name}\` is defined${near(u.use.key)}: Apache refuses to start ("${apache}").` });
          }
        }
        for (const u of reading.undefs) {
          // UndefMacro with no name is directive-arity's ("UndefMacro takes one argument")
          if (u.def || reading.nestedNames.has(u.undef.key) || u.undef.directive.args.length !== 1) continue;
          const d = u.undef.directive;
          const name = d.args[0]?.value ?? "";
          const apache = u.anyBefore ? `cannot remove undefined macro '${u.undef.key}'` : "no macro defined before UndefMacro";
          if (u.later) ctx.report({ start: d.start, end: d.end, message: `\`UndefMacro ${name}\` comes before the macro's definition on ${definedAt(file, u.later)}: Apache refuses to start ("${apache}").`, related: [at(u.later, "defined here")] });
          else if (knowsAll) ctx.report({ start: d.start, end: d.end, message: `\`UndefMacro ${name}\` removes a macro that is not defined${near(u.undef.key)}: Apache refuses to start ("${apache}").` });
        }
      },
    };
  },
});
