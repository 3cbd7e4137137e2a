// `Options Indexes` makes mod_autoindex list a directory that has no index
// file (measured on 2.4.71: `GET /sub/` answers 200 "Index of /sub" naming
// every file; without Indexes, 403 and AH01276). Options lines are read as
// Apache merges them within one section: a list without +/- replaces what came
// before, `+X`/`-X` add and remove, so the line reported is the one that last
// turned Indexes on in its section, if it is still on at the section's end.
import type { Directive, Parent } from "../grammar/index.js";
import { scopeOf } from "../src/apache/scope.js";
import { defineRule, type Fix, type RuleContext } from "../src/core/rule.js";

/** Does an Options word, without its +/- prefix, switch Indexes on? (All: every option but MultiViews, core.c) */
const ENABLES = new Set(["indexes", "all"]);

interface State {
  on: Directive | null;
}

/** Removes `Indexes` from a plain list; `+Indexes` becomes `-Indexes`. */
function removeIndexes(d: Directive): Fix | undefined {
  const args = d.args;
  const i = args.findIndex((a) => /^\+?indexes$/i.test(a.value));
  if (i < 0) return undefined;
  const a = args[i]!;
  if (a.value.startsWith("+")) return { safety: "unsafe", title: "Replace `+Indexes` with `-Indexes`", edits: [{ start: a.start, end: a.end, text: "-Indexes" }] };
  if (args.length === 1) return { safety: "unsafe", title: "Replace `Indexes` with `None`", edits: [{ start: a.start, end: a.end, text: "None" }] };
  // the word and the blank before it (after it, when it is first)
  const [start, end] = i > 0 ? [args[i - 1]!.end, a.end] : [a.start, args[1]!.start];
  return { safety: "unsafe", title: "Remove `Indexes`", edits: [{ start, end, text: "" }] };
}

export default defineRule({
  id: "options-indexes",
  severity: "warning",
  category: "security",
  description: "Directory listing (`Options Indexes`) enabled on a served directory",
  fixable: "unsafe",
  doc: {
    problem:
      "`Options Indexes` (or `+Indexes`, or `All`, which includes it) lets mod_autoindex answer a request for a " +
      "directory without an index file with a listing of every file in it: backups, `.sql` dumps, editor swap files " +
      "and whatever else was left there become discoverable. Reported where the last Options line of a section " +
      "leaves Indexes on; not when the server is known not to load mod_autoindex.",
    bad: "<Directory /var/www/html>\n    Options Indexes FollowSymLinks\n</Directory>\n",
    good: "<Directory /var/www/html>\n    Options FollowSymLinks\n</Directory>\n",
    why:
      "Measured on 2.4.71 (fixtures/rules/options-indexes/measured.json): with `Options Indexes` a GET of a directory " +
      "without index.html answers 200 `<title>Index of /sub</title>` and lists its files; with `Options " +
      "FollowSymLinks` it answers 403 and logs `AH01276: Cannot serve directory …: No matching DirectoryIndex " +
      "(index.html) found, and server-generated directory index forbidden by Options directive`. Debian's stock " +
      "apache2.conf has `Options Indexes FollowSymLinks` on /var/www/: it is reported there.",
    versions: "All Apache 2.4 versions.",
    fix:
      "Unsafe: removes `Indexes` from the list (`Options Indexes` alone becomes `Options None`, `+Indexes` becomes " +
      "`-Indexes`); `All` is left for a person to spell out. Unsafe because a site that relies on the listing (a " +
      "download directory) then answers 403.",
  },
  create(ctx: RuleContext) {
    const { server } = ctx;
    if (server.managesModules && !server.isLoaded("autoindex")) return {};
    const states = new Map<Parent, State>();
    return {
      directive: {
        options(d) {
          const scope = scopeOf(d);
          let s = states.get(scope);
          if (!s) states.set(scope, (s = { on: null }));
          for (const a of d.args) {
            const v = a.value.toLowerCase();
            const sign = v[0] === "+" || v[0] === "-" ? v[0] : "";
            const word = sign ? v.slice(1) : v;
            if (sign === "-") {
              if (word === "indexes") s.on = null;
            } else if (ENABLES.has(word)) s.on = d;
          }
          // a list without +/- replaces the section's options: Indexes is on only if this line says so
          if (d.args.length && !/^[+-]/.test(d.args[0]!.value) && s.on !== d) s.on = null;
        },
      },
      end() {
        for (const { on } of states.values()) {
          if (!on) continue;
          const word = on.args.find((a) => ENABLES.has(a.value.replace(/^\+/, "").toLowerCase()))!;
          const fix = removeIndexes(on);
          const message =
            `\`${word.value}\` turns on directory listing: a request for a directory without an index file gets a ` +
            "list of every file in it (200 \"Index of …\" instead of 403). Remove `Indexes` unless the listing is wanted.";
          ctx.report(fix ? { message, start: word.start, end: word.end, fix } : { message, start: word.start, end: word.end });
        }
      },
    };
  },
});
