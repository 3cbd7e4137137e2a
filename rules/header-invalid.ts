import type { Directive } from "../grammar/index.js";
import { headerProblem } from "../src/apache/header-line.js";
import { defineRule } from "../src/core/rule.js";
import { lineProblemReport, problemOf } from "./line-problem-report.js";

export default defineRule({
  id: "header-invalid",
  severity: "error",
  category: "correctness",
  severities: ["error", "warning"],
  description: "A Header or RequestHeader line mod_headers refuses: an unknown action, a word too many or too few, a bad condition or % format",
  fixable: "unsafe",
  doc: {
    problem:
      "mod_headers reads `Header [always|onsuccess] action header [value [replacement]] [early|env=…|expr=…]` and " +
      "`RequestHeader action header …` word by word, and refuses a line whose words do not fit: an action that is " +
      "none of add, set, setifempty, append, merge, unset, echo, note, edit, edit* (`Header sett X y`); a value left " +
      "out (`Header set X-Frame-Options`); a value with spaces and no quotes (`Header set Cache-Control max-age=600, " +
      "public`), whose second word is then read as the condition; `always` written at the end instead of first; an " +
      "`env=` with no variable; a `%` followed by a letter that is no format (`100% sure`, `%x`); `note` or `echo` on " +
      "RequestHeader.",
    bad: "Header set Cache-Control max-age=600, public\nHeader set X-Frame-Options SAMEORIGIN always\nRequestHeader sett X-Forwarded-Proto https",
    good: "Header set Cache-Control \"max-age=600, public\"\nHeader always set X-Frame-Options SAMEORIGIN\nRequestHeader set X-Forwarded-Proto https",
    why:
      "mod_headers' header_cmd splits the line into at most five words after the condition (\"Header has too many " +
      "arguments\"), and header_inout_cmd reads them in order: the action (\"first argument must be 'add', 'set', " +
      "'setifempty', 'append', 'merge', 'unset', 'echo', 'note', 'edit', or 'edit*'.\"), the value (\"Header requires " +
      "three arguments\", \"Header edit requires a match and a substitution\"), then one optional word that must be " +
      "`early`, `env=[!]NAME` or `expr=…` (\"Unknown parameter: public\", \"Too many arguments to directive\", \"header " +
      "unset takes two arguments\"), and last the value's `%` formats (\"Unrecognized header format %x\"; %D, %t, " +
      "%{NAME}e, %{NAME}s, %{NAME}i, %l, %b and %% are known). apache2 -t stops at the first refused line and the " +
      "server does not start; in .htaccess every request gets a 500. Measured on 2.4.71: conditions and actions are " +
      "case-insensitive, an empty `\"\"` header or value is accepted, `Header unset` and `Header echo` with no header " +
      "are accepted. The regular expression of `Header edit` is regex-invalid's finding, a trailing `# comment` " +
      "trailing-comment's; a line holding `${VAR}` is left alone (a variable may stand for several words). In a body " +
      "Apache skips (a false `<IfModule>`) the finding is a warning.",
    versions: "All 2.4 releases (setifempty and note since 2.4.7 and 2.4.10); measured on Debian's apache2 2.4.71.",
    fix:
      "Unsafe: a value whose second word was read as the condition is quoted as one value (`\"max-age=600, public\"`; " +
      "check that the words are the value meant); a trailing `always` or `onsuccess` is moved before the action; an " +
      "action one or two letters off the only close one is replaced by it (`sett` → `set`). Nothing else is fixed.",
    cases: ["f4"],
  },
  create(ctx) {
    const check = (d: Directive) => {
      const p = problemOf(d, (words) => headerProblem(d.key, d.name, words));
      if (p) ctx.report(lineProblemReport(ctx, d, d.args, p, { skippedAsWarning: true }));
    };
    return { directive: { header: check, requestheader: check } };
  },
});
