// mod_remoteip replaces the client address with the header's only when the
// connection comes from a trusted proxy; with no trusted list every peer is
// one. Measured on 2.4.71: test/apache/proxy-silent-live.test.ts.
import type { Directive, Parent } from "../grammar/index.js";
import { coversAllIPv4 } from "../src/apache/proxy-trusted-ranges.js";
import { ipSubnet } from "../src/apache/ip-subnet.js";
import { serverOf } from "../src/apache/proxy-origin.js";
import { defineRule } from "../src/core/rule.js";

/** The directives that make mod_remoteip's trusted list (the *List forms read a file this rule cannot see). */
const LIST_KEYS: ReadonlySet<string> = new Set(["remoteiptrustedproxy", "remoteipinternalproxy", "remoteiptrustedproxylist", "remoteipinternalproxylist"]);

/** APR's reason for an address it refuses (apr_strerror), as mod_remoteip prints it at startup. */
const APR_REASON: Readonly<Record<string, string>> = {
  "bad-mask": "The specified network mask is invalid.",
  "bad-ip": "The specified IP address is invalid.",
};

export default defineRule({
  id: "remoteip-trust-all",
  severity: "warning",
  // a word Apache refuses (`0.0.0.0/0`) stops the server from starting
  severities: ["warning", "error"],
  category: "security",
  description: "`RemoteIPHeader` with no trusted-proxy list, or one covering every address: any client can forge its address",
  fixable: "none",
  doc: {
    problem:
      "A `RemoteIPHeader` in a server (a virtual host, or the main server) where no RemoteIPTrustedProxy, " +
      "RemoteIPInternalProxy or their *List forms is in effect (a virtual host without its own list uses the main " +
      "server's), or where the list's addresses together cover all of IPv4 (`0.0.0.0/0.0.0.0`, `0.0.0.0/1 " +
      "128.0.0.0/1`). Then every client is taken for a proxy, and the address it writes in the header becomes its " +
      "address for `Require ip`, logs (`%a`), mod_evasive-style limits and CGI's REMOTE_ADDR.",
    bad: "RemoteIPHeader X-Forwarded-For\n<Location /admin>\n    Require ip 10.0.0.0/8\n</Location>",
    good: "RemoteIPHeader X-Forwarded-For\nRemoteIPInternalProxy 10.0.0.5\n<Location /admin>\n    Require ip 10.0.0.0/8\n</Location>",
    why:
      "Measured on 2.4.71 on loopback, with `RemoteIPHeader X-Forwarded-For`, `<Location /> Require ip 203.0.113.7` and " +
      "`LogFormat \"%a %{c}a\"`: with no trusted list, a request from 127.0.0.1 carrying `X-Forwarded-For: 203.0.113.7` " +
      "got through Require ip (404 from the empty DocumentRoot instead of 403) and was logged as `203.0.113.7 127.0.0.1`; " +
      "the same request without the header got 403. `RemoteIPTrustedProxy 0.0.0.0/0.0.0.0` behaved the same, while " +
      "`RemoteIPInternalProxy 10.0.0.0/8` (which does not cover the client) left the forged header unused: 403. " +
      "`RemoteIPTrustedProxy 0.0.0.0/0` itself is refused at startup: `RemoteIP: Error parsing IP 0.0.0.0/0 (The " +
      "specified network mask is invalid. error) for RemoteIPTrustedProxy`; the rule reports such a word as an error.",
    versions: "All 2.4 releases (measured on 2.4.71).",
  },
  create(ctx) {
    if (ctx.fileKind === "htaccess") return {};
    const headers: Directive[] = [];
    /** each server's list words; `null` once a *List file makes them unknowable */
    const lists = new Map<Parent, { words: string[]; rows: number[] } | null>();
    const list = (d: Directive) => {
      const server = serverOf(d);
      if (d.key.endsWith("list")) return void lists.set(server, null);
      let l = lists.get(server);
      if (l === null) return;
      if (!l) lists.set(server, (l = { words: [], rows: [] }));
      for (const a of d.args) {
        l.words.push(a.value);
        const reason = APR_REASON[ipSubnet(a.value)];
        if (reason) {
          ctx.report({
            message:
              `Apache refuses \`${a.value}\` at startup: "RemoteIP: Error parsing IP ${a.value} (${reason} error) for ${d.name}". ` +
              "A trusted-proxy list should name your proxies, never every address.",
            start: a.start,
            end: a.end,
            severity: "error",
          });
        }
      }
      l.rows.push(d.row);
    };
    const handlers: Record<string, (d: Directive) => void> = { remoteipheader: (d) => void headers.push(d) };
    for (const k of LIST_KEYS) handlers[k] = list;
    return {
      directive: handlers,
      end() {
        const t = ctx.file.table;
        const reported = new Set<number>();
        for (const h of headers) {
          const server = serverOf(h);
          const own = lists.get(server);
          const l = own !== undefined ? own : lists.get(ctx.file);
          if (l === null) continue;
          if (!l) {
            ctx.report({
              message:
                `\`RemoteIPHeader ${h.args[0]?.value ?? ""}\` without RemoteIPTrustedProxy or RemoteIPInternalProxy trusts every client: ` +
                "anyone can send the header and be taken for any address (Require ip, logs). List your proxies' addresses.",
              start: h.start,
              end: h.end,
            });
          } else if (coversAllIPv4(l.words)) {
            const row = l.rows[l.rows.length - 1]!;
            if (reported.has(row)) continue;
            reported.add(row);
            ctx.report({
              message:
                `The trusted-proxy list covers every IPv4 address, so \`RemoteIPHeader ${h.args[0]?.value ?? ""}\` is taken from any client: ` +
                "anyone can forge its address. List only your proxies.",
              start: t.start[row]!,
              end: t.end[row]!,
              related: [{ start: h.start, end: h.end, message: "the header it trusts" }],
            });
          }
        }
      },
    };
  },
});
