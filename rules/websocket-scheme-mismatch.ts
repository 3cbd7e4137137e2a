// One backend address speaks either TLS or plain TCP. A config that reaches the
// same host:port as `wss://` in one line and as `http://` in another is wrong
// in one of them, and it is nearly always the WebSocket line: the page loads,
// the socket fails (measured on 2.4.71, test/apache/proxy-silent-live.test.ts).
import type { Directive } from "../grammar/index.js";
import { backends, REQUEST_BACKEND_KEYS } from "../src/apache/proxy.js";
import { originOf } from "../src/apache/proxy-origin.js";
import { defineRule, type Report, handlersFor } from "../src/core/rule.js";

interface Use {
  row: number;
  scheme: string;
  tls: boolean;
  /** where the scheme is in the file, when the URL maps 1:1 and writes its port (for the fix: ws and wss default to different ports) */
  schemeStart: number | null;
  start: number;
  end: number;
}

/** The WebSocket scheme that speaks like `tls`. */
const wsScheme = (tls: boolean) => (tls ? "wss" : "ws");

export default defineRule({
  id: "websocket-scheme-mismatch",
  severity: "warning",
  category: "websocket",
  description: "A `wss://` backend at an address another line proxies as plain `http://` (or `ws://` where another uses `https://`)",
  fixable: "unsafe",
  doc: {
    problem:
      "A `ws://` or `wss://` backend whose host and port (the scheme's default port when none is written) another " +
      "ProxyPass, ProxyPassMatch, BalancerMember or RewriteRule [P] of the file reaches with the other kind of " +
      "connection: `wss://` where another line uses `http://`/`ws://`, or `ws://` where another uses `https://`/`wss://`. " +
      "One port speaks one of the two, so one line is wrong; the plain pages keep working and only the WebSocket fails. " +
      "Interpolated hosts and ProxyPassReverse (which never connects) are not compared.",
    bad: "SSLProxyEngine on\nProxyPass /ws/ wss://127.0.0.1:3000/ws/\nProxyPass / http://127.0.0.1:3000/",
    good: "ProxyPass /ws/ ws://127.0.0.1:3000/ws/\nProxyPass / http://127.0.0.1:3000/",
    why:
      "Measured on 2.4.71 against a loopback backend speaking plain HTTP on one port: `ProxyPass /ws/ wss://…` + " +
      "`ProxyPass / http://…` (SSLProxyEngine on) starts without a word, the plain GET answers 200, and every WebSocket " +
      "handshake answers 500, logging `AH01084: pass request body failed to 127.0.0.1:PORT (127.0.0.1)` (the TLS " +
      "handshake toward a plain port fails). The reverse, `ws://` toward a port that `https://` reaches: the GET answers " +
      "200 and the handshake 502.",
    versions: "All 2.4 releases (measured on 2.4.71).",
    fix:
      "Unsafe: rewrites the WebSocket line's scheme to the kind the other line uses (`wss` to `ws`, or `ws` to `wss`), " +
      "when the URL writes its port (the two schemes' default ports differ). Unsafe because the other line may be the " +
      "wrong one.",
  },
  create(ctx) {
    if (ctx.fileKind === "htaccess") return {};
    const refs = backends(ctx.facts);
    /** by `host:port`: every use, in order */
    const byAddress = new Map<string, Use[]>();
    const backend = (d: Directive) => {
      const ref = refs.of(d);
      if (!ref) return;
      const url = refs.url(ref);
      const origin = originOf(url.text);
      if (!origin || origin.tls === null) return;
      const key = `${origin.host}:${origin.port}`;
      let uses = byAddress.get(key);
      if (!uses) byAddress.set(key, (uses = []));
      uses.push({ row: d.row, scheme: origin.scheme, tls: origin.tls, schemeStart: /^[a-z]+:\/\/[^/?#]*:\d+/i.test(url.text) ? url.start : null, start: ref.url.start, end: ref.url.end });
    };
    return {
      directive: handlersFor(ctx.file, REQUEST_BACKEND_KEYS, backend),
      end() {
        const t = ctx.file.table;
        for (const [address, uses] of byAddress) {
          if (uses.length < 2) continue;
          // per kind (TLS or plain): its first non-WebSocket line, else its first line
          const firstOf = (tls: boolean): Use | undefined => {
            let any: Use | undefined;
            for (const o of uses) {
              if (o.tls !== tls) continue;
              if (o.scheme !== "ws" && o.scheme !== "wss") return o;
              any ??= o;
            }
            return any;
          };
          const firstTls = firstOf(true);
          const firstPlain = firstOf(false);
          if (!firstTls || !firstPlain) continue;
          for (const u of uses) {
            if (u.scheme !== "ws" && u.scheme !== "wss") continue;
            const other = u.tls ? firstPlain : firstTls;
            // ws:// and wss:// alone say nothing about which one the port speaks: only the later is
            // reported, without a fix (fixing both would swap them on every pass)
            const symmetric = other.scheme === "ws" || other.scheme === "wss";
            if (symmetric && u.row < other.row) continue;
            const want = wsScheme(other.tls);
            const report: Report = {
              message:
                `\`${u.scheme}://\` toward ${address}, which line ${ctx.file.position(t.start[other.row]!).line} reaches as \`${other.scheme}://\`: one port ` +
                `speaks either TLS or plain HTTP, so one of them fails (a WebSocket handshake here gets 500/502); ` +
                `did you mean \`${want}://\`?`,
              start: u.start,
              end: u.end,
              related: [{ start: t.start[other.row]!, end: t.end[other.row]!, message: `${other.scheme}:// to the same address` }],
            };
            if (u.schemeStart !== null && !symmetric) {
              report.fix = { safety: "unsafe", title: `Use \`${want}://\``, edits: [{ start: u.schemeStart, end: u.schemeStart + u.scheme.length, text: want }] };
            }
            ctx.report(report);
          }
        }
      },
    };
  },
});
