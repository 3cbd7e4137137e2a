// mod_log_config looks CustomLog's format argument up among the LogFormat
// nicknames when the logs are opened, and when none matches it uses the
// argument itself as the format string: `CustomLog logs/access.log combind`
// writes the line `combind` for every request. Where the nickname is looked
// up (measured on 2.4.71, mod_log_config.c open_multi_logs):
// - a virtual host sees the main server's LogFormats and its own, in any
//   order, but not another virtual host's;
// - the main server's CustomLog also resolves a nickname defined only in a
//   virtual host that has no CustomLog of its own (that vhost re-parses the
//   shared log with its own table): such a nickname is taken as defined.
import type { Directive } from "../grammar/index.js";
import { virtualHostOf } from "../src/apache/scope.js";
import { defineRule } from "../src/core/rule.js";
import { isSelfContained } from "../src/server/server-info.js";

/** A nickname: a bare word. Anything with `%`, a space or `${` is a format string or cannot be judged. */
const NICKNAME = /^[A-Za-z0-9_.-]+$/;

export default defineRule({
  id: "logformat-undefined",
  severity: "error",
  category: "correctness",
  description: "A `CustomLog` nickname that no `LogFormat` defines, logged as the literal word",
  fixable: "none",
  doc: {
    problem:
      "`CustomLog file nickname` names a format defined by `LogFormat \"…\" nickname`. When no LogFormat the server " +
      "can see defines it, Apache does not complain: it takes the word as the format string itself, and every " +
      "access-log line is that word. A virtual host sees the main server's LogFormat lines and its own, wherever they " +
      "are; not another virtual host's. Checked only when the set of LogFormats is known: a whole server config " +
      "whose Includes lead to no file, or a file of a tree whose main config was read. A vhost file linted alone may " +
      "rely on the main config's LogFormat, and is not checked.",
    bad: "# httpd.conf\nCustomLog logs/access.log common",
    good:
      "# httpd.conf\nLogFormat \"%h %l %u %t \\\"%r\\\" %>s %b\" common\nCustomLog logs/access.log common",
    why:
      "Measured on 2.4.71: with `CustomLog logs/a.log common` and no `LogFormat … common`, `apache2 -t` says Syntax " +
      "OK, the server starts without a warning, and a request for /x writes the line `common` to logs/a.log; with the " +
      "LogFormat defined (before or after the CustomLog) it writes the formatted line. A virtual host whose CustomLog " +
      "names a nickname defined only in another virtual host logs the word too.",
    versions: "All Apache 2.4 releases (measured on 2.4.71).",
  },
  create(ctx) {
    const { file, server, facts } = ctx;
    // the name table says whether the file has a CustomLog at all, without bucketing its rows
    if (ctx.fileKind === "htaccess" || !file.table.names.includes("customlog")) return {};
    const known =
      server.treeLogFormats !== undefined ||
      facts.shared("self-contained", (f) => isSelfContained(file, server, f.directiveRows("include").length + f.directiveRows("includeoptional").length));
    if (!known) return {};
    const logs: Directive[] = [];
    return {
      directive: {
        customlog(d) {
          const fmt = d.args[1];
          if (fmt && NICKNAME.test(fmt.value) && !fmt.value.includes("%")) logs.push(d);
        },
      },
      end() {
        if (logs.length === 0) return;
        // nicknames by owner: null for the main server, else the <VirtualHost> row
        const main = new Set<string>(server.treeLogFormats ?? []);
        const inVhost = new Map<number, Set<string>>();
        const vhostsWithLog = new Set<number>();
        for (const d of logs) {
          const v = virtualHostOf(d);
          if (v) vhostsWithLog.add(v.row);
        }
        for (const lf of facts.directivesNamed("logformat")) {
          const nick = lf.args[1]?.value;
          if (lf.args.length < 2 || nick === undefined) continue;
          const v = virtualHostOf(lf);
          if (!v) main.add(nick);
          else {
            const set = inVhost.get(v.row) ?? new Set<string>();
            set.add(nick);
            inVhost.set(v.row, set);
          }
        }
        const borrowed = new Set<string>();
        for (const [row, set] of inVhost) if (!vhostsWithLog.has(row)) for (const n of set) borrowed.add(n);
        for (const d of logs) {
          const fmt = d.args[1]!;
          const nick = fmt.value;
          const v = virtualHostOf(d);
          if (main.has(nick)) continue;
          if (v ? inVhost.get(v.row)?.has(nick) : borrowed.has(nick)) continue;
          const where = v ? "for this virtual host (the main server's and its own)" : "in the main server";
          ctx.report({
            message:
              `No LogFormat defines the nickname \`${nick}\` ${where}: Apache takes \`${nick}\` as the format itself, ` +
              `so every line of ${d.args[0]?.value ?? "the log"} is the word \`${nick}\`.`,
            start: fmt.start,
            end: fmt.end,
          });
        }
      },
    };
  },
});
