import type { Directive, Section } from "../grammar/index.js";
import { defineRule, type Report } from "../src/core/rule.js";
import { directiveInfo, loadableProviders, sectionInfo } from "../src/apache/directives.js";
import { moduleByName, type ModuleInfo } from "../src/apache/modules.js";
import { BACKEND_KEYS, backends, schemeOf } from "../src/apache/proxy.js";
import { ConditionVerdicts, CONDITIONS_FACT } from "../src/apache/conditions.js";
import { CONDITIONAL_SECTIONS } from "../src/apache/scope.js";
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

/** Every scheme schemeNeeds knows: a backend URL can only need something through one of them. */
const SCHEMES = ["ws", "wss", "http", "https", "balancer", "ajp", "fcgi", "scgi", "uwsgi", "h2c", "h2", "ftp"];

const LB_DIRECTIVES = new Set(["proxyset", "proxypass", "proxypassmatch", "balancermember"]);

/** Whether a line holds a pattern; asked for lines in text order. */
interface Hits {
  within(start: number, end: number): boolean;
}

/**
 * A pattern searched on the first physical line from `start` only: a sticky
 * regex that starts with `[^\n]*?` cannot run past the line. (A logical line
 * that goes on after a continuation has a `\`, and such lines are always read.)
 */
function lineHits(text: string, re: RegExp): Hits {
  return {
    within(start) {
      re.lastIndex = start;
      return re.test(text);
    },
  };
}

/** Lines with a `\\`: the next one found is kept, so a file without any is searched once. */
function backslashHits(text: string): Hits {
  let next = -2;
  return {
    within(start, end) {
      if (next !== -1 && next < start) next = text.indexOf("\\", start);
      return next !== -1 && next < end;
    },
  };
}

const isSchemeChar = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 43 || c === 46 || c === 45;

/**
 * Where a URL of one of `schemes` (lower-case) may be: a `://` right after one
 * of them, in any case. The next `://` found is kept, so lines without one
 * cost no new search until the walk passes it.
 */
function schemeHits(text: string, schemes: readonly string[]): Hits {
  const longest = Math.max(...schemes.map((sc) => sc.length));
  const isWanted = (k: number) => {
    let b = k;
    let upper = false;
    while (b > 0 && k - b <= longest) {
      const c = text.charCodeAt(b - 1);
      if (!isSchemeChar(c)) break;
      if (c >= 65 && c <= 90) upper = true;
      b--;
    }
    const len = k - b;
    if (len === 0 || len > longest) return false;
    for (const sc of schemes) {
      if (sc.length === len && (text.startsWith(sc, b) || (upper && text.slice(b, k).toLowerCase() === sc))) return true;
    }
    return false;
  };
  let next = -2;
  return {
    within(start, end) {
      if (next !== -1 && next < start) next = text.indexOf("://", start);
      while (next !== -1 && next < end) {
        if (isWanted(next)) return true;
        next = text.indexOf("://", next + 3);
      }
      return false;
    },
  };
}

const modName = (m: string) => `mod_${m}`;
const lowerFirst = (s: string) => (s.startsWith("Apache") ? s : s[0]!.toLowerCase() + s.slice(1));
const alternatives = (anyOf: readonly string[]) => anyOf.map(modName).join(" or ");

