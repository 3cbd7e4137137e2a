import type { Argument, Directive } from "../grammar/index.js";
import { editDistance } from "../src/apache/edit-distance.js";
import { memoByString } from "../src/apache/memo.js";
import {
  COND_FLAG_SPELLINGS,
  RULE_FLAG_SPELLINGS,
  condFlagName,
  parseFlags,
  ruleFlagName,
  type RewriteFlag,
} from "../src/apache/rewrite.js";
import { defineRule, type Fix, type Report, type RuleContext } from "../src/core/rule.js";

type Kind = "rule" | "cond";

const KIND = new Map<string, { kind: Kind; label: string; spellings: readonly string[] }>([
  ["rewriterule", { kind: "rule", label: "RewriteRule", spellings: RULE_FLAG_SPELLINGS }],
  ["rewritecond", { kind: "cond", label: "RewriteCond", spellings: COND_FLAG_SPELLINGS }],
]);

function isKnown(name: string, kind: Kind): boolean {
  if (kind === "cond") return condFlagName(name) !== null;
  // mod_rewrite's case for `D` has no error branch: any flag starting with D is taken as DPI.
  return ruleFlagName(name) !== null || /^d/i.test(name);
}

function canonical(name: string, kind: Kind): string | null {
  return kind === "rule" ? ruleFlagName(name) : condFlagName(name);
}

/** The one known flag a typo is closest to, or null when none is close or several are equally close. */
function suggestion(name: string, kind: Kind, spellings: readonly string[]): string | null {
  const lower = name.toLowerCase();
  const limit = lower.length <= 4 ? 1 : 2;
  let best: string | null = null;
  let bestDistance = Infinity;
  let tied = false;
  for (const s of spellings) {
    // optimal string alignment: a swapped pair of letters counts as one edit
    const dist = editDistance(lower, s, { transpositions: true });
    if (dist > limit) continue;
    if (dist < bestDistance) {
      [best, bestDistance, tied] = [s, dist, false];
    } else if (dist === bestDistance && canonical(s, kind) !== canonical(best!, kind)) {
      tied = true;
    }
  }
  if (best === null || tied) return null;
  return name === name.toUpperCase() ? best.toUpperCase() : best;
}

const startsComment = (a: Argument) => a.quote === null && a.raw.startsWith("#");

/** `[P,` `L]`: the words that make up a flags field split at blanks, and the field they meant. */
function splitField(args: readonly Argument[]): { last: number; joined: string } | null {
  const first = args[2]!;
  const whole = first.value.length > 1 && first.value.endsWith("]");
  if (!first.value.startsWith("[") || whole) return null;
  let joined = first.value;
  for (let k = 3; k < args.length; k++) {
    const a = args[k]!;
    if (startsComment(a) || a.quote !== null || first.quote !== null) return null;
    // Blanks between two flags stood for a comma; next to `[`, `,` or `]` they stood for nothing.
    const glue = /[[,]$/.test(joined) || /^[,\]]/.test(a.value) ? "" : ",";
    joined += glue + a.value;
    if (a.value.endsWith("]")) return { last: k, joined };
  }
  return null;
}

/**
 * `P,L`, `(P,L)`, `[P`, `L`: the flags it lists when every one is known, written
 * with brackets. A lone lower-case word without delimiters (`c`) is more likely
 * the rest of a substitution split at a blank than a flag, so it is left alone.
 */
function bracketed(arg: Argument, kind: Kind): string | null {
  if (arg.quote !== null) return null;
  const looksLikeFlags = /[,[\](){}<>]/.test(arg.value) || arg.value === arg.value.toUpperCase();
  if (!looksLikeFlags) return null;
  const inner = arg.value.replace(/^[[({<]/, "").replace(/[\])}>]$/, "");
  const parts = inner.split(",").filter((p) => p !== "");
  if (parts.length === 0 || !parts.every((p) => isKnown(p.split("=")[0]!, kind))) return null;
  return `[${parts.join(",")}]`;
}

const FINE = 1;
const FINE_PROXY = 2;

/**
 * Per distinct flags text: FINE when it is `[…]` of known flags with no empty
 * entry (checkDirective reports nothing for it, given no words after it),
 * FINE_PROXY when it also names the proxy flag, 0 otherwise.
 */
