// mod_proxy_http sends the backend the Host of the backend URL, not the
// client's, unless ProxyPreserveHost is on. It adds X-Forwarded-Host/-For/-Server
// (ProxyAddHeaders, on by default) but never X-Forwarded-Proto. WebSocket
// servers commonly compare Origin with Host and refuse the handshake when they
// differ (measured on 2.4.71: test/apache/proxy-silent-live.test.ts).
import type { Directive, Parent } from "../grammar/index.js";
import { backends, schemeOf } from "../src/apache/proxy.js";
import { isWebSocketBackend, originOf, serverOf } from "../src/apache/proxy-origin.js";
import { defineRule, type Report } from "../src/core/rule.js";

const isOn = (d: Directive) => /^on$/i.test(d.args[0]?.value ?? "");

/** A server's first WebSocket backend, and where the others are (one finding per server, not per line). */
interface Pending {
  row: number;
  server: Parent;
  authority: string;
  url: string;
  end: number;
  others: { start: number; end: number }[];
}

/** related locations listed per finding; a generated file may have 100,000 */
const MAX_RELATED = 20;

export default defineRule({
  id: "proxy-preserve-host",
  severity: "info",
  category: "correctness",
  description: "A WebSocket backend that receives the backend's own address as Host, without ProxyPreserveHost On or X-Forwarded-Proto",
  fixable: "unsafe",
  doc: {
    problem:
      "A WebSocket backend (`ws://`, `wss://`, or `upgrade=websocket` on an http(s) worker, in ProxyPass, ProxyPassMatch or a " +
      "RewriteRule [P]) in a server where `ProxyPreserveHost On` is not set (in the virtual host, a section of it, or the " +
      "main server it inherits from) and no `RequestHeader … X-Forwarded-Proto` is set either. The backend then sees " +
      "`Host: <its own address>` while the browser's `Origin` names the public site: servers that check Origin (most " +
      "WebSocket frameworks, CSRF protections) or that build absolute URLs from Host get it wrong.",
    bad: "<VirtualHost *:443>\n    ProxyPass /ws/ ws://127.0.0.1:3000/ws/\n</VirtualHost>",
    good: "<VirtualHost *:443>\n    ProxyPreserveHost On\n    ProxyPass /ws/ ws://127.0.0.1:3000/ws/\n</VirtualHost>",
    why:
      "Measured on 2.4.71 with a loopback backend that records its request headers: for a client sending " +
      "`Host: public.example` through `ProxyPass /app/ http://127.0.0.1:PORT/`, the backend received " +
      "`Host: 127.0.0.1:PORT`, `X-Forwarded-Host: public.example`, `X-Forwarded-For: 127.0.0.1`, `X-Forwarded-Server: " +
      "127.0.0.1` (the ServerName) and no X-Forwarded-Proto. A WebSocket handshake through `ws://` arrived the same way, " +
      "with the browser's `Origin: https://public.example` next to `Host: 127.0.0.1:PORT`. With `ProxyPreserveHost On` " +
      "the backend received `Host: public.example`; with `ProxyAddHeaders Off` the X-Forwarded headers were gone. So an " +
      "application can recover the host from X-Forwarded-Host only if it trusts that header, and the scheme (needed " +
      "for an `https://` Origin) never. Info: a backend that checks neither needs nothing. Plain http(s) backends are " +
      "not reported (one line cannot tell whether they build absolute URLs).",
    versions: "All 2.4 releases (measured on 2.4.71).",
    fix:
      "One finding per server or virtual host, at its first such backend, with the others as related locations. " +
      "Unsafe: inserts `ProxyPreserveHost On` on the line before the first such backend of the server, with its " +
      "indentation. Unsafe because it also changes the Host sent to every other backend of that scope, which breaks a " +
      "backend that is itself a name-based virtual host expecting its own name.",
  },
  create(ctx) {
    // every finding is an info: under -q none would be kept
    if (ctx.fileKind === "htaccess" || !ctx.wants("info")) return {};
    const refs = backends(ctx.facts);
    const pending: Pending[] = [];
    const byServer = new Map<Parent, Pending>();
    /** servers with a ProxyPreserveHost On anywhere in them */
    const preserving = new Set<Parent>();
    /** virtual hosts that switch it off at their top level */
    const switchedOff = new Set<Parent>();
    const forwardedProto = new Set<Parent>();
    const backend = (d: Directive) => {
      const ref = refs.of(d);
      if (!ref) return;
      const url = refs.url(ref).text;
      if (!isWebSocketBackend(ref, schemeOf(url))) return;
      const origin = originOf(url);
      if (!origin) return;
      const server = serverOf(d);
      const first = byServer.get(server);
      if (first) {
        first.others.push({ start: ref.url.start, end: ref.url.end });
        return;
      }
      const p: Pending = { row: d.row, server, authority: url.slice(origin.scheme.length + 3).split("/")[0]!, url, end: ref.url.end, others: [] };
      byServer.set(server, p);
      pending.push(p);
    };
    return {
      directive: {
        proxypass: backend,
        proxypassmatch: backend,
        rewriterule: backend,
        proxypreservehost(d) {
          const server = serverOf(d);
          if (isOn(d)) preserving.add(server);
          else if (d.parent === server) switchedOff.add(server);
        },
        requestheader(d) {
          if (/^x-forwarded-proto$/i.test(d.args[1]?.value ?? "")) forwardedProto.add(serverOf(d));
        },
      },
      end() {
        const file = ctx.file;
        const t = file.table;
        const mainOn = preserving.has(file) && !switchedOff.has(file);
        for (const p of pending) {
          const { server } = p;
          if (preserving.has(server) || (mainOn && !switchedOff.has(server))) continue;
          if (forwardedProto.has(server) || forwardedProto.has(file)) continue;
          const n = p.others.length;
          const also = n === 0 ? "" : ` (and ${n === 1 ? "1 other WebSocket backend" : `${n} other WebSocket backends`} of this server)`;
          const report: Report = {
            message:
              `The WebSocket backend \`${p.url}\`${also} receives \`Host: ${p.authority}\`, not the client's host, next to the browser's ` +
              "Origin: a server that checks Origin against Host refuses the handshake. Apache adds X-Forwarded-Host but " +
              "never X-Forwarded-Proto; set `ProxyPreserveHost On`.",
            start: t.start[p.row]!,
            end: p.end,
          };
          if (n > 0) report.related = p.others.slice(0, MAX_RELATED).map((o) => ({ ...o, message: "another WebSocket backend of this server" }));
          const from = t.from(p.row);
          const indent = file.text.slice(from, t.start[p.row]);
          report.fix = { safety: "unsafe", title: "Add `ProxyPreserveHost On`", edits: [{ start: from, end: from, text: `${indent}ProxyPreserveHost On${file.eol}` }] };
          ctx.report(report);
        }
      },
    };
  },
});
