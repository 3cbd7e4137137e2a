// <Files> and <FilesMatch> are compared with the last segment of the file the
// request maps to (core.c's file walk matches the base name), which never holds
// a `/`: a pattern with one never matches, and what it guards is not guarded
// (measured on 2.4.71: `<Files "sub/a.txt"> Require all denied` leaves
// /sub/a.txt at 200, `<Files "a.txt">` gives 403).
import type { Section } from "../grammar/index.js";
import { defineRule } from "../src/core/rule.js";

/**
 * Does a regex need a `/` in the subject for every match? It does when a `/`
 * (or `\/`) stands outside character classes, and the pattern has no
 * alternation or optional group that could do without it.
 */
export function regexNeedsSlash(re: string): boolean {
  if (re.includes("|")) return false;
  // drop escapes other than `\/`, then character classes
  const bare = re.replace(/\\(.)/g, (_, c: string) => (c === "/" ? "/" : "e")).replace(/\[\^?\]?[^\]]*\]/g, "c");
  const at = bare.indexOf("/");
  if (at === -1) return false;
  // `/?`, `/*`, `/{0,…}`, or a group made optional: skip
  if (/\/[?*]|\/\{0/.test(bare) || /\)[?*]|\)\{0/.test(bare)) return false;
  return true;
}

const wildcardHasSlash = (pattern: string) => pattern.includes("/");

export default defineRule({
  id: "files-section-path",
  severity: "warning",
  category: "correctness",
  description: "A `<Files>` or `<FilesMatch>` pattern with a `/`, which never matches",
  fixable: "none",
  doc: {
    problem:
      "`<Files>` and `<FilesMatch>` match the name of the file a request maps to, without its directory. A pattern " +
      "that contains a `/` (`<Files \"sub/a.txt\">`, `<Files \"/var/www/secret.txt\">`, `<FilesMatch \"admin/.*\\.php$\">`) " +
      "can never match, so the directives inside never apply. A regular expression is reported only when every match " +
      "needs the `/` (no `|`, no optional `/`); a `/` inside a character class such as `[^/]` is fine.",
    bad: '<Files "private/secret.txt">\n    Require all denied\n</Files>',
    good: '<Directory "/var/www/html/private">\n    <Files "secret.txt">\n        Require all denied\n    </Files>\n</Directory>',
    why:
      "Measured on 2.4.71: `apache2 -t` says Syntax OK; with `<Files \"sub/a.txt\">`, `<Files \"/abs/path/sub/b.txt\">` " +
      "and `<FilesMatch \"sub/c\\.txt$\">` each holding `Require all denied`, GET /sub/a.txt, /sub/b.txt and /sub/c.txt " +
      "answer 200; `<Files \"d.txt\">` makes /sub/d.txt 403 (`AH01630: client denied by server configuration`).",
    versions: "All Apache 2.4 releases (measured on 2.4.71).",
  },
  create(ctx) {
    const check = (s: Section) => {
      const regex = s.key === "filesmatch" || s.args[0]?.value === "~";
      const arg = s.key === "files" && s.args[0]?.value === "~" ? s.args[1] : s.args[0];
      if (!arg || arg.value.includes("${")) return;
      if (!(regex ? regexNeedsSlash(arg.value) : wildcardHasSlash(arg.value))) return;
      ctx.report({
        message:
          `<${s.name} ${arg.raw}> never matches: <${s.name}> compares the file's name without its directory, which has no \`/\`. ` +
          `Match the directory with <Directory> (or the URL with <Location>) and the name alone with <Files>.`,
        start: arg.start,
        end: arg.end,
      });
    };
    return { enter: { files: check, filesmatch: check } };
  },
});
