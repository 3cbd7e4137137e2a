// `ProxyRequests On` makes Apache a forward proxy for anyone who can reach it,
// unless a <Proxy *> section says who may use it. Recipes add it "for
// WebSockets", which need only ProxyPass (measured on 2.4.71: a forward-proxy
// request `GET http://127.0.0.1:<port>/` is served with the backend's 200; with
// `<Proxy "*"> Require ip 127.0.0.2` it is refused with 403, AH01630).
import type { Directive, Section } from "../grammar/index.js";
import { virtualHostOf } from "../src/apache/scope.js";
import { defineRule, type RuleContext } from "../src/core/rule.js";

/** <Proxy> / <ProxyMatch> arguments that cover every forward-proxied URL. */
const EVERY_URL = new Set(["*", "http://*", ".*", "^.*", "^.*$", "."]);
/** Access-control lines of mod_authz_core, mod_access_compat and the auth modules. */
const ACCESS_DIRECTIVES = new Set(["require", "allow", "deny", "authtype", "authbasicprovider"]);
const ACCESS_SECTIONS = new Set(["requireall", "requireany", "requirenone", "limit", "limitexcept"]);

const isGrantAll = (d: Directive) => d.key === "require" && d.args.map((a) => a.value.toLowerCase()).join(" ") === "all granted";

/** Does this <Proxy *> section restrict who may use the proxy? */
function restricts(s: Section): boolean {
  for (const n of s.children) {
    if (n.kind === "directive" && ACCESS_DIRECTIVES.has(n.key) && !isGrantAll(n)) return true;
    if (n.kind === "section" && (ACCESS_SECTIONS.has(n.key) || restricts(n))) return true;
  }
  return false;
}

export default defineRule({
  id: "proxy-open-forward",
  severity: "error",
  category: "security",
  description: "`ProxyRequests On` without a `<Proxy *>` that restricts who may use it: an open proxy",
  fixable: "none",
  doc: {
    problem:
      "`ProxyRequests On` turns on forward proxying: any client that reaches the server may ask it for any URL " +
      "(`GET http://other-host/ HTTP/1.1`) and Apache fetches it. Without a `<Proxy *>` section (or `<ProxyMatch .*>`) " +
      "holding a Require, Allow/Deny or auth restriction, in the same server or the main server, it is an open proxy. " +
      "Reverse proxying, WebSockets included, needs only ProxyPass: `ProxyRequests` must stay Off for it.",
    bad: "ProxyRequests On\nProxyPass /ws/ ws://127.0.0.1:3000/ws/\n",
    good: "ProxyRequests Off\nProxyPass /ws/ ws://127.0.0.1:3000/ws/\n",
    why:
      "Measured on 2.4.71 (fixtures/rules/proxy-open-forward/measured.json): with `ProxyRequests On` alone, the " +
      "forward-proxy request `GET http://127.0.0.1:<backend>/` sent to Apache is served: 200 with the backend's body. " +
      "With `<Proxy \"*\"> Require ip 127.0.0.2 </Proxy>` the same request gets 403 and the error log says " +
      "`AH01630: client denied by server configuration: proxy:http://127.0.0.1:<backend>/`. Open proxies are found by " +
      "scanners within hours and used to relay spam and attacks, or to reach the server's internal network.",
    versions: "All Apache 2.4 versions.",
  },
  create(ctx: RuleContext) {
    if (ctx.fileKind === "htaccess") return {};
    const on: Directive[] = [];
    const guards: Section[] = [];
    const proxySection = (s: Section) => {
      const arg = s.args[0]?.value;
      if (arg !== undefined && EVERY_URL.has(arg) && restricts(s)) guards.push(s);
    };
    return {
      directive: {
        proxyrequests(d) {
          if (d.args[0]?.value.toLowerCase() === "on") on.push(d);
        },
      },
      enter: { proxy: proxySection, proxymatch: proxySection },
      end() {
        for (const d of on) {
          const vhost = virtualHostOf(d);
          // a main-server <Proxy *> also covers the virtual hosts; a virtual host's covers only itself
          if (guards.some((g) => virtualHostOf(g) === null || virtualHostOf(g) === vhost)) continue;
          ctx.report({
            message:
              "`ProxyRequests On` with no `<Proxy *>` that restricts who may use it: Apache serves any client's " +
              "`GET http://any-host/` (an open proxy). ProxyPass, WebSockets included, does not need it: set " +
              "`ProxyRequests Off`, or add `<Proxy \"*\">` with a `Require ip …` for the clients allowed.",
            start: d.start,
            end: d.end,
          });
        }
      },
    };
  },
});
