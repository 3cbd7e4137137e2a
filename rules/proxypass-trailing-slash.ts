// mod_proxy maps by plain concatenation: the part of the request after the
// matched path is appended to the URL as it is (and ProxyPassReverse does the
// same the other way round). A slash on one side only therefore doubles or
// drops the slash between the two.
import type { Argument, Directive } from "../grammar/index.js";
import { backends, urlParts, type BackendUrl, type UrlParts } from "../src/apache/proxy.js";
import { memoByString } from "../src/apache/memo.js";
import { enclosing, PATH_SECTIONS } from "../src/apache/scope.js";
import { defineRule, type Fix, type Report } from "../src/core/rule.js";

/** The local path a ProxyPass/ProxyPassReverse maps: its first argument, or the path of its <Location>. */
function mappedPath(d: Directive, path: Argument | null): Argument | null {
  if (path !== null) return path;
  // the innermost section giving the path; only a <Location> prefix is a path this rule can compare
  const loc = enclosing(d, PATH_SECTIONS);
  if (!loc || loc.key !== "location") return null;
  const [first, second] = loc.args;
  // <Location ~ "regex"> is a regex, not a prefix
  if (!first || second || first.value === "~") return null;
  return first;
}

const endsWithSlash = (s: string) => s.endsWith("/");

/** What the backend receives for a request just below `path`, computed the way mod_proxy does. */
function forwardExample(path: string, url: string): [string, string] {
  const request = endsWithSlash(path) ? `${path}chat` : `${path}/chat`;
  return [request, url + request.slice(path.length)];
}

/** What a backend redirect just below `url` is turned into. */
function reverseExample(path: string, url: string): [string, string] {
  const location = endsWithSlash(url) ? `${url}login` : `${url}/login`;
  return [location, path + location.slice(url.length)];
}

/** The URL's parts when it is a plain `scheme://host/path` (no `$`, `?`, `#`, `%{`); worked out once per distinct URL. */
const comparable = memoByString((url: string): UrlParts | null => {
  if (/[$?#]|%\{/.test(url)) return null;
  const parts = urlParts(url);
  return parts && parts.authority !== "" ? parts : null;
});

/** Makes the URL agree with the path; the path decides which requests are proxied, so it is left alone. */
function urlFix(url: BackendUrl, pathSlash: boolean, pathEnd: number): Fix | undefined {
  if (url.start === null) return undefined;
  const end = url.start + pathEnd;
  if (pathSlash) return { safety: "unsafe", title: "Add a trailing `/` to the URL", edits: [{ start: end, end, text: "/" }] };
  const slashes = /\/*$/.exec(url.text.slice(0, pathEnd))![0].length;
  return { safety: "unsafe", title: "Remove the trailing `/` from the URL", edits: [{ start: end - slashes, end, text: "" }] };
}

export default defineRule({
  id: "proxypass-trailing-slash",
  severity: "warning",
  description: "A ProxyPass path and URL that disagree on the trailing slash",
  fixable: "unsafe",
  doc: {
    problem:
      "A ProxyPass or ProxyPassReverse whose local path ends with `/` while the backend URL does not, or the " +
      "other way round. A URL with no path at all (`http://host`) counts as not ending with `/`. In a " +
      "<Location> the section's path is the local path. ProxyPassMatch is not concerned (its URL is built from " +
      "the regex's groups).",
    bad: "ProxyPass /ws ws://127.0.0.1:3000/ws/\nProxyPass /app/ http://127.0.0.1:8080/app\nProxyPass / http://127.0.0.1:8080",
    good: "ProxyPass /ws ws://127.0.0.1:3000/ws\nProxyPass /app/ http://127.0.0.1:8080/app/\nProxyPass / http://127.0.0.1:8080/",
    why:
      "mod_proxy appends the rest of the request, after the matched path, to the URL as it is. With " +
      "`ProxyPass /ws ws://b/ws/` the backend receives `/ws//chat` (case j1); with `ProxyPass /ws/ ws://b/ws` it " +
      "receives `/wschat` (case j2). With `ProxyPass / http://b:8080` the rest is glued to the port: `/chat` becomes " +
      "`http://b:8080chat`, a DNS failure and a 500 for every page but `/` (measured on 2.4.71). ProxyPassReverse " +
      "maps a backend `Location` header the same way: `ProxyPassReverse /ws/ http://b/ws` rewrites " +
      "`http://b/ws/login` to `/ws//login`, and `ProxyPassReverse / http://b` gives `//ws/login`, which a browser " +
      "reads as a URL on host `ws`. The Apache manual: if the first argument ends with a trailing /, the second " +
      "should too, and vice versa. Matching itself is on path-segment boundaries (`/ws` does not match `/wsfoo`), " +
      "and `ProxyPass /ws http://b` with no path is fine: `/ws/chat` becomes `http://b/chat`.",
    versions: "All Apache 2.4 versions (measured on 2.4.71).",
    fix:
      "Unsafe: changes the URL to agree with the path — adds the missing `/` to the URL, or removes the URL's " +
      "trailing `/`. The path is never changed: adding `/` to `ProxyPass /ws` would stop proxying the request " +
      "`/ws` itself (often the WebSocket endpoint), while changing the URL only changes what the backend receives " +
      "for requests that were already proxied. Unsafe because a backend may have been written around the odd path.",
    cases: ["j1", "j2", "j4", "m03"],
  },
  create(ctx) {
    const refs = backends(ctx.facts);
    const visit = (d: Directive) => {
      const ref = refs.of(d);
      if (!ref) return;
      const pathArg = mappedPath(d, ref.path);
      const path = pathArg?.value;
      if (!pathArg || !path || !path.startsWith("/") || path.includes("${")) return;
      const url = refs.url(ref);
      const parts = comparable(url.text);
      if (!parts) return;
      const pathSlash = endsWithSlash(path);
      const urlSlash = endsWithSlash(parts.path);
      if (pathSlash === urlSlash) return;
      const shownUrl = url.text.slice(0, parts.pathEnd);
      const reverse = ref.kind === "proxypassreverse";
      const [from, to] = reverse ? reverseExample(path, shownUrl) : forwardExample(path, shownUrl);
      const sides = pathSlash ? `path \`${path}\` ends with \`/\` but URL \`${shownUrl}\` does not` : `URL \`${shownUrl}\` ends with \`/\` but path \`${path}\` does not`;
      const effect = reverse ? `a backend redirect to \`${from}\` is rewritten to \`${to}\`` : `\`${from}\` is proxied to \`${to}\``;
      const report: Report = { message: `${d.name} ${sides}: ${effect}.`, start: ref.url.start, end: ref.url.end };
      const fix = urlFix(url, pathSlash, parts.pathEnd);
      if (fix) report.fix = fix;
      report.related = [{ start: pathArg.start, end: pathArg.end, message: `local path \`${path}\`` }];
      ctx.report(report);
    };
    return { directive: { proxypass: visit, proxypassreverse: visit } };
  },
});
