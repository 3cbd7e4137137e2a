// nginx configuration pasted into Apache: nginx directive names, `{ … }`
// blocks, `;` line ends and `$variables`. One finding per line, naming the
// Apache equivalent; it supersedes the generic findings on the same line.
import type { Directive } from "../grammar/index.js";
import { DIRECTIVE } from "../grammar/line-table.js";
import { directiveInfo } from "../src/apache/directives.js";
import { defineRule, handlersFor } from "../src/core/rule.js";
import { NGINX_DIRECTIVES, NGINX_VARIABLE_WORD, nginxVariableEquivalent } from "../src/data/nginx-directives.js";

const SEMICOLON = 59;
/** Directives whose arguments carry header values, URLs or expressions, where an nginx `$variable` is pasted. */
const VALUE_DIRECTIVES: ReadonlySet<string> = new Set([
  "header", "requestheader", "proxypass", "proxypassreverse", "proxypassmatch", "rewriterule", "rewritecond",
  "redirect", "redirectmatch", "setenv", "setenvif", "setenvifnocase", "proxyset", "logformat",
]);

/** nginx directives that no Apache module defines (`listen`, `include` are both): handlers by name. */
const NGINX_ONLY: ReadonlySet<string> = new Set(Object.keys(NGINX_DIRECTIVES).filter((k) => !directiveInfo(k)));

/** Directives whose values hold `;` of their own: cookie attributes, header values, formats, messages. */
const SEMICOLON_IN_VALUE: ReadonlySet<string> = new Set([
  "sessioncookiename", "sessioncookiename2", "sessiondbdcookiename", "sessiondbdcookiename2",
  "header", "requestheader", "setenv", "setenvif", "setenvifnocase", "setenvifexpr", "errordocument",
  "logformat", "customlog", "substitute", "addoutputfilter", "addinputfilter", "setoutputfilter", "setinputfilter",
  "rewritecond", "rewriterule", "define", "options", "sslciphersuite", "sslproxyciphersuite",
]);

export default defineRule({
  id: "nginx-syntax",
  severity: "error",
  severities: ["error", "warning"],
  category: "correctness",
  supersedes: ["directive-unknown", "directive-invalid-value", "directive-number-invalid", "directive-arity"],
  description: "nginx directives, blocks, `;` or `$variables` pasted into an Apache config",
  fixable: "none",
  doc: {
    problem:
      "A snippet from an nginx tutorial in an Apache config: `location /ws { … }`, `proxy_pass`, `proxy_set_header " +
      "Upgrade $http_upgrade;`. Apache has none of these words; the finding names what Apache writes instead.",
    bad: "location /ws {\n    proxy_pass http://127.0.0.1:3000;\n    proxy_set_header Upgrade $http_upgrade;\n}",
    good: "ProxyPass /ws http://127.0.0.1:3000 upgrade=websocket",
    why:
      "Measured with `apache2 -t` on 2.4.71: `proxy_pass …`, `proxy_set_header …`, `location /ws {` and `server {` stop " +
      "the server with `Invalid command 'proxy_pass', perhaps misspelled or defined by a module not included in the server " +
      "configuration`. A `;` at the end of an Apache directive is part of its last word: `KeepAlive on;`, " +
      "`ProxyPreserveHost on;`, `RewriteEngine on;`, `LogLevel warn;` and `Listen 8080;` are refused (`KeepAlive must be On " +
      "or Off`, `Port must be specified`), while `ServerName example.com;`, `ProxyPass /ws http://127.0.0.1:3000/;`, " +
      "`Timeout 60;` and `Header set X-A b;` are accepted with the `;` in the value (a server name and a backend URL " +
      "that end in `;`). So a lone `;` is a warning, and the error for a value Apache refuses is that value's rule's " +
      "(directive-invalid-value: `KeepAlive must be On or Off`); directives whose values hold `;` of their own " +
      "(SessionCookieName attributes, Header values, LogFormat) are not judged. `RequestHeader set Upgrade $http_upgrade` " +
      "is accepted and sends the literal text `$http_upgrade`.",
    versions: "Every 2.4 release.",
  },
  create(ctx) {
    const { file, facts } = ctx;
    const text = file.text;
    const t = file.table;
    const nginxName = (d: Directive) => {
      ctx.report({
        message: `\`${d.name}\` is nginx syntax, not Apache (Apache refuses to start: "Invalid command '${d.name}', perhaps misspelled or defined by a module not included in the server configuration"); in Apache: ${NGINX_DIRECTIVES[d.key]}.`,
        start: d.start,
        end: d.nameEnd,
      });
    };
    // a `;` alone is a warning: Apache keeps it in the value (ServerName example.com;) or refuses the
    // value, which the value's own rule reports as an error (a warning supersedes no error)
    const semicolon = (d: Directive) => {
      const end = t.end[d.row]!;
      ctx.report({
        severity: "warning",
        message: `\`;\` ends lines in nginx, not in Apache: here it is part of ${d.name}'s last argument; delete it.`,
        start: end - 1,
        end,
      });
    };
    const variables = (d: Directive) => {
      // a line that ends in `;` is reported for that (end()): one finding per line
      const end = t.end[d.row]!;
      if (text.charCodeAt(end - 1) === SEMICOLON && !SEMICOLON_IN_VALUE.has(d.key)) return;
      // no `$` on the line: no need to split it into words
      if (!text.slice(d.nameEnd, end).includes("$")) return;
      for (const a of d.args) {
        if (!a.value.includes("$")) continue;
        const m = NGINX_VARIABLE_WORD.exec(a.value);
        if (!m) continue;
        const i = a.raw.indexOf(m[0]);
        const at = i >= 0 ? a.start + i : a.start;
        ctx.report({
          message: `\`${m[0]}\` is an nginx variable: Apache passes the text \`${m[0]}\` as it is; in Apache: ${nginxVariableEquivalent(m[0])}.`,
          start: at,
          end: at + m[0].length,
        });
        return;
      }
    };
    const directive = { ...handlersFor(file, NGINX_ONLY, nginxName), ...handlersFor(file, VALUE_DIRECTIVES, variables) };
    return {
      directive,
      end() {
        // a `;` at the end of any Apache directive: one pass over the line table, views only for the hits
        const kind = t.kind;
        const ends = t.end;
        const nameEnd = t.nameEnd;
        const rows: number[] = [];
        for (let r = 0; r < t.count; r++) {
          if (kind[r] !== DIRECTIVE || text.charCodeAt(ends[r]! - 1) !== SEMICOLON || ends[r]! <= nameEnd[r]!) continue;
          const key = t.names[t.key[r]!]!;
          if (NGINX_ONLY.has(key) || !directiveInfo(key) || SEMICOLON_IN_VALUE.has(key)) continue;
          rows.push(r);
        }
        for (const r of rows) semicolon(facts.directiveAt(r));
      },
    };
  },
});
