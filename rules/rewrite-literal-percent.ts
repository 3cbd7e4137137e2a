import type { Argument, Directive } from "../grammar/index.js";
import { defineRule } from "../src/core/rule.js";
import { isRewriteVariable, valueOffsets } from "../src/apache/rewrite.js";
import { literalPercents } from "../src/apache/rewrite-reading.js";

export default defineRule({
  id: "rewrite-literal-percent",
  severity: "warning",
  category: "correctness",
  description: "`%NAME` in a RewriteCond test string or RewriteRule substitution is literal text, not `%{NAME}`",
  fixable: "none",
  doc: {
    problem:
      "mod_rewrite expands `%{NAME}` (a server variable) and `%0`-`%9` (a RewriteCond back-reference) and nothing " +
      "else: a `%` followed by a word, as in `%DOCUMENT_ROOT/x` when the braces were lost, is copied into the " +
      "string as it is written.",
    bad: "RewriteEngine on\nRewriteCond %DOCUMENT_ROOT/maintenance.html -f\nRewriteRule ^/ /maintenance.html [L]",
    good: "RewriteEngine on\nRewriteCond %{DOCUMENT_ROOT}/maintenance.html -f\nRewriteRule ^/ /maintenance.html [L]",
    why:
      "Measured on 2.4.71 with `LogLevel rewrite:trace3`: `RewriteRule ^/pct2 /%DOCUMENT_ROOT/ok.html` logs `rewrite " +
      "'/pct2' -> '/%DOCUMENT_ROOT/ok.html'` and the request ends in 404; `RewriteCond %DOCUMENT_ROOT/ok.html -f` " +
      "tests a file called `%DOCUMENT_ROOT/ok.html` and never matches (the file exists under the DocumentRoot, the " +
      "request still gets 404). `[E=X:%HTTP_HOST]` sets X to the text `%HTTP_HOST`. No warning is logged. A `%` " +
      "followed by two hex digits (`%C3%A9`, `%2F`) is a URL escape and is not reported; `\\%` is an escaped percent; " +
      "`%{…}` written with `$` is rewrite-var-sigil's finding.",
    versions: "All 2.4 releases.",
  },
  create(ctx) {
    const check = (d: Directive, arg: Argument, what: string) => {
      const value = arg.value;
      if (!value.includes("%")) return;
      let offsets: number[] | undefined;
      for (const p of literalPercents(value)) {
        offsets ??= valueOffsets(arg);
        const written = value.slice(p.start, p.end);
        const hint = isRewriteVariable(p.word)
          ? `; the server variable is \`%{${p.word}}\``
          : "; mod_rewrite expands only `%{NAME}` and `%0`-`%9`";
        ctx.report({
          message: `\`${written}\` in the ${d.name} ${what} is copied as literal text${hint}.`,
          start: offsets[p.start]!,
          end: offsets[p.end - 1]! + 1,
        });
      }
    };
    const { text, table } = ctx.file;
    // Does the line hold a `%` followed by a word character (or an escape that could hide one)? Read from the text.
    const quiet = (d: Directive): boolean => {
      // a slice bounds the search to the line (indexOf on the whole text would run to the end of the file)
      const line = text.slice(table.nameEnd[d.row]!, table.end[d.row]!);
      for (let i = line.indexOf("%"); i !== -1; i = line.indexOf("%", i + 1)) {
        const n = line.charCodeAt(i + 1);
        if ((n >= 0x41 && n <= 0x5a) || (n >= 0x61 && n <= 0x7a) || n === 0x5f || n === 0x5c) return false;
      }
      return true;
    };
    return {
      directive: {
        rewritecond(d) {
          if (quiet(d)) return;
          const test = d.args[0];
          if (!test || d.args.length < 2 || (test.value.length === 4 && test.value.toLowerCase() === "expr")) return;
          check(d, test, "test string");
        },
        rewriterule(d) {
          if (quiet(d)) return;
          const sub = d.args[1];
          if (sub) check(d, sub, "substitution");
        },
      },
    };
  },
});
