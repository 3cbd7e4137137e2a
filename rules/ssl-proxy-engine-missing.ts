// A TLS backend is only reachable when mod_ssl's proxy engine is on for the
// server that handles the request. The setting is per server: a virtual host
// inherits the main server's value unless it sets its own, and a <Proxy>
// section can switch it on for the backends it covers (measured on 2.4.71).
import { directives, type ConfigFile, type Directive, type Node, type Parent, type Section } from "../grammar/index.js";
import { backendOf, backendUrl, TLS_SCHEMES, urlParts, type BackendRef } from "../src/apache/proxy.js";
import { attachedCommentsStart, directivesIn, enclosing, scopes, virtualHostOf } from "../src/apache/scope.js";
import { defineRule, type Fix, type Report, type RuleContext } from "../src/core/rule.js";

/** The SSLProxyEngine directive in effect in a scope itself (the last one wins), or null. */
function engineIn(scope: Parent): Directive | null {
  let last: Directive | null = null;
  for (const d of directivesIn(scope)) if (d.key === "sslproxyengine") last = d;
  return last;
}

const isOn = (d: Directive | null) => d !== null && d.args[0]?.value.toLowerCase() === "on";

/** <Proxy> sections of a server that switch the engine on, with the URL prefix (or regex) they cover. */
function proxySectionsOn(server: Parent): Section[] {
  const out: Section[] = [];
  for (const s of scopes(server)) {
    if (s === server || s.kind !== "section" || (s.key !== "proxy" && s.key !== "proxymatch")) continue;
    // a <Proxy> inside a vhost belongs to that vhost, not to the main server
    const owner = virtualHostOf(s) ?? s.file;
    if (owner === server && isOn(engineIn(s))) out.push(s);
  }
  return out;
}

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
  const prefix = pattern.replace(/\*$/, "");
  return url.toLowerCase().startsWith(prefix.toLowerCase());
}

/** The node among the file's top-level lines that contains `node`. */
function topLevel(node: Node): Node | Section {
  let n: Node | Section = node;
  while (n.parent.kind === "section") n = n.parent;
  return n;
}

/** `SSLProxyEngine on` for a server: flip an explicit off, or insert it as the server's first line. */
function engineFix(file: ConfigFile, vhost: Section | null, firstUse: Directive, off: Directive | null): Fix | undefined {
  if (off) {
    const arg = off.args[0];
    if (!arg) return undefined;
    return { safety: "unsafe", title: `Set \`${off.name} on\``, edits: [{ start: arg.start, end: arg.end, text: "on" }] };
  }
  if (vhost) {
    const first = vhost.children.find((n) => n.kind === "directive" || n.kind === "section");
    if (!first) return undefined;
    const at = vhost.open.to;
    const indent = first.kind === "section" ? first.open.indent : first.indent;
    return {
      safety: "unsafe",
      title: "Add `SSLProxyEngine on` to the virtual host",
      edits: [{ start: at, end: at, text: `${indent}SSLProxyEngine on${file.eol}` }],
    };
  }
  // main server: above the top-level block that holds the first TLS backend, so it is never inside <Location>
  const top = topLevel(firstUse);
  const at = attachedCommentsStart(top);
  const indent = top.kind === "section" ? top.open.indent : top.indent;
  return { safety: "unsafe", title: "Add `SSLProxyEngine on`", edits: [{ start: at, end: at, text: `${indent}SSLProxyEngine on${file.eol}` }] };
}

interface TlsBackend {
  ref: BackendRef;
  url: string;
  scheme: string;
}

function tlsBackends(file: ConfigFile): TlsBackend[] {
  const out: TlsBackend[] = [];
  for (const d of directives(file)) {
    const ref = backendOf(d);
    // ProxyPassReverse only rewrites response headers: it never connects
    if (!ref || ref.kind === "proxypassreverse") continue;
    const url = backendUrl(ref.url).text;
    const parts = urlParts(url);
    if (parts && TLS_SCHEMES.has(parts.scheme)) out.push({ ref, url, scheme: parts.scheme });
  }
  return out;
}

