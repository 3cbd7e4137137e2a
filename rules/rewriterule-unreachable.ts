import type { Directive } from "../grammar/index.js";
import { defineRule } from "../src/core/rule.js";
import { condRunStart, hasFlag, rewriteRuleParts } from "../src/apache/rewrite.js";
import { isCatchAll, literalPrefix, patternCovers } from "../src/apache/rewrite-reading.js";

/** An earlier rule that ends processing whenever its pattern matches. */
interface Stopper {
  d: Directive;
  pattern: string;
  nocase: boolean;
  /** [R] without [L]/[END]: the later rules still run, on the absolute URL `http://host/…` */
  redirectOnly: boolean;
  flag: string;
}

/** The stoppers of one rule list (one parent section), indexed so that a later rule is checked in O(its prefix). */
interface RuleList {
  catchAll: Stopper | null;
  exact: Map<string, Stopper>;
  /** `^literal` stoppers by literal (lower-cased for [NC] ones, in `nocasePrefix`) */
  prefix: Map<string, Stopper>;
  nocasePrefix: Map<string, Stopper>;
  /** a [S=N] rule was seen: it may jump over any later rule, so no more stoppers are recorded */
  skipped: boolean;
  /** the previous rule had [C]: the next one is a chain member, applied only if it matched */
  chained: boolean;
}

// Matching an absolute `http://…`/`https://…` URL (what an [R] rule leaves): any pattern
// not anchored on a first character other than h.
const CANNOT_MATCH_URL = /^\^(?:\\.|[^\\^$.|?*+()[\]{}hH])/;

export default defineRule({
  id: "rewriterule-unreachable",
  severity: "warning",
  category: "correctness",
  description: "RewriteRule that can never apply: an earlier [L]/[END]/[R] rule without conditions matches first",
  fixable: "none",
  doc: {
    problem:
      "mod_rewrite applies the rules of a context in order. An earlier rule without RewriteCond lines, whose pattern " +
      "matches everything a later rule's pattern does, and which ends processing ([L], [END]) or turns the URL into a " +
      "redirect ([R]), takes every request the later rule could have taken: the later rule never applies. Duplicated " +
      "rules are the common case.",
    bad: "RewriteEngine on\nRewriteRule ^/old /new.html [L]\nRewriteRule ^/old/page /page.html [L]",
    good: "RewriteEngine on\nRewriteRule ^/old/page /page.html [L]\nRewriteRule ^/old /new.html [L]",
    why:
      "Measured on 2.4.71 with `LogLevel rewrite:trace3`: after `RewriteRule ^/dup /ok.html [L]`, `GET /dup` logs " +
      "`rewrite '/dup' -> '/ok.html'` and the identical rule after it is never tried. After an [R] rule without [L], " +
      "mod_rewrite goes on with the absolute URL: `applying pattern '^/red' to uri 'http://127.0.0.1:…/ok.html'`, which " +
      "a pattern anchored on `/` cannot match, while a later `.*` still does (so it is not reported). Only certain " +
      "cases are reported: the same pattern, an earlier catch-all (`^`, `.*`, `^(.*)$`), or an earlier `^literal` that " +
      "the later pattern's literal prefix extends; an earlier rule with conditions, a negated pattern, [C], [N] or [S], " +
      "a [S] rule before it, or rules in different sections are not compared.",
    versions: "All 2.4 releases.",
  },
  create(ctx) {
    const lists = new Map<number, RuleList>();
    const { file, facts } = ctx;
    const listOf = (parent: number): RuleList => {
      let l = lists.get(parent);
      if (!l) {
        l = { catchAll: null, exact: new Map(), prefix: new Map(), nocasePrefix: new Map(), skipped: false, chained: false };
        lists.set(parent, l);
      }
      return l;
    };
    const shadowing = (l: RuleList, pattern: string, nocase: boolean): Stopper | null => {
      if (!l.catchAll && l.exact.size === 0) return null;
      const usable = (s: Stopper | null | undefined): s is Stopper =>
        !!s && patternCovers(s.pattern, pattern, s.nocase, nocase) && (!s.redirectOnly || CANNOT_MATCH_URL.test(pattern));
      if (usable(l.catchAll)) return l.catchAll;
      const same = l.exact.get(pattern);
      if (usable(same)) return same;
      const lp = literalPrefix(pattern);
      if (!lp) return null;
      const lower = lp.prefix.toLowerCase();
      for (let n = lp.prefix.length; n >= 1; n--) {
        const a = l.prefix.get(lp.prefix.slice(0, n));
        if (usable(a)) return a;
        const b = l.nocasePrefix.get(lower.slice(0, n));
        if (usable(b)) return b;
      }
      return null;
    };
    return {
      directive: {
        rewriterule(d) {
          const parts = rewriteRuleParts(d);
          if (!parts) return;
          const l = listOf(facts.parentRows[d.row]!);
          const chainMember = l.chained;
          l.chained = hasFlag(parts, "chain");
          const pattern = parts.pattern.value;
          const nocase = hasFlag(parts, "nocase");
          if (!pattern.startsWith("!")) {
            const s = shadowing(l, pattern, nocase);
            if (s) {
              const line = s.d.row + 1;
              ctx.report({
                message:
                  `This RewriteRule never applies: the rule on line ${line} (\`${s.pattern}\`, [${s.flag}], no conditions) matches every path \`${pattern}\` does` +
                  (s.redirectOnly ? " and turns it into an absolute redirect URL that this pattern cannot match." : " and ends rewriting."),
                start: parts.pattern.start,
                end: parts.pattern.end,
                related: [{ start: s.d.from, end: s.d.to, message: "the rule that takes its requests" }],
              });
            }
          }
          if (hasFlag(parts, "skip")) l.skipped = true;
          if (l.skipped || chainMember || l.chained || pattern.startsWith("!")) return;
          if (hasFlag(parts, "next")) return;
          const last = hasFlag(parts, "end") ? "END" : hasFlag(parts, "last") ? "L" : null;
          const redirect = hasFlag(parts, "redirect");
          if (!last && !redirect) return;
          if (condRunStart(file, facts.parentRows, d.row) !== d.row) return;
          const s: Stopper = { d, pattern, nocase, redirectOnly: !last, flag: last ?? "R" };
          if (isCatchAll(pattern)) {
            l.catchAll ??= s;
            return;
          }
          if (!l.exact.has(pattern)) l.exact.set(pattern, s);
          const lp = literalPrefix(pattern);
          if (lp?.whole && lp.prefix) {
            const m = nocase ? l.nocasePrefix : l.prefix;
            const key = nocase ? lp.prefix.toLowerCase() : lp.prefix;
            if (!m.has(key)) m.set(key, s);
          }
        },
      },
    };
  },
});
