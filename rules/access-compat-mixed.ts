// 2.2's access control (mod_access_compat: Order, Allow, Deny, Satisfy) next
// to 2.4's Require in one context. Both modules vote, and with the default
// `Satisfy All` a deny from either one wins: a `Require all granted` added
// during the upgrade does not open what `Deny from all` closes (measured on
// 2.4.71: 403, AH01797 "client denied by server configuration").
import type { Directive, Section } from "../grammar/index.js";
import { defineRule, type Fix, type TextEdit } from "../src/core/rule.js";

const COMPAT = ["order", "allow", "deny", "satisfy"] as const;
const FALLBACK: ReadonlySet<string> = new Set(["ifmodule", "ifversion"]);

/** The 2.2 lines of one context and whether it also has a Require. */
interface Context {
  compat: Directive[];
  require: { start: number; end: number } | null;
}

const words = (d: Directive) => d.args.map((a) => a.value.toLowerCase()).join(" ");

/** The one Require line the context's 2.2 lines amount to, when they are one of the two common forms. */
function requireEquivalent(lines: readonly Directive[]): { keep: Directive; text: string } | null {
  const forms = lines.map((d) => `${d.key} ${words(d)}`);
  const order = forms.filter((f) => f.startsWith("order ")).length;
  if (order > 1 || forms.length > 2) return null;
  const has = (f: string) => forms.includes(f);
  if (forms.length === 2 && has("order allow,deny") && has("allow from all")) return { keep: lines.find((d) => d.key === "allow")!, text: "Require all granted" };
  const deny = lines.find((d) => d.key === "deny");
  if (deny && has("deny from all") && (forms.length === 1 || has("order allow,deny") || has("order deny,allow"))) return { keep: deny, text: "Require all denied" };
  return null;
}

export default defineRule({
  id: "access-compat-mixed",
  severity: "warning",
  category: "migration",
  description: "2.2 `Order`/`Allow`/`Deny`/`Satisfy` mixed with 2.4 `Require`, or a 2.2 form with a one-line Require equivalent",
  fixable: "unsafe",
  doc: {
    problem:
      "A context that keeps the 2.2 access lines (`Order`, `Allow`, `Deny`, `Satisfy`, from mod_access_compat) and also " +
      "has a 2.4 `Require`: the two are not one rule set, each module decides, and the result surprises. A context with " +
      "only `Order allow,deny` + `Allow from all`, or `Deny from all`, is reported too: it is one `Require` line in 2.4.",
    bad: '<Directory "/srv/www">\n    Order deny,allow\n    Deny from all\n    Require all granted\n</Directory>',
    good: '<Directory "/srv/www">\n    Require all granted\n</Directory>',
    why:
      "Measured live on 2.4.71 with mod_access_compat, mod_authz_core and mod_authz_host loaded: `Order deny,allow` + " +
      "`Deny from all` + `Require all granted` answered 403, and so did `Order allow,deny` (no Allow) + `Require all " +
      "granted`, each logging `[access_compat:error] … AH01797: client denied by server configuration: …`; " +
      "`Order allow,deny` + `Allow from all` + `Require all granted` answered 200, as did `Order allow,deny` + `Allow " +
      "from all` alone; `Deny from all` alone answered 403 (AH01797). The Require line does not override the 2.2 lines: " +
      "with `Satisfy All` (the default) access_compat's refusal stands, which is the \"client denied\" (AH01797, and " +
      "AH01630 when a Require refuses) of upgraded servers.",
    versions: "Every 2.4 release (mod_access_compat is the 2.2 compatibility module).",
    fix:
      "Unsafe, for a context with no Require whose 2.2 lines are exactly `Order allow,deny` + `Allow from all` (becomes " +
      "`Require all granted`) or `Deny from all`, alone or after an `Order` (becomes `Require all denied`). Unsafe because " +
      "access from other contexts merges differently under Require (AuthMerging) than under Order/Allow. Mixed contexts " +
      "get no fix: which of the two was meant is for a person to decide.",
  },
  create(ctx) {
    const { facts, file } = ctx;
    // a file without 2.2 access lines has nothing to report: no handler at all
    if (!COMPAT.some((k) => facts.has(k))) return {};
    const byParent = new Map<number, Context>();
    const at = (d: Directive) => {
      const p = facts.parentRows[d.row]!;
      let c = byParent.get(p);
      if (!c) byParent.set(p, (c = { compat: [], require: null }));
      return c;
    };
    const compat = (d: Directive) => void at(d).compat.push(d);
    const directive: Record<string, (d: Directive) => void> = {
      require(d) {
        const c = at(d);
        c.require ??= d;
      },
    };
    for (const k of COMPAT) directive[k] = compat;
    // <RequireAll> and its kin are Require lines of the context they stand in
    const requireSection = (s: Section) => {
      const p = facts.parentRows[s.row]!;
      let c = byParent.get(p);
      if (!c) byParent.set(p, (c = { compat: [], require: null }));
      c.require ??= s.open;
    };
    return {
      directive,
      enter: { requireall: requireSection, requireany: requireSection, requirenone: requireSection },
      end() {
        const t = file.table;
        for (const c of byParent.values()) {
          if (c.compat.length === 0) continue;
          const first = c.compat[0]!;
          if (c.require) {
            ctx.report({
              message: `\`${first.name}\` (2.2, mod_access_compat) and \`Require\` (2.4) in one context: both decide, and a deny from either wins (Apache answers 403, "AH01797: client denied by server configuration"); keep only the Require lines.`,
              start: first.start,
              end: first.nameEnd,
              related: [{ start: c.require.start, end: c.require.end, message: "the 2.4 Require" }],
            });
            continue;
          }
          // inside <IfModule !mod_authz_core.c> or <IfVersion>: a fallback written for 2.2 servers on purpose
          if (facts.enclosingRow(first.row, FALLBACK) >= 0) continue;
          const eq = requireEquivalent(c.compat);
          if (!eq) continue;
          const edits: TextEdit[] = [];
          for (const d of c.compat) {
            if (d === eq.keep) edits.push({ start: d.start, end: d.end, text: eq.text });
            else edits.push({ start: t.from(d.row), end: t.to[d.row]!, text: "" });
          }
          const fix: Fix = { safety: "unsafe", title: `Replace the 2.2 access lines with \`${eq.text}\``, edits };
          ctx.report({ message: `2.2 access control (mod_access_compat): in 2.4 this is \`${eq.text}\`.`, start: first.start, end: first.nameEnd, fix });
        }
      },
    };
  },
});
