// mod_proxy maps by plain concatenation: the part of the request after the
// matched path is appended to the URL as it is (and ProxyPassReverse does the
// same the other way round). A slash on one side only therefore doubles or
// drops the slash between the two.
import type { Argument, ConfigFile, Directive } from "../grammar/index.js";
import { backends, urlParts, type BackendUrl, type UrlParts } from "../src/apache/proxy.js";
import { defineTable, type DefineTable, type Expanded, type VariableUse } from "../src/apache/defines.js";
import { memoByString } from "../src/apache/memo.js";
import { enclosing, PATH_SECTIONS } from "../src/apache/scope.js";
import { defineRule, type Fix, type RelatedLocation, type Report } from "../src/core/rule.js";

/** The local path a ProxyPass/ProxyPassReverse maps, and the row of the line it is written on. */
interface MappedPath {
  arg: Argument;
  row: number;
}

// fnmatch characters: such a <Location> is matched as a pattern and mod_proxy then appends the
// whole request to the URL (measured on 2.4.71: <Location /app/*> + `ws://b/w` sends /app/x to /w/app/x)
const WILDCARD = /[*?[\\]/;

/** Its first argument, or the path of its <Location>. */
function mappedPath(d: Directive, path: Argument | null): MappedPath | null {
  if (path !== null) return { arg: path, row: d.row };
  // the innermost section giving the path; only a <Location> prefix is a path this rule can compare
  const loc = enclosing(d, PATH_SECTIONS);
  if (!loc || loc.key !== "location") return null;
  const [first, second] = loc.args;
  // <Location ~ "regex"> is a regex, not a prefix
  if (!first || second || first.value === "~" || WILDCARD.test(first.value)) return null;
  return { arg: first, row: loc.row };
}

/** `text` of the line at `row` with its `${NAME}` replaced by the values Define gave them; null when one is not known. */
function resolved(text: string, row: number, defines: () => DefineTable): Expanded | null {
  return text.includes("${") ? defines().expand(text, row) : { text, uses: [], sourceOffset: (i) => i };
}

/** ` (`${VPATH}` is `/ws`, Define on line 1; …)`: what the variables stood for, when there were any. */
function variablesNote(file: ConfigFile, uses: readonly VariableUse[]): string {
  if (uses.length === 0) return "";
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const u of uses) {
    const key = u.name.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    parts.push(`\`\${${u.name}}\` is \`${u.define.value}\` (Define on line ${file.position(u.define.directive.start).line})`);
  }
  return ` Through Define: ${parts.join(", ")}.`;
}

