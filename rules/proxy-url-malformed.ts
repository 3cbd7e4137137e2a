// A backend URL Apache cannot use as one. What that costs depends on who
// reads it: mod_proxy refuses to start, mod_rewrite silently proxies the
// request back to this server, ProxyPassReverse silently never matches.
import type { Directive } from "../grammar/index.js";
import { backends, isRewriteAbsolute, PROXY_SCHEMES, type BackendKind, type BackendRef, type BackendUrl } from "../src/apache/proxy.js";
import { enclosing, isPerDirectory, PER_DIRECTORY_SECTIONS } from "../src/apache/scope.js";
import { aprUriParse, describeUriFault, type AprUriFault } from "../src/apache/uri.js";
import { defineRule, type Fix, type Report, type RuleContext, type Severity } from "../src/core/rule.js";

type Problem =
  /** `wss:/host`, `ws:host`: a known scheme without `//` */
  | { kind: "separator"; scheme: string; fix: Fix | undefined }
  /** `http:///x`, `http://` */
  | { kind: "empty-host" }
  /** `localhost:3000/x` */
  | { kind: "host-port" }
  /** `/ws/$1`, `backend/x` */
  | { kind: "no-scheme" }
  /** `uwsgi://host` in a RewriteRule: mod_rewrite does not know it as absolute */
  | { kind: "rewrite-unknown-scheme"; scheme: string }
  /** `http://backend:APP_PORT/`, `http://[::1/`, `127.0.0.1:8080/`: apr_uri_parse refuses it */
  | { kind: "unparsable"; fault: AprUriFault; parsed: string };

/** What each reader of the URL does with a malformed one (mod_proxy's readers: Apache's words, the URL follows them). */
const EFFECT: Record<BackendKind, { label: string; effect: string; severity?: Severity }> = {
  proxypass: { label: "ProxyPass URL", effect: "ProxyPass URL must be absolute!" },
  proxypassmatch: { label: "ProxyPassMatch URL", effect: "ProxyPass URL must be absolute!" },
  balancermember: { label: "BalancerMember URL", effect: "BalancerMember URL must be absolute!" },
  proxypassreverse: {
    label: "ProxyPassReverse URL",
    effect: "it never matches a backend's Location header, so redirects leak the backend's address",
    severity: "warning",
  },
  rewrite: { label: "RewriteRule [P] target", effect: "" },
};

/** The readers that parse the URL at startup with apr_uri_parse, and what they say when it fails. */
const PARSED_AT_STARTUP: Partial<Record<BackendKind, string>> = {
  proxypass: "ProxyPass Unable to parse URL",
  proxypassmatch: "ProxyPass Unable to parse URL",
  balancermember: "BalancerMember Unable to parse URL",
};

/**
 * What apr_uri_parse refuses in a URL read at startup, or null. ProxyPassMatch's worker is
 * defined from the URL up to its first `$` (ap_proxy_define_match_worker): `http://h:8080$1` is fine.
 */
function unparsable(text: string, kind: BackendKind): Problem | null {
  if (!PARSED_AT_STARTUP[kind] || text.includes("${")) return null;
  const parsed = kind === "proxypassmatch" && text.includes("$") ? text.slice(0, text.indexOf("$")) : text;
  const r = aprUriParse(parsed);
  return r.ok ? null : { kind: "unparsable", fault: r.fault, parsed };
}

/** Values that are only known at request time (or after Define expansion): nothing to check. */
function isDynamic(text: string): boolean {
  return text.startsWith("$") || text.startsWith("%");
}

function separatorFix(url: BackendUrl, scheme: string): Fix | undefined {
  if (url.start === null) return undefined;
  const after = url.text.slice(scheme.length + 1);
  const slashes = after.startsWith("/") ? 1 : 0;
  // `wss:/` with nothing after it would only become an empty host
  if (after.length <= slashes) return undefined;
  const at = url.start + scheme.length + 1;
  return {
    safety: "safe",
    title: `Write \`${url.text.slice(0, scheme.length)}://\``,
    edits: [{ start: at, end: at + slashes, text: "//" }],
  };
}

