import type { Directive } from "../grammar/index.js";
import { atoi } from "../src/apache/c-numbers.js";
import { refusalIn } from "../src/apache/file-kind.js";
import { isPerDirectory } from "../src/apache/scope.js";
import { defineRule, type Fix, type RuleContext } from "../src/core/rule.js";

/** apr_fnmatch_test, which set_server_name asks first: `?`, `*`, or a `[` with a `]` after it; `\` escapes. */
function isPattern(v: string): boolean {
  let open = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v[i];
    if (c === "?" || c === "*" || (c === "]" && open)) return true;
    if (c === "[") open++;
    else if (c === "\\") i++;
  }
  return false;
}

/** The port after the first `:` (behind any `scheme://`) when atoi makes it no port in 1..65535, else null. */
function badPort(v: string): string | null {
  const hostPort = v.includes("://") ? v.slice(v.indexOf("://") + 3) : v;
  const colon = hostPort.indexOf(":");
  if (colon === -1) return null;
  const port = hostPort.slice(colon + 1);
  const n = atoi(port);
  return n <= 0 || n >= 65536 ? port : null;
}

const IPV6 = /^\[[0-9a-f:.]*:[0-9a-f:.]*\](?::.*)?$|^[0-9a-f]*:[0-9a-f:.]*:[0-9a-f:.]*$/i;
const PLACEHOLDER = /^(?:<[^<>]*>|\{[^{}]*\}|[A-Z][A-Z0-9_]*)$/;

function check(ctx: RuleContext, d: Directive): void {
  const arg = d.args[0];
  // arity, a trailing comment, a ${VAR} and the context are other rules' findings
  if (d.args.length !== 1 || !arg || arg.value === "" || arg.unterminated || d.trailingCommentIndex !== -1) return;
  const v = arg.value;
  if (v.includes("${") || isPerDirectory(d, ctx.fileKind)) return;
  let what: string;
  let apache: string;
  let fix: Fix | undefined;
  const ipv6 = IPV6.test(v) ? "an IPv6 address cannot be a ServerName (in brackets it is a wildcard pattern, without them its first `:` starts the port): use a host name" : null;
  if (isPattern(v)) {
    apache = `Invalid ServerName "${v}" use ServerAlias to set multiple server names.`;
    const bare = /^\[([^[\]]+)\](:\d+)?$/.exec(v);
    if (ipv6) what = ipv6;
    else if (bare) {
      const name = bare[1]! + (bare[2] ?? "");
      what = `\`${v}\`: the brackets around the name make it a wildcard pattern, write the name without them`;
      if (!isPattern(name) && badPort(name) === null && !/\s/.test(name)) {
        const q = arg.quote ?? "";
        fix = { safety: "unsafe", title: `Replace \`${v}\` with \`${name}\``, edits: [{ start: arg.start, end: arg.end, text: `${q}${name}${q}` }] };
      }
    } else what = `\`${v}\` is a wildcard pattern (\`*\`, \`?\`, \`[…]\`), and ServerName takes one name: put patterns in ServerAlias`;
  } else {
    const port = badPort(v);
    if (port === null) return;
    apache = `The port number "${v}" is outside the appropriate range (i.e., 1..65535).`;
    if (ipv6) what = ipv6;
    else if (/^[a-z][a-z0-9+.-]*:\/(?!\/)/i.test(v)) what = `\`${v}\`: a scheme is followed by \`://\`, else what follows the \`:\` is read as the port`;
    else if (PLACEHOLDER.test(port)) what = `\`${port}\` is a placeholder, not a port number: replace the placeholder`;
    else what = port === "" ? `\`${v}\` ends in \`:\` with no port after it` : `\`${port}\` is not a port number (1-65535)`;
  }
  ctx.report({ message: `${what}: ${refusalIn(ctx.fileKind)} ("${apache}").`, start: arg.start, end: arg.end, ...(fix && { fix }) });
}

export default defineRule({
  id: "servername-invalid",
  severity: "error",
  category: "correctness",
  description: "A ServerName Apache refuses: a wildcard pattern, brackets, an IPv6 address, a port that is not a number",
  fixable: "unsafe",
  doc: {
    problem:
      "ServerName is given something other than one host name with an optional port: a name in brackets copied from a " +
      "template (`[www.example.com]`), a wildcard (`*`, `*.example.com`), an IPv6 address (`[::1]`, `::1`), a port that " +
      "is a placeholder or out of range (`www.example.com:APP_PORT`, `:0`, `:99999`, a trailing `:`).",
    bad: "ServerName [www.example.com]\n<VirtualHost *:80>\n    ServerName www.example.com:APP_PORT\n</VirtualHost>",
    good: "ServerName www.example.com\n<VirtualHost *:80>\n    ServerName www.example.com:80\n</VirtualHost>",
    why:
      "core.c's set_server_name refuses the line and apache2 -t stops. First it asks apr_fnmatch_test whether the value is " +
      "a pattern (a `*` or `?`, or a `[` with a `]` after it): then \"Invalid ServerName \\\"…\\\" use ServerAlias to set " +
      "multiple server names.\". Then, after an optional `scheme://`, everything after the first `:` is read with atoi " +
      "and must be 1..65535, else \"The port number \\\"…\\\" is outside the appropriate range (i.e., 1..65535).\" So an " +
      "IPv6 address is refused either way. Measured on 2.4.71: a scheme (`http://www.example.com`), a path " +
      "(`www.example.com/x`), an unbalanced bracket, spaces inside quotes and a port atoi reads a number from (`80abc`) " +
      "are accepted, so they are not reported. Several words or an empty `\"\"` are directive-arity's finding, the " +
      "context (`<Directory>`, .htaccess) directive-context's; a value holding `${VAR}` is left alone.",
    versions: "All 2.4 releases; measured on Debian's apache2 2.4.71.",
    fix: "Brackets around a name (`[www.example.com]`, `[www.example.com]:80`) are removed (unsafe: check that the name is the one meant). Nothing else is fixed.",
  },
  create(ctx) {
    return { directive: { servername: (d) => check(ctx, d) } };
  },
});
