// Directives that Apache accepts inside a section but does not apply there,
// as the manual's notes say (src/apache/ignored-here.ts holds the table, with
// the sentence and the measurement for each).
import type { Directive } from "../grammar/index.js";
import { OPEN } from "../grammar/line-table.js";
import { IGNORED_HERE_DIRECTIVES, ignoredHereEntries, type IgnoredHere } from "../src/apache/ignored-here.js";
import { defineRule, type RuleVisitor, handlersFor } from "../src/core/rule.js";

/** The word the table knows an enclosing section by: `directory~` for <Directory ~ …>. */
function sectionWord(key: string, firstArg: string | undefined): string {
  return key === "directory" && firstArg === "~" ? "directory~" : key;
}

const bareArg = (v: string) => v.toLowerCase().replace(/^[+-]/, "");
const argMatches = (e: IgnoredHere, d: Directive) => !e.args || d.args.some((a) => e.args!.includes(bareArg(a.value)));

const IGNORED_KEYS: ReadonlySet<string> = new Set(IGNORED_HERE_DIRECTIVES);

export default defineRule({
  id: "directive-ignored-here",
  severity: "warning",
  category: "correctness",
  description: "A directive Apache accepts in this section but ignores there",
  fixable: "none",
  doc: {
    problem:
      "Some directives are accepted inside a section where they do nothing, as the manual's notes say: `AllowOverride` " +
      "and `AllowOverrideList` act only in a `<Directory>` without a regular expression (not in `<Location>`, " +
      "`<Files>`, `<DirectoryMatch>` or `<Directory ~ …>`), and `Options FollowSymLinks` / `SymLinksIfOwnerMatch` " +
      "act only in `<Directory>` or .htaccess (not in `<Location>` or `<Files>`, which are merged after the " +
      "symbolic links were checked).",
    bad: "<Location /media>\n    Options FollowSymLinks\n</Location>",
    good: "<Directory /var/www/html/media>\n    Options FollowSymLinks\n</Directory>",
    why:
      "Measured on 2.4.71: `Options FollowSymLinks` in `<Location /lnk>` leaves a request through the link at 403 with " +
      "`AH00037: Symbolic link not allowed or link target not accessible`; `AllowOverride All` in `<DirectoryMatch>` " +
      "is taken without a word and a `Require all denied` .htaccess below it is never read (200; in `<Directory>`: " +
      "403); in `<Location>` or `<Files>` `apache2 -t` prints `AH00114: Useless use of AllowOverride in line N of FILE.` " +
      "and still says Syntax OK.",
    versions: "All Apache 2.4 releases (measured on 2.4.71).",
  },
  create(ctx) {
    const { facts, file } = ctx;
    const t = file.table;
    const check = (d: Directive) => {
      const entries = ignoredHereEntries(d.key).filter((e) => argMatches(e, d));
      if (entries.length === 0) return;
      const parents = facts.parentRows;
      for (let p = parents[d.row]!; p >= 0; p = parents[p]!) {
        if (t.kind[p] !== OPEN) continue;
        const s = facts.sectionAt(p);
        if (s.kind !== "section") continue;
        const word = sectionWord(s.key, s.args[0]?.value);
        const e = entries.find((x) => x.sections.includes(word));
        if (!e) continue;
        const what = e.args ? `${d.name} ${d.args.filter((a) => e.args!.includes(bareArg(a.value))).map((a) => a.raw).join(" ")}` : d.name;
        ctx.report({
          message: `${what} does nothing inside <${s.name}${word === "directory~" ? " ~" : ""}>: ${e.manual} (${e.measured}.)`,
          start: d.start,
          end: d.end,
          related: [{ start: s.open.start, end: s.open.end, message: "the section it is ignored in" }],
        });
        return;
      }
    };
    return { directive: handlersFor(ctx.file, IGNORED_KEYS, check) } satisfies RuleVisitor;
  },
});