/** `scheme://host…`: the usual, well-formed URL (its scheme is checked only for mod_rewrite). */
const PLAIN_ABSOLUTE = /^[a-z][a-z0-9+.-]*:\/\/[^/]/i;
/** The same with a `scheme://` mod_rewrite takes as absolute (isRewriteAbsolute). */
const REWRITE_PLAIN_ABSOLUTE = /^(?:ajp|balancer|fcgi|ftp|gopher|https?|h2c?|ldap|nntp|scgi|wss?):\/\/[^/]/i;

export function classify(url: BackendUrl, kind: BackendKind): Problem | null {
  const text = url.text;
  // the common, well-formed case first
  if ((kind === "rewrite" ? REWRITE_PLAIN_ABSOLUTE : PLAIN_ABSOLUTE).test(text)) return unparsable(text, kind);
  // a lone `\` is a continuation broken by trailing blanks: continuation-trailing-space's finding
  if (text === "" || text === "\\" || isDynamic(text)) return null;
  // mod_proxy parses before it asks for an absolute URL
  const refused = unparsable(text, kind);
  if (refused) return refused;
  if (kind === "rewrite" && text === "-") return null; // no substitution: [P] is ignored
  if ((kind === "proxypass" || kind === "proxypassmatch") && text === "!") return null; // exclusion
  if (/^unix:/i.test(text)) return null; // a socket path without `|url`: mod_proxy's own business
  const m = /^([a-z][a-z0-9+.-]*):(.*)$/is.exec(text);
  if (m) {
    const scheme = m[1]!.toLowerCase();
    const rest = m[2]!;
    if (rest.startsWith("//")) {
      if (rest === "//" || rest.startsWith("///")) return { kind: "empty-host" };
      if (kind === "rewrite" && !isRewriteAbsolute(text)) return { kind: "rewrite-unknown-scheme", scheme };
      return null;
    }
    if (PROXY_SCHEMES.has(scheme)) return { kind: "separator", scheme, fix: separatorFix(url, m[1]!) };
    if (/^\d/.test(rest)) return { kind: "host-port" };
    // `foo:bar` is no URL mod_proxy knows; only the strict readers reject it
    if (kind === "proxypassreverse" || kind === "rewrite") return null;
    return { kind: "no-scheme" };
  }
  // A path: ProxyPassReverse may legitimately map relative redirects.
  if (kind === "proxypassreverse") return null;
  return { kind: "no-scheme" };
}

function describe(p: Problem, url: string): string {
  switch (p.kind) {
    case "separator":
      return `\`${url}\` is not an absolute URL (\`${p.scheme}:\` must be followed by \`//\`)`;
    case "empty-host":
      return `\`${url}\` has an empty host`;
    case "host-port":
      return `\`${url}\` has no scheme (\`http://\`, \`ws://\` …)`;
    case "no-scheme":
      return `\`${url}\` has no scheme`;
    case "rewrite-unknown-scheme":
      return `\`${url}\` uses \`${p.scheme}://\`, which mod_rewrite does not treat as absolute`;
    case "unparsable":
      // the colon's text names the URL itself
      return p.fault.kind === "colon" ? describeUriFault(url, p.fault, "http") : `\`${url}\`: ${describeUriFault(p.parsed, p.fault, "http")}`;
  }
}

function rewriteEffect(p: Problem, url: string, perDirectory: boolean): string {
  if (p.kind === "empty-host") return "the proxy request fails with 400 (AH01083 Invalid host/port)";
  // In per-directory context a relative target is first prefixed with the directory.
  if (perDirectory && !url.startsWith("/")) return "Apache proxies the request to itself, as a path on this server";
  const path = url.startsWith("/") ? url : `/${url}`;
  return `Apache proxies the request to itself, to \`http://<this server>${path}\``;
}

/** What follows `unix:/path|` in a Unix domain socket URL, or null when it is not one. */
function socketTail(value: string): string | null {
  const m = /^unix:[^|]*\|/i.exec(value);
  return m ? value.slice(m[0].length) : null;
}

/** ap_proxy_get_balancer and ap_proxy_define_balancer: a name is `…://` and at least one more character. */
const BALANCER_NAME = /^[^:]*:\/\/[\s\S]/;

