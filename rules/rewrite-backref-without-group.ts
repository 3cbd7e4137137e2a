import type { Argument, Directive } from "../grammar/index.js";
import { backendOf } from "../src/apache/proxy.js";
import {
  captureGroupCount,
  condRunStart,
  expansions,
  hasFlag,
  rewriteCondParts,
  valueOffsets,
  type Expansion,
  type RewriteCondParts,
} from "../src/apache/rewrite.js";
import { defineRule, type Fix, type Report } from "../src/core/rule.js";
import { enclosing, isPerDirectory } from "../src/apache/scope.js";

/** Patterns that match everything and capture nothing: the only ones the fix rewrites. */
const MATCH_ALL = new Set([".*", "^.*", ".*$", "^.*$"]);

/** RewriteCond patterns that are not regular expressions: they never set %N (mod_rewrite.c cmd_rewritecond). */
const NON_REGEX_COND = /^(?:-[fsdxhlLUF]$|-(?:lt|le|gt|ge|eq|ne).|[<>=])/;

interface Backref {
  arg: Argument;
  sigil: "$" | "%";
  n: number;
  start: number;
  end: number;
}

type Ref = Extract<Expansion, { kind: "backref" }>;

/** Back-references `$N` or `%N` (N ≥ 1) in a value, not yet located. */
function refsIn(value: string, sigil: "$" | "%"): Ref[] {
  if (!value.includes(sigil)) return [];
  const out: Ref[] = [];
  for (const x of expansions(value)) if (x.kind === "backref" && x.n > 0 && x.sigil === sigil) out.push(x);
  return out;
}

/** The back-references of `arg` above `groups`, located in the file (its offsets are worked out only for them). */
function beyond(arg: Argument, refs: readonly Ref[], groups: number): Backref[] {
  let offsets: number[] | undefined;
  const out: Backref[] = [];
  for (const b of refs) {
    if (b.n <= groups) continue;
    offsets ??= valueOffsets(arg);
    out.push({ arg, sigil: b.sigil, n: b.n, start: offsets[b.start]!, end: offsets[b.end - 1]! + 1 });
  }
  return out;
}

/** Back-references above `groups` with the given sigil, located in the file. */
function backrefs(arg: Argument, sigil: "$" | "%", groups: number): Backref[] {
  return beyond(arg, refsIn(arg.value, sigil), groups);
}

function groupsPhrase(n: number): string {
  return n === 0 ? "no capture group" : `only ${n} capture group${n === 1 ? "" : "s"}`;
}

/** What `%N` refers to: the groups of the last positive regex RewriteCond, or null when that depends on run-time order ([OR]) or cannot be counted. */
function condGroups(conds: readonly RewriteCondParts[]): { groups: number; pattern: string | null } | null {
  if (conds.some((c) => hasFlag(c, "ornext"))) return null;
  for (let i = conds.length - 1; i >= 0; i--) {
    const c = conds[i]!;
    const p = c.condPattern.value;
    if (c.testString.value.toLowerCase() === "expr" || p.startsWith("!") || NON_REGEX_COND.test(p)) continue;
    const groups = captureGroupCount(p);
    return groups === null ? null : { groups, pattern: p };
  }
  return { groups: 0, pattern: null };
}

/** The regex a ProxyPassMatch applies: its own first argument, or the enclosing <LocationMatch> / <Location ~>. */
function proxyMatchRegex(d: Directive, path: Argument | null): string | null {
  if (path) return path.value;
  const loc = enclosing(d, ["locationmatch", "location"]);
  if (!loc) return null;
  if (loc.key === "locationmatch") return loc.args[0]?.value ?? null;
  return loc.args[0]?.value === "~" ? (loc.args[1]?.value ?? null) : null;
}

function patternFix(pattern: Argument, perDir: boolean): Fix {
  const replacement = perDir ? "^(.*)$" : "^/?(.*)";
  const q = pattern.quote ?? "";
  return {
    safety: "unsafe",
    title: `Capture the path: replace the pattern \`${pattern.value}\` with \`${replacement}\``,
    edits: [{ start: pattern.start, end: pattern.end, text: `${q}${replacement}${q}` }],
  };
}

