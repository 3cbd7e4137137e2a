import type { Argument, Directive } from "../grammar/index.js";
import { defineRule } from "../src/core/rule.js";
import { defineNames, expansions, isRewriteVariable, rewriteMapNames, valueOffsets } from "../src/apache/rewrite.js";

export default defineRule({
  id: "rewrite-var-sigil",
  severity: "error",
  category: "correctness",
  description: "A mod_rewrite server variable written `${\u2026}` instead of `%{\u2026}`",
  fixable: "safe",
  doc: {
    problem:
      "mod_rewrite reads server variables as `%{NAME}` (`%{HTTP:Upgrade}`, `%{REQUEST_URI}`). Written with a dollar, " +
      "`${HTTP:Upgrade}` is a lookup in a RewriteMap called `HTTP`, and `${REQUEST_URI}` is a core config variable " +
      "(Define). Neither is the request value the author meant, and Apache accepts both without an error.",
    bad:
      "RewriteEngine on\n" +
      "RewriteCond ${HTTP:Upgrade} websocket [NC]\n" +
      "RewriteCond ${HTTP:Connection} upgrade [NC]\n" +
      'RewriteRule ^/?(.*) "ws://127.0.0.1:3000/$1" [P,L]',
    good:
      "RewriteEngine on\n" +
      "RewriteCond %{HTTP:Upgrade} websocket [NC]\n" +
      "RewriteCond %{HTTP:Connection} upgrade [NC]\n" +
      'RewriteRule ^/?(.*) "ws://127.0.0.1:3000/$1" [P,L]',
    why:
      "`${name:key}` is mod_rewrite's RewriteMap syntax. With no `RewriteMap HTTP` the lookup yields an empty string and " +
      "nothing is logged, so `RewriteCond ${HTTP:Upgrade} websocket [NC]` never matches: WebSocket clients get a 404, or a " +
      "200 from a fallback `ProxyPass /` (case a1). `apache2 -t` stays silent because core never expands names that " +
      "contain a colon (a3). A `${NAME}` without a colon is expanded by core when the config is read: unless `Define NAME` " +
      "exists, Apache only warns AH00111 without a file or line, keeps the text, and mod_rewrite then copies `${NAME}` " +
      "literally. Only names mod_rewrite knows as variables are reported (`${HTTP:\u2026}`, `${ENV:\u2026}`, `${SSL:\u2026}`, " +
      "`${REQUEST_URI}`, `${HTTP_HOST}`, \u2026); `${map:key}` is left alone when `RewriteMap map` is declared in the file, " +
      "and `${NAME}` when the file has `Define NAME`. A name that is not a mod_rewrite variable at all (`${HTTP_UPGRADE}`: " +
      "mod_rewrite has no such variable, the header is `%{HTTP:Upgrade}`) is not reported here.",
    versions: "All 2.4 releases (and 2.2).",
    fix: "Safe: replaces the `$` with `%`, e.g. `${HTTP:Upgrade}` \u2192 `%{HTTP:Upgrade}`. Nothing else on the line changes.",
    cases: ["a1", "a2", "a3"],
  },
  create(ctx) {
    // Map names are looked up case-sensitively (apr_hash); Define names case-insensitively (apr_table).
    let maps: ReadonlySet<string> | undefined;
    let defines: ReadonlySet<string> | undefined;
    /** The specials of one argument mod_rewrite expands: only `${…}` can be written with the wrong sigil. */
    const check = (d: Directive, arg: Argument) => {
      const value = arg.value;
      if (!value.includes("${")) return;
      let offsets: number[] | undefined;
      for (const x of expansions(value)) {
        let problem: string;
        if (x.kind === "map") {
          const inner = value.slice(x.start + 2, x.end - 1);
          maps ??= rewriteMapNames(ctx.facts);
          // A default (`|`) or a nested lookup is map syntax through and through.
          if (maps.has(x.map) || /[{}|]/.test(inner) || !isRewriteVariable(inner)) continue;
          problem = `is a lookup in a RewriteMap named \`${x.map}\`, which is not declared, so mod_rewrite substitutes an empty string`;
        } else if (x.kind === "dollar-brace") {
          defines ??= defineNames(ctx.facts);
          if (defines.has(x.name.toLowerCase()) || !isRewriteVariable(x.name)) continue;
          problem = "is a config variable that is not defined: Apache warns AH00111 and keeps the text as it is";
        } else continue;
        offsets ??= valueOffsets(arg);
        const written = value.slice(x.start, x.end);
        const fixed = `%${written.slice(1)}`;
        const at = offsets[x.start]!;
        ctx.report({
          message: `\`${written}\` in ${d.name} ${problem}; the server variable is \`${fixed}\`.`,
          start: at,
          end: offsets[x.end - 1]! + 1,
          fix: { safety: "safe", title: `Replace \`${written}\` with \`${fixed}\``, edits: [{ start: at, end: at + 1, text: "%" }] },
        });
      }
    };
    const { text, table } = ctx.file;
    // Without a `\` on the line, an argument holds `${` only where the text does: most lines need no arguments read.
    const quiet = (d: Directive) => {
      const line = text.slice(table.nameEnd[d.row]!, table.end[d.row]!);
      return !line.includes("${") && !line.includes("\\");
    };
    return {
      directive: {
        // the test string of a RewriteCond; `RewriteCond expr "…"` takes an ap_expr, which has its own syntax
        rewritecond(d) {
          if (quiet(d)) return;
          const test = d.args[0];
          if (test && !(test.value.length === 4 && test.value.toLowerCase() === "expr")) check(d, test);
        },
        // the substitution and the flags of a RewriteRule
        rewriterule(d) {
          if (quiet(d)) return;
          const args = d.args;
          if (args[1]) check(d, args[1]);
          if (args[2]) check(d, args[2]);
        },
      },
    };
  },
});