/** Sections that hand BalancerMember their argument as written (cmd->path); a <Directory> path is made canonical first. */
const NAMING_SECTIONS: ReadonlySet<string> = new Set(["proxy", "proxymatch", "location", "locationmatch", "files", "filesmatch"]);

/** BalancerMember's balancer name, its own first word or the enclosing section's: reported when it is not one. */
function badBalancerName(ctx: RuleContext, d: Directive): boolean {
  const section = enclosing(d, PER_DIRECTORY_SECTIONS);
  const word = section ? section.open.args[0] : d.args[0];
  if (!word || (section && (!NAMING_SECTIONS.has(section.open.key) || word.value === "~"))) return false;
  const name = word.value;
  if (BALANCER_NAME.test(name) || name.includes("${")) return false;
  const apache = `Apache refuses to start ("BalancerMember Bad syntax for a balancer name (${name})").`;
  if (section)
    ctx.report({
      message: `BalancerMember takes its balancer name from <${section.open.name} ${word.raw}>, and \`${name}\` is not one (\`balancer://name\`): put the members in <Proxy "balancer://name">: ${apache}`,
      start: d.start,
      end: d.nameEnd,
    });
  else ctx.report({ message: `BalancerMember balancer name \`${name}\` is not of the form \`balancer://name\`: ${apache}`, start: word.start, end: word.end });
  return true;
}

/** `ProxyPass /ws/ ws://…` inside <Location>: the first word is a path, not the URL (case m02, a context error). */
function isPathInLocation(ref: BackendRef): boolean {
  return ref.path === null && ref.kind !== "balancermember" && ref.url.value.startsWith("/") && ref.directive.args.length >= 2;
}

