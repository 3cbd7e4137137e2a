import type { Argument, ConfigFile, Directive, Parent } from "../grammar/index.js";
import { DIRECTIVE } from "../grammar/line-table.js";
import { backends, schemeOf } from "../src/apache/proxy.js";
import { memoByString } from "../src/apache/memo.js";
import { condRunStart, hasFlag, parseFlags, rewriteCondParts, rewriteRuleParts, type RewriteCondParts } from "../src/apache/rewrite.js";
import { defineRule, type Fix, type Report, type RuleContext, type RuleVisitor } from "../src/core/rule.js";
import { enclosing, scopeOf } from "../src/apache/scope.js";
import { atLeast, formatVersion, PROXY_HTTP_UPGRADE, type ApacheVersion } from "../src/apache/version.js";

/** mod_proxy_wstunnel's own `upgrade=` worker parameter (ws:// and wss:// workers) arrived in 2.4.26. */
const WSTUNNEL_UPGRADE_PARAM: ApacheVersion = { major: 2, minor: 4, patch: 26 };

/** Where ProxyPass is not allowed at all: no point suggesting it. */
const NO_PROXYPASS: ReadonlySet<string> = new Set(["directory", "directorymatch", "files", "filesmatch"]);

/** `^/ws/(.*)` or `^/ws/(.*)$`: a literal path prefix (letters, digits, `_~-`, `\.`) ending in `/`, then everything. */
const PREFIX_PATTERN = /^\^((?:\/(?:[\w~-]|\\\.)+)+\/)\(\.\*\)\$?$/;
/** `ws://host:port/path/$1`: the target with the captured rest appended, and nothing else expanded. */
const PREFIX_TARGET = /^(wss?):\/\/([^/\s$%\\]+)(\/[^\s$%\\]*\/|\/)\$1$/i;
/** Flags the ProxyPass line does all of: proxying, and stopping the rewrite there. */
const REPLACEABLE_FLAGS = new Set(["proxy", "last", "end"]);
/** Patterns that send the whole site: the `ProxyPass /` of the same scope is the line to extend. */
const WHOLE_SITE = new Set([".*", "^.*", "^.*$", "^/?(.*)", "^/?(.*)$", "^/(.*)", "^/(.*)$", "^(.*)$", "(.*)"]);
/** `ws:` or `wss:` (schemeOf gives "ws" or "wss") */
const WS_SCHEME = /^wss?:/i;

const HTTP_UPGRADE = "%{http:upgrade}";
const HTTP_CONNECTION = "%{http:connection}";
const isHeader = (v: string, lower: string) => v.length === lower.length && v.toLowerCase() === lower;
const isHeaderCond = (c: RewriteCondParts, lower: string) => isHeader(c.testString.value, lower) && !c.condPattern.value.startsWith("!");

/** A flags word with the delimiters mod_rewrite wants (parseFlags' delimiterError is null). */
const delimited = (v: string) => v.length >= 2 && v.startsWith("[") && v.endsWith("]");

/** Are the rule's flags only P, L and END (correctly delimited)? Worked out once per distinct flags word. */
const onlyReplaceableFlags = memoByString((v: string): boolean => {
  const field = parseFlags({ raw: v, value: v, start: 0, end: v.length, quote: null, unterminated: false }, "rule");
  return !field.delimiterError && field.flags.every((f) => f.canonical !== null && REPLACEABLE_FLAGS.has(f.canonical));
});

/** No words after the flags (Apache ignores them: a `# comment`) and no malformed flags field. */
function clean(args: readonly Argument[]): boolean {
  return args.length <= 3 && (args.length < 3 || delimited(args[2]!.value));
}

/** The ProxyPass line equivalent to the rule, when the rule maps a plain prefix; null otherwise. */
function equivalentProxyPass(rule: readonly Argument[], conds: readonly RewriteCondParts[]): { path: string; line: string } | null {
  for (const c of conds) {
    const handshake = isHeaderCond(c, HTTP_UPGRADE) || isHeaderCond(c, HTTP_CONNECTION);
    if (!handshake || hasFlag(c, "ornext")) return null;
  }
  // Words Apache ignores or rejects (a `# comment`, a malformed field) would be lost with the lines.
  if (!clean(rule) || !conds.every((c) => clean(c.directive.args))) return null;
  if (rule.length < 3 || !onlyReplaceableFlags(rule[2]!.value)) return null;
  const p = PREFIX_PATTERN.exec(rule[0]!.value);
  if (!p) return null;
  const t = PREFIX_TARGET.exec(rule[1]!.value);
  if (!t) return null;
  const path = p[1]!.includes("\\") ? p[1]!.replace(/\\\./g, ".") : p[1]!;
  const scheme = t[1]!.toLowerCase() === "wss" ? "https" : "http";
  return { path, line: `ProxyPass ${path} ${scheme}://${t[2]}${t[3]} upgrade=websocket` };
}

