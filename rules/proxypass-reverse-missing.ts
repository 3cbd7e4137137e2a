// ProxyPass forwards requests; only ProxyPassReverse maps the backend's
// Location, Content-Location and URI headers back. Without it a backend
// redirect sends the client to the backend's own address.
import { directives, type Argument, type Directive, type Parent } from "../grammar/index.js";
import { backendOf, backendUrl, schemeOf, valueOffset } from "../src/apache/proxy.js";
import { enclosing, scopeOf } from "../src/apache/scope.js";
import { defineRule, type Report } from "../src/core/rule.js";

/** Schemes whose responses can redirect. ws/wss answer the upgrade with 101; balancer:// members may be of any scheme. */
const REDIRECTING = new Set(["http", "https"]);

/** The local path a mapping applies to: its own first argument, or the path of its <Location> (null inside <LocationMatch>). */
function localPath(d: Directive, path: Argument | null): string | null {
  if (path) return path.value;
  const loc = enclosing(d, ["location", "locationmatch"]);
  if (!loc || loc.key !== "location" || loc.args.length !== 1) return null;
  return loc.args[0]!.value;
}

/** The scope and every scope around it: a ProxyPassReverse of the server or vhost also applies inside a <Location>. */
function scopesUp(p: Parent): Parent[] {
  const out: Parent[] = [p];
  while (p.kind === "section") {
    p = scopeOf(p);
    out.push(p);
  }
  return out;
}

const sameUrl = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

interface Reverse {
  path: string | null;
  url: string;
}

/** The file's ProxyPassReverse mappings by the scope they are in, gathered once. */
function reversesByScope(file: Parent): Map<Parent, Reverse[]> {
  const out = new Map<Parent, Reverse[]>();
  for (const d of directives(file)) {
    const ref = backendOf(d);
    if (!ref || ref.kind !== "proxypassreverse") continue;
    const scope = scopeOf(d);
    const list = out.get(scope) ?? [];
    list.push({ path: localPath(d, ref.path), url: backendUrl(ref.url).text });
    out.set(scope, list);
  }
  return out;
}

/** Is there a ProxyPassReverse in `scopes` for this path or this backend? Either shows the reverse mapping was thought of. */
function hasReverse(reverses: Map<Parent, Reverse[]>, scopes: readonly Parent[], path: string | null, url: string): boolean {
  return scopes.some((s) => reverses.get(s)?.some((r) => r.path === path || sameUrl(r.url, url)) ?? false);
}

/** What a backend redirect just below `url` looks like to the client. */
const leakExample = (url: string) => (url.endsWith("/") ? `${url}login` : `${url}/login`);

export default defineRule({
  id: "proxypass-reverse-missing",
  severity: "info",
  description: "An http(s) ProxyPass without a matching ProxyPassReverse: backend redirects leak the backend's address",
  fixable: "unsafe",
  doc: {
    problem:
      "A ProxyPass that maps a path to an http:// or https:// backend, with no ProxyPassReverse for that path or that " +
      "backend in the same scope or a scope around it (inside a <Location> the one-argument forms pair up). " +
      "ProxyPass only forwards requests: the backend's answers come back unchanged unless ProxyPassReverse maps their " +
      "Location, Content-Location and URI headers.",
    bad: "<VirtualHost *:80>\n    ProxyPass /app/ http://127.0.0.1:13001/\n</VirtualHost>",
    good: "<VirtualHost *:80>\n    ProxyPass /app/ http://127.0.0.1:13001/\n    ProxyPassReverse /app/ http://127.0.0.1:13001/\n</VirtualHost>",
    why:
      "Measured on 2.4.71 (case j3): the backend answers `/redirect` with a 302 to its own `/ws/login`, and the client " +
      "receives `Location: http://127.0.0.1:13001/ws/login` — an address it cannot reach, which also discloses the " +
      "backend. With ProxyPassReverse (j4) it receives `Location: http://127.0.0.1:18080/app/ws/login`. Not reported: " +
      "ProxyPassMatch (its URL is built from regex groups), ws:// and wss:// mappings (a WebSocket handshake answers " +
      "101, not a redirect), exclusions (`ProxyPass /x !`), the `unix:…|http://…` socket form, and balancer:// URLs: " +
      "their members may be ws:// or ajp://, which one line cannot tell; when they are http(s), " +
      "`ProxyPassReverse /app/ balancer://name/` works, mod_proxy maps it to each member. .htaccess files cannot hold " +
      "ProxyPass. A ProxyPassReverse with the same path but a different URL counts as a match: a backend that " +
      "redirects to its public name needs exactly that. Info only: a backend that never redirects needs nothing.",
    versions: "All 2.4 releases (measured on 2.4.71).",
    fix:
      "Unsafe: inserts `ProxyPassReverse <path> <url>` (in a <Location>: `ProxyPassReverse <url>`) on the line after " +
      "the ProxyPass, with the same indentation and the same path and URL as written. Unsafe because it changes the " +
      "headers clients receive, and a backend that redirects to another name needs that name instead.",
    cases: ["j3", "j4"],
  },
  check({ file, fileKind }) {
    if (fileKind === "htaccess") return [];
    const out: Report[] = [];
    let reverses: Map<Parent, Reverse[]> | undefined;
    for (const d of directives(file)) {
      const ref = backendOf(d);
      if (!ref || ref.kind !== "proxypass") continue;
      const url = backendUrl(ref.url);
      if (/^unix:/i.test(ref.url.value) || !REDIRECTING.has(schemeOf(url.text) ?? "")) continue;
      const path = localPath(d, ref.path);
      if (hasReverse((reverses ??= reversesByScope(file)), scopesUp(scopeOf(d)), path, url.text)) continue;
      const shown = path ?? "(in a regex location)";
      const report: Report = {
        message:
          `ProxyPass ${shown} has no ProxyPassReverse: a backend redirect to \`${leakExample(url.text)}\` reaches the client ` +
          "unchanged, with the backend's address.",
        start: d.start,
        end: ref.url.end,
      };
      if (valueOffset(ref.url) !== null) {
        const eol = file.eol;
        const at = d.to;
        const lead = at === file.text.length && !/[\r\n]$/.test(file.text) ? eol : "";
        const words = ref.path ? `${ref.path.raw} ${ref.url.raw}` : ref.url.raw;
        report.fix = {
          safety: "unsafe",
          title: `Add \`ProxyPassReverse ${words}\``,
          edits: [{ start: at, end: at, text: `${lead}${d.indent}ProxyPassReverse ${words}${lead ? "" : eol}` }],
        };
      }
      out.push(report);
    }
    return out;
  },
});
