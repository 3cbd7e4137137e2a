// CVE-2023-25690: before 2.4.56, mod_proxy forwarded a rewritten URL with the
// CR/LF or spaces that a capture of the (decoded) request path brought into
// it, so a RewriteRule [P] or ProxyPassMatch that re-inserts captured request
// data into the backend URL lets a client split the proxied request in two.
// 2.4.56 refuses such URLs. Source: CHANGES 2.4.56 (src/data/version-facts.ts).
import type { Directive } from "../grammar/index.js";
import { hasFlag, rewriteRuleParts } from "../src/apache/rewrite.js";
import { atLeast, formatVersion, parseVersion } from "../src/apache/version.js";
import { defineRule } from "../src/core/rule.js";
import { RELEASES } from "../src/data/version-facts.js";

const FIXED = parseVersion(RELEASES.requestSplittingFixed)!;
/** A back-reference to the pattern (`$1`) or to a RewriteCond (`%1`), or the request's own variables. */
const CAPTURED = /[$%][0-9]|%\{(REQUEST_URI|QUERY_STRING|THE_REQUEST|PATH_INFO)\}/i;

export default defineRule({
  id: "rewrite-proxy-request-splitting",
  severity: "warning",
  category: "security",
  description: "RewriteRule [P] or ProxyPassMatch that re-inserts request data into the backend URL, below 2.4.56 (CVE-2023-25690)",
  fixable: "none",
  doc: {
    problem:
      "On Apache 2.4.0 to 2.4.55 a RewriteRule with [P] or a ProxyPassMatch whose backend URL is built from captured " +
      "parts of the request (`$1`, `%1`, `%{QUERY_STRING}`) lets a client smuggle a second request to the backend " +
      "(HTTP request splitting, CVE-2023-25690).",
    bad: 'RewriteEngine on\nRewriteRule "^/here/(.*)" "http://127.0.0.1:8080/elsewhere?$1" [P]',
    good: 'ProxyPass "/here/" "http://127.0.0.1:8080/elsewhere/"',
    why:
      "CHANGES 2.4.56, CVE-2023-25690: \"Configurations are affected when mod_proxy is enabled along with some form of " +
      "RewriteRule or ProxyPassMatch in which a non-specific pattern matches some portion of the user-supplied " +
      "request-target (URL) data and is then re-inserted into the proxied request-target using variable substitution.\" " +
      "The captured text is decoded, so `%0d%0a` in the request becomes a line break in the backend request. 2.4.56 " +
      "and later refuse the rewritten URL (this machine's 2.4.71 is not affected, so there is nothing to measure on it). " +
      "The `[B]` flag escapes the back-references and is not reported.",
    versions: "Targets 2.4.0 to 2.4.55 (--apache-version); silent from 2.4.56.",
  },
  create(ctx) {
    if (atLeast(ctx.apacheVersion, FIXED)) return {};
    const before = `on ${formatVersion(ctx.apacheVersion)} (fixed in 2.4.56)`;
    const report = (d: Directive, what: string, at: { start: number; end: number }) =>
      ctx.report({
        message: `${what} puts captured request data into the backend URL: ${before} a client can split the proxied request (CVE-2023-25690); upgrade, or map a fixed prefix with ProxyPass.`,
        start: at.start,
        end: at.end,
      });
    return {
      directive: {
        rewriterule(d) {
          // no `$` or `%` on the line: nothing captured, no need to split it into words
          const line = ctx.file.text.slice(d.nameEnd, d.end);
          if (!line.includes("$") && !line.includes("%")) return;
          const parts = rewriteRuleParts(d);
          if (!parts || !hasFlag(parts, "proxy") || hasFlag(parts, "b")) return;
          if (CAPTURED.test(parts.substitution.value)) report(d, "This RewriteRule [P]", parts.substitution);
        },
        proxypassmatch(d) {
          const url = d.args[1];
          if (url && /\$[0-9]/.test(url.value)) report(d, "This ProxyPassMatch", url);
        },
      },
    };
  },
});