export default defineRule({
  id: "rewrite-backref-without-group",
  severity: "warning",
  category: "correctness",
  description: "`$N`/`%N` back-reference with no matching capture group",
  fixable: "unsafe",
  doc: {
    problem:
      "A RewriteRule substitution uses `$N` for the N-th capture group of its pattern and `%N` for the N-th group of the " +
      "last matched RewriteCond; ProxyPassMatch uses `$N` for its own regex. When the pattern has fewer than N groups " +
      "(`.*` has none), the reference is silently replaced by an empty string.",
    bad: 'RewriteRule .* "ws://127.0.0.1:3000/$1" [P,L]',
    good: 'RewriteRule ^/?(.*) "ws://127.0.0.1:3000/$1" [P,L]',
    why:
      "Apache raises no error: `$1` expands to nothing and the request goes on. In case b2 the backend received `/` " +
      "instead of `/ws/chat`, while the WebSocket handshake still returned 101, so the mistake only shows up as a wrong " +
      "path at the backend. Groups are counted by parsing the pattern with regexpp; a pattern using PCRE-only syntax it " +
      "cannot read (`(?i)`, possessive quantifiers, `\\Q\u2026\\E`) is skipped rather than guessed at. A negated pattern " +
      "(`!\u2026`) captures nothing. `%N` is checked against the last RewriteCond with a (non-negated) regex, the one whose " +
      "groups mod_rewrite keeps, and skipped when an `[OR]` makes that depend on the request. `$N` in the RewriteCond test " +
      "strings of the rule is checked against the rule's pattern too. A `%` meant literally (`%2F`) must be written `\\%2F` " +
      "in a substitution, or it is a back-reference.",
    versions: "All 2.4 releases.",
    fix:
      "Unsafe (it changes what the rule matches and sends): only when the pattern is `.*` (or `^.*`, `.*$`, `^.*$`) and " +
      "the substitution uses `$1` alone, the pattern becomes `^/?(.*)` in server and virtual-host context (the path " +
      "without its leading slash, as in Apache's own WebSocket example) or `^(.*)$` in `.htaccess`, `<Directory>` and " +
      "`<Location>`, where mod_rewrite has already stripped the prefix. Other cases are reported without a fix.",
    cases: ["b2", "g8", "m28"],
  },
  create(ctx) {
    const { file, facts } = ctx;
    // the RewriteConds read since the last RewriteRule, in order: a condition
    // applies only to the next RewriteRule (condRunStart says which of them do)
    let pending: Directive[] = [];
    // do any pending conditions have `$` in their test string
    let pendingDollar = false;

    const ruleReports = (d: Directive, conds: readonly Directive[], condDollar: boolean) => {
      const args = d.args;
      if (args.length < 2) return;
      const pattern = args[0]!;
      const substitution = args[1]!;
      const subDollar = substitution.value.includes("$");
      const subPercent = substitution.value.includes("%");
      // every finding is about a `$N` or `%N`: without them there is nothing to look at
      if (!subDollar && !subPercent && !condDollar) return;
      let mine = conds;
      if (conds.length) {
        const start = condRunStart(file, facts.parentRows, d.row);
        if (conds[0]!.row < start) mine = conds.filter((c) => c.row >= start);
      }
      const raw = pattern.value;
      const negated = raw.startsWith("!");
      const related = (message: string) => [{ start: pattern.start, end: pattern.end, message }];
      if (subDollar || (condDollar && mine.length)) {
        const groups = negated ? 0 : captureGroupCount(raw);
        const why = () => (negated ? `the pattern \`${raw}\` is negated, so it captures nothing` : `the pattern \`${raw}\` has ${groupsPhrase(groups ?? 0)}`);
        if (groups !== null) {
          const subst = subDollar ? refsIn(substitution.value, "$") : [];
          const missing = beyond(substitution, subst, groups);
          if (missing.length) {
            const fixable = !negated && MATCH_ALL.has(raw) && subst.every((b) => b.n === 1);
            missing.forEach((b, i) => {
              const r: Report = {
                message: `\`$${b.n}\` in the RewriteRule substitution expands to an empty string: ${why()}.`,
                start: b.start,
                end: b.end,
                related: related("the pattern"),
              };
              if (fixable && i === 0) r.fix = patternFix(pattern, isPerDirectory(d, ctx.fileKind));
              ctx.report(r);
            });
          }
          if (condDollar) {
            for (const c of mine) {
              const test = c.args[0]!;
              if (!test.value.includes("$")) continue;
              for (const b of backrefs(test, "$", groups)) {
                ctx.report({
                  message: `\`$${b.n}\` in the RewriteCond test string expands to an empty string: ${why()} (the RewriteRule's pattern is matched first and feeds \`$N\`).`,
                  start: b.start,
                  end: b.end,
                  related: related("the RewriteRule pattern"),
                });
              }
            }
          }
        }
      }
      if (!subPercent) return;
      const percent = refsIn(substitution.value, "%");
      if (percent.length === 0) return;
      const condParts = mine.map((c) => rewriteCondParts(c)!);
      const cg = condGroups(condParts);
      if (!cg) return;
      for (const b of beyond(substitution, percent, cg.groups)) {
        const reason =
          cg.pattern === null
            ? mine.length === 0
              ? "no RewriteCond precedes this RewriteRule"
              : "no RewriteCond of this rule has a (non-negated) regular expression"
            : `the last RewriteCond pattern \`${cg.pattern}\` has ${groupsPhrase(cg.groups)}`;
        ctx.report({
          message: `\`%${b.n}\` in the RewriteRule substitution expands to an empty string: ${reason} (write \`\\%\` for a literal percent sign).`,
          start: b.start,
          end: b.end,
        });
      }
    };

    return {
      directive: {
        rewritecond(d) {
          const args = d.args;
          // rewriteCondParts: a condition needs a test string and a pattern
          if (args.length < 2) return;
          pending.push(d);
          if (!pendingDollar && args[0]!.value.includes("$")) pendingDollar = true;
        },
        rewriterule(d) {
          const conds = pending;
          const condDollar = pendingDollar;
          if (conds.length) pending = [];
          pendingDollar = false;
          ruleReports(d, conds, condDollar);
        },
        proxypassmatch(d) {
          const ref = backendOf(d);
          if (!ref || ref.url.value === "!") return;
          if (!ref.url.value.includes("$")) return;
          const regex = proxyMatchRegex(d, ref.path);
          const groups = regex === null ? null : captureGroupCount(regex);
          if (groups === null) return;
          for (const b of backrefs(ref.url, "$", groups)) {
            ctx.report({
              message: `\`$${b.n}\` in the ProxyPassMatch URL expands to an empty string: the pattern \`${regex}\` has ${groupsPhrase(groups)}.`,
              start: b.start,
              end: b.end,
            });
          }
        },
      },
    };
  },
});
