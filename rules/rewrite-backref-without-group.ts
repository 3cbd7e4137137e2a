import { directives, type Argument, type Directive } from "../grammar/index.js";
import { backendOf } from "../src/apache/proxy.js";
import {
  captureGroupCount,
  condsOf,
  expansions,
  hasFlag,
  rewriteRuleParts,
  valueOffsets,
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

/** Back-references (N ≥ 1) with the given sigils, located in the file. */
function backrefs(arg: Argument, sigils: readonly string[]): Backref[] {
  const found = expansions(arg.value).filter((x) => x.kind === "backref" && x.n > 0 && sigils.includes(x.sigil));
  if (found.length === 0) return [];
  const offsets = valueOffsets(arg);
  return found.map((x) => {
    const b = x as Extract<typeof x, { kind: "backref" }>;
    return { arg, sigil: b.sigil, n: b.n, start: offsets[b.start]!, end: offsets[b.end - 1]! + 1 };
  });
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
  check(ctx) {
    const reports: Report[] = [];
    for (const d of directives(ctx.file)) {
      if (d.key === "rewriterule") {
        const parts = rewriteRuleParts(d);
        if (!parts) continue;
        const raw = parts.pattern.value;
        const negated = raw.startsWith("!");
        const groups = negated ? 0 : captureGroupCount(raw);
        const why = negated ? `the pattern \`${raw}\` is negated, so it captures nothing` : `the pattern \`${raw}\` has ${groupsPhrase(groups ?? 0)}`;
        if (groups !== null) {
          const subst = backrefs(parts.substitution, ["$"]);
          const missing = subst.filter((b) => b.n > groups);
          const fixable = !negated && MATCH_ALL.has(raw) && subst.every((b) => b.n === 1);
          missing.forEach((b, i) => {
            const r: Report = {
              message: `\`$${b.n}\` in the RewriteRule substitution expands to an empty string: ${why}.`,
              start: b.start,
              end: b.end,
              related: [{ start: parts.pattern.start, end: parts.pattern.end, message: "the pattern" }],
            };
            if (fixable && i === 0) r.fix = patternFix(parts.pattern, isPerDirectory(d, ctx.fileKind));
            reports.push(r);
          });
        }
        const conds = condsOf(d);
        if (groups !== null) {
          for (const c of conds) {
            for (const b of backrefs(c.testString, ["$"]).filter((x) => x.n > groups)) {
              reports.push({
                message: `\`$${b.n}\` in the RewriteCond test string expands to an empty string: ${why} (the RewriteRule's pattern is matched first and feeds \`$N\`).`,
                start: b.start,
                end: b.end,
                related: [{ start: parts.pattern.start, end: parts.pattern.end, message: "the RewriteRule pattern" }],
              });
            }
          }
        }
        const cg = condGroups(conds);
        if (cg) {
          for (const b of backrefs(parts.substitution, ["%"]).filter((x) => x.n > cg.groups)) {
            const reason =
              cg.pattern === null
                ? conds.length === 0
                  ? "no RewriteCond precedes this RewriteRule"
                  : "no RewriteCond of this rule has a (non-negated) regular expression"
                : `the last RewriteCond pattern \`${cg.pattern}\` has ${groupsPhrase(cg.groups)}`;
            reports.push({
              message: `\`%${b.n}\` in the RewriteRule substitution expands to an empty string: ${reason} (write \`\\%\` for a literal percent sign).`,
              start: b.start,
              end: b.end,
            });
          }
        }
      } else if (d.key === "proxypassmatch") {
        const ref = backendOf(d);
        if (!ref || ref.url.value === "!") continue;
        const regex = proxyMatchRegex(d, ref.path);
        const groups = regex === null ? null : captureGroupCount(regex);
        if (groups === null) continue;
        for (const b of backrefs(ref.url, ["$"]).filter((x) => x.n > groups)) {
          reports.push({
            message: `\`$${b.n}\` in the ProxyPassMatch URL expands to an empty string: the pattern \`${regex}\` has ${groupsPhrase(groups)}.`,
            start: b.start,
            end: b.end,
          });
        }
      }
    }
    return reports;
  },
});
