// A backend host the client writes is a server-side request forgery: Apache
// connects wherever the request says, intranet and loopback included. Measured
// on 2.4.71 for %{HTTP_HOST}, %{HTTP:X-…}, a ProxyPassMatch group and an
// interpolated ${VAR} (test/apache/proxy-silent-live.test.ts).
import type { Directive } from "../grammar/index.js";
import { backends } from "../src/apache/proxy.js";
import {
  authorityExpansions,
  authorityRange,
  groupSource,
  isLiteralChoice,
  isLiteralPattern,
  isRequestAttribute,
  isRequestVariable,
} from "../src/apache/proxy-request-data.js";
import { condsOf } from "../src/apache/rewrite.js";
import { defineRule } from "../src/core/rule.js";

interface Pending {
  row: number;
  start: number;
  end: number;
  /** `${NAME}` names in the authority of an interpolated ProxyPass */
  envNames: string[];
}

export default defineRule({
  id: "proxy-target-from-request",
  severity: "error",
  category: "security",
  description: "A proxied backend host taken from the request (`%{HTTP_HOST}`, a header, a URL group): server-side request forgery",
  fixable: "none",
  doc: {
    problem:
      "A RewriteRule [P], ProxyPassMatch or `ProxyPass … interpolate` whose backend host (the part between `://` and " +
      "the next `/`) is built from the request: a `%{HTTP_HOST}`, `%{HTTP:Header}`, `%{HTTP_*}`, `%{QUERY_STRING}`, " +
      "`%{REQUEST_URI}` or `%{THE_REQUEST}` variable; a `$N` group of the URL pattern (unless the group only lists " +
      "literal words, `(app|api)`); a `%N` group of a RewriteCond that tests such a variable (unless the condition's " +
      "pattern only lists literal values); or, with `ProxyPassInterpolateEnv On`, a `${VAR}` that SetEnvIf captures " +
      "from a header. The client then chooses which host and port Apache connects to.",
    bad: "RewriteEngine on\nRewriteRule ^/api/(.*) http://%{HTTP_HOST}:8080/api/$1 [P]",
    good: "RewriteEngine on\nRewriteRule ^/api/(.*) http://127.0.0.1:8080/api/$1 [P]",
    why:
      "Measured on 2.4.71 on loopback, each with a second backend standing for an internal service: " +
      "`RewriteRule ^/p/(.*) http://%{HTTP_HOST}/$1 [P]` with a request carrying `Host: 127.0.0.1:PORT` answered 200 " +
      "with that internal backend's body; `%{HTTP:X-Backend}` did the same with an `X-Backend:` header; " +
      "`ProxyPassMatch ^/h/([^/]+)/(.*)$ http://$1/$2` proxied `/h/127.0.0.1:PORT/secret` there; and " +
      "`SetEnvIf X-Backend \"^(.+)$\" BACKEND=$1` + `ProxyPass /i/ http://${BACKEND}/ interpolate` (with " +
      "ProxyPassInterpolateEnv On) too. Apache logs nothing: each is an ordinary proxied request. Cloud metadata " +
      "endpoints, admin ports on loopback and intranet hosts are then one request away.",
    versions: "All 2.4 releases (measured on 2.4.71).",
  },
  create(ctx) {
    const refs = backends(ctx.facts);
    const pending: Pending[] = [];
    const requestEnv = new Set<string>();
    let interpolateEnv = false;
    const report = (start: number, end: number, source: string) =>
      ctx.report({
        message:
          `The backend host comes from the request (${source}): a client chooses which host and port Apache connects to, ` +
          "loopback and internal addresses included (server-side request forgery). Name the backend, or map allowed values with a RewriteMap.",
        start,
        end,
      });
    const backend = (d: Directive) => {
      const ref = refs.of(d);
      if (!ref) return;
      const value = ref.url.value;
      const range = authorityRange(value);
      if (!range) return;
      if (ref.kind === "proxypass") {
        if (!ref.params.some((p) => /^interpolate$/i.test(p.value))) return;
        const names = [...value.slice(range[0], range[1]).matchAll(/\$\{([^}]+)\}/g)].map((m) => m[1]!);
        if (names.length) pending.push({ row: d.row, start: ref.url.start, end: ref.url.end, envNames: names });
        return;
      }
      if (ref.kind !== "rewrite" && ref.kind !== "proxypassmatch") return;
      const authority = value.slice(range[0], range[1]);
      if (ref.kind === "proxypassmatch") {
        for (const m of authority.matchAll(/\$(\d)/g)) {
          const g = groupSource(ref.path?.value ?? "", Number(m[1]));
          if (g === null || !isLiteralChoice(g)) return report(ref.url.start, ref.url.end, `\`$${m[1]}\`, a group of the URL pattern`);
        }
        return;
      }
      const found = authorityExpansions(value);
      for (const e of found) {
        if (e.kind === "variable" && isRequestVariable(e.name)) return report(ref.url.start, ref.url.end, `\`%{${e.name}}\``);
        if (e.kind !== "backref") continue;
        if (e.sigil === "$") {
          const g = groupSource(ref.path?.value ?? "", e.n);
          if (e.n === 0 || g === null || !isLiteralChoice(g)) return report(ref.url.start, ref.url.end, `\`$${e.n}\`, a group of the URL pattern`);
          continue;
        }
        // %N: a group of the last matched RewriteCond; request data when a condition tests it unconstrained
        const conds = condsOf(d, ctx.facts);
        const open = conds.find((c) => /%\{(HTTP[_:][^}]*|QUERY_STRING|REQUEST_URI|THE_REQUEST)\}/i.test(c.testString.value) && !isLiteralPattern(c.condPattern.value));
        if (open) return report(ref.url.start, ref.url.end, `\`%${e.n}\`, a group of \`RewriteCond ${open.testString.value}\``);
      }
    };
    const setEnvIf = (d: Directive) => {
      const args = d.args;
      if (args.length < 3 || !isRequestAttribute(args[0]!.value)) return;
      for (const a of args.slice(2)) {
        const m = /^!?([^=]+)=(.*)$/.exec(a.value);
        if (m && /\$\d/.test(m[2]!)) requestEnv.add(m[1]!);
      }
    };
    return {
      directive: {
        proxypass: backend,
        proxypassmatch: backend,
        rewriterule: backend,
        setenvif: setEnvIf,
        setenvifnocase: setEnvIf,
        proxypassinterpolateenv(d) {
          if (/^on$/i.test(d.args[0]?.value ?? "")) interpolateEnv = true;
        },
      },
      end() {
        if (!interpolateEnv) return;
        for (const p of pending) {
          const name = p.envNames.find((n) => requestEnv.has(n));
          if (name) report(p.start, p.end, `\`\${${name}}\`, which SetEnvIf copies from the request`);
        }
      },
    };
  },
});