const fineField = (() => {
  const memo = { rule: memoByString((v) => fineness(v, "rule"), 1000), cond: memoByString((v) => fineness(v, "cond"), 1000) };
  return (kind: Kind, v: string) => memo[kind](v);
})();

function fineness(v: string, kind: Kind): number {
  if (!(v.length >= 2 && v.startsWith("[") && v.endsWith("]"))) return 0;
  let proxy = false;
  for (const part of v.slice(1, -1).split(",")) {
    const text = part.trim();
    if (text === "") return 0;
    const eq = text.indexOf("=");
    const name = eq === -1 ? text : text.slice(0, eq);
    if (!isKnown(name, kind)) return 0;
    if (kind === "rule" && ruleFlagName(name) === "proxy") proxy = true;
  }
  return proxy ? FINE_PROXY : FINE;
}

function checkDirective(d: Directive, ctx: RuleContext): Report[] {
  const { kind, label, spellings } = KIND.get(d.key)!;
  const args = d.args;
  const field = args[2];
  // Too few words is another problem; a `#` word is trailing-comment's to report.
  if (!field || startsComment(field)) return [];
  const v = field.value;
  const reports: Report[] = [];
  const quotedField = field.quote !== null;

  if (!(v.length >= 2 && v.startsWith("[") && v.endsWith("]"))) {
    const split = splitField(args);
    if (split) {
      const end = args[split.last]!.end;
      const written = ctx.file.text.slice(field.start, end);
      reports.push({
        message: `The ${label} flags \`${written}\` contain blanks, so Apache takes \`${v}\` alone as the flags field and refuses the config with "${label}: bad flag delimiters".`,
        start: field.start,
        end,
        fix: { safety: "safe", title: `Write the flags as \`${split.joined}\``, edits: [{ start: field.start, end, text: split.joined }] },
      });
      return reports;
    }
    const fixed = bracketed(field, kind);
    const r: Report = {
      message: `The ${label} flags field \`${v}\` is not enclosed in \`[\u2026]\`: Apache refuses the config with "${label}: bad flag delimiters".`,
      start: field.start,
      end: field.end,
    };
    if (fixed) r.fix = { safety: "safe", title: `Write the flags as \`${fixed}\``, edits: [{ start: field.start, end: field.end, text: fixed }] };
    reports.push(r);
    return reports;
  }

  // Split exactly as cmd_parseflagfield does, empty entries included: Apache rejects those as flag ''.
  const parts = v.slice(1, -1).split(",").map((p) => p.trim());
  const flags: RewriteFlag[] = parseFlags(field, kind).flags;
  if (parts.some((p) => p === "")) {
    const kept = parts.filter((p) => p !== "");
    const written = v;
    const fix: Fix =
      kept.length > 0
        ? { safety: "safe", title: "Remove the empty flag", edits: [{ start: field.start, end: field.end, text: quotedField ? `${field.quote}[${kept.join(",")}]${field.quote}` : `[${kept.join(",")}]` }] }
        : { safety: "safe", title: "Remove the empty flags field", edits: [{ start: args[1]!.end, end: field.end, text: "" }] };
    reports.push({
      message: `The ${label} flags field \`${written}\` has an empty flag: Apache refuses the config with "${label}: unknown flag ''".`,
      start: field.start,
      end: field.end,
      fix,
    });
  }
  for (const f of flags) {
    if (isKnown(f.name, kind)) {
      if (kind === "rule" && f.canonical === "proxy" && ctx.server.managesModules && !ctx.server.isLoaded("proxy")) {
        reports.push({
          message: `The ${label} flag \`${f.name}\` needs mod_proxy, which this config does not load: Apache starts, then answers every matching request with 403 (AH00669).`,
          start: f.start,
          end: f.end,
        });
      }
      continue;
    }
    const better = suggestion(f.name, kind, spellings);
    const r: Report = {
      message: `\`${f.name}\` is not a ${label} flag: Apache refuses the config with "${label}: unknown flag '${f.name}'"${better ? `; did you mean \`${better}\`?` : "."}`,
      start: f.start,
      end: f.start + f.name.length,
    };
    if (better) {
      r.fix = { safety: "unsafe", title: `Replace \`${f.name}\` with \`${better}\``, edits: [{ start: f.start, end: f.start + f.name.length, text: better }] };
    }
    reports.push(r);
  }

  // mod_rewrite reads three words and drops the rest without a word.
  const extra = args.slice(3);
  const stop = extra.findIndex(startsComment);
  const ignored = stop === -1 ? extra : extra.slice(0, stop);
  if (ignored.length > 0) {
    const start = ignored[0]!.start;
    const end = ignored[ignored.length - 1]!.end;
    reports.push({
      message: `Apache ignores \`${ctx.file.text.slice(start, end)}\` after the ${label} flags field \`${v}\`: only one flags field is read.`,
      start,
      end,
      severity: "warning",
    });
  }
  return reports;
}

