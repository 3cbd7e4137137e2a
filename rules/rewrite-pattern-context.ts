import { defineRule } from "../src/core/rule.js";
import { valueOffsets } from "../src/apache/rewrite.js";
import { patternContext } from "../src/apache/rewrite-reading.js";

// A server-context pattern starting with one of these is about a proxy request
// (`GET http://…`) or `OPTIONS *`, whose URI has no leading slash.
const ABSOLUTE_FORMS = /^\^(?:h|f|\\?\*)/i;
// `^` then a literal character of a path segment: the pattern needs that segment first.
const OPTIONAL: ReadonlySet<string> = new Set(["?", "*", "{"]);
const SEGMENT_START = /^\^[A-Za-z0-9_~-]/;

export default defineRule({
  id: "rewrite-pattern-context",
  severity: "warning",
  category: "correctness",
  description: "RewriteRule pattern anchored for the wrong context: `^app/` in server context, `^/app` in `.htaccess`",
  fixable: "unsafe",
  doc: {
    problem:
      "What a RewriteRule pattern is matched against depends on where it stands. In the server config and in " +
      "<VirtualHost> it is the URL-path, which always starts with `/`, so `^app/` can never match. In `.htaccess` and " +
      "<Directory> mod_rewrite first strips the directory prefix, slash included, so `^/app` can never match there.",
    bad: "RewriteEngine on\nRewriteRule ^app/(.*)$ /index.php?path=$1 [L]",
    good: "RewriteEngine on\nRewriteRule ^/?app/(.*)$ /index.php?path=$1 [L]",
    why:
      "Measured on 2.4.71 with `LogLevel rewrite:trace3`: in server context `GET /app/x` logs `applying pattern '^app/' " +
      "to uri '/app/x'` and the rule does not apply (the request passes through: `pass through /app/x`); in a " +
      "`.htaccess` under /sub, `GET /sub/app` logs `strip per-dir prefix: …/sub/app -> app` then `applying pattern " +
      "'^/app' to uri 'app'` and again nothing is rewritten. Apache logs no warning at any level below trace. `^/?app/` " +
      "matches in both contexts (`rewrite '/fixed/x' -> '/ok.html'`, and `rewrite 'hta/x' -> '/ok.html'` in the " +
      "`.htaccess`). Patterns in <Location>, <Files> and <If> are matched against the file-system path and are not " +
      "judged; a server-context pattern starting with `^h`, `^f` or `^\\*` may be meant for a proxy request URI " +
      "(`http://…`) or `OPTIONS *` and is left alone.",
    versions: "All 2.4 releases.",
    fix:
      "Unsafe (the rule starts to apply): `^app/` becomes `^/?app/`, and `^/app` becomes `^/?app`, the form that matches " +
      "in both contexts.",
  },
  create(ctx) {
    return {
      directive: {
        rewriterule(d) {
          const pattern = d.args[0];
          if (!pattern || d.args.length < 2) return;
          const p = pattern.value;
          if (p.charCodeAt(0) !== 0x5e /* ^ */) return;
          // `^/` with the slash required (`^/?`, `^/*` already match without it)
          const slash = p.charCodeAt(1) === 0x2f && !OPTIONAL.has(p[2] ?? "");
          const bare = !slash && SEGMENT_START.test(p) && !ABSOLUTE_FORMS.test(p);
          if (!slash && !bare) return;
          const where = patternContext(d, ctx.fileKind, ctx.facts);
          if (where === "other" || (where === "server") !== bare) return;
          const at = valueOffsets(pattern)[1]!;
          const message =
            where === "server"
              ? `The pattern \`${p}\` never matches here: in server and virtual-host context the URL-path it is matched against always starts with \`/\`.`
              : `The pattern \`${p}\` never matches here: in per-directory context mod_rewrite strips the directory prefix, leading \`/\` included, before matching.`;
          ctx.report({
            message,
            start: pattern.start,
            end: pattern.end,
            fix: {
              safety: "unsafe",
              title: "Match with or without the leading slash: `^/?`",
              edits: [{ start: at, end: slash ? at + 1 : at, text: "/?" }],
            },
          });
        },
      },
    };
  },
});
