import type { Directive } from "../grammar/index.js";
import { defineRule, type Fix } from "../src/core/rule.js";
import { valueOffsets } from "../src/apache/rewrite.js";

// `!` then a variable, a back-reference or a map lookup: the author negated the test string.
const NEGATED_TEST = /^!(?:%\{|\$\{|%\d|\$\d)/;

export default defineRule({
  id: "rewritecond-negation-misplaced",
  severity: "error",
  category: "correctness",
  description: "`RewriteCond !%{VAR} pattern`: the `!` belongs to the pattern, not the test string",
  fixable: "safe",
  doc: {
    problem:
      "mod_rewrite negates a condition when its *pattern* starts with `!` (`RewriteCond %{HTTP_USER_AGENT} !^curl`). " +
      "Written before the test string, the `!` is ordinary text: the string tested is `!` followed by the variable's " +
      "value, and the pattern keeps its positive sense.",
    bad: "RewriteEngine on\nRewriteCond !%{HTTP_USER_AGENT} curl [NC]\nRewriteRule ^/app/ /browsers-only.html [L]",
    good: "RewriteEngine on\nRewriteCond %{HTTP_USER_AGENT} !curl [NC]\nRewriteRule ^/app/ /browsers-only.html [L]",
    why:
      "Measured on 2.4.71 with `LogLevel rewrite:trace4`: `RewriteCond !%{HTTP_USER_AGENT} curl` with `User-Agent: " +
      "curl/8` logs `RewriteCond: input='!curl/8' pattern='curl' => matched` and the rule applies, while a browser's " +
      "agent does not match: the condition has the opposite sense of the one meant. With an anchored pattern " +
      "(`^curl`) the input `!curl/8` never matches at all. Apache accepts the line (`apache2 -t`: Syntax OK) and logs " +
      "nothing below trace level.",
    versions: "All 2.4 releases.",
    fix:
      "Safe: the `!` moves from the test string to the start of the pattern. When the pattern is already negated the " +
      "finding has no fix (the two `!` would not cancel out in mod_rewrite).",
  },
  create(ctx) {
    const { text, table } = ctx.file;
    // Is the first argument's first character a `!` (quoted or not)? Read from the text, without splitting arguments.
    const bangFirst = (d: Directive): boolean => {
      const end = table.end[d.row]!;
      let i = table.nameEnd[d.row]!;
      while (i < end && (text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x09)) i++;
      const c = text.charCodeAt(i);
      if (c === 0x22 || c === 0x27) i++;
      const b = text.charCodeAt(i);
      // a continuation right after the name: let the argument reader decide
      return b === 0x21 || b === 0x5c;
    };
    return {
      directive: {
        rewritecond(d) {
          if (!bangFirst(d)) return;
          const args = d.args;
          if (args.length < 2) return;
          const test = args[0]!;
          if (test.value.charCodeAt(0) !== 0x21 /* ! */ || !NEGATED_TEST.test(test.value)) return;
          const pattern = args[1]!;
          const bang = valueOffsets(test)[0]!;
          const patternAt = valueOffsets(pattern)[0]!;
          const negated = pattern.value.startsWith("!");
          const fix: Fix | undefined = negated
            ? undefined
            : {
                safety: "safe",
                title: "Move the `!` to the pattern",
                edits: [
                  { start: bang, end: bang + 1, text: "" },
                  { start: patternAt, end: patternAt, text: "!" },
                ],
              };
          ctx.report({
            message:
              `The \`!\` of \`${test.value}\` is part of the test string, not a negation: mod_rewrite tests the text \`!\` plus the value ` +
              `against \`${pattern.value}\`${negated ? "" : `; to negate the condition write \`${test.value.slice(1)} !${pattern.value}\``}.`,
            start: test.start,
            end: test.end,
            ...(fix ? { fix } : {}),
          });
        },
      },
    };
  },
});
