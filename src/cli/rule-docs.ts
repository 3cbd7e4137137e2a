// One page per rule (ShellCheck's wiki model), rendered from the rule module
// itself so the docs cannot drift from the code: docs/rules/<id>.md is
// generated (npm run docs) and a test fails when it is stale.
import { pathToFileURL } from "node:url";
import { join } from "node:path";
import type { Rule } from "../core/rule.js";
import { packageRoot } from "./package-info.js";

/** The page's path inside the package (and the repository). */
export function ruleDocPath(id: string): string {
  return `docs/rules/${id}.md`;
}

/** The page as a file: URL of the installed package, for tools that want an absolute URI (SARIF helpUri). */
export function ruleDocUri(id: string): string {
  return pathToFileURL(join(packageRoot, ruleDocPath(id))).href;
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
    `Default severity: **${rule.severity}** · ${fixLine(rule)}`,
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

/** The rule's doc for a terminal (--explain). */
export function renderRuleText(rule: Rule): string {
  const d = rule.doc;
  const indent = (s: string) => s.replace(/\n+$/, "").split("\n").map((l) => `    ${l}`).join("\n");
  const parts = [
    `${rule.id} (${rule.severity}, ${fixLine(rule)})`,
    `${rule.description}.`,
    ...(rule.aliases?.length ? [`Formerly ${rule.aliases.join(", ")} (still accepted).`] : []),
    "",
    "Problem:",
    d.problem,
    "",
    "Bad:",
    indent(d.bad),
    "",
    "Good:",
    indent(d.good),
    "",
    "What Apache does:",
    d.why,
  ];
  if (d.fix) parts.push("", "Autofix:", d.fix);
  parts.push("", "Apache versions:", d.versions);
  if (d.cases?.length) parts.push("", `Evidence: apache-truth cases ${d.cases.join(", ")}`);
  parts.push("", `Docs: ${ruleDocPath(rule.id)}`);
  return parts.join("\n") + "\n";
}

/** docs/rules/README.md: the index. */
export function renderRuleIndex(rules: readonly Rule[]): string {
  const rows = rules.map((r) => `| [\`${r.id}\`](${r.id}.md) | ${r.severity} | ${r.fixable === "none" ? "–" : r.fixable} | ${r.description} |`);
  return ["# Rules", "", "| rule | severity | fix | what it finds |", "|---|---|---|---|", ...rows, ""].join("\n");
}

/** The rules table in README.md, between its rules:start and rules:end markers. */
export function renderReadmeRules(rules: readonly Rule[]): string {
  const rows = rules.map((r) => `| [\`${r.id}\`](${ruleDocPath(r.id)}) | ${r.severity} | ${r.fixable === "none" ? "–" : r.fixable} | ${r.description} |`);
  return ["| rule | severity | fix | what it finds |", "|---|---|---|---|", ...rows].join("\n");
}

export function withReadmeRules(readme: string, rules: readonly Rule[]): string {
  return readme.replace(/(<!-- rules:start -->\n)[\s\S]*?(<!-- rules:end -->)/, `$1${renderReadmeRules(rules)}\n$2`);
}