function defineRelated(uses: readonly VariableUse[]): RelatedLocation[] {
  const out: RelatedLocation[] = [];
  for (const u of uses) {
    const d = u.define.directive;
    if (out.some((r) => r.start === d.start)) continue;
    out.push({ start: d.start, end: d.end, message: `\`${d.text}\`` });
  }
  return out;
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

/**
 * Makes the URL agree with the path; the path decides which requests are proxied, so it is left alone.
 * `expanded` is the URL with its variables replaced: the edit is made only where it falls in the URL's
 * literal text, never inside a variable's value (that would change every other use of the variable).
 */
function urlFix(url: BackendUrl, expanded: Expanded, pathSlash: boolean, pathEnd: number): Fix | undefined {
  if (url.start === null) return undefined;
  const end = expanded.sourceOffset(pathEnd);
  if (end === null) return undefined;
  if (pathSlash) return { safety: "unsafe", title: "Add a trailing `/` to the URL", edits: [{ start: url.start + end, end: url.start + end, text: "/" }] };
  const slashes = /\/*$/.exec(expanded.text.slice(0, pathEnd))![0].length;
  const start = expanded.sourceOffset(pathEnd - slashes);
  // both ends in the same literal run: the slashes are written, not a variable's value
  if (start === null || end - start !== slashes) return undefined;
  return { safety: "unsafe", title: "Remove the trailing `/` from the URL", edits: [{ start: url.start + start, end: url.start + end, text: "" }] };
}

export default defineRule({
  id: "proxypass-trailing-slash",
  severity: "warning",
  category: "correctness",
  description: "A ProxyPass path and URL that disagree on the trailing slash",
  fixable: "unsafe",
  doc: {
    problem:
      "A ProxyPass or ProxyPassReverse whose local path ends with `/` while the backend URL does not, or the " +
      "other way round. A URL with no path at all (`http://host`) counts as not ending with `/`. In a " +
      "<Location> the section's path is the local path. A `${NAME}` in the path, the URL or the <Location> tag " +
      "counts with the value a Define before it gave it (`ProxyPass ${VPATH} \"http://${BACKEND}/\"`); a variable " +
      "whose value is not certain (set in a conditional, after an Include, by the environment) is not guessed. " +
      "ProxyPassMatch is not concerned (its URL is built from the regex's groups), nor is a <Location> path with " +
      "a wildcard (mod_proxy then appends the whole request).",
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
      "and `ProxyPass /ws http://b` with no path is fine: `/ws/chat` becomes `http://b/chat`. Core replaces " +
      "`${NAME}` before mod_proxy sees the line, so variables change nothing: with `Define VPATH /ws` and " +
      "`ProxyPass ${VPATH} \"ws://${BACKEND}/ws/\"` the backend receives `/ws//chat`, and `<Location ${VPATH}>` " +
      "with VPATH `/ws/` and `ProxyPass \"ws://${BACKEND}/ws\"` sends `/wschat` (measured on 2.4.71).",
    versions: "All Apache 2.4 versions (measured on 2.4.71).",
    fix:
      "Unsafe: changes the URL to agree with the path — adds the missing `/` to the URL, or removes the URL's " +
      "trailing `/`. The path is never changed: adding `/` to `ProxyPass /ws` would stop proxying the request " +
      "`/ws` itself (often the WebSocket endpoint), while changing the URL only changes what the backend receives " +
      "for requests that were already proxied. Unsafe because a backend may have been written around the odd path. " +
      "Through variables the finding stays on the URL as written, and the fix is made only in the URL's literal " +
      "text (`\"http://${BACKEND}\"` becomes `\"http://${BACKEND}/\"`); when the slash to add or remove is in a " +
      "variable's value there is no fix, because changing the Define would change its other uses too.",
    cases: ["j1", "j2", "j4", "m03"],
  },
  create(ctx) {
    const refs = backends(ctx.facts);
    let table: DefineTable | undefined;
    const defines = () => (table ??= defineTable(ctx.facts, { server: ctx.server }));
    const visit = (d: Directive) => {
      const ref = refs.of(d);
      if (!ref) return;
      const mapped = mappedPath(d, ref.path);
      if (!mapped) return;
      const pathX = resolved(mapped.arg.value, mapped.row, defines);
      const path = pathX?.text;
      if (!pathX || !path || !path.startsWith("/")) return;
      const url = refs.url(ref);
      const urlX = resolved(url.text, d.row, defines);
      const parts = urlX && comparable(urlX.text);
      if (!urlX || !parts) return;
      const pathSlash = endsWithSlash(path);
      const urlSlash = endsWithSlash(parts.path);
      if (pathSlash === urlSlash) return;
      const shownUrl = urlX.text.slice(0, parts.pathEnd);
      const reverse = ref.kind === "proxypassreverse";
      const [from, to] = reverse ? reverseExample(path, shownUrl) : forwardExample(path, shownUrl);
      const sides = pathSlash ? `path \`${path}\` ends with \`/\` but URL \`${shownUrl}\` does not` : `URL \`${shownUrl}\` ends with \`/\` but path \`${path}\` does not`;
      const effect = reverse ? `a backend redirect to \`${from}\` is rewritten to \`${to}\`` : `\`${from}\` is proxied to \`${to}\``;
      const uses = [...pathX.uses, ...urlX.uses];
      const report: Report = { message: `${d.name} ${sides}: ${effect}.${variablesNote(ctx.file, uses)}`, start: ref.url.start, end: ref.url.end };
      const fix = urlFix(url, urlX, pathSlash, parts.pathEnd);
      if (fix) report.fix = fix;
      else if (urlX.uses.length && url.start !== null) report.message += " No fix: the URL's end is in a variable's value, and changing its Define would change the variable's other uses too.";
      report.related = [{ start: mapped.arg.start, end: mapped.arg.end, message: `local path \`${path}\`` }, ...defineRelated(uses)];
      ctx.report(report);
    };
    return { directive: { proxypass: visit, proxypassreverse: visit } };
  },
});
