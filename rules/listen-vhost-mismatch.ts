// A <VirtualHost addr:port> only gets requests from a socket a Listen line
// opens. With no Listen on its port, Apache starts without a word and the
// port refuses connections (measured on 2.4.71). Checked only when every
// Listen of the server is known.
import { vhostPort } from "../src/apache/vhost-address.js";
import { defineRule } from "../src/core/rule.js";
import { isSelfContained } from "../src/server/server-info.js";
import { parseListen } from "./listen-duplicate.js";
import type { Section } from "../grammar/index.js";

export default defineRule({
  id: "listen-vhost-mismatch",
  severity: "warning",
  category: "correctness",
  description: "A `<VirtualHost>` on a port that no `Listen` opens",
  fixable: "none",
  doc: {
    problem:
      "A `<VirtualHost addr:port>` names a port that no `Listen` line of the server opens, so the virtual host never " +
      "receives a request on it. Addresses without a port, or with `*` as the port, match any port and are not " +
      "checked. Checked only in a whole-server lint (a config whose Includes lead to no file, or a tree whose Listen " +
      "lines were read): a vhost file linted alone relies on ports.conf or httpd.conf.",
    bad: "# httpd.conf\nListen 80\n<VirtualHost *:8080>\n    ServerName app.example.com\n</VirtualHost>",
    good: "# httpd.conf\nListen 80\nListen 8080\n<VirtualHost *:8080>\n    ServerName app.example.com\n</VirtualHost>",
    why:
      "Measured on 2.4.71: `apache2 -t` says Syntax OK, the server starts with nothing in the error log, and a " +
      "connection to the virtual host's port is refused (`Couldn't connect to server`).",
    versions: "All Apache 2.4 releases (measured on 2.4.71).",
  },
  create(ctx) {
    const { file, server, facts } = ctx;
    if (ctx.fileKind === "htaccess" || !ctx.file.table.names.includes("virtualhost")) return {};
    const known =
      server.treeListenPorts !== undefined ||
      facts.shared("self-contained", (f) => isSelfContained(file, server, f.directiveRows("include").length + f.directiveRows("includeoptional").length));
    if (!known) return {};
    return {
      end() {
        const vhostRows = facts.sectionRows("virtualhost");
        if (vhostRows.length === 0) return;
        const ports = new Set<number>(server.treeListenPorts ?? []);
        for (const l of facts.directivesNamed("listen")) {
          const parsed = l.args[0] && parseListen(l.args[0].value);
          if (parsed) ports.add(parsed.port);
        }
        const text = file.text;
        const t = file.table;
        for (const row of vhostRows) {
          // most tags name a listened port: a look at the raw tag before building the section
          const tag = text.slice(t.start[row]!, t.end[row]!);
          if ([...tag.matchAll(/:(\d+)/g)].every((m) => ports.has(Number(m[1])))) continue;
          const v = facts.sectionAt(row) as Section;
          for (const a of v.args) {
            const port = vhostPort(a.value);
            if (port === null || ports.has(port)) continue;
            ctx.report({
              message: `No Listen opens port ${port}: <VirtualHost ${a.raw}> never receives a request (connections to the port are refused, and Apache says nothing).`,
              start: a.start,
              end: a.end,
            });
          }
        }
      },
    };
  },
});
