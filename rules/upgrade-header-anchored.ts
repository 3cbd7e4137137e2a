import type { Directive } from "../grammar/index.js";
import { hasFlag, rewriteCondParts, type RewriteCondParts } from "../src/apache/rewrite.js";
import { defineRule, type Report, type RuleContext, type TextEdit } from "../src/core/rule.js";

/** The two handshake headers, by the lower-cased `%{HTTP:…}` name, with the token a pattern should look for. */
const HEADERS: Record<string, { header: string; token: string; sent: string }> = {
  connection: { header: "Connection", token: "upgrade", sent: "`Upgrade`, `upgrade` or `keep-alive, Upgrade`" },
  upgrade: { header: "Upgrade", token: "websocket", sent: "`websocket` or `WebSocket`" },
};

/** The test strings this rule looks at: `%{HTTP:Connection}` and `%{HTTP:Upgrade}`, in any case. */
const HEADER_TEST = /^%\{HTTP:(connection|upgrade)\}$/i;

/** A Connection pattern simple enough to replace: the token alone, anchored (`^Upgrade$`, `^(upgrade)`) or exact (`=Upgrade`). */
const SIMPLE_CONNECTION = /^(?:=upgrade|\^?\(?upgrade\)?\$?)$/i;

/** Anchored at either end, where a leading `^.*` / trailing `.*$` undoes the anchor. */
function isAnchored(pattern: string): boolean {
  const start = pattern.startsWith("^") && !pattern.startsWith("^.*");
  const end = /(?<!\\)\$$/.test(pattern) && !pattern.endsWith(".*$");
  return start || end;
}

/** Edits that put NC into the flags field, or null when the field is malformed (rewrite-flags-malformed reports it). */
function addNoCase(c: RewriteCondParts): TextEdit[] | null {
  if (!c.flags) return [{ start: c.condPattern.end, end: c.condPattern.end, text: " [NC]" }];
  if (c.flags.delimiterError) return null;
  const arg = c.flags.arg;
  if (c.flags.flags.length === 0) return [{ start: arg.start, end: arg.end, text: "[NC]" }];
  const at = arg.start + (arg.quote ? 2 : 1);
  return [{ start: at, end: at, text: "NC," }];
}

export default defineRule({
  id: "upgrade-header-anchored",
  severity: "warning",
  category: "websocket",
  description: "An Upgrade/Connection header test that misses real browsers' headers",
  fixable: "safe",
  doc: {
    problem:
      "`Connection` is a comma-separated list of tokens and both handshake headers are case-insensitive. " +
      "`RewriteCond %{HTTP:Connection} ^Upgrade$` or `=Upgrade` only matches when `Upgrade` is the whole header, and a " +
      "pattern without `[NC]` only matches one spelling, so the WebSocket rule is skipped for some browsers.",
    bad: "RewriteCond %{HTTP:Upgrade} websocket\nRewriteCond %{HTTP:Connection} ^Upgrade$ [NC]",
    good: "RewriteCond %{HTTP:Upgrade} websocket [NC]\nRewriteCond %{HTTP:Connection} upgrade [NC]",
    why:
      "Chrome sends `Connection: Upgrade`, Firefox sends `Connection: keep-alive, Upgrade`. In case l1 the anchored " +
      "condition matched Chrome (101) and failed Firefox: `input='keep-alive, Upgrade' pattern='^Upgrade$' [NC] => " +
      "not-matched`, a 404. RFC 6455 makes the `websocket` token case-insensitive and clients send `websocket`, " +
      "`WebSocket` or `upgrade`, so a RewriteCond without `[NC]` depends on the client's spelling. Apache accepts all of " +
      "these forms without a word. Anchors on the Upgrade header are not reported: that header normally holds one token.",
    versions: "All 2.4 releases.",
    fix:
      "Safe: an anchored or exact Connection pattern that is just the token (`^Upgrade$`, `=Upgrade`, `^upgrade`) becomes " +
      "`upgrade`; `NC` is added to the flags field (`[NC]` after the pattern when there is none, `[NC,OR]` when there is " +
      "one). A more complex anchored pattern is reported without a fix, and so is a condition whose flags field is " +
      "malformed.",
    cases: ["l1", "a2"],
  },
  create(ctx) {
    return { directive: { rewritecond: (d) => check(d, ctx) } };
  },
});

function check(d: Directive, ctx: RuleContext): void {
  const c = rewriteCondParts(d);
  if (!c) return;
  const m = HEADER_TEST.exec(c.testString.value);
  if (!m) return;
  const h = HEADERS[m[1]!.toLowerCase()]!;
  const raw = c.condPattern.value;
  const negated = raw.startsWith("!");
  const pattern = negated ? raw.slice(1) : raw;
  // `-f`, `-eq5` …: file and integer tests, where NC does not apply (AH00665).
  if (pattern.startsWith("-")) return;
  const noCase = hasFlag(c, "nocase") || pattern.includes("(?i)");
  const caseSensitive = !noCase && /[a-z]/i.test(pattern);
  const exact = pattern.startsWith("=");
  const anchored = h.header === "Connection" && !negated && /upgrade/i.test(pattern) && (exact || isAnchored(pattern));
  if (!anchored && !caseSensitive) return;

  const edits: TextEdit[] = [];
  let fixable = true;
  if (anchored) {
    if (SIMPLE_CONNECTION.test(pattern)) {
      const q = c.condPattern.quote ?? "";
      edits.push({ start: c.condPattern.start, end: c.condPattern.end, text: `${q}${h.token}${q}` });
    } else fixable = false;
  }
  // an unterminated quote takes the rest of the line: a flag added after it would only grow the pattern
  if (c.condPattern.unterminated || c.testString.unterminated) fixable = false;
  if (caseSensitive && fixable) {
    const nc = addNoCase(c);
    if (nc) edits.push(...nc);
    else fixable = false;
  }

  const where = `\`RewriteCond %{HTTP:${h.header}} ${raw}\``;
  const message = anchored
    ? exact
      ? `${where} only matches a header that is exactly \`Upgrade\`, but Connection is a comma-separated token list and Firefox sends \`keep-alive, Upgrade\`, so the condition fails for Firefox${caseSensitive ? " (and without [NC] it is case-sensitive)" : ""}.`
      : `${where} is anchored, but Connection is a comma-separated token list (Firefox sends \`keep-alive, Upgrade\`), so other tokens in the header make the condition fail${caseSensitive ? " (and without [NC] it is case-sensitive)" : ""}.`
    : `${where} is case-sensitive without [NC], but clients send ${h.sent}, so the condition fails for some of them.`;
  const report: Report = { message, start: c.condPattern.start, end: c.condPattern.end };
  if (fixable && edits.length > 0) {
    report.fix = {
      safety: "safe",
      title: anchored ? `Match \`${h.token}\` anywhere in the header, ignoring case` : "Add the NC flag",
      edits,
    };
  }
  ctx.report(report);
}
