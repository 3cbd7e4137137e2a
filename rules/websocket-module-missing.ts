import { ancestors, directives, nodes, type Node, type Section } from "../grammar/index.js";
import { defineRule, type Report, type RuleContext } from "../src/core/rule.js";
import { directiveInfo, loadableProviders, sectionInfo } from "../src/apache/directives.js";
import { moduleByName, type ModuleInfo } from "../src/apache/modules.js";
import { BUILTIN_MODULE_SOURCES } from "../src/data/modules.js";
import { backendRefs, schemeOf } from "../src/apache/proxy.js";
import { insertionPoint, insertionText, loadModuleLines, loadModuleText, moduleDirFor, modulesToAdd } from "../src/server/module-lines.js";
import { atLeast, PROXY_HTTP_UPGRADE } from "../src/apache/version.js";

/** One thing the config uses that needs a module: any of `anyOf` will do, the first is the one to add. */
interface Need {
  anyOf: readonly string[];
  /** what uses it, for the message: "RewriteEngine", "the ws:// backend" */
  what: string;
  /** what Apache does without it */
  effect: string;
  start: number;
  end: number;
}

const LBMETHODS = ["lbmethod_byrequests", "lbmethod_bybusyness", "lbmethod_bytraffic", "lbmethod_heartbeat"];
const NO_HANDLER = "every request to it gets 500 (AH01144 No protocol handler)";

// What a backend URL scheme needs besides mod_proxy (mod_proxy.c's scheme
// handlers). ws/wss: mod_proxy_http tunnels WebSockets itself from 2.4.47 on
// (d1, k1); before, only mod_proxy_wstunnel does.
function schemeNeeds(scheme: string, wsViaHttp: boolean): { anyOf: string[]; effect: string }[] {
  const ws = wsViaHttp ? ["proxy_http", "proxy_wstunnel"] : ["proxy_wstunnel"];
  const ssl = { anyOf: ["ssl"], effect: NO_HANDLER };
  const one = (m: string) => ({ anyOf: [m], effect: NO_HANDLER });
  switch (scheme) {
    case "ws":
      return [{ anyOf: ws, effect: NO_HANDLER }];
    case "wss":
      return [{ anyOf: ws, effect: NO_HANDLER }, ssl];
    case "http":
      return [one("proxy_http")];
    case "https":
      return [one("proxy_http"), ssl];
    case "balancer":
      return [
        one("proxy_balancer"),
        { anyOf: ["slotmem_shm"], effect: "Apache fails at start (AH01177 Failed to lookup provider 'shm'); apache2 -t does not notice" },
      ];
    case "ajp":
      return [one("proxy_ajp")];
    case "fcgi":
      return [one("proxy_fcgi")];
    case "scgi":
      return [one("proxy_scgi")];
    case "uwsgi":
      return [one("proxy_uwsgi")];
    case "h2c":
      return [one("proxy_http2")];
    case "h2":
      return [one("proxy_http2"), ssl];
    case "ftp":
      return [one("proxy_ftp")];
    default:
      return [];
  }
}

const BUILTIN_IDS = new Set(
  BUILTIN_MODULE_SOURCES.flatMap((s) => {
    const base = s.replace(/\.c$/, "");
    return [s.toLowerCase(), `${base.replace(/^mod_/, "")}_module`.toLowerCase()];
  }),
);

/**
 * Whether Apache reads the node: false inside an <IfModule> (or <IfDirective>,
 * <IfSection>) whose test fails with the modules this server loads. Such a
 * body is never parsed (g6, m17), so what it uses is not needed. A test on a
 * module the table does not know counts as failing: its body cannot be judged.
 */
function isLive(node: Node, ctx: RuleContext): boolean {
  return ancestors(node).every((s) => conditionHolds(s, ctx) !== false);
}

function conditionHolds(s: Section, ctx: RuleContext): boolean | null {
  const arg = s.args[0]?.value;
  if (!arg) return null;
  const negated = arg.startsWith("!");
  const name = negated ? arg.slice(1) : arg;
  let present: boolean;
  switch (s.key) {
    case "ifmodule":
      present = BUILTIN_IDS.has(name.toLowerCase()) || (moduleByName(name) ? ctx.server.isLoaded(name) : false);
      break;
    case "ifdirective":
    case "ifsection": {
      const info = s.key === "ifdirective" ? directiveInfo(name) : sectionInfo(name.replace(/^</, ""));
      if (!info) return null;
      const providers = loadableProviders(info);
      present = providers === null || providers.some((m) => ctx.server.isLoaded(m));
      break;
    }
    default:
      return null;
  }
  return negated ? !present : present;
}

