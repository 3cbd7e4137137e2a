// `<Directory />` is where Apache's filesystem access control starts: every
// path it serves (through DocumentRoot, Alias, a symbolic link, a userdir)
// inherits it. `Require all granted` there, or no default deny at all, opens
// the whole filesystem to whatever maps a URL into it (measured on 2.4.71:
// `Alias /leak <dir>` outside the DocumentRoot serves <dir>'s files with 200;
// with `<Directory /> Require all denied`, 403 and AH01630).
import type { Section } from "../grammar/index.js";
import { DIRECTIVE, OPEN } from "../grammar/line-table.js";
import { defineRule, type RuleContext } from "../src/core/rule.js";
import { setInIncludes } from "../src/server/server-settings.js";

const words = (d: { args: readonly { value: string }[] }) => d.args.map((a) => a.value.toLowerCase()).join(" ");
const isRoot = (s: Section) => s.args.length === 1 && s.args[0]!.value === "/";

/** A `<Directory />` written in an included file (what setInIncludes reads: one line's text). */
const ROOT_SECTION_LINE = /^[ \t]*<Directory[ \t]+["']?\/["']?[ \t]*>/im;

export default defineRule({
  id: "root-directory-granted",
  severity: "error",
  severities: ["error", "warning"],
  category: "security",
  description: "`<Directory />` grants access to everyone, or a whole server has no default deny for `/`",
  fixable: "none",
  doc: {
    problem:
      "`<Directory />` with `Require all granted` (or `Allow from all`) lets Apache serve any file on the disk that a " +
      "URL can be mapped to: an Alias or ScriptAlias to the wrong place, a symbolic link in the document root, a " +
      "userdir. A whole server config (httpd.conf, apache2.conf, or one that loads an MPM) without any " +
      "`<Directory />` section has the same effect, because the default is to grant. Grant access per served " +
      "directory instead, as Debian and the Apache manual's httpd.conf do.",
    bad: "<Directory />\n    Require all granted\n</Directory>\n",
    good: "<Directory />\n    AllowOverride None\n    Require all denied\n</Directory>\n<Directory /var/www/html>\n    Require all granted\n</Directory>\n",
    why:
      "Measured on 2.4.71 (fixtures/rules/root-directory-granted/measured.json): with `<Directory /> Require all " +
      "granted` and `Alias /leak <dir>` pointing outside the DocumentRoot, `GET /leak/secret.txt` answers 200 with the " +
      "file; with no `<Directory />` at all, also 200; with `<Directory /> Require all denied`, 403 and " +
      "`AH01630: client denied by server configuration: <dir>/secret.txt`. The missing default deny is a warning (the " +
      "explicit grant is the error: it is written on purpose, the absence is Apache's built-in default), and is only " +
      "reported for a whole server config whose includes could all be read: a fragment or .htaccess never gets it. Debian's " +
      "apache2.conf has `<Directory /> Require all denied`: nothing is reported there.",
    versions: "All Apache 2.4 versions (in 2.2 the same with `Order deny,allow` / `Deny from all`).",
  },
  create(ctx: RuleContext) {
    const { file, fileKind, server } = ctx;
    if (fileKind === "htaccess") return {};
    /** `<Directory />` sections with an access rule that is not "grant all" */
    let rootDenies = 0;
    let granted = false;
    return {
      enter: {
        directory(s) {
          if (!isRoot(s)) return;
          for (const n of s.children) {
            if (n.kind === "section" && n.key.startsWith("require")) rootDenies++;
            if (n.kind !== "directive") continue;
            const w = words(n);
            const open = (n.key === "require" && w === "all granted") || (n.key === "allow" && w === "from all");
            if (!open) {
              if (n.key === "require" || n.key === "deny") rootDenies++;
              continue;
            }
            granted = true;
            ctx.report({
              message:
                `\`${n.text}\` in \`<Directory />\` opens the whole filesystem: any path an Alias, symbolic link or ` +
                "userdir maps a URL to is served. Use `Require all denied` here and grant access per served directory.",
              start: n.start,
              end: n.end,
            });
          }
        },
      },
      end() {
        if (rootDenies > 0 || granted) return;
        // only for a whole server whose every included file was read
        if (setInIncludes(file, server, ROOT_SECTION_LINE) !== "absent") return;
        const t = file.table;
        let first = 0;
        while (first < t.count && t.kind[first] !== DIRECTIVE && t.kind[first] !== OPEN) first++;
        if (first >= t.count) return;
        // a warning: Apache's own default, which only what an Alias or link maps exposes; an explicit grant is the error
        ctx.report({
          severity: "warning",
          message:
            "This server config has no `<Directory />` with `Require all denied`: Apache grants access by default, so " +
            "any file an Alias, symbolic link or userdir maps a URL to is served. Add `<Directory />` … " +
            "`Require all denied` … `</Directory>` and grant access per served directory.",
          start: t.start[first]!,
          end: t.end[first]!,
        });
      },
    };
  },
});
