// A rule's documentation prose as a user reads it outside the repository
// (--explain, SARIF rule help): without the ids of the project's Apache
// ground-truth cases (`doc.cases`, e.g. "(case a1)", "(d3, d4, d6)", "In case
// b2 the backend…"), which mean nothing to someone who has not got
// shared/apache-truth. Only the rule's own case ids are taken for ids, so a
// word like `h2` stays a protocol in a rule that has no case h2.
import type { Rule, RuleDoc } from "../core/rule.js";

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function without(text: string, ids: readonly string[]): string {
  if (ids.length === 0) return text;
  const id = `(?<![\\w\`/.-])(?:${[...ids].sort((a, b) => b.length - a.length).map(escape).join("|")})(?![\\w\`/-])`;
  const list = `(?:cases?\\s+)?${id}(?:\\s*,\\s*${id})*`;
  const lead = new RegExp(`^${list}(?:\\s*[:,]\\s*|$)`);
  const trail = new RegExp(`\\s*[:,]\\s*${list}$`);
  const any = new RegExp(id);
  // a parenthesis holding ids: each `;` part loses its leading or trailing id
  // list; a part that still names a case ("h2 is the working order") goes
  let out = text.replace(/\s*\(([^()]*)\)/g, (whole, inner: string) => {
    if (!any.test(inner)) return whole;
    const kept = inner
      .split(/\s*;\s*/)
      .map((part) => part.replace(lead, "").replace(trail, ""))
      .filter((part) => part !== "" && !any.test(part));
    const space = /^\s/.test(whole) ? " " : "";
    return kept.length ? `${space}(${kept.join("; ")})` : "";
  });
  // a case named in a sentence: "In case b2 the backend…", "in m16 every request…"
  out = out.replace(new RegExp(`\\bcases?\\s+${list}`, "g"), "a test").replace(new RegExp(`\\b([Ii]n)\\s+${list}`, "g"), "$1 a test");
  return out;
}

export type ProseField = "problem" | "why" | "fix" | "versions";

/** The doc's prose fields with the rule's case ids taken out (code examples are left as they are). */
export function proseOf(rule: Rule): Pick<RuleDoc, ProseField> {
  const ids = rule.doc.cases ?? [];
  const d = rule.doc;
  const out: Pick<RuleDoc, ProseField> = { problem: without(d.problem, ids), why: without(d.why, ids), versions: without(d.versions, ids) };
  if (d.fix !== undefined) out.fix = without(d.fix, ids);
  return out;
}
