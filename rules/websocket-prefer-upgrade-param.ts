import { directives, type Directive, type Parent } from "../grammar/index.js";
import { backendOf, schemeOf } from "../src/apache/proxy.js";
import { condsOf, hasFlag, rewriteRuleParts, type RewriteCondParts, type RewriteRuleParts } from "../src/apache/rewrite.js";
import { defineRule, type Fix, type Report, type RuleContext } from "../src/core/rule.js";
import { directivesIn, enclosing, scopeOf } from "../src/apache/scope.js";
import { atLeast, formatVersion, PROXY_HTTP_UPGRADE, type ApacheVersion } from "../src/apache/version.js";

/** mod_proxy_wstunnel's own `upgrade=` worker parameter (ws:// and wss:// workers) arrived in 2.4.26. */
const WSTUNNEL_UPGRADE_PARAM: ApacheVersion = { major: 2, minor: 4, patch: 26 };

/** Where ProxyPass is not allowed at all: no point suggesting it. */
const NO_PROXYPASS = ["directory", "directorymatch", "files", "filesmatch"];

/** `^/ws/(.*)` or `^/ws/(.*)$`: a literal path prefix (letters, digits, `_~-`, `\.`) ending in `/`, then everything. */
const PREFIX_PATTERN = /^\^((?:\/(?:[\w~-]|\\\.)+)+\/)\(\.\*\)\$?$/;
/** `ws://host:port/path/$1`: the target with the captured rest appended, and nothing else expanded. */
const PREFIX_TARGET = /^(wss?):\/\/([^/\s$%\\]+)(\/[^\s$%\\]*\/|\/)\$1$/i;
/** Flags the ProxyPass line does all of: proxying, and stopping the rewrite there. */
const REPLACEABLE_FLAGS = new Set(["proxy", "last", "end"]);
/** Patterns that send the whole site: the `ProxyPass /` of the same scope is the line to extend. */
const WHOLE_SITE = new Set([".*", "^.*", "^.*$", "^/?(.*)", "^/?(.*)$", "^/(.*)", "^/(.*)$", "^(.*)$", "(.*)"]);

const isHeaderCond = (c: RewriteCondParts, header: string) =>
  c.testString.value.toLowerCase() === `%{http:${header}}` && !c.condPattern.value.startsWith("!");

/** The ProxyPass line equivalent to the rule, when the rule maps a plain prefix; null otherwise. */
function equivalentProxyPass(parts: RewriteRuleParts, conds: readonly RewriteCondParts[]): { path: string; line: string } | null {
  const onlyHandshake = conds.every((c) => (isHeaderCond(c, "upgrade") || isHeaderCond(c, "connection")) && !hasFlag(c, "ornext"));
  if (!onlyHandshake) return null;
  // Words Apache ignores or rejects (a `# comment`, a malformed field) would be lost with the lines.
  const clean = (x: RewriteRuleParts | RewriteCondParts) => x.extra.length === 0 && !x.flags?.delimiterError;
  if (!clean(parts) || !conds.every(clean)) return null;
  if (!parts.flags || parts.flags.delimiterError || !parts.flags.flags.every((f) => f.canonical && REPLACEABLE_FLAGS.has(f.canonical))) return null;
  const p = PREFIX_PATTERN.exec(parts.pattern.value);
  const t = PREFIX_TARGET.exec(parts.substitution.value);
  if (!p || !t) return null;
  const path = p[1]!.replace(/\\\./g, ".");
  const scheme = t[1]!.toLowerCase() === "wss" ? "https" : "http";
  return { path, line: `ProxyPass ${path} ${scheme}://${t[2]}${t[3]} upgrade=websocket` };
}

function isProxyPass(d: Directive): boolean {
  return d.key === "proxypass" || d.key === "proxypassmatch";
}

/**
 * Replaces the conditions and the rule by the ProxyPass line, placed before
 * the scope's first ProxyPass (the first match wins) or where the rule was.
 * Null when the rule is not a direct child of a server or virtual-host scope,
 * or when the scope already maps the same path.
 */