function collectNeeds(ctx: RuleContext): Need[] {
  // Needs the server already meets are dropped here, before their messages are built: a large
  // config has a need on nearly every line, and nearly all of them are met.
  const needs: Need[] = [];
  const unmet = (anyOf: readonly string[]) => !anyOf.some((m) => ctx.server.isLoaded(m));
  const wsViaHttp = atLeast(ctx.apacheVersion, PROXY_HTTP_UPGRADE);
  for (const n of nodes(ctx.file)) {
    if ((n.kind !== "directive" && n.kind !== "section") || !isLive(n, ctx)) continue;
    const info = n.kind === "directive" ? directiveInfo(n.key) : sectionInfo(n.key);
    const providers = info ? loadableProviders(info) : null;
    if (!providers || !unmet(providers)) continue;
    const open = n.kind === "section" ? n.open : n;
    const name = n.kind === "section" ? `<${n.name}>` : n.name;
    needs.push({ anyOf: providers, what: name, effect: `Apache refuses to start (Invalid command '${n.kind === "section" ? "<" + n.name : n.name}')`, start: open.start, end: open.end });
  }
  let explicitLb = false;
  for (const d of directives(ctx.file)) {
    if (!LB_DIRECTIVES.has(d.key) || !isLive(d, ctx)) continue;
    for (const a of d.args) {
      const m = /^lbmethod=(\w+)$/i.exec(a.value);
      if (!m) continue;
      explicitLb = true;
      const mod = `lbmethod_${m[1]!.toLowerCase()}`;
      if (moduleByName(mod)) needs.push({ anyOf: [mod], what: `${d.name} ${a.value}`, effect: "Apache refuses to start (unknown lbmethod)", start: a.start, end: a.end });
    }
  }
  for (const ref of backendRefs(ctx.file)) {
    if (!isLive(ref.directive, ctx)) continue;
    const at = { start: ref.url.start, end: ref.url.end };
    // RewriteRule [P] without mod_proxy (g9) is rewrite-flags-malformed's finding; the scheme's
    // handler below still brings mod_proxy in, as the module it must load after.
    // unix:/path|http://host/ names its real scheme after the `|`
    const url = ref.url.value.replace(/^unix:[^|]*\|/i, "");
    // `wss:/host` is no URL to Apache (proxy-url-malformed): no scheme handler is involved until it is fixed
    const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? schemeOf(url) : null;
    if (!scheme) continue;
    for (const need of schemeNeeds(scheme, wsViaHttp)) if (unmet(need.anyOf)) needs.push({ ...need, what: `The ${scheme}:// backend`, ...at });
    if (scheme === "balancer" && !explicitLb) {
      needs.push({ anyOf: LBMETHODS, what: "The balancer:// backend", effect: "Apache fails at start (AH02432 Cannot find LB Method: byrequests); apache2 -t does not notice", ...at });
    }
  }
  // reported at the first use in the file
  return needs.sort((a, b) => a.start - b.start);
}

const LB_DIRECTIVES = new Set(["proxyset", "proxypass", "proxypassmatch", "balancermember"]);

const modName = (m: string) => `mod_${m}`;
const alternatives = (anyOf: readonly string[]) => anyOf.map(modName).join(" or ");