export default defineRule({
  id: "module-not-loaded",
  // its first id, from when it knew the WebSocket proxy's modules only
  aliases: ["websocket-module-missing"],
  severity: "error",
  category: "correctness",
  severities: ["error", "warning"],
  description: "A directive or backend scheme used without the module that provides it",
  fixable: "safe",
  doc: {
    problem:
      "A whole server config (named httpd.conf or apache2.conf, or one that loads an MPM, or a file of a Debian tree with mods-enabled/) does not load a module a feature it uses needs: a ws:// or wss:// backend without mod_proxy_http (2.4.47+) or mod_proxy_wstunnel; balancer:// without mod_proxy_balancer, mod_slotmem_shm and an lbmethod module; https://, wss:// or SSLProxyEngine without mod_ssl; <Proxy>/ProxyPass without mod_proxy; any directive (RewriteEngine …) whose module is not loaded.",
    bad: "LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so\nLoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so\n<VirtualHost *:80>\n    ProxyPass /ws/ ws://127.0.0.1:3000/ws/\n</VirtualHost>",
    good: "LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so\nLoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so\nLoadModule proxy_http_module /usr/lib/apache2/modules/mod_proxy_http.so\n<VirtualHost *:80>\n    ProxyPass /ws/ ws://127.0.0.1:3000/ws/\n</VirtualHost>",
    why:
      "A directive of a module that is not loaded stops Apache (`Invalid command 'RewriteEngine'`, `'<Proxy'`, `'SSLProxyEngine'`: g1, g5, i3). A backend scheme without its handler passes `apache2 -t` and the server starts, but every request to it gets 500 `AH01144 No protocol handler was valid for the URL` (d2, g2, i2); A RewriteRule [P] without mod_proxy gets 403 AH00669 (g9): rewrite-flags-malformed reports the flag, and this rule the scheme handler the target needs, whose fix brings mod_proxy in first. mod_proxy_balancer without mod_slotmem_shm or without an lbmethod module passes `-t` and then fails at start (AH01177, AH02432: g3, g4). With mod_proxy_http on 2.4.47 or later, mod_proxy_wstunnel is not needed (d1, k1, k2), and mod_proxy_wstunnel alone serves ws:// too (d9). A lone vhost file (not in a Debian tree) gets its modules elsewhere and is not checked, and neither is a fragment that loads a module or two itself (a conf.d/ file such as the WebSocket tutorial's CentOS lines): only a whole server config lists every module it has. A file that Includes others, which may load modules, is not checked either. A site or conf file of a Debian tree that is not enabled yet is checked as it will be once a2ensite or a2enconf enables it, with a warning that names that command.",
    versions:
      "All 2.4 releases. Below 2.4.47 (--apache-version), ws:// and wss:// need mod_proxy_wstunnel: mod_proxy_http does not tunnel WebSockets there.",
    fix:
      "Safe: adds the LoadModule line(s) after the last LoadModule of the file, with the same indentation and the directory the other lines use (else /usr/lib/apache2/modules/), preceded by any module it must load after (mod_proxy for its submodules). For ws:// it adds mod_proxy_http on 2.4.47+ and mod_proxy_wstunnel below; for balancer:// mod_lbmethod_byrequests. In a Debian tree there is no LoadModule to add in the file: the message names the `a2enmod` command and there is no fix.",
    cases: ["d1", "d2", "d9", "g1", "g2", "g3", "g4", "g5", "g6", "g9", "i2", "i3", "k1", "k2"],
  },
  create(ctx) {
    const { server, file, facts } = ctx;
    if (!server.managesModules) return {};
    // Whether Apache reads a line: false inside an <IfModule> (or <IfDirective>, <IfSection>)
    // whose test fails with the modules this server loads (g6, m17): what such a body uses is
    // not needed. The evaluation is the one every rule shares (src/apache/conditions.ts).
    const verdicts = facts.shared(CONDITIONS_FACT, (f) => new ConditionVerdicts(f, { server }));
    // Modules loaded by an included file are not visible here (a Debian tree's mods-enabled/ is).
    if (!server.debianRoot) {
      for (const key of ["include", "includeoptional"]) {
        if (!file.table.names.includes(key)) continue;
        const rows = facts.directiveRows(key);
        for (let i = 0; i < rows.length; i++) if (verdicts.isRead(rows[i]!)) return {};
      }
    }
    const t = file.table;
    const text = file.text;
    const unmet = (anyOf: readonly string[]) => !anyOf.some((m) => server.isLoaded(m));
    const wsViaHttp = atLeast(ctx.apacheVersion, PROXY_HTTP_UPGRADE);

    // Needs the server already meets are dropped before anything is built: a large config has
    // a need on nearly every line, and nearly all of them are met. So only the names whose
    // module is missing get a handler.
    const needs: Need[] = [];
    const directiveNeed = new Map<string, readonly string[]>();
    const sectionNeed = new Map<string, readonly string[]>();
    for (const name of t.names) {
      const d = directiveInfo(name);
      const dp = d ? loadableProviders(d) : null;
      if (dp && unmet(dp)) directiveNeed.set(name, dp);
      const s = sectionInfo(name);
      const sp = s ? loadableProviders(s) : null;
      if (sp && unmet(sp)) sectionNeed.set(name, sp);
    }
    // A backend URL needs something only through a scheme whose handler (or lbmethod) is missing:
    // lines that name none of them are not read further.
    const unmetSchemes = SCHEMES.filter((sc) => schemeNeeds(sc, wsViaHttp).some((n) => unmet(n.anyOf)) || (sc === "balancer" && unmet(LBMETHODS)));
    const mayNeed = unmetSchemes.length ? schemeHits(text, unmetSchemes) : null;
    // Does the line's text name one of them? Native searches bounded by the line (or kept for the
    // lines after it), no character loop. A `\\` (an escape, a continuation) may hide a name from
    // a plain search: such lines are always read.
    const backslash = backslashHits(text);
    let escapedRow = -1;
    let escaped = false;
    const names = (d: Directive, hits: Hits) => {
      if (escapedRow !== d.row) [escapedRow, escaped] = [d.row, backslash.within(d.start, d.end)];
      return escaped || hits.within(d.start, d.end);
    };
    const LB = lineHits(text, /[^\n]*?lbmethod=/iy);
    // the row's backend, read once for all the rules that ask (src/apache/proxy.ts)
    const refs = backends(facts);

    // the open sections' "is the body read", innermost last (the file's top is read)
    const read: boolean[] = [true];
    const live = () => read[read.length - 1]!;
    let explicitLb = false;
    const balancers: { start: number; end: number }[] = [];

    const onDirective = (d: Directive) => {
      if (!live()) return;
      const providers = directiveNeed.get(d.key);
      if (providers) needs.push({ anyOf: providers, what: d.name, effect: `Apache refuses to start (Invalid command '${d.name}')`, start: d.start, end: d.end });
      if (LB_DIRECTIVES.has(d.key) && names(d, LB)) {
        for (const a of d.args) {
          const m = /^lbmethod=(\w+)$/i.exec(a.value);
          if (!m) continue;
          explicitLb = true;
          const mod = `lbmethod_${m[1]!.toLowerCase()}`;
          if (moduleByName(mod)) needs.push({ anyOf: [mod], what: `${d.name} ${a.value}`, effect: "Apache refuses to start (unknown lbmethod)", start: a.start, end: a.end });
        }
      }
      if (mayNeed && names(d, mayNeed)) {
        const ref = refs.of(d);
        if (!ref) return;
        const at = { start: ref.url.start, end: ref.url.end };
        // RewriteRule [P] without mod_proxy (g9) is rewrite-flags-malformed's finding; the scheme's
        // handler below still brings mod_proxy in, as the module it must load after.
        // unix:/path|http://host/ names its real scheme after the `|`
        const url = ref.url.value.replace(/^unix:[^|]*\|/i, "");
        // `wss:/host` is no URL to Apache (proxy-url-malformed): no scheme handler is involved until it is fixed
        const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? schemeOf(url) : null;
        if (!scheme) return;
        for (const need of schemeNeeds(scheme, wsViaHttp)) if (unmet(need.anyOf)) needs.push({ ...need, what: `The ${scheme}:// backend`, ...at });
        // whether an lbmethod is named anywhere is known at the end
        if (scheme === "balancer") balancers.push(at);
      }
    };
    const directive: Record<string, (d: Directive) => void> = {};
    for (const key of [...directiveNeed.keys(), ...LB_DIRECTIVES, ...(mayNeed ? BACKEND_KEYS : [])]) directive[key] = onDirective;

    const enter: Record<string, (s: Section) => void> = {};
    const exit: Record<string, (s: Section) => void> = {};
    for (const key of CONDITIONAL_SECTIONS) {
      enter[key] = (s) => void read.push(live() && verdicts.verdict(s) !== false);
      exit[key] = () => void read.pop();
    }
    for (const [key, providers] of sectionNeed) {
      const conditional = enter[key];
      enter[key] = (s) => {
        // a section is judged where it stands, before its own test applies to its body
        if (live()) needs.push({ anyOf: providers, what: `<${s.name}>`, effect: `Apache refuses to start (Invalid command '<${s.name}')`, start: s.open.start, end: s.open.end });
        conditional?.(s);
      };
    }

    return {
      directive,
      enter,
      exit,
      end() {
        if (!explicitLb) {
          for (const at of balancers) {
            needs.push({ anyOf: LBMETHODS, what: "The balancer:// backend", effect: "Apache fails at start (AH02432 Cannot find LB Method: byrequests); apache2 -t does not notice", ...at });
          }
        }
        // reported at the first use in the file
        needs.sort((a, b) => a.start - b.start);
        for (const r of reportsFor(needs)) ctx.report(r);
      },
    };

    function reportsFor(sorted: readonly Need[]): Report[] {
      const groups = new Map<string, Need[]>();
      for (const need of sorted) {
        if (need.anyOf.some((m) => server.isLoaded(m))) continue;
        const key = need.anyOf.join("|");
        const list = groups.get(key) ?? [];
        list.push(need);
        groups.set(key, list);
      }
      const out: Report[] = [];
      if (groups.size === 0) return out;
      const lines = facts.shared("server/loadmodule-lines", () => loadModuleLines(file));
      const point = insertionPoint(file, lines);
      for (const [, uses] of groups) {
        const first = uses[0]!;
        const names = alternatives(first.anyOf.length > 2 ? [first.anyOf[0]!] : first.anyOf);
        const which = first.anyOf.length > 2 ? `an lbmethod module such as ${names}` : names;
        const neither = first.anyOf.length === 1 ? "which is not" : first.anyOf.length === 2 ? "and neither is" : "and none is";
        const add = moduleByName(first.anyOf[0]!) as ModuleInfo;
        const report: Report = { message: "", start: first.start, end: first.end };
        if (uses.length > 1) report.related = uses.slice(1).map((u) => ({ start: u.start, end: u.end, message: `${u.what.replace(/^The /, "the ")} needs it too` }));
        if (server.debianRoot && server.notYetEnabled) {
          // Apache does not read the file yet: it fails the day the file is enabled, a warning today
          report.severity = "warning";
          report.message = `${first.what} needs ${which}, ${neither} enabled in ${server.debianRoot}/mods-enabled: once \`${server.notYetEnabled}\` enables this file, ${lowerFirst(first.effect)}; run \`a2enmod ${add.name}\` first.`;
        } else if (server.debianRoot) {
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
    }
  },
});
