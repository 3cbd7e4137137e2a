// A TLS backend is only reachable when mod_ssl's proxy engine is on for the
// server that handles the request. The setting is per server: a virtual host
// inherits the main server's value unless it sets its own, and a <Proxy>
// section can switch it on for the backends it covers (measured on 2.4.71).
import type { ConfigFile, Directive, Parent, Section } from "../grammar/index.js";
import { DIRECTIVE, OPEN } from "../grammar/line-table.js";
import { backends, type BackendRef, REQUEST_BACKEND_KEYS } from "../src/apache/proxy.js";
import { attachedCommentsStartRow, enclosing, scopeOf, virtualHostOf } from "../src/apache/scope.js";
import { defineRule, type Fix, type RuleContext, handlersFor } from "../src/core/rule.js";
import { linearTest } from "../src/apache/linear-regex.js";

const isOn = (d: Directive | null | undefined) => d != null && d.args[0]?.value.toLowerCase() === "on";

/** A TLS scheme (https, wss, h2; TLS_SCHEMES) followed by `://`, as urlParts reads it. */
const TLS_URL = /^(https|wss|h2):\/\//i;

function covers(section: Section, url: string): boolean {
  const pattern = section.args[0]?.value;
  if (pattern === undefined) return false;
  if (section.key === "proxymatch") {
    // both come from the config: never a backtracking engine (a pattern it cannot run counts as not covering)
    return linearTest(pattern, url) === true;
  }
  const prefix = pattern.replace(/\*$/, "");
  return url.toLowerCase().startsWith(prefix.toLowerCase());
}

/** The row of the file's top-level line that contains `row`. */
function topLevelRow(parentRows: Int32Array, row: number): number {
  let r = row;
  while (parentRows[r]! >= 0) r = parentRows[r]!;
  return r;
}

/** `SSLProxyEngine on` for a server: flip an explicit off, or insert it as the server's first line. */
function engineFix(file: ConfigFile, parentRows: Int32Array, vhost: Section | null, firstUse: Directive, off: Directive | null): Fix | undefined {
  if (off) {
    const arg = off.args[0];
    if (!arg) return undefined;
    return { safety: "unsafe", title: `Set \`${off.name} on\``, edits: [{ start: arg.start, end: arg.end, text: "on" }] };
  }
  const t = file.table;
  const indentOf = (row: number) => file.text.slice(t.from(row), t.start[row]);
  if (vhost) {
    // its first directive or section
    const stop = t.childrenEnd(vhost.row);
    let first = vhost.row + 1;
    while (first < stop && t.kind[first] !== DIRECTIVE && t.kind[first] !== OPEN) first = t.skip(first);
    if (first >= stop) return undefined;
    const at = t.to[vhost.row]!;
    return {
      safety: "unsafe",
      title: "Add `SSLProxyEngine on` to the virtual host",
      edits: [{ start: at, end: at, text: `${indentOf(first)}SSLProxyEngine on${file.eol}` }],
    };
  }
  // main server: above the top-level block that holds the first TLS backend, so it is never inside <Location>
  const top = topLevelRow(parentRows, firstUse.row);
  const at = attachedCommentsStartRow(file, parentRows, top);
  return { safety: "unsafe", title: "Add `SSLProxyEngine on`", edits: [{ start: at, end: at, text: `${indentOf(top)}SSLProxyEngine on${file.eol}` }] };
}

interface TlsBackend {
  ref: BackendRef;
  url: string;
  scheme: string;
}

export default defineRule({
  id: "ssl-proxy-engine-missing",
  severity: "error",
  category: "correctness",
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
      "reported by module-not-loaded, which adds the module; this rule speaks once mod_ssl is loaded. Measured " +
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
  create(ctx: RuleContext) {
    const { file, fileKind, server } = ctx;
    if (fileKind === "htaccess") return {};
    const refs = backends(ctx.facts);
    const tls: TlsBackend[] = [];
    /** the SSLProxyEngine line in effect in each scope itself (the last one wins) */
    const engines = new Map<Parent, Directive>();
    const proxySections: Section[] = [];
    const backend = (d: Directive) => {
      const ref = refs.of(d);
      if (!ref) return;
      const url = refs.url(ref).text;
      if (!TLS_URL.test(url)) return;
      tls.push({ ref, url, scheme: TLS_URL.exec(url)![1]!.toLowerCase() });
    };
    const section = (s: Section) => void proxySections.push(s);
    return {
      // ProxyPassReverse only rewrites response headers: it never connects
      directive: {
        ...handlersFor(ctx.file, REQUEST_BACKEND_KEYS, backend),
        sslproxyengine(d) {
          engines.set(scopeOf(d), d);
        },
      },
      enter: { proxy: section, proxymatch: section },
      end() {
        if (tls.length === 0) return;
        const parentRows = ctx.facts.parentRows;
        const sslMissing = server.managesModules && !server.isLoaded("ssl");
        const mainEngine = engines.get(file) ?? null;
        // each server's <Proxy> sections that switch the engine on (a <Proxy> inside a vhost belongs to that vhost)
        const sectionsOn = new Map<Parent, Section[]>();
        for (const s of proxySections) {
          if (!isOn(engines.get(s))) continue;
          const owner = virtualHostOf(s) ?? file;
          const list = sectionsOn.get(owner);
          if (list) list.push(s);
          else sectionsOn.set(owner, [s]);
        }
        const firstUse = new Map<Parent, Directive>();
        for (const { ref, url, scheme } of tls) {
          const vhost = virtualHostOf(ref.directive);
          const own = vhost ? (engines.get(vhost) ?? null) : null;
          const effective = vhost && own ? own : mainEngine;
          if (isOn(effective)) continue;
          const member = enclosing(ref.directive, ["proxy", "proxymatch"]);
          if (member && isOn(engines.get(member))) continue;
          const sections = [...(sectionsOn.get(vhost ?? file) ?? []), ...(vhost ? (sectionsOn.get(file) ?? []) : [])];
          if (sections.some((s) => covers(s, url))) continue;

          // Without mod_ssl, SSLProxyEngine would stop Apache (i3): the missing module comes first,
          // and module-not-loaded reports it with a fix.
          if (sslMissing) continue;
          const where = vhost ? "this virtual host" : "the main server";
          const off = effective && !isOn(effective) ? effective : null;
          const state = off ? `, but \`${off.text}\` (line ${file.position(off.start).line}) is in effect in ${where}` : `, which is not set in ${where}`;
          const message = `${scheme}:// backend \`${url}\` needs \`SSLProxyEngine on\`${state}: every request to it fails with 500 (AH01961 failed to enable ssl support).`;
          const key = vhost ?? file;
          if (!firstUse.has(key)) firstUse.set(key, ref.directive);
          // a vhost's own `off`, or the main server's when the backend is in the main server
          const flip = off && (virtualHostOf(off) ?? null) === vhost ? off : null;
          const fix = engineFix(file, parentRows, vhost, firstUse.get(key)!, flip);
          ctx.report(fix ? { message, start: ref.url.start, end: ref.url.end, fix } : { message, start: ref.url.start, end: ref.url.end });
        }
      },
    };
  },
});
