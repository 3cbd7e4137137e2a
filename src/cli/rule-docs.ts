// One page per rule (ShellCheck's wiki model), rendered from the rule module
// itself so the docs cannot drift from the code: docs/rules/<id>.md is
// generated (npm run docs) and a test fails when it is stale.
import { fileURLToPath } from "node:url";
import { CATEGORIES, type Rule } from "../core/rule.js";
import { formatVersion, CURRENT_APACHE } from "../apache/version.js";
import { proseOf } from "../formatters/rule-prose.js";
import { wrap } from "../formatters/text-width.js";
import { links } from "./package-info.js";

/** The page's path inside the package (and the repository). */
export function ruleDocPath(id: string): string {
  return `docs/rules/${id}.md`;
}

/** The page's URL: in the repository package.json names, else the file in the installed package. */
export function ruleDocUrl(id: string, docsUrl: string = links.docsUrl): string {
  return new URL(`rules/${id}.md`, docsUrl).href;
}

/** The same URL, under the name the language server imports it by (codeDescription.href). */
export function ruleDocUri(id: string): string {
  return ruleDocUrl(id);
}

/** The page as a reader opens it: a web URL, or the installed file's path. */
function ruleDocLink(id: string, docsUrl: string): string {
  const url = ruleDocUrl(id, docsUrl);
  return url.startsWith("file:") ? fileURLToPath(url) : url;
}

/** The width --explain wraps to: the terminal's, or 80 when the output is not one. */
export function terminalWidth(out: { isTTY?: boolean; columns?: number } = process.stdout): number {
  return out.isTTY && out.columns ? out.columns : 80;
}

const fence = (text: string) => "```apache\n" + text.replace(/\n+$/, "") + "\n```";

function fixLine(rule: Rule): string {
  if (rule.fixable === "none") return "no autofix";
  return rule.fixable === "safe" ? "autofix: safe (applied by `--fix`)" : "autofix: unsafe (applied by `--fix --unsafe-fixes`)";
}

/** The rule's page as Markdown. */
export function renderRuleMarkdown(rule: Rule): string {
  const d = rule.doc;
  const parts = [
    `# ${rule.id}`,
    "",
    `${rule.description}.`,
    "",
    `Category: **${rule.category}** · default severity: **${rule.severity}** · ${fixLine(rule)}`,
    "",
    ...(rule.aliases?.length ? [`Formerly ${rule.aliases.map((a) => `\`${a}\``).join(", ")}: still accepted in configs, \`--rule\`, suppressions and \`--explain\`.`, ""] : []),
    "## Problem",
    "",
    d.problem,
    "",
    "## Example",
    "",
    "Problem:",
    "",
    fence(d.bad),
    "",
    "Correct:",
    "",
    fence(d.good),
    "",
    "## What Apache does",
    "",
    d.why,
    "",
  ];
  if (d.fix) parts.push("## Autofix", "", d.fix, "");
  parts.push("## Apache versions", "", d.versions, "");
  if (d.cases?.length) {
    parts.push("## Evidence", "", `Measured on Apache 2.4.71: cases ${d.cases.map((c) => `\`${c}\``).join(", ")} of the project's Apache ground truth.`, "");
  }
  parts.push(
    "## Suppressing",
    "",
    "```apache",
    `# apachelint-disable-next-line ${rule.id} -- reason`,
    "```",
    "",
    `or in \`.apachelintrc.json\`: \`{ "rules": { "${rule.id}": "off" } }\`.`,
    "",
  );
  return parts.join("\n");
}

/**
 * The rule's doc for a terminal (--explain): its paragraphs wrapped to `width`
 * columns, the examples indented as they are, no ground-truth case ids.
 */
export function renderRuleText(rule: Rule, width: number = terminalWidth(), docsUrl: string = links.docsUrl): string {
  const d = proseOf(rule);
  const para = (s: string) => s.split(/\n{2,}/).map((p) => wrap(p, width).join("\n")).join("\n\n");
  const indent = (s: string) => s.replace(/\n+$/, "").split("\n").map((l) => `    ${l}`).join("\n");
  const parts = [
    para(`${rule.id} (${rule.category}, ${rule.severity}, ${fixLine(rule)})`),
    para(`${rule.description}.`),
    ...(rule.aliases?.length ? [para(`Formerly ${rule.aliases.join(", ")} (still accepted).`)] : []),
    "",
    "Problem:",
    para(d.problem),
    "",
    "Bad:",
    indent(rule.doc.bad),
    "",
    "Good:",
    indent(rule.doc.good),
    "",
    rule.doc.cases?.length ? `What Apache does (measured on Apache ${formatVersion(CURRENT_APACHE)}):` : "What Apache does:",
    para(d.why),
  ];
  if (d.fix) parts.push("", "Autofix:", para(d.fix));
  parts.push("", "Apache versions:", para(d.versions));
  parts.push("", `Docs: ${ruleDocLink(rule.id, docsUrl)}`);
  return parts.join("\n") + "\n";
}

// What each category is about, under its heading in the tables.
const CATEGORY_PROSE: Record<(typeof CATEGORIES)[number], string> = {
  websocket: "WebSocket proxying: what makes an upgrade fail or fall back",
  correctness: "What Apache refuses, reads otherwise than written, or ignores",
  security: "What exposes more than the config means to",
  migration: "What changed between releases or modules",
  style: "What Apache accepts but makes a config harder to read or fix",
};

/** The rule rows, one table per category in CATEGORIES order; `link` is a rule's page. */
function groupedTables(rules: readonly Rule[], heading: string, link: (id: string) => string): string[] {
  const out: string[] = [];
  for (const category of CATEGORIES) {
    const inIt = rules.filter((r) => r.category === category);
    if (inIt.length === 0) continue;
    if (out.length) out.push("");
    out.push(`${heading} ${category}`, "", `${CATEGORY_PROSE[category]} (\`--select ${category}\`).`, "");
    out.push("| rule | severity | fix | what it finds |", "|---|---|---|---|");
    for (const r of inIt) out.push(`| [\`${r.id}\`](${link(r.id)}) | ${r.severity} | ${r.fixable === "none" ? "–" : r.fixable} | ${r.description} |`);
  }
  return out;
}

/** docs/rules/README.md: the index, grouped by category. */
export function renderRuleIndex(rules: readonly Rule[]): string {
  return ["# Rules", "", ...groupedTables(rules, "##", (id) => `${id}.md`), ""].join("\n");
}

/** The rules tables in README.md, between its rules:start and rules:end markers. */
export function renderReadmeRules(rules: readonly Rule[]): string {
  return groupedTables(rules, "###", ruleDocPath).join("\n");
}

export function withReadmeRules(readme: string, rules: readonly Rule[]): string {
  return readme.replace(/(<!-- rules:start -->\n)[\s\S]*?(<!-- rules:end -->)/, `$1${renderReadmeRules(rules)}\n$2`);
}
