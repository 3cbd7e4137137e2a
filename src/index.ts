// The library API: the engine bound to apachelint's own rule registry. The
// CLI, the benchmark and tests lint through this; the engine itself takes the
// registry as an argument (src/core/engine.ts).
import type { ConfigFile } from "../grammar/index.js";
import { allRuleAliases, allRules } from "../rules/index.js";
import { lintFile as lintWith, lintText as lintTextWith, type Finding, type LintOptions, type LintResult } from "./core/engine.js";

export type { Finding, LintResult } from "./core/engine.js";
export { allRules, ruleById } from "../rules/index.js";

/** LintOptions where the rules default to every registered rule. */
export type Options = Omit<LintOptions, "rules"> & { rules?: LintOptions["rules"] };

const withRegistry = (o: Options): LintOptions => ({ knownRuleIds: allRules.map((r) => r.id), ruleAliases: allRuleAliases, ...o, rules: o.rules ?? allRules });

export function lintFile(file: ConfigFile, options: Options = {}): Finding[] {
  return lintWith(file, withRegistry(options));
}

export function lintText(text: string, path: string, options: Options = {}): LintResult {
  return lintTextWith(text, path, withRegistry(options));
}