/** A ProxyPass or ProxyPassMatch line of a scope, as the fix and the message need it. */
interface ScopeProxyPass {
  row: number;
  key: string;
  /** its first and second words */
  first: string | undefined;
  second: string | undefined;
  /** the row of its parent section (-1: the file) */
  parentRow: number;
  /** the scope it takes effect in */
  scope: Parent;
}

/** A RewriteRule whose report waits for the ProxyPass lines of its scope, later ones included (rows, not views). */
interface Pending {
  row: number;
  /** the Upgrade condition */
  upgrade: number;
  /** the first row of its conditions */
  condStart: number;
  pp: { path: string; line: string } | null;
  scope: Parent;
  wholeSite: boolean;
}

const rowOf = (p: Parent) => (p.kind === "section" ? p.row : -1);

/**
 * Replaces the conditions and the rule by the ProxyPass line, placed before
 * the scope's first ProxyPass (the first match wins) or where the rule was.
 * Null when the rule is not a direct child of a server or virtual-host scope,
 * or when the scope already maps the same path.
 */
function replacementFix(
  file: ConfigFile,
  parentRows: Int32Array,
  p: Pending,
  pp: { path: string; line: string },
  existing: readonly ScopeProxyPass[],
): Fix | null {
  const { row, scope } = p;
  const scopeRow = rowOf(scope);
  if (parentRows[row] !== scopeRow) return null;
  if (scope.kind === "section" && scope.key !== "virtualhost") return null;
  if (existing.some((d) => d.first === pp.path)) return null;
  const first = existing[0];
  if (first && first.parentRow !== scopeRow) return null;
  const t = file.table;
  const deleteLine = (r: number) => ({ start: t.from(r), end: t.to[r]!, text: "" });
  const edits: { start: number; end: number; text: string }[] = [];
  for (let r = p.condStart; r < row; r++) if (t.kind[r] === DIRECTIVE) edits.push(deleteLine(r));
  if (first) {
    const from = t.from(first.row);
    const indent = file.text.slice(from, t.start[first.row]);
    edits.push({ start: from, end: from, text: `${indent}${pp.line}${file.eol}` }, deleteLine(row));
  } else edits.push({ start: t.start[row]!, end: t.end[row]!, text: pp.line });
  return { safety: "unsafe", title: `Replace the rewrite rule with \`${pp.line}\``, edits };
}

/** Below 2.4.47: `upgrade=` on a worker that does not honour it. */
function upgradeParams(ctx: RuleContext): RuleVisitor {
  const refs = backends(ctx.facts);
  const wanted = formatVersion(ctx.apacheVersion);
  const tooOld = !atLeast(ctx.apacheVersion, WSTUNNEL_UPGRADE_PARAM);
  const visit = (d: Directive) => {
    const ref = refs.of(d);
    if (!ref || ref.params.length === 0) return;
    const scheme = schemeOf(ref.url.value);
    const tunnel = scheme === "ws" || scheme === "wss";
    // From 2.4.26, mod_proxy_wstunnel honours upgrade= on its own ws:// and wss:// workers.
    if (tunnel && !tooOld) return;
    for (const p of ref.params) {
      if (!/^upgrade=/i.test(p.value)) continue;
      const needs = tunnel ? "2.4.26 (mod_proxy_wstunnel)" : "2.4.47";
      const what = tooOld
        ? `Apache ${wanted} refuses it at startup (unknown Worker parameter)`
        : `on ${wanted} mod_proxy_http accepts it but ignores it, so the WebSocket handshake is not tunnelled`;
      ctx.report({
        message: `\`${p.value}\` on ${d.name} needs Apache ${needs} or later: ${what}.`,
        start: p.start,
        end: p.end,
        severity: "error",
      });
    }
  };
  return { directive: { proxypass: visit, proxypassmatch: visit, balancermember: visit } };
}