function replacementFix(
  ctx: RuleContext,
  rule: Directive,
  conds: readonly RewriteCondParts[],
  pp: { path: string; line: string },
  proxyPasses: (scope: Parent) => Directive[],
): Fix | null {
  const scope: Parent = scopeOf(rule);
  if (rule.parent !== scope || ctx.fileKind !== "server") return null;
  if (scope.kind === "section" && scope.key !== "virtualhost") return null;
  const existing = proxyPasses(scope);
  if (existing.some((d) => d.args[0]?.value === pp.path)) return null;
  const first = existing[0];
  if (first && first.parent !== scope) return null;
  const deleteLine = (d: Directive) => ({ start: d.from, end: d.to, text: "" });
  const edits = conds.map((c) => deleteLine(c.directive));
  if (first) edits.push({ start: first.from, end: first.from, text: `${first.indent}${pp.line}${ctx.file.eol}` }, deleteLine(rule));
  else edits.push({ start: rule.start, end: rule.end, text: pp.line });
  return { safety: "unsafe", title: `Replace the rewrite rule with \`${pp.line}\``, edits };
}

function checkUpgradeParams(ctx: RuleContext): Report[] {
  const reports: Report[] = [];
  const wanted = formatVersion(ctx.apacheVersion);
  for (const d of directives(ctx.file)) {
    const ref = backendOf(d);
    if (!ref || ref.kind === "rewrite" || ref.kind === "proxypassreverse") continue;
    const scheme = schemeOf(ref.url.value);
    const tunnel = scheme === "ws" || scheme === "wss";
    const tooOld = !atLeast(ctx.apacheVersion, WSTUNNEL_UPGRADE_PARAM);
    // From 2.4.26, mod_proxy_wstunnel honours upgrade= on its own ws:// and wss:// workers.
    if (tunnel && !tooOld) continue;
    for (const p of ref.params) {
      if (!/^upgrade=/i.test(p.value)) continue;
      const needs = tunnel ? "2.4.26 (mod_proxy_wstunnel)" : "2.4.47";
      const what = tooOld
        ? `Apache ${wanted} refuses it at startup (unknown Worker parameter)`
        : `on ${wanted} mod_proxy_http accepts it but ignores it, so the WebSocket handshake is not tunnelled`;
      reports.push({
        message: `\`${p.value}\` on ${d.name} needs Apache ${needs} or later: ${what}.`,
        start: p.start,
        end: p.end,
        severity: "error",
      });
    }
  }
  return reports;
}

