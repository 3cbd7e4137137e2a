// ProxyPassReverse rewrites a response header only when the header starts
// with its URL (ap_proxy_location_reverse_map compares the strings; for
// balancer:// it tries each member). A backend writes its redirects with the
// Host it received, which is the ProxyPass URL's authority unless
// ProxyPreserveHost is on, so a URL that names no backend rewrites nothing
// (measured on 2.4.71: test/apache/proxy-silent-live.test.ts).
import type { Directive } from "../grammar/index.js";
import { backends, schemeOf, REQUEST_BACKEND_KEYS } from "../src/apache/proxy.js";
import { isIpLiteral, isLoopbackHost, originOf, type Origin } from "../src/apache/proxy-origin.js";
import { defineRule, type Report, handlersFor } from "../src/core/rule.js";
import { memoByString } from "../src/apache/memo.js";

interface Reverse {
  row: number;
  /** the local path it maps, when written on the line */
  path: string | null;
  origin: Origin;
  /** offset of the URL's text in the file, or null when it does not map 1:1 */
  urlStart: number | null;
  start: number;
  end: number;
}

interface BalancerReverse {
  row: number;
  name: string;
  start: number;
  end: number;
}

/** `balancer://name/…` → `name`, lower-cased (mod_proxy's balancer names are case-insensitive). */
const balancerName = (url: string) => /^balancer:\/\/([^/?#]*)/i.exec(url)?.[1]?.toLowerCase() ?? null;

export default defineRule({
  id: "proxypass-reverse-unmatched",
  severity: "warning",
  category: "correctness",
  description: "A ProxyPassReverse whose URL matches no backend of the file, so it rewrites nothing",
  fixable: "unsafe",
  doc: {
    problem:
      "A ProxyPassReverse URL that no ProxyPass, ProxyPassMatch, BalancerMember or RewriteRule [P] of the file " +
      "connects to: a `balancer://name` no BalancerMember or <Proxy balancer://name> defines, or an http(s) URL whose " +
      "scheme, host and port belong to no backend although its host is a backend's host (a wrong port or scheme) or " +
      "an address (an IP literal, localhost) that no backend uses. A backend redirects to the address it was reached " +
      "at, so such a line never matches. A URL with a public name is not reported: a backend that knows its public " +
      "name redirects there, and mapping that name is what ProxyPassReverse is for. Files without any backend are " +
      "not checked (their ProxyPass lines are elsewhere).",
    bad: "ProxyPass /app/ http://127.0.0.1:3000/\nProxyPassReverse /app/ http://127.0.0.1:3001/",
    good: "ProxyPass /app/ http://127.0.0.1:3000/\nProxyPassReverse /app/ http://127.0.0.1:3000/",
    why:
      "Measured on 2.4.71 with a loopback backend that answers /redirect with `302 Location: http://127.0.0.1:PORT/login`: " +
      "with `ProxyPassReverse /app/ http://127.0.0.1:PORT+1/` the client received that Location unchanged (the backend's " +
      "own address); with the backend's URL it received `Location: http://127.0.0.1:APACHE/app/login`. The backend " +
      "also received `Host: 127.0.0.1:PORT`, the ProxyPass URL's authority, which is what its redirects are built from.",
    versions: "All 2.4 releases (measured on 2.4.71).",
    fix:
      "Unsafe: replaces the URL's `scheme://host:port` with that of the one ProxyPass for the same path, or, when no " +
      "ProxyPass maps that path, of the one backend on the same host. Unsafe because the backend may redirect to yet " +
      "another address.",
  },
  create(ctx) {
    if (ctx.fileKind === "htaccess") return {};
    const refs = backends(ctx.facts);
    const reverses: Reverse[] = [];
    const balancerReverses: BalancerReverse[] = [];
    /** backend origins by their text, and by host */
    const origins = new Set<string>();
    const byHost = new Map<string, Set<string>>();
    const balancers = new Set<string>();
    /** backend origins by the local path their ProxyPass maps */
    const byPath = new Map<string, Set<string>>();
    const backend = (d: Directive) => {
      const ref = refs.of(d);
      if (!ref) return;
      const url = refs.url(ref).text;
      const name = balancerName(url);
      // a ProxyPass to balancer:// only uses a balancer; BalancerMember outside <Proxy> names its own first
      if (name !== null) return;
      if (d.key === "balancermember") {
        const n = balancerName(d.args[0]?.value ?? "");
        if (n !== null) balancers.add(n);
      }
      const o = httpOrigin(url);
      if (!o) return;
      origins.add(o.text);
      let hosts = byHost.get(o.host);
      if (!hosts) byHost.set(o.host, (hosts = new Set()));
      hosts.add(o.text);
      if (d.key === "proxypass" && ref.path) {
        let set = byPath.get(ref.path.value);
        if (!set) byPath.set(ref.path.value, (set = new Set()));
        set.add(o.text);
      }
    };
    return {
      directive: {
        ...handlersFor(ctx.file, REQUEST_BACKEND_KEYS, backend),
        proxypassreverse(d) {
          const ref = refs.of(d);
          if (!ref) return;
          const url = refs.url(ref);
          const name = balancerName(url.text);
          if (name !== null) {
            balancerReverses.push({ row: d.row, name, start: ref.url.start, end: ref.url.end });
            return;
          }
          const scheme = schemeOf(url.text);
          if (scheme !== "http" && scheme !== "https") return;
          const origin = httpOrigin(url.text);
          if (!origin) return;
          reverses.push({ row: d.row, path: ref.path?.value ?? null, origin, urlStart: url.start, start: ref.url.start, end: ref.url.end });
        },
      },
      enter: {
        proxy(s) {
          const n = balancerName(s.args[0]?.value ?? "");
          if (n !== null) balancers.add(n);
        },
      },
      end() {
        if (origins.size > 0) {
          for (const r of reverses) {
            const { origin } = r;
            if (origins.has(origin.text)) continue;
            // the same host on another port or scheme (HTTP's default port written or not)
            const sameHost = byHost.get(origin.host);
            const equivalent = sameHost && [...sameHost].some((o) => sameOrigin(httpOrigin(o)!, origin));
            if (equivalent) continue;
            if (!sameHost && !isLoopbackHost(origin.host) && !isIpLiteral(origin.host)) continue;
            const candidates = sameHost ? [...sameHost] : [];
            const report: Report = {
              message:
                `ProxyPassReverse \`${origin.text}\` matches no backend of this file${candidates.length ? ` (${candidates.map((c) => `\`${c}\``).join(", ")} on the same host)` : ""}: ` +
                "a backend's redirects carry the address it was reached at, so this line rewrites nothing and they reach the client unchanged.",
              start: r.start,
              end: r.end,
            };
            // the backend of the ProxyPass for the same path, else the one backend on the same host
            const forPath = r.path === null ? undefined : byPath.get(r.path);
            const only = forPath?.size === 1 ? [...forPath][0]! : !forPath && candidates.length === 1 ? candidates[0]! : null;
            if (only && r.urlStart !== null) {
              // origin.text is `scheme://authority` as written, lower-cased: the same length
              report.fix = { safety: "unsafe", title: `Use \`${only}\``, edits: [{ start: r.urlStart, end: r.urlStart + origin.text.length, text: only }] };
            }
            ctx.report(report);
          }
        }
        if (balancers.size > 0) {
          for (const b of balancerReverses) {
            if (balancers.has(b.name)) continue;
            ctx.report({
              message: `ProxyPassReverse names \`balancer://${b.name}\`, which no BalancerMember or <Proxy balancer://…> of this file defines: it rewrites nothing.`,
              start: b.start,
              end: b.end,
            });
          }
        }
      },
    };
  },
});

/**
 * The origin of an http(s), ws or wss URL with ws read as http: from 2.4.47 mod_proxy_http answers plain
 * requests to a ws:// worker over HTTP, and their redirects say http://. Null for other schemes.
 */
const httpOrigin: (url: string) => Origin | null = memoByString(readHttpOrigin);

function readHttpOrigin(url: string): Origin | null {
  const o = originOf(url);
  if (!o || o.tls === null || o.scheme.startsWith("h2")) return null;
  if (o.scheme !== "ws" && o.scheme !== "wss") return o;
  const scheme = o.scheme === "ws" ? "http" : "https";
  return { ...o, scheme, text: scheme + o.text.slice(o.scheme.length) };
}

/** Same scheme and host, ports equal once defaults are filled in (`http://h` and `http://h:80`). */
function sameOrigin(a: Origin, b: Origin): boolean {
  return a.scheme === b.scheme && a.host === b.host && a.port === b.port;
}
