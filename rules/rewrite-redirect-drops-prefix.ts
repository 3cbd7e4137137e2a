import type { Directive, Parent } from "../grammar/index.js";
import { defineRule } from "../src/core/rule.js";
import { hasFlag, rewriteRuleParts } from "../src/apache/rewrite.js";
import { directivesIn, scopeOf, virtualHostOf } from "../src/apache/scope.js";

const trimSlash = (p: string) => (p.length > 1 && p.endsWith("/") ? p.slice(0, -1) : p);

/** Is the URL-path `sub` at or under `prefix` (segment-wise)? */
const under = (sub: string, prefix: string) => sub === prefix || sub.startsWith(`${prefix}/`) || sub.startsWith(`${prefix}?`);

/** The URL prefixes a directory is reached through: the Aliases that map to it, else its place under the DocumentRoot. */
function urlPrefixes(dir: string, d: Directive, aliases: readonly Directive[], roots: Map<Parent, string | null>): { prefixes: string[]; via: string } {
  const out: string[] = [];
  for (const a of aliases) {
    const [url, path] = a.args;
    if (url && path && trimSlash(path.value) === dir && trimSlash(url.value) !== "/") out.push(trimSlash(url.value));
  }
  if (out.length) return { prefixes: out, via: "Alias" };
  const vhost = virtualHostOf(d);
  const scope: Parent = vhost ?? d.file;
  let root = roots.get(scope);
  if (root === undefined) {
    root = null;
    for (const x of directivesIn(scope)) if (x.key === "documentroot" && x.args[0]) root = trimSlash(x.args[0].value);
    roots.set(scope, root);
  }
  if (root !== null && root !== "/" && dir.startsWith(`${root}/`)) return { prefixes: [dir.slice(root.length)], via: "DocumentRoot" };
  return { prefixes: [], via: "" };
}

export default defineRule({
  id: "rewrite-redirect-drops-prefix",
  severity: "warning",
  category: "correctness",
  description: "[R] to an absolute `/path` in a <Directory> reached through an Alias or a sub-path loses that prefix",
  fixable: "none",
  doc: {
    problem:
      "In <Directory> context a RewriteRule sees the path relative to the directory, but a substitution starting with " +
      "`/` is a URL-path from the site root. When the directory is served under a prefix (an `Alias /app /srv/app`, or " +
      "a sub-directory of the DocumentRoot), an [R] to `/new` sends the client to `/new`, not to `/app/new`.",
    bad:
      "Alias /app /srv/app\n<Directory /srv/app>\n    RewriteEngine on\n    RewriteRule ^old$ /new [R=301,L]\n</Directory>",
    good:
      "Alias /app /srv/app\n<Directory /srv/app>\n    RewriteEngine on\n    RewriteBase /app/\n    RewriteRule ^old$ new [R=301,L]\n</Directory>",
    why:
      "Measured on 2.4.71 with `LogLevel rewrite:trace3`: with `Alias /al …/aliased`, `GET /al/old` logs `[perdir " +
      "…/aliased/] rewrite 'old' -> '/new'` then `redirect to http://127.0.0.1:…/new [REDIRECT/302]`, and the " +
      "response's `Location: http://127.0.0.1:…/new` has lost `/al`. A relative substitution with `RewriteBase /al/` " +
      "redirects to `/al/new`. Only <Directory> sections whose path an Alias of the file maps (or that lie under the " +
      "DocumentRoot of the same server) are judged, and only when the section has no RewriteBase; a substitution " +
      "already under the prefix is fine. A redirect out of the directory on purpose is legitimate: write it as a full " +
      "URL, or suppress the finding.",
    versions: "All 2.4 releases.",
  },
  create(ctx) {
    let aliases: Directive[] | undefined;
    // the DocumentRoot of each server scope, read once
    const roots = new Map<Parent, string | null>();
    const { table } = ctx.file;
    return {
      directive: {
        rewriterule(d) {
          // only rules directly in a <Directory> (through conditionals): read from the rows before any argument
          const scope = ctx.facts.scopeRow(d.row);
          if (scope === -1 || table.names[table.key[scope]!] !== "directory") return;
          const parts = rewriteRuleParts(d);
          if (!parts || !hasFlag(parts, "redirect")) return;
          const sub = parts.substitution.value;
          if (sub.charCodeAt(0) !== 0x2f || sub.charCodeAt(1) === 0x2f) return;
          const section = scopeOf(d);
          if (section.kind !== "section" || section.key !== "directory" || !section.args[0]) return;
          for (const x of directivesIn(section)) if (x.key === "rewritebase") return;
          aliases ??= ctx.facts.directivesNamed("alias");
          const dir = trimSlash(section.args[0].value);
          const { prefixes, via } = urlPrefixes(dir, d, aliases, roots);
          if (!prefixes.length || prefixes.some((p) => under(sub, p))) return;
          const p = prefixes[0]!;
          ctx.report({
            message:
              `The redirect to \`${sub}\` leaves \`${p}\`, the URL prefix this directory is reached through (${via}): ` +
              `a substitution starting with \`/\` is taken from the site root. For \`${p}${sub}\` write it relative with \`RewriteBase ${p}/\`.`,
            start: parts.substitution.start,
            end: parts.substitution.end,
          });
        },
      },
    };
  },
});
