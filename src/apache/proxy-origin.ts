// What the proxy rules of issues 12 and 13 ask of a backend URL: its origin
// (scheme, host, port), whether it is TLS, on loopback, a WebSocket, and which
// server (virtual host or main) a directive configures. mod_proxy compares
// backends and ProxyPassReverse URLs as strings (ap_proxy_location_reverse_map:
// strncasecmp on the URL), so origins are compared as written, lower-cased.
import type { Directive, Parent, Section } from "../../grammar/index.js";
import { urlParts, type BackendRef } from "./proxy.js";
import { virtualHostOf } from "./scope.js";
import { memoByString } from "./memo.js";

/** Schemes whose backend connection is TLS, and the plain ones mod_proxy also speaks over TCP. */
const TLS: ReadonlySet<string> = new Set(["https", "wss", "h2"]);
const PLAIN: ReadonlySet<string> = new Set(["http", "ws", "h2c"]);
/** The port each scheme means when none is written (apr_uri_port_of_scheme). */
const DEFAULT_PORT: Readonly<Record<string, string>> = { http: "80", ws: "80", h2c: "80", https: "443", wss: "443", h2: "443" };

export interface Origin {
  scheme: string;
  /** lower-cased, IPv6 brackets kept */
  host: string;
  /** as written, or the scheme's default */
  port: string;
  /** `scheme://authority`, lower-cased, as written */
  text: string;
  /** TLS (https, wss, h2), plain (http, ws, h2c), or neither (ajp, fcgi, balancer…) */
  tls: boolean | null;
}

/** The origin of a backend URL, or null when it has no literal authority (interpolated, `$1`, `%{…}`). Shared: do not modify. */
export const originOf: (url: string) => Origin | null = memoByString(readOrigin);

function readOrigin(url: string): Origin | null {
  const p = urlParts(url);
  if (!p || p.authority === "" || /[$%{}\s]/.test(p.authority)) return null;
  const auth = p.authority.toLowerCase().replace(/^[^@]*@/, "");
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(auth);
  if (!m) return null;
  const host = m[1]!;
  const port = m[2] || DEFAULT_PORT[p.scheme] || "";
  return { scheme: p.scheme, host, port, text: `${p.scheme}://${p.authority.toLowerCase()}`, tls: TLS.has(p.scheme) ? true : PLAIN.has(p.scheme) ? false : null };
}

/** 127.0.0.0/8, ::1 and localhost: a backend on this machine. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  return h === "localhost" || h.endsWith(".localhost") || /^127\.\d+\.\d+\.\d+$/.test(h) || h === "[::1]" || h === "[0:0:0:0:0:0:0:1]";
}

/** An IP literal (v4 or bracketed v6): a name no backend would give itself in a redirect to a public address. */
export function isIpLiteral(host: string): boolean {
  return /^\d+\.\d+\.\d+\.\d+$/.test(host) || host.startsWith("[");
}

/** Does the worker carry `upgrade=websocket` (mod_proxy_http tunnels it, 2.4.47+)? */
export function upgradesWebSocket(ref: BackendRef): boolean {
  if (ref.kind === "rewrite") return false;
  for (const p of ref.params) if (/^upgrade=(.*,)?\s*websocket\s*(,.*)?$/i.test(p.value)) return true;
  return false;
}

/** A backend that carries WebSockets: a ws:// or wss:// URL, or http(s):// with upgrade=websocket. */
export function isWebSocketBackend(ref: BackendRef, scheme: string | null): boolean {
  return scheme === "ws" || scheme === "wss" || ((scheme === "http" || scheme === "https") && upgradesWebSocket(ref));
}

/** The server a directive configures: its <VirtualHost>, or the file (the main server). */
export function serverOf(d: Directive | Section): Parent {
  return virtualHostOf(d) ?? d.file;
}

/**
 * Per-server directives (Timeout, ProxyTimeout, SSLProxyVerify …): the last one
 * of each name in each server. A virtual host that does not set one inherits
 * the main server's, as these directives' merge functions do.
 */
export class ServerSettings {
  private readonly byServer = new Map<Parent, Map<string, Directive>>();
  constructor(private readonly file: Parent) {}
  record(d: Directive): void {
    const s = serverOf(d);
    let m = this.byServer.get(s);
    if (!m) this.byServer.set(s, (m = new Map()));
    m.set(d.key, d);
  }
  /** The line in effect for `key` in `server`: its own, else the main server's. */
  get(server: Parent, key: string): Directive | undefined {
    return this.byServer.get(server)?.get(key) ?? (server === this.file ? undefined : this.byServer.get(this.file)?.get(key));
  }
}
