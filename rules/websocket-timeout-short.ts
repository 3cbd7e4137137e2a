// An upgraded connection is a tunnel that mod_proxy keeps open only while
// something moves: after max(Timeout, backend timeout) seconds of silence it
// closes both ends (measured on 2.4.71, test/apache/proxy-silent-live.test.ts).
import type { Directive } from "../grammar/index.js";
import { backends, schemeOf, REQUEST_BACKEND_KEYS } from "../src/apache/proxy.js";
import { atoi, timeoutMicros } from "../src/apache/proxy-params.js";
import { isWebSocketBackend, serverOf, ServerSettings } from "../src/apache/proxy-origin.js";
import { defineRule, type RelatedLocation, handlersFor } from "../src/core/rule.js";

/** Below this an idle chat or push connection is cut between two messages: the usual keep-alive ping is 30-60 s. */
const SHORT_SECONDS = 60;
/** core's compiled-in Timeout (DEFAULT_TIMEOUT, httpd.h); ProxyTimeout defaults to it. */
const DEFAULT_TIMEOUT = 60;

/** Core's Timeout (ap_timeout_parameter_parse, seconds by default), in seconds; null when Apache would refuse it. */
const coreSeconds = (d: Directive | undefined): number | null => {
  const v = d?.args[0]?.value;
  if (v === undefined) return null;
  const us = timeoutMicros(v, "s");
  return us === null ? null : us / 1e6;
};
/** ProxyTimeout and the worker's timeout= are atoi seconds, at least 1 (mod_proxy refuses less). */
const atoiSeconds = (v: string | undefined): number | null => (v === undefined || atoi(v) < 1 ? null : atoi(v));

interface Pending {
  row: number;
  start: number;
  end: number;
  workerTimeout: number | null;
  server: ReturnType<typeof serverOf>;
}

export default defineRule({
  id: "websocket-timeout-short",
  severity: "warning",
  category: "websocket",
  description: "A WebSocket backend whose idle timeout (the larger of Timeout and ProxyTimeout/timeout=) is under 60 s",
  fixable: "none",
  doc: {
    problem:
      "A WebSocket backend (a `ws://`/`wss://` URL in ProxyPass, ProxyPassMatch, BalancerMember or a RewriteRule [P], " +
      "or `upgrade=websocket` on an http(s) worker) in a server whose timeouts close an idle tunnel in under 60 seconds. " +
      "The tunnel's idle limit is the larger of the server's `Timeout` and the backend's timeout: the worker's " +
      "`timeout=`, else `ProxyTimeout`, else `Timeout`. A virtual host that sets neither inherits the main server's. " +
      "A value that only one file cannot see (Debian's `Timeout 300` in apache2.conf) counts as Apache's default, 60 s, " +
      "so the rule speaks only when this file sets the limits short.",
    bad: "Timeout 10\n<VirtualHost *:80>\n    ProxyPass /chat/ ws://127.0.0.1:3000/chat/\n</VirtualHost>",
    good: "Timeout 10\n<VirtualHost *:80>\n    ProxyPass /chat/ ws://127.0.0.1:3000/chat/ timeout=600\n</VirtualHost>",
    why:
      "Measured on 2.4.71 with a real WebSocket through mod_proxy_http (`ws://` and `http://… upgrade=websocket` alike), " +
      "one echo and then silence: with `Timeout 2` the client saw the connection drop after 2.0 s (close code 1006, no " +
      "closing handshake); `Timeout 2` + `ProxyTimeout 4`: 4.0 s; `Timeout 4` + `ProxyTimeout 2`: 4.0 s; `Timeout 2` + " +
      "`timeout=4` on the worker: 4.0 s. So the larger value wins, and a chat or push server whose clients ping less " +
      "often than that loses every idle connection, which users report as random disconnects. Apache logs nothing at " +
      "the default LogLevel.",
    versions: "All 2.4 releases; measured on 2.4.71 (mod_proxy_http's tunnel, 2.4.47+; mod_proxy_wstunnel before).",
  },
  create(ctx) {
    if (ctx.fileKind === "htaccess") return {};
    const refs = backends(ctx.facts);
    const settings = new ServerSettings(ctx.file);
    const pending: Pending[] = [];
    const backend = (d: Directive) => {
      const ref = refs.of(d);
      if (!ref) return;
      const url = refs.url(ref).text;
      if (!isWebSocketBackend(ref, schemeOf(url))) return;
      let workerTimeout: number | null = null;
      for (const p of ref.params) if (/^timeout=/i.test(p.value)) workerTimeout = atoiSeconds(p.value.slice(8));
      pending.push({ row: d.row, start: ref.url.start, end: ref.url.end, workerTimeout, server: serverOf(d) });
    };
    const setting = (d: Directive) => settings.record(d);
    return {
      directive: { ...handlersFor(ctx.file, REQUEST_BACKEND_KEYS, backend), timeout: setting, proxytimeout: setting },
      end() {
        const t = ctx.file.table;
        for (const p of pending) {
          const core = settings.get(p.server, "timeout");
          const proxy = settings.get(p.server, "proxytimeout");
          const coreS = coreSeconds(core) ?? DEFAULT_TIMEOUT;
          const proxyS = p.workerTimeout ?? atoiSeconds(proxy?.args[0]?.value) ?? coreS;
          const idle = Math.max(coreS, proxyS);
          if (idle >= SHORT_SECONDS) continue;
          const related: RelatedLocation[] = [];
          if (core) related.push({ start: t.start[core.row]!, end: t.end[core.row]!, message: `Timeout ${coreS} s` });
          if (proxy && p.workerTimeout === null) related.push({ start: t.start[proxy.row]!, end: t.end[proxy.row]!, message: `ProxyTimeout ${proxyS} s` });
          const from = p.workerTimeout !== null ? `timeout=${p.workerTimeout}` : proxy ? `ProxyTimeout ${proxyS}` : null;
          const why = from ? `the larger of Timeout ${coreS} and ${from}` : `Timeout ${coreS}`;
          ctx.report({
            message:
              `An idle WebSocket through this backend is closed after ${idle} s (${why}): ` +
              `clients that stay silent longer are disconnected (1006); raise \`timeout=\` on the worker or ProxyTimeout.`,
            start: p.start,
            end: p.end,
            related,
          });
        }
      },
    };
  },
});
