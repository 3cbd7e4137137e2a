// Directives of httpd trunk's manual that no 2.4 release has: copied from the
// trunk documentation, they stop every 2.4 server. It supersedes
// directive-unknown's finding on the line and says what 2.4 offers instead.
import type { Directive } from "../grammar/index.js";
import { defineRule, handlersFor } from "../src/core/rule.js";
import { TRUNK_ONLY } from "../src/data/version-facts.js";

const BY_KEY = new Map(TRUNK_ONLY.map((f) => [f.name.toLowerCase(), f]));

export default defineRule({
  id: "directive-trunk-only",
  severity: "error",
  category: "correctness",
  supersedes: ["directive-unknown"],
  description: "A directive that exists only in httpd trunk (2.5), not in any 2.4 release",
  fixable: "none",
  doc: {
    problem:
      "The manual at httpd.apache.org/docs/trunk/ documents directives of the development branch, such as " +
      "`ProxyWebsocketIdleTimeout` and `ProxyWebsocketAsync`, that no 2.4 release has. Copied into a 2.4 config they stop the server.",
    bad: "ProxyPass /ws/ ws://127.0.0.1:3000/ws/\nProxyWebsocketIdleTimeout 300",
    good: "ProxyPass /ws/ http://127.0.0.1:3000/ws/ upgrade=websocket timeout=300",
    why:
      "Measured on 2.4.71 with every module loaded: `apache2 -t` stops with `Invalid command 'ProxyWebsocketIdleTimeout', " +
      "perhaps misspelled or defined by a module not included in the server configuration` (the same for " +
      "`ProxyWebsocketAsync`). On 2.4 the tunnel's idle time is the worker's `timeout=` (or `ProxyTimeout`).",
    versions: "Every 2.4 release.",
  },
  create(ctx) {
    const visit = (d: Directive) => {
      const f = BY_KEY.get(d.key)!;
      ctx.report({
        message: `\`${d.name}\` exists only in httpd trunk, no 2.4 release has it: Apache refuses to start ("Invalid command '${d.name}', perhaps misspelled or defined by a module not included in the server configuration"); ${f.instead}.`,
        start: d.start,
        end: d.nameEnd,
      });
    };
    return { directive: handlersFor(ctx.file, BY_KEY, visit) };
  },
});
