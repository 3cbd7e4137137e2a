// mod_rewrite keeps the RewriteConds it reads in a list of the config being
// built (the server's, or the per-directory one of the enclosing section) and
// hands the whole list to the next RewriteRule of that same config
// (cmd_rewritecond / cmd_rewriterule in mod_rewrite.c). Nothing else ends the
// list: other directives, conditional sections and even a whole <VirtualHost>
// in between leave it alone (measured on 2.4.71). A list still pending when its
// config ends is never used.
import type { Directive, Section } from "../grammar/index.js";
import { defineRule } from "../src/core/rule.js";
import { tagLabel } from "./section-unclosed.js";

/** Sections that give their body a config of its own: a new server config (VirtualHost) or a new per-directory one. */
const OWN_CONFIG: ReadonlySet<string> = new Set([
  "virtualhost",
  "directory",
  "directorymatch",
  "location",
  "locationmatch",
  "files",
  "filesmatch",
  "proxy",
  "proxymatch",
  "if",
  "elseif",
  "else",
]);

/** A macro body is only parsed where it is used, in the context of each `Use`. */
const NOT_PARSED_HERE: ReadonlySet<string> = new Set(["macro"]);

/** Directives that may pull in the RewriteRule from another file. */
const INCLUDES: ReadonlySet<string> = new Set(["include", "includeoptional"]);

interface Scope {
  owner: Section | null;
  /** rows of the RewriteConds read since the last RewriteRule of this config */
  pending: number[];
  /** an Include came after the pending conditions: the rule may be in the included file */
  included: boolean;
}

function where(scope: Scope): string {
  if (scope.owner) return `in ${tagLabel(scope.owner.open)}`;
  return "at the top level of this file";
}

export default defineRule({
  id: "rewritecond-dangling",
  severity: "warning",
  category: "correctness",
  description: "A RewriteCond with no RewriteRule after it, which Apache drops",
  fixable: "none",
  doc: {
    problem:
      "A `RewriteCond` only means something as a condition of the `RewriteRule` that follows it. A condition (or a run of " +
      "them) with no `RewriteRule` after it in the same context is ignored: it never takes effect and nobody is told. It " +
      "usually means a rule was deleted or moved, or the condition was put after the rule it was meant for. The finding " +
      "points at the first dangling condition; the others of the run are related locations.",
    bad:
      "<VirtualHost *:18080>\n" +
      "    RewriteEngine On\n" +
      "    RewriteRule ^/ws/(.*) ws://127.0.0.1:13001/ws/$1 [P,L]\n" +
      "    RewriteCond %{HTTP:Upgrade} websocket [NC]\n" +
      "</VirtualHost>",
    good:
      "<VirtualHost *:18080>\n" +
      "    RewriteEngine On\n" +
      "    RewriteCond %{HTTP:Upgrade} websocket [NC]\n" +
      "    RewriteRule ^/ws/(.*) ws://127.0.0.1:13001/ws/$1 [P,L]\n" +
      "</VirtualHost>",
    why:
      "mod_rewrite collects RewriteConds in the config being read and attaches all of them to the next RewriteRule of that " +
      "config. `apache2 -t` says Syntax OK for a condition with no rule after it, and at runtime the rule before it runs " +
      "unconditionally (case m20: the WebSocket is proxied without the Upgrade check). Which config a condition belongs " +
      "to: `<VirtualHost>` has its own server config, and `<Directory>`, `<Location>`, `<Files>`, `<Proxy>` (and their " +
      "Match forms) and `<If>`/`<ElseIf>`/`<Else>` their own per-directory config, so the end of such a section ends the " +
      "run. Conditional sections (`<IfModule>`, `<IfDefine>` \u2026) and `<Limit>` are transparent, and other directives in " +
      "between do not break it: measured on 2.4.71, a condition, then `ServerAdmin`, then a rule applies to the rule; a " +
      "condition inside `<IfModule>` applies to a rule after `</IfModule>`; a server-level condition followed by a whole " +
      "`<VirtualHost>` block still applies to the next server-level rule; a condition in one `<Directory>` block does not " +
      "reach a rule in a second block for the same path, nor one inside `<If>` a rule after `</If>`. A run followed by an " +
      "`Include` is not reported (the rule may be in the included file), nor is anything inside `<Macro>` (its body is " +
      "parsed where it is used).",
    versions: "All 2.4 releases (and 2.2); measured on 2.4.71.",
    cases: ["m20"],
  },
  create(ctx) {
    const top: Scope = { owner: null, pending: [], included: false };
    // the config of each open section that changes it (null: inside a body that is not parsed here);
    // the sections in between are transparent
    const stack: (Scope | null)[] = [];
    let current: Scope | null = top;

    const finish = (scope: Scope) => {
      const rows = scope.pending;
      if (rows.length === 0 || scope.included) return;
      const first = ctx.facts.directiveAt(rows[0]!);
      const rest = rows.slice(1).map((r) => ctx.facts.directiveAt(r));
      const show = (d: Directive) => d.text.replace(/\\\r?\n\s*/g, " ");
      const subject = rest.length ? `\`${show(first)}\` and ${rest.length} more RewriteCond after it` : `\`${show(first)}\``;
      ctx.report({
        message:
          `${subject} ${rest.length ? "have" : "has"} no RewriteRule after ${rest.length ? "them" : "it"} ${where(scope)}: ` +
          "mod_rewrite attaches conditions only to the next RewriteRule of the same context, so Apache silently drops " +
          `${rest.length ? "them" : "it"}.`,
        start: first.start,
        end: first.end,
        related: rest.map((d) => ({ start: d.start, end: d.end, message: "also dropped: no RewriteRule follows" })),
      });
    };

    const enter: Record<string, (s: Section) => void> = {};
    const exit: Record<string, (s: Section) => void> = {};
    const open = (inner: (s: Section) => Scope | null) => (s: Section) => {
      stack.push(current);
      current = current && inner(s);
    };
    const close = () => {
      if (current) finish(current);
      current = stack.pop()!;
    };
    for (const key of NOT_PARSED_HERE) {
      enter[key] = open(() => null);
      exit[key] = () => void (current = stack.pop()!);
    }
    for (const key of OWN_CONFIG) {
      enter[key] = open((s) => ({ owner: s, pending: [], included: false }));
      exit[key] = close;
    }
    const include = () => {
      if (current && current.pending.length) current.included = true;
    };
    return {
      directive: {
        rewritecond(d) {
          if (current) current.pending.push(d.row);
        },
        rewriterule() {
          if (!current) return;
          if (current.pending.length) current.pending = [];
          current.included = false;
        },
        include,
        includeoptional: include,
      },
      enter,
      exit,
      end() {
        finish(top);
      },
    };
  },
});
