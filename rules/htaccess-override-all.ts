// `AllowOverride All` lets every .htaccess under a directory set any directive
// an .htaccess may hold. The classes a site really uses are few (most need
// FileInfo for mod_rewrite): measured on 2.4.71, `AllowOverride FileInfo` is
// enough for an .htaccess with RewriteEngine/RewriteRule (200 rewritten),
// while `AllowOverride AuthConfig` answers 500 with
// `<dir>/.htaccess: RewriteEngine not allowed here`.
import type { Section } from "../grammar/index.js";
import { defineRule, type RuleContext } from "../src/core/rule.js";
import { htaccessUsage } from "../src/server/server-settings.js";

/** AllowOverride's classes in the manual's order (core.html#allowoverride). */
const CLASS_ORDER = ["AuthConfig", "FileInfo", "Indexes", "Limit", "Options"];

export default defineRule({
  id: "htaccess-override-all",
  severity: "info",
  category: "security",
  description: "`AllowOverride All` on a served tree, with the override classes its .htaccess files use",
  fixable: "none",
  doc: {
    problem:
      "`AllowOverride All` in a `<Directory>` lets any .htaccess below it (one an upload or a compromised web " +
      "application can write) change options, handlers and access control. When the directory lies inside the " +
      "tree being linted, the .htaccess files in it are read and the finding suggests the `AllowOverride` list " +
      "their directives need (each directive's class is the Override row of Apache's manual, src/data/directive-docs.ts); " +
      "otherwise it says only that All is more than needed.",
    bad: "<Directory /var/www/html>\n    AllowOverride All\n</Directory>\n",
    good: "<Directory /var/www/html>\n    AllowOverride FileInfo\n</Directory>\n",
    why:
      "Measured on 2.4.71 (fixtures/rules/htaccess-override-all/measured.json): an .htaccess with `RewriteEngine On` " +
      "and a RewriteRule works under `AllowOverride FileInfo` (200, rewritten); under `AllowOverride AuthConfig` " +
      "every request below it answers 500 and the error log says `<dir>/.htaccess: RewriteEngine not allowed here`. " +
      "So the list the finding suggests is what the files need, and nothing more. Debian's stock tree has " +
      "`AllowOverride None`: nothing is reported there.",
    versions: "All Apache 2.4 versions (the default became None in 2.3.9).",
  },
  create(ctx: RuleContext) {
    const { file, fileKind } = ctx;
    if (fileKind === "htaccess") return {};
    return {
      directive: {
        allowoverride(d) {
          if (d.args.length !== 1 || d.args[0]!.value.toLowerCase() !== "all") return;
          const dir = d.parent.kind === "section" && (d.parent as Section).key === "directory" ? (d.parent as Section).args[0]?.value : undefined;
          const usage = dir !== undefined && dir !== "/" && dir.startsWith("/") ? htaccessUsage(dir, file.path, ctx.server.files) : null;
          let advice: string;
          if (!usage) advice = "List only the classes the site's .htaccess files need (most need only `FileInfo` for mod_rewrite).";
          else if (!usage.files.length) advice = `No .htaccess file is under ${dir}: \`AllowOverride None\` is enough.`;
          else {
            const classes = CLASS_ORDER.filter((c) => usage.classes.has(c));
            advice = classes.length
              ? `The ${usage.files.length} .htaccess file(s) under ${dir} use only: \`AllowOverride ${classes.join(" ")}\`.`
              : `The .htaccess file(s) under ${dir} use no override class: \`AllowOverride None\` is enough.`;
          }
          ctx.report({
            message: `\`AllowOverride All\` lets any .htaccess below this directory change options, handlers and access control. ${advice}`,
            start: d.args[0]!.start,
            end: d.args[0]!.end,
          });
        },
      },
    };
  },
});