export default defineRule({
  id: "websocket-prefer-upgrade-param",
  severity: "info",
  description: "A RewriteRule Upgrade dance that `ProxyPass \u2026 upgrade=websocket` replaces",
  fixable: "unsafe",
  doc: {
    problem:
      "From Apache 2.4.47, mod_proxy_http tunnels WebSockets itself when the worker has `upgrade=websocket`, so the " +
      "RewriteCond %{HTTP:Upgrade} / RewriteRule \u2026 ws://\u2026 [P] pattern from older tutorials can be one ProxyPass " +
      "line. Below 2.4.47 the parameter does not do that, and a config that relies on it is broken.",
    bad:
      "RewriteEngine on\n" +
      "RewriteCond %{HTTP:Upgrade} websocket [NC]\n" +
      "RewriteCond %{HTTP:Connection} upgrade [NC]\n" +
      "RewriteRule ^/ws/(.*) ws://127.0.0.1:3000/ws/$1 [P,L]\n" +
      "ProxyPass / http://127.0.0.1:3000/",
    good: "ProxyPass /ws/ http://127.0.0.1:3000/ws/ upgrade=websocket\nProxyPass / http://127.0.0.1:3000/",
    why:
      "The rewrite form needs mod_rewrite, three directives whose every detail must be right (the `%` sigil, an " +
      "unanchored `upgrade` with [NC], a capture group) and, before 2.4.47, mod_proxy_wstunnel. On 2.4.71 " +
      "`ProxyPass /ws/ http://\u2026/ws/ upgrade=websocket` alone gave 101 for Chrome- and Firefox-style clients without " +
      "mod_proxy_wstunnel (AH10239 \"HTTP: tunneling protocol websocket\", case k1). The suggestion is information " +
      "only. Versions: with a target below 2.4.47 the rule reports any `upgrade=` worker parameter (ProxyPass, " +
      "ProxyPassMatch, BalancerMember) as an error instead: before 2.4.26 Apache refuses the parameter, from 2.4.26 to " +
      "2.4.46 mod_proxy_http ignores it on http:// workers. On ws:// and wss:// workers 2.4.26+ mod_proxy_wstunnel " +
      "uses it, so those are not reported.",
    versions:
      "The suggestion needs 2.4.47+ (--apache-version, default 2.4.71); the `upgrade=` error applies to targets below 2.4.47.",
    fix:
      "Unsafe, and only in a simple case: the conditions are only the Upgrade/Connection checks, the rule is in the " +
      "server or a <VirtualHost> (not inside a conditional section), its pattern is a literal prefix `^/ws/(.*)` " +
      "(optionally `$`), its target is `ws(s)://host/path/$1`, its flags are only P, L or END, and no line of it carries words Apache " +
      "ignores or rejects after the flags (a `# comment`). The conditions and the " +
      "rule are removed and `ProxyPass /ws/ http(s)://host/path/ upgrade=websocket` is inserted before the first " +
      "ProxyPass of the same scope, since the first matching ProxyPass wins (h1). It is unsafe because the ProxyPass " +
      "also forwards plain (non-Upgrade) requests for that path to the backend, where the rewrite sent only the " +
      "handshakes and let other requests fall through. " +
      "No fix when the rule maps the whole site (`^/?(.*)`): it would collide with the usual `ProxyPass /` (h3); add " +
      "`upgrade=websocket` to that line by hand instead. No fix either when the scope already maps the same path.",
    cases: ["k1", "k2", "a2", "h1", "h3"],
  },
  check(ctx) {
    if (!atLeast(ctx.apacheVersion, PROXY_HTTP_UPGRADE)) return checkUpgradeParams(ctx);
    if (ctx.fileKind === "htaccess") return [];
    const reports: Report[] = [];
    // each scope's ProxyPass lines are listed once: a large file holds many rules per scope
    const byScope = new Map<Parent, Directive[]>();
    const proxyPasses = (scope: Parent) => {
      let list = byScope.get(scope);
      if (!list) byScope.set(scope, (list = [...directivesIn(scope)].filter(isProxyPass)));
      return list;
    };
    for (const d of directives(ctx.file)) {
      const parts = rewriteRuleParts(d);
      if (!parts || !hasFlag(parts, "proxy")) continue;
      const scheme = schemeOf(parts.substitution.value);
      if (scheme !== "ws" && scheme !== "wss") continue;
      const conds = condsOf(d);
      const upgrade = conds.find((c) => isHeaderCond(c, "upgrade") && /websocket/i.test(c.condPattern.value));
      if (!upgrade || enclosing(d, NO_PROXYPASS)) continue;
      const pp = equivalentProxyPass(parts, conds);
      const root = WHOLE_SITE.has(parts.pattern.value)
        ? proxyPasses(scopeOf(d)).find((x) => x.key === "proxypass" && x.args[0]?.value === "/")
        : undefined;
      const suggestion = pp
        ? `\`${pp.line}\``
        : root
          ? `\`upgrade=websocket\` on the \`ProxyPass / ${root.args[1]?.value ?? ""}\` line`
          : `one \`ProxyPass <path> http://\u2026 upgrade=websocket\``;
      const report: Report = {
        message: `On Apache 2.4.47 and later this RewriteCond %{HTTP:Upgrade} + RewriteRule [P] pair can be ${suggestion}: mod_proxy_http tunnels the WebSocket itself.`,
        start: d.start,
        end: d.end,
        related: [{ start: upgrade.directive.start, end: upgrade.directive.end, message: "the Upgrade condition" }],
      };
      const fix = pp && replacementFix(ctx, d, conds, pp, proxyPasses);
      if (fix) report.fix = fix;
      reports.push(report);
    }
    return reports;
  },
});
