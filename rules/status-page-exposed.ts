// mod_status, mod_info and mod_proxy_balancer's manager are handlers: the
// section that sets them decides who may see them. Without a Require there,
// anyone who can reach the server reads its status, its whole configuration
// (server-info) or, worse, changes its balancers (measured on 2.4.71:
// `<Location /server-status> SetHandler server-status` answers 200 "Apache
// Status" to anyone; with `Require ip 127.0.0.2`, 403 and AH01630).
import type { Directive, Parent, Section } from "../grammar/index.js";
import { scopeOf } from "../src/apache/scope.js";
import { defineRule, type RuleContext } from "../src/core/rule.js";

/** The handlers, with what each one gives away. */
const HANDLERS: ReadonlyMap<string, string> = new Map([
  ["server-status", "the server's status (client addresses, requested URLs)"],
  ["server-info", "the whole configuration, module by module"],
  ["balancer-manager", "a page that changes the balancers' members and weights"],
]);
/** Lines that restrict access, from mod_authz_core, mod_access_compat and the auth modules. */
const ACCESS_DIRECTIVES = new Set(["require", "allow", "deny", "authtype"]);
const ACCESS_SECTIONS = new Set(["requireall", "requireany", "requirenone"]);

const isGrantAll = (d: Directive) => d.key === "require" && d.args.map((a) => a.value.toLowerCase()).join(" ") === "all granted";

/** Does `scope` itself (its conditionals included) restrict access? */
function restricts(scope: Parent): boolean {
  for (const n of scope.children) {
    if (n.kind === "directive" && ACCESS_DIRECTIVES.has(n.key) && !isGrantAll(n)) return true;
    if (n.kind === "section" && (ACCESS_SECTIONS.has(n.key) || ((n.key.startsWith("if") || n.key === "else") && restricts(n as Section)))) return true;
  }
  return false;
}

export default defineRule({
  id: "status-page-exposed",
  severity: "warning",
  category: "security",
  description: "`server-status`, `server-info` or `balancer-manager` handler without a `Require` restriction",
  fixable: "none",
  doc: {
    problem:
      "`SetHandler server-status`, `server-info` or `balancer-manager` in a section (or .htaccess) that has no " +
      "Require, Allow/Deny or AuthType restriction, or only `Require all granted`. Everyone who can reach the server " +
      "then sees who is requesting what (server-status), the complete configuration (server-info), or can take " +
      "backends out of a balancer (balancer-manager).",
    bad: "<Location /server-status>\n    SetHandler server-status\n</Location>\n",
    good: "<Location /server-status>\n    SetHandler server-status\n    Require local\n</Location>\n",
    why:
      "Measured on 2.4.71 (fixtures/rules/status-page-exposed/measured.json): `<Location /server-status> SetHandler " +
      "server-status </Location>` answers `GET /server-status` with 200 `<title>Apache Status</title>`; " +
      "`<Location /server-info> SetHandler server-info` with 200 `<title>Server Information</title>`; with `Require ip " +
      "127.0.0.2` in the section, 403 and `AH01630: client denied by server configuration`. Debian's status.conf and " +
      "info.conf have `Require local`: nothing is reported there.",
    versions: "All Apache 2.4 versions.",
  },
  create(ctx: RuleContext) {
    return {
      directive: {
        sethandler(d) {
          const handler = d.args[0]?.value.toLowerCase();
          const what = handler === undefined ? undefined : HANDLERS.get(handler);
          if (!what) return;
          if (restricts(scopeOf(d))) return;
          ctx.report({
            message:
              `\`SetHandler ${d.args[0]!.value}\` without a Require restriction in its section: anyone who can reach ` +
              `the server gets ${what}. Add \`Require local\` or \`Require ip <admin network>\`.`,
            start: d.args[0]!.start,
            end: d.args[0]!.end,
          });
        },
      },
    };
  },
});