export default defineRule({
  id: "websocket-module-missing",
  severity: "error",
  description: "A directive or backend scheme used without the module that provides it",
  fixable: "safe",
  doc: {
    problem:
      "The config loads its own modules (it has LoadModule lines, or lives in a Debian tree with mods-enabled/) but not one that a feature it uses needs: a ws:// or wss:// backend without mod_proxy_http (2.4.47+) or mod_proxy_wstunnel; balancer:// without mod_proxy_balancer, mod_slotmem_shm and an lbmethod module; https://, wss:// or SSLProxyEngine without mod_ssl; <Proxy>/ProxyPass without mod_proxy; any directive (RewriteEngine …) whose module is not loaded.",
    bad: "LoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so\n<VirtualHost *:80>\n    ProxyPass /ws/ ws://127.0.0.1:3000/ws/\n</VirtualHost>",
    good: "LoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so\nLoadModule proxy_http_module /usr/lib/apache2/modules/mod_proxy_http.so\n<VirtualHost *:80>\n    ProxyPass /ws/ ws://127.0.0.1:3000/ws/\n</VirtualHost>",
    why:
      "A directive of a module that is not loaded stops Apache (`Invalid command 'RewriteEngine'`, `'<Proxy'`, `'SSLProxyEngine'`: g1, g5, i3). A backend scheme without its handler passes `apache2 -t` and the server starts, but every request to it gets 500 `AH01144 No protocol handler was valid for the URL` (d2, g2, i2); A RewriteRule [P] without mod_proxy gets 403 AH00669 (g9): rewrite-flags-malformed reports the flag, and this rule the scheme handler the target needs, whose fix brings mod_proxy in first. mod_proxy_balancer without mod_slotmem_shm or without an lbmethod module passes `-t` and then fails at start (AH01177, AH02432: g3, g4). With mod_proxy_http on 2.4.47 or later, mod_proxy_wstunnel is not needed (d1, k1, k2), and mod_proxy_wstunnel alone serves ws:// too (d9). A lone vhost file (no LoadModule lines, not in a Debian tree) gets its modules elsewhere and is not checked; neither is a file that Includes others, which may load them.",
    versions:
      "All 2.4 releases. Below 2.4.47 (--apache-version), ws:// and wss:// need mod_proxy_wstunnel: mod_proxy_http does not tunnel WebSockets there.",
    fix:
      "Safe: adds the LoadModule line(s) after the last LoadModule of the file, with the same indentation and the directory the other lines use (else /usr/lib/apache2/modules/), preceded by any module it must load after (mod_proxy for its submodules). For ws:// it adds mod_proxy_http on 2.4.47+ and mod_proxy_wstunnel below; for balancer:// mod_lbmethod_byrequests. In a Debian tree there is no LoadModule to add in the file: the message names the `a2enmod` command and there is no fix.",
    cases: ["d1", "d2", "d9", "g1", "g2", "g3", "g4", "g5", "g6", "g9", "i2", "i3", "k1", "k2"],
  },
  check(ctx) {
    const { server, file } = ctx;
    if (!server.managesModules) return [];
    // Modules loaded by an included file are not visible here (a Debian tree's mods-enabled/ is).
    if (!server.debianRoot) {
      for (const d of directives(file)) if ((d.key === "include" || d.key === "includeoptional") && isLive(d, ctx)) return [];
    }

    const groups = new Map<string, Need[]>();
    for (const need of collectNeeds(ctx)) {
      if (need.anyOf.some((m) => server.isLoaded(m))) continue;
      const key = need.anyOf.join("|");
      const list = groups.get(key) ?? [];
      list.push(need);
      groups.set(key, list);
    }
    const lines = loadModuleLines(file);
    const point = insertionPoint(file, lines);
    const out: Report[] = [];
    for (const [, uses] of groups) {
      const first = uses[0]!;
      const names = alternatives(first.anyOf.length > 2 ? [first.anyOf[0]!] : first.anyOf);
      const which = first.anyOf.length > 2 ? `an lbmethod module such as ${names}` : names;
      const neither = first.anyOf.length === 1 ? "which is not" : first.anyOf.length === 2 ? "and neither is" : "and none is";
      const add = moduleByName(first.anyOf[0]!) as ModuleInfo;
      const report: Report = { message: "", start: first.start, end: first.end };
      if (uses.length > 1) report.related = uses.slice(1).map((u) => ({ start: u.start, end: u.end, message: `${u.what.replace(/^The /, "the ")} needs it too` }));
      if (server.debianRoot) {
        report.message = `${first.what} needs ${which}, ${neither} enabled in ${server.debianRoot}/mods-enabled: ${first.effect}; run \`a2enmod ${add.name}\`.`;
      } else {
        report.message = `${first.what} needs ${which}, ${neither} loaded: ${first.effect}.`;
        if (point) {
          const mods = modulesToAdd(add, (m) => server.isLoaded(m));
          const dir = moduleDirFor(file, lines, server);
          report.fix = {
            safety: "safe",
            title: `Load ${mods.map((m) => modName(m.name)).join(" and ")}`,
            edits: [{ start: point.at, end: point.at, text: insertionText(file, point, mods.map((m) => loadModuleText(m, dir))) }],
          };
        }
      }
      out.push(report);
    }
    return out;
  },
});
