// mod_ssl's proxy checks are per server (and per <Proxy> section): with
// SSLProxyVerify none it accepts any certificate chain, and with
// SSLProxyCheckPeerName off any name. Toward a backend on another machine that
// lets whoever sits on the path between them read and change the traffic.
// Measured on 2.4.71: test/apache/proxy-silent-live.test.ts.
import type { Directive, Parent, Section } from "../grammar/index.js";
import { backends, REQUEST_BACKEND_KEYS } from "../src/apache/proxy.js";
import { isLoopbackHost, originOf, serverOf } from "../src/apache/proxy-origin.js";
import { defineRule, handlersFor } from "../src/core/rule.js";

/** The values that turn a check off (mod_ssl: SSLProxyVerify none|optional_no_ca skip chain verification). */
const OFF: Readonly<Record<string, RegExp>> = {
  sslproxyverify: /^(none|optional_no_ca)$/i,
  sslproxycheckpeername: /^off$/i,
};

/** What each off switch lets through, for the message. */
const EFFECT: Readonly<Record<string, string>> = {
  sslproxyverify: "any certificate, self-signed or forged, is accepted",
  sslproxycheckpeername: "a certificate for any other name is accepted",
};

interface Tls {
  url: string;
  host: string;
  server: Parent;
  /** the <Proxy> section it is in, if any */
  section: Section | null;
}

/** Does a <Proxy url> or <ProxyMatch re> section apply to this backend URL? */
function covers(section: Section, url: string): boolean {
  const pattern = section.args[0]?.value;
  if (pattern === undefined) return false;
  if (section.key === "proxymatch") {
    try {
      return new RegExp(pattern).test(url);
    } catch {
      return false;
    }
  }
  return url.toLowerCase().startsWith(pattern.replace(/\*$/, "").toLowerCase());
}

export default defineRule({
  id: "ssl-proxy-verify-off",
  severity: "warning",
  category: "security",
  description: "`SSLProxyVerify none` or `SSLProxyCheckPeerName off` toward a TLS backend that is not on loopback",
  fixable: "none",
  doc: {
    problem:
      "An `SSLProxyVerify none` (or `optional_no_ca`) or `SSLProxyCheckPeerName off` line in a server (or <Proxy> " +
      "section) that proxies to an `https://`, `wss://` or `h2://` backend whose host is not 127.0.0.0/8, ::1 or " +
      "localhost. The switch applies to the virtual host that sets it, to virtual hosts that inherit it from the main " +
      "server, and to the backends a <Proxy> section covers. Only backends with a literal host are considered.",
    bad: "SSLProxyEngine on\nSSLProxyVerify none\nSSLProxyCheckPeerName off\nProxyPass /api/ https://api.internal.example/",
    good:
      "SSLProxyEngine on\nSSLProxyVerify require\nSSLProxyCACertificateFile /etc/ssl/internal-ca.pem\n" +
      "ProxyPass /api/ https://api.internal.example/",
    why:
      "Measured on 2.4.71 with a loopback TLS backend whose self-signed certificate names 127.0.0.1: with no " +
      "SSLProxyVerify (its default is none) the proxied GET answered 200 — the chain is not checked at all; with " +
      "`SSLProxyVerify require` it answered 500, logging `AH02039: Certificate Verification: Error (18): self-signed " +
      "certificate` and `AH00898: Error during SSL Handshake with remote server`. Reached as `https://localhost:PORT/` " +
      "(a name the certificate does not carry) it answered 500 with `AH00898`; with `SSLProxyCheckPeerName off`, 200. " +
      "So each switch removes the one check that stops a machine in the middle, and for a remote backend that is " +
      "the point of TLS. On loopback there is no middle, so those backends are not reported. Since `none` is also " +
      "the default, a server with no SSLProxyVerify line is not verifying either; the rule reports the lines it can " +
      "see, and the fix is `SSLProxyVerify require` with a CA.",
    versions: "All 2.4 releases; SSLProxyCheckPeerName exists from 2.4.5 (measured on 2.4.71).",
  },
  create(ctx) {
    if (ctx.fileKind === "htaccess") return {};
    const refs = backends(ctx.facts);
    const tls: Tls[] = [];
    const switches: Directive[] = [];
    /** every SSLProxyVerify / SSLProxyCheckPeerName line outside <Proxy>: a server that sets its own does not inherit */
    const settings: Directive[] = [];
    const backend = (d: Directive) => {
      const ref = refs.of(d);
      if (!ref) return;
      const url = refs.url(ref).text;
      const o = originOf(url);
      if (!o || o.tls !== true || isLoopbackHost(o.host)) return;
      const p = d.parent;
      const section = p.kind === "section" && (p.key === "proxy" || p.key === "proxymatch") ? p : null;
      tls.push({ url, host: o.host, server: serverOf(d), section });
    };
    const setting = (d: Directive) => {
      settings.push(d);
      if (OFF[d.key]!.test(d.args[0]?.value ?? "")) switches.push(d);
    };
    return {
      directive: {
        ...handlersFor(ctx.file, REQUEST_BACKEND_KEYS, backend),
        sslproxyverify: setting,
        sslproxycheckpeername: setting,
      },
      end() {
        if (tls.length === 0) return;
        const file = ctx.file;
        // the servers that set each switch themselves, so that a main-server switch skips them
        const own = new Map<string, Set<Parent>>();
        for (const d of settings) {
          const p = d.parent;
          if (p.kind === "section" && (p.key === "proxy" || p.key === "proxymatch")) continue;
          let s = own.get(d.key);
          if (!s) own.set(d.key, (s = new Set()));
          s.add(serverOf(d));
        }
        for (const d of switches) {
          const p = d.parent;
          const proxySection = p.kind === "section" && (p.key === "proxy" || p.key === "proxymatch") ? p : null;
          const server = serverOf(d);
          const hit = tls.find((b) =>
            proxySection
              ? b.section === proxySection || (b.server === server && covers(proxySection, b.url))
              : b.server === server || (server === file && !own.get(d.key)?.has(b.server)),
          );
          if (!hit) continue;
          ctx.report({
            message:
              `\`${d.name} ${d.args[0]!.value}\` applies to the TLS backend \`${hit.url}\`, which is not on loopback: ` +
              `${EFFECT[d.key]}, so anyone on the path to ${hit.host} can read and change the proxied traffic.`,
            start: d.start,
            end: d.end,
          });
        }
      },
    };
  },
});
