// ProxyPass forwards requests; only ProxyPassReverse maps the backend's
// Location, Content-Location and URI headers back. Without it a backend
// redirect sends the client to the backend's own address.
import type { Argument, Directive, Parent } from "../grammar/index.js";
import { backends, schemeOf, valueOffset } from "../src/apache/proxy.js";
import { enclosing, PATH_SECTIONS, scopeOf } from "../src/apache/scope.js";
import { defineRule, type Report } from "../src/core/rule.js";

/** Schemes whose responses can redirect. ws/wss answer the upgrade with 101; balancer:// members may be of any scheme. */
const REDIRECTING = new Set(["http", "https"]);

/**
 * The local path a mapping applies to: its own first argument, or the path of its <Location> (null inside
 * <LocationMatch>); undefined inside <Proxy>/<ProxyMatch>, whose "path" is a backend URL pattern.
 */
function localPath(d: Directive, path: Argument | null): string | null | undefined {
  if (path) return path.value;
  const loc = enclosing(d, PATH_SECTIONS);
  if (loc && (loc.key === "proxy" || loc.key === "proxymatch")) return undefined;
  if (!loc || loc.key !== "location" || loc.args.length !== 1) return null;
  return loc.args[0]!.value;
}

/** The ProxyPassReverse lines of one scope: the paths they map and their URLs, lower-cased. */
interface Reverses {
  paths: Set<string | null>;
  urls: Set<string>;
}

/** A ProxyPass to check once every ProxyPassReverse of the file is known (no views kept: a file may hold many). */
interface Pending {
  row: number;
  scope: Parent;
  path: string | null;
  url: string;
  /** where its URL argument ends */
  urlEnd: number;
  /** the words the fix repeats, as written: the path (none in a section) and the URL */
  pathRaw: string | null;
  urlRaw: string;
  /** the URL's text maps 1:1 to the file (no escapes): the fix can repeat it */
  fixable: boolean;
}

/** What a backend redirect just below `url` looks like to the client. */
const leakExample = (url: string) => (url.endsWith("/") ? `${url}login` : `${url}/login`);

export default defineRule({
  id: "proxypass-reverse-missing",
  severity: "info",
  category: "correctness",
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
  create(ctx) {
    const { file, fileKind } = ctx;
    if (fileKind === "htaccess") return {};
    const refs = backends(ctx.facts);
    const reverses = new Map<Parent, Reverses>();
    const pending: Pending[] = [];
    /** Is there a ProxyPassReverse in the scope or a scope around it for this path or this backend? */
    const hasReverse = (scope: Parent, path: string | null, url: string): boolean => {
      let lower: string | undefined;
      for (let p: Parent = scope; ; p = scopeOf(p)) {
        const r = reverses.get(p);
        if (r && (r.paths.has(path) || r.urls.has((lower ??= url.toLowerCase())))) return true;
        if (p.kind !== "section") return false;
      }
    };
    return {
      directive: {
        proxypass(d) {
          const ref = refs.of(d);
          if (!ref) return;
          const url = refs.url(ref);
          if (!REDIRECTING.has(schemeOf(url.text) ?? "") || /^unix:/i.test(ref.url.value)) return;
          const path = localPath(d, ref.path);
          if (path === undefined) return;
          pending.push({
            row: d.row,
            scope: scopeOf(d),
            path,
            url: url.text,
            urlEnd: ref.url.end,
            pathRaw: ref.path ? ref.path.raw : null,
            urlRaw: ref.url.raw,
            // an unterminated quote repeated would be a second unbalanced line
            fixable: valueOffset(ref.url) !== null && !ref.url.unterminated && !ref.path?.unterminated,
          });
        },
        proxypassreverse(d) {
          const ref = refs.of(d);
          if (!ref) return;
          const path = localPath(d, ref.path);
          // inside <Proxy> there is no local path to pair with (the ProxyPass lines there are not checked)
          if (path === undefined) return;
          const scope = scopeOf(d);
          let r = reverses.get(scope);
          if (!r) reverses.set(scope, (r = { paths: new Set(), urls: new Set() }));
          r.paths.add(path);
          r.urls.add(refs.url(ref).text.toLowerCase());
        },
      },
      end() {
        const t = file.table;
        for (const { row, scope, path, url, urlEnd, pathRaw, urlRaw, fixable } of pending) {
          if (hasReverse(scope, path, url)) continue;
          const shown = path ?? "(in a regex location)";
          const report: Report = {
            message:
              `ProxyPass ${shown} has no ProxyPassReverse: a backend redirect to \`${leakExample(url)}\` reaches the client ` +
              "unchanged, with the backend's address.",
            start: t.start[row]!,
            end: urlEnd,
          };
          if (fixable) {
            const words = pathRaw !== null ? `${pathRaw} ${urlRaw}` : urlRaw;
            const eol = file.eol;
            const at = t.to[row]!;
            const lead = at === file.text.length && !/[\r\n]$/.test(file.text) ? eol : "";
            const indent = file.text.slice(t.from(row), t.start[row]);
            report.fix = {
              safety: "unsafe",
              title: `Add \`ProxyPassReverse ${words}\``,
              edits: [{ start: at, end: at, text: `${lead}${indent}ProxyPassReverse ${words}${lead ? "" : eol}` }],
            };
          }
          ctx.report(report);
        }
      },
    };
  },
});
