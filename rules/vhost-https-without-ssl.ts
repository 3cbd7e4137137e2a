// A <VirtualHost> meant for TLS — on port 443, on a port a `Listen … https`
// line opens, or holding certificate lines — serves plain HTTP unless
// `SSLEngine on` is in effect for it: its own, or the main server's, which a
// virtual host inherits. Measured on 2.4.71: `Listen PORT https` and a
// certificate do not switch TLS on by themselves.
import type { Directive, Section } from "../grammar/index.js";
import { DIRECTIVE, OPEN } from "../grammar/line-table.js";
import { vhostPort } from "../src/apache/vhost-address.js";
import { defineRule, type Fix } from "../src/core/rule.js";
import { parseListen } from "./listen-duplicate.js";

const CERTIFICATE = new Set(["sslcertificatefile", "sslcertificatekeyfile", "sslcertificatechainfile"]);

/** Could this open tag name one of `ports`? (`:443` somewhere in it; exact parsing follows) */
function mayName(tag: string, ports: ReadonlySet<number>): boolean {
  for (const m of tag.matchAll(/:(\d+)/g)) if (ports.has(Number(m[1]))) return true;
  return false;
}

const isOff = (d: Directive) => d.args[0]?.value.toLowerCase() === "off";

function insertFix(vhost: Section): Fix | undefined {
  const file = vhost.file;
  const t = file.table;
  const stop = t.childrenEnd(vhost.row);
  let first = vhost.row + 1;
  while (first < stop && t.kind[first] !== DIRECTIVE && t.kind[first] !== OPEN) first = t.skip(first);
  if (first >= stop) return undefined;
  const at = t.to[vhost.row]!;
  const indent = file.text.slice(t.from(first), t.start[first]);
  return { safety: "unsafe", title: "Add `SSLEngine on` to the virtual host", edits: [{ start: at, end: at, text: `${indent}SSLEngine on${file.eol}` }] };
}

export default defineRule({
  id: "vhost-https-without-ssl",
  severity: "error",
  category: "correctness",
  description: "A virtual host meant for HTTPS without `SSLEngine on`, which serves plain HTTP",
  fixable: "unsafe",
  doc: {
    problem:
      "A `<VirtualHost>` on port 443, on a port that a `Listen … https` line opens, or with `SSLCertificateFile` / " +
      "`SSLCertificateKeyFile` lines, has no `SSLEngine on`, and the main server does not set it either. Apache " +
      "then speaks plain HTTP on that port: browsers going to https:// fail, and the certificate lines are unused. " +
      "`SSLEngine off` and `SSLEngine optional` are taken as deliberate and not reported.",
    bad: "<VirtualHost *:443>\n    ServerName example.com\n    SSLCertificateFile /etc/ssl/certs/example.pem\n    SSLCertificateKeyFile /etc/ssl/private/example.key\n</VirtualHost>",
    good: "<VirtualHost *:443>\n    ServerName example.com\n    SSLEngine on\n    SSLCertificateFile /etc/ssl/certs/example.pem\n    SSLCertificateKeyFile /etc/ssl/private/example.key\n</VirtualHost>",
    why:
      "Measured on 2.4.71 with mod_ssl loaded: a virtual host with a certificate and key but no SSLEngine, on a port " +
      "opened by `Listen 127.0.0.1:PORT https` or a plain `Listen`, starts without a word and answers `http://` with 200, " +
      "while an https client fails with `SSL routines::wrong version number`. With `SSLEngine on` (in the virtual host, " +
      "or in the main server, which virtual hosts inherit) the same port speaks TLS.",
    versions: "All Apache 2.4 releases (measured on 2.4.71).",
    fix:
      "Unsafe, and only for a virtual host that has a certificate: inserts `SSLEngine on` as its first line. Unsafe " +
      "because the port then stops answering plain HTTP, and Apache refuses to start when the certificate or key " +
      "cannot be read.",
  },
  create(ctx) {
    const { facts, server } = ctx;
    if (ctx.fileKind === "htaccess" || !ctx.file.table.names.includes("virtualhost")) return {};
    return {
      end() {
        const vhostRows = facts.sectionRows("virtualhost");
        if (vhostRows.length === 0) return;
        const httpsPorts = new Set<number>([443]);
        for (const l of facts.directivesNamed("listen")) {
          const parsed = l.args[0] && parseListen(l.args[0].value);
          if (parsed && l.args[1]?.value.toLowerCase() === "https") httpsPorts.add(parsed.port);
        }
        // the engine and certificate lines, by the <VirtualHost> they are in (-1: the main server);
        // name-keyed rows, so a file of 10,000 virtual hosts costs no walk over their children
        const VHOST = new Set(["virtualhost"]);
        const engineOf = new Map<number, Directive>();
        const certOf = new Map<number, Directive>();
        const lines = [...facts.directiveRows("sslengine"), ...facts.directiveRows("gnutlsenable")].sort((a, b) => a - b);
        for (const r of lines) engineOf.set(facts.enclosingRow(r, VHOST), facts.directiveAt(r));
        for (const key of CERTIFICATE) {
          for (const r of facts.directiveRows(key)) {
            const v = facts.enclosingRow(r, VHOST);
            if (!certOf.has(v)) certOf.set(v, facts.directiveAt(r));
          }
        }
        const mainEngine = engineOf.get(-1);
        if (mainEngine && !isOff(mainEngine)) return;
        const sslMissing = server.managesModules && !server.isLoaded("ssl");
        const text = ctx.file.text;
        const t = ctx.file.table;
        // no certificate and no `:PORT` of a TLS port anywhere in the text: no virtual host is meant for TLS
        if (certOf.size === 0 && ![...httpsPorts].some((p) => text.includes(`:${p}`))) return;
        for (const row of vhostRows) {
          if (engineOf.has(row)) continue;
          // most virtual hosts are plain HTTP: a look at the tag's ports before building the section
          if (!certOf.has(row) && !mayName(text.slice(t.start[row]!, t.end[row]!), httpsPorts)) continue;
          const v = facts.sectionAt(row) as Section;
          const tlsPort = v.args.map((a) => vhostPort(a.value)).find((p) => p !== null && httpsPorts.has(p));
          const cert = certOf.get(v.row);
          if (tlsPort === undefined && !cert) continue;
          const why = tlsPort !== undefined ? `port ${tlsPort}${tlsPort === 443 ? "" : " (Listen … https)"}` : "its certificate lines";
          const message =
            `<VirtualHost ${v.args.map((a) => a.raw).join(" ")}> is meant for TLS (${why}) but has no \`SSLEngine on\`: ` +
            `Apache serves plain HTTP there, and https clients fail (wrong version number).`;
          const fix = cert && !sslMissing ? insertFix(v) : undefined;
          const open = v.open;
          ctx.report(fix ? { message, start: open.start, end: open.end, fix } : { message, start: open.start, end: open.end });
        }
      },
    };
  },
});