export default defineRule({
  id: "rewrite-flags-malformed",
  severity: "error",
  category: "correctness",
  severities: ["error", "warning"],
  description: "A RewriteRule/RewriteCond flags field Apache rejects or ignores",
  fixable: "unsafe",
  doc: {
    problem:
      "The flags of RewriteRule and RewriteCond are one word, `[A,B=c]`. A blank inside it (`[P, L]`), a missing bracket " +
      "(`P,L`), an empty entry (`[P,]`) or an unknown name (`[P,L,X]`) makes Apache refuse the whole configuration. " +
      "Words after the flags field are silently dropped, and `[P]` without mod_proxy loaded fails every matching request.",
    bad: "RewriteRule ^/ws/(.*) ws://127.0.0.1:3000/ws/$1 [P, L]\nRewriteRule ^/old/(.*) /new/$1 [R=301,L,X]",
    good: "RewriteRule ^/ws/(.*) ws://127.0.0.1:3000/ws/$1 [P,L]\nRewriteRule ^/old/(.*) /new/$1 [R=301,L]",
    why:
      "Apache splits a directive's arguments at blanks before mod_rewrite sees them, so `[P, L]` arrives as the flags " +
      "field `[P,` (plus an ignored `L]`) and `apache2 -t` stops with \"RewriteRule: bad flag delimiters\" (case m33). " +
      "An unknown name stops it with \"RewriteRule: unknown flag 'X'\" (m21), an empty entry with \"unknown flag ''\". " +
      "RewriteCond knows only NC, OR and NV (and their long forms). A quoted `\"[P, L]\"` is one word and works. " +
      "mod_rewrite reads three words, so `[P,L] [NC]` drops `[NC]` without a warning. With LoadModule lines that do " +
      "not load mod_proxy, a `[P]` rule passes `apache2 -t` and answers 403 with AH00669 (g9); files that load no " +
      "modules themselves (a lone vhost, .htaccess) are not checked for that. A `#` word where the flags belong (m08b, " +
      "m09b: \"bad flag delimiters\") is reported by trailing-comment, not here, so it is reported once.",
    versions:
      "All 2.4 releases. Known flags follow mod_rewrite.c of 2.4.71: `BNP` is spelt `backrefernoplus` in full (the " +
      "documented `backrefnoplus` is rejected), any flag starting with `D` is accepted as DPI, and BCTLS, BNE, " +
      "UnsafeAllow3F and UnsafePrefixStat exist only in recent 2.4 releases.",
    fix:
      "Safe: `[P, L]` \u2192 `[P,L]` (blanks between two flags become a comma); `P,L` \u2192 `[P,L]` when every name is " +
      "a known flag; an empty entry is removed. Unsafe: an unknown name that is one edit (two for long names) from " +
      "exactly one known flag is replaced by it (`QAS` \u2192 `QSA`). No fix for `[P]` without mod_proxy, for ignored " +
      "extra words, or for a name with no single close match (`X`).",
    cases: ["m33", "m21", "m08", "m08b", "m09b", "g8", "g9"],
  },
  create(ctx) {
    // `[P]` only matters where the config manages its modules and leaves mod_proxy out
    const proxyMissing = ctx.server.managesModules && !ctx.server.isLoaded("proxy");
    const check = (d: Directive) => {
      const args = d.args;
      const field = args[2];
      if (!field) return;
      // the usual line, `[A,B]` of known flags and nothing after it, has nothing to report
      if (args.length === 3) {
        const fine = fineField(KIND.get(d.key)!.kind, field.value);
        if (fine === FINE || (fine === FINE_PROXY && !proxyMissing)) return;
      }
      for (const r of checkDirective(d, ctx)) ctx.report(r);
    };
    return { directive: { rewriterule: check, rewritecond: check } };
  },
});
