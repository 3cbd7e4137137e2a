// Writes docs/rules/*.md from the rule modules: `npm run docs`.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { allRules } from "../../rules/index.js";
import { renderRuleIndex, renderRuleMarkdown, withReadmeRules } from "../cli/rule-docs.js";

const out = process.argv[2] ?? "docs/rules";
mkdirSync(out, { recursive: true });
for (const rule of allRules) writeFileSync(join(out, `${rule.id}.md`), renderRuleMarkdown(rule));
writeFileSync(join(out, "README.md"), renderRuleIndex(allRules));
writeFileSync("README.md", withReadmeRules(readFileSync("README.md", "utf8"), allRules));
console.log(`wrote ${allRules.length + 1} files to ${out}`);