export default defineRule({
  id: "proxy-url-malformed",
  severity: "error",
  category: "correctness",
  severities: ["error", "warning"],
  description: "A proxy backend URL that is not absolute (`wss:/host`, `ws:host`, no scheme)",
  fixable: "safe",
  doc: {
    problem:
      "A backend URL in ProxyPass, ProxyPassMatch, ProxyPassReverse, BalancerMember or a RewriteRule with [P] " +
      "that is not an absolute `scheme://host/…` URL: a scheme with one slash or none (`wss:/host`, `ws:host`), " +
      "an empty host (`http:///x`), a `host:port` with no scheme, a URL apr_uri_parse cannot read (a placeholder " +
      "left where the port goes: `http://backend:APP_PORT/`; an unclosed `[`), or a [P] target that is a local path; " +
      "and a BalancerMember whose balancer name, its own first word or its section's, is not `balancer://name`. " +
      "Typographic quotes around the URL do not hide it: the URL inside them is checked too.",
    bad: 'RewriteRule ^/?(.*) "wss:/localhost:3000/$1" [P,L]\nProxyPass /ws/ ws:/127.0.0.1:3000/ws/',
    good: 'RewriteRule ^/?(.*) "wss://localhost:3000/$1" [P,L]\nProxyPass /ws/ ws://127.0.0.1:3000/ws/',
    why:
      "mod_rewrite only treats a fixed list of `scheme://` prefixes as absolute (ajp, balancer, fcgi, ftp, gopher, " +
      "http, https, h2, h2c, ldap, nntp, scgi, ws, wss, plus unix:, mailto: and news:). Anything else, `wss:/host` " +
      "included, is a path on this server: Apache silently proxies the request to itself at `/wss:/host/…`, where " +
      "it gets a 404 (case b1: the WebSocket client never sees a 101). `uwsgi://` is not in that list either, so a " +
      "[P] rule cannot reach a uwsgi backend. ProxyPass, ProxyPassMatch and BalancerMember reject such URLs at " +
      'startup ("URL must be absolute!"). ProxyPassReverse accepts anything and then never matches the backend\'s ' +
      "`Location` header, so redirects leak the backend's address. The strict readers first parse the URL with " +
      "apr_uri_parse (src/apache/uri.ts, the model url-invalid shares), which refuses a port strtol does not read " +
      "whole, a `[` with no `]` and a `:` before the first `/` of a URL without scheme: `http://backend:APP_PORT/` and " +
      '`127.0.0.1:8080/` stop Apache with "ProxyPass Unable to parse URL: …" (a placeholder host such as `<your-domain>`, ' +
      "`:+80`, `:65536` and IPv6 in brackets are accepted there). ProxyPassMatch parses its URL up to the first `$`, so " +
      "`http://h:8080$1` is fine. Behind a Unix socket (`unix:/path|…`) the URL after `|` needs a scheme (\"uses an " +
      "invalid \"unix:\" URL\"; `http:` alone is made `http://localhost`), and one that is not absolute starts but fails " +
      "every request with 400: a warning. BalancerMember looks its balancer up first: a name without `scheme://` and " +
      'something after it ("BalancerMember Bad syntax for a balancer name (x)") stops Apache, also when it comes from ' +
      "the enclosing <Proxy *>, <Location> or <Files>.",
    versions:
      "Measured on Apache 2.4.71. The list of schemes mod_rewrite treats as absolute grew during 2.4 (h2, h2c and " +
      "unix came later than the others); the check follows 2.4.71's list.",
    fix:
      "Safe: for a known proxy scheme written with one slash or none, writes `scheme://` (`wss:/host` becomes " +
      "`wss://host`). An empty host, a missing scheme or a local [P] target has no fix: only the author knows the backend.",
    cases: ["b1", "g8", "m28"],
  },
  create(ctx) {
    const { fileKind } = ctx;
    const refs = backends(ctx.facts);
    const visit = (d: Directive) => {
      const ref = refs.of(d);
      if (!ref || isPathInLocation(ref)) return;
      // add_member looks the balancer up before it parses the member's URL
      if (ref.kind === "balancermember" && badBalancerName(ctx, d)) return;
      const url = refs.url(ref);
      const { label, effect } = EFFECT[ref.kind];
      let severity = EFFECT[ref.kind].severity;
      const tail = PARSED_AT_STARTUP[ref.kind] && !ref.url.value.includes("${") ? socketTail(ref.url.value) : null;
      // ap_proxy_de_socketfy: the URL after `|` needs a scheme
      if (tail !== null && !tail.includes(":")) {
        const who = ref.kind === "balancermember" ? "BalancerMember" : "ProxyPass|ProxyPassMatch";
        ctx.report({
          message: `${label} \`${tail}\` after the socket's \`|\` has no scheme (\`http://localhost/…\`): Apache refuses to start ("${who} uses an invalid "unix:" URL").`,
          start: ref.url.start,
          end: ref.url.end,
        });
        return;
      }
      const problem = classify(url, ref.kind);
      if (!problem) return;
      let said =
        problem.kind === "unparsable"
          ? `Apache refuses to start ("${PARSED_AT_STARTUP[ref.kind]}: ${ref.url.value}")`
          : ref.kind === "rewrite"
            ? rewriteEffect(problem, url.text, isPerDirectory(d, fileKind))
            : PARSED_AT_STARTUP[ref.kind]
              ? `Apache refuses to start ("${effect}: ${ref.url.value}")`
              : effect;
      if (tail !== null && problem.kind !== "unparsable") {
        // `unix:…|http:` is the documented short form: mod_proxy makes it http://localhost
        if (/^[a-z][a-z0-9+.-]*:$/i.test(tail)) return;
        // the startup check reads the `unix:` URL; the one after `|` is parsed per request
        severity = "warning";
        said = `Apache starts, but every request through it fails (\`unix:…|http:/h/\` measured: 400, "AH01083: error parsing URL http:/h/x: Malformed URL")`;
      }
      const report: Report = {
        message: `${label} ${describe(problem, url.text)}: ${said}.`,
        start: ref.url.start,
        end: ref.url.end,
      };
      if (severity) report.severity = severity;
      if (problem.kind === "separator" && problem.fix) report.fix = problem.fix;
      ctx.report(report);
    };
    return { directive: { proxypass: visit, proxypassmatch: visit, proxypassreverse: visit, balancermember: visit, rewriterule: visit } };
  },
});