export default defineRule({
  id: "ssl-proxy-engine-missing",
  severity: "error",
  description: "A `wss://` or `https://` backend without `SSLProxyEngine on`",
  fixable: "unsafe",
  doc: {
    problem:
      "A backend with a TLS scheme (`https://`, `wss://`, `h2://`) in ProxyPass, ProxyPassMatch, BalancerMember or " +
      "a RewriteRule [P] (not ProxyPassReverse, which never connects), in a server where `SSLProxyEngine on` is not in effect. It is in effect when the virtual " +
      "host sets it, when the virtual host sets nothing and the main server sets it, or when a <Proxy> section " +
      "covering the backend (a `<Proxy balancer://…>` for its members) sets it. Its position inside the virtual " +
      "host does not matter. Not checked in .htaccess files: the setting lives in the server configuration.",
    bad: "<VirtualHost *:443>\n    ProxyPass /ws/ wss://127.0.0.1:3000/ws/\n</VirtualHost>",
    good: "<VirtualHost *:443>\n    SSLProxyEngine on\n    ProxyPass /ws/ wss://127.0.0.1:3000/ws/\n</VirtualHost>",
    why:
      "Apache starts without a word, then answers every proxied request with 500: `AH01961: failed to enable ssl " +
      "support [Hint: if using mod_ssl, see SSLProxyEngine]` and `AH00961: wss: failed to enable ssl support` " +
      "(case i1). Without mod_ssl loaded the request fails with `AH01144: No protocol handler` (case i2): that is " +
      "reported by websocket-module-missing, which adds the module; this rule speaks once mod_ssl is loaded. Measured " +
      "on 2.4.71: a virtual host inherits the main server's `SSLProxyEngine on`; its own `SSLProxyEngine off` " +
      "wins over it; `SSLProxyEngine on` inside `<Proxy balancer://…>` or `<Proxy https://backend/>` is enough; " +
      "placing it after the ProxyPass line works.",
    versions:
      "All Apache 2.4 versions. Inheritance, <Proxy> sections and order were measured on 2.4.71; older releases " +
      "reportedly needed SSLProxyEngine before the proxy directives using it (puppetlabs-apache#1989), which the " +
      "fix's placement as the virtual host's first line also satisfies.",
    fix:
      "Unsafe: inserts `SSLProxyEngine on` as the first line of the virtual host, indented like its first " +
      "directive (in the main server: above the top-level block that holds the backend, and its comments), or " +
      "turns an explicit `SSLProxyEngine off` of that server on. Unsafe because Apache then checks the backend's " +
      "certificate (SSLProxyCheckPeerName, SSLProxyCheckPeerExpire are on by default), and because the scheme may " +
      "be the real mistake: most backends behind a TLS proxy speak plain `ws://`/`http://`.",
    cases: ["i1", "i2", "i3"],
  },
  check(ctx: RuleContext) {
    const { file, fileKind, server } = ctx;
    if (fileKind === "htaccess") return [];
    const backends = tlsBackends(file);
    if (backends.length === 0) return [];
    const sslMissing = server.managesModules && !server.isLoaded("ssl");
    const mainEngine = engineIn(file);
    const firstUse = new Map<Parent, Directive>();
    // each server's <Proxy> sections are collected once: a file may hold thousands of TLS backends
    const sectionsOf = new Map<Parent, Section[]>();
    const proxySections = (server: Parent) => {
      let list = sectionsOf.get(server);
      if (!list) sectionsOf.set(server, (list = proxySectionsOn(server)));
      return list;
    };
    const out: Report[] = [];
    for (const { ref, url, scheme } of backends) {
      const vhost = virtualHostOf(ref.directive);
      const own = vhost ? engineIn(vhost) : null;
      const effective = vhost && own ? own : mainEngine;
      if (isOn(effective)) continue;
      const member = enclosing(ref.directive, ["proxy", "proxymatch"]);
      if (member && isOn(engineIn(member))) continue;
      const sections = [...proxySections(vhost ?? file), ...(vhost ? proxySections(file) : [])];
      if (sections.some((s) => covers(s, url))) continue;

      // Without mod_ssl, SSLProxyEngine would stop Apache (i3): the missing module comes first,
      // and websocket-module-missing reports it with a fix.
      if (sslMissing) continue;
      const where = vhost ? "this virtual host" : "the main server";
      let message: string;
      let fix: Fix | undefined;
      {
        const off = effective && !isOn(effective) ? effective : null;
        const state = off ? `, but \`${off.text}\` (line ${file.position(off.start).line}) is in effect in ${where}` : `, which is not set in ${where}`;
        message = `${scheme}:// backend \`${url}\` needs \`SSLProxyEngine on\`${state}: every request to it fails with 500 (AH01961 failed to enable ssl support).`;
        const server = vhost ?? file;
        if (!firstUse.has(server)) firstUse.set(server, ref.directive);
        // a vhost's own `off`, or the main server's when the backend is in the main server
        const flip = off && (virtualHostOf(off) ?? null) === vhost ? off : null;
        fix = engineFix(file, vhost, firstUse.get(server)!, flip);
      }
      const report: Report = { message, start: ref.url.start, end: ref.url.end };
      if (fix) report.fix = fix;
      out.push(report);
    }
    return out;
  },
});