export default defineRule({
  id: "websocket-prefer-upgrade-param",
  severity: "info",
  category: "websocket",
  // an `upgrade=` Apache is too old for is an error (it refuses to start)
  severities: ["info", "error"],
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
  create(ctx) {
    if (!atLeast(ctx.apacheVersion, PROXY_HTTP_UPGRADE)) return upgradeParams(ctx);
    if (ctx.fileKind === "htaccess") return {};
    // from here on every finding is an info: under -q none would be kept
    if (!ctx.wants("info")) return {};
    const { file, facts } = ctx;
    const t = file.table;
    // the ProxyPass lines, gathered during the walk: the fix looks at later ones of a rule's scope too
    const proxyPasses: ScopeProxyPass[] = [];
    const pending: Pending[] = [];
    // the RewriteCond views of the walk since the last RewriteRule: the rule's conditions are the last of them
    let condViews: Directive[] = [];
    const condAt = (views: readonly Directive[], row: number): Directive => {
      for (let i = views.length - 1; i >= 0; i--) if (views[i]!.row === row) return views[i]!;
      return facts.directiveAt(row);
    };
    const proxyPass = (d: Directive) => {
      const args = d.args;
      proxyPasses.push({ row: d.row, key: d.key, first: args[0]?.value, second: args[1]?.value, parentRow: facts.parentRows[d.row]!, scope: scopeOf(d) });
    };
    return {
      directive: {
        proxypass: proxyPass,
        proxypassmatch: proxyPass,
        rewritecond(d) {
          if (condViews.length >= 64) condViews = condViews.slice(32);
          condViews.push(d);
        },
        rewriterule(d) {
          const views = condViews;
          condViews = [];
          const args = d.args;
          if (args.length < 3 || !WS_SCHEME.test(args[1]!.value)) return;
          // (`ws:`/`wss:` is what schemeOf reads as ws or wss)
          const parts = rewriteRuleParts(d);
          if (!parts || !hasFlag(parts, "proxy")) return;
          const row = d.row;
          const condStart = condRunStart(file, facts.parentRows, row);
          if (condStart === row) return;
          const conds: RewriteCondParts[] = [];
          let upgrade: RewriteCondParts | undefined;
          for (let r = condStart; r < row; r++) {
            if (t.kind[r] !== DIRECTIVE) continue;
            const c = rewriteCondParts(condAt(views, r));
            if (!c) continue;
            conds.push(c);
            if (!upgrade && isHeaderCond(c, HTTP_UPGRADE) && /websocket/i.test(c.condPattern.value)) upgrade = c;
          }
          if (!upgrade || enclosing(d, NO_PROXYPASS)) return;
          pending.push({
            row,
            upgrade: upgrade.directive.row,
            condStart,
            pp: equivalentProxyPass(args, conds),
            scope: scopeOf(d),
            wholeSite: WHOLE_SITE.has(parts.pattern.value),
          });
        },
      },
      end() {
        if (pending.length === 0) return;
        const parentRows = facts.parentRows;
        // each scope's ProxyPass lines, for the scopes that have a rule to report
        const byScope = new Map<Parent, ScopeProxyPass[]>();
        for (const p of pending) byScope.set(p.scope, []);
        for (const x of proxyPasses) byScope.get(x.scope)?.push(x);
        for (const p of pending) {
          const { row, upgrade, pp, scope, wholeSite } = p;
          const existing = byScope.get(scope)!;
          const root = wholeSite ? existing.find((x) => x.key === "proxypass" && x.first === "/") : undefined;
          const suggestion = pp
            ? `\`${pp.line}\``
            : root
              ? `\`upgrade=websocket\` on the \`ProxyPass / ${root.second ?? ""}\` line`
              : `one \`ProxyPass <path> http://\u2026 upgrade=websocket\``;
          const report: Report = {
            message: `On Apache 2.4.47 and later this RewriteCond %{HTTP:Upgrade} + RewriteRule [P] pair can be ${suggestion}: mod_proxy_http tunnels the WebSocket itself.`,
            start: t.start[row]!,
            end: t.end[row]!,
            related: [{ start: t.start[upgrade]!, end: t.end[upgrade]!, message: "the Upgrade condition" }],
          };
          const fix = pp && ctx.fileKind === "server" && replacementFix(file, parentRows, p, pp, existing);
          if (fix) report.fix = fix;
          ctx.report(report);
        }
      },
    };
  },
});
