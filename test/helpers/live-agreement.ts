// The live check argument rules share: each body is judged by apache2 -t in a private ServerRoot with
// every module loaded (src/tools/differential.ts), and the rule must report exactly the line Apache
// refuses, quoting Apache's words, and nothing where Apache accepts.
import { availableParallelism } from "node:os";
import { join } from "node:path";
import type { Rule } from "../../src/core/rule.js";
import { caseText, readVerdict, skeleton } from "../../src/tools/differential.js";
import { apacheTest, pool } from "../../src/tools/probe-support.js";
import { lintRule } from "./rule-tester.js";

/** Where the rule and apache2 -t disagree (one line per body), and how many bodies Apache refused. */
export async function liveDisagreements(rule: Rule, bodies: readonly (readonly string[])[], root: string): Promise<{ differ: string[]; refused: number }> {
  const first = skeleton().length;
  const differ: string[] = [];
  let refused = 0;
  await pool(bodies, availableParallelism(), async (body) => {
    const text = caseText([...body], root);
    const { code, stderr } = await apacheTest(root, text);
    const v = readVerdict(code, stderr, root, body.length);
    const found = lintRule(rule, text, join(root, "httpd.conf"));
    const lines = found.map((f) => f.line - first);
    if (!v.ok) refused++;
    const same = JSON.stringify(lines) === JSON.stringify(v.ok ? [] : [v.line]) && (v.ok || found[0]!.message.includes(`("${v.message}")`));
    if (!same) differ.push(`${body.join(" / ")}: apache2 -t ${v.ok ? "accepts" : `line ${v.line}: ${v.message}`}, rule ${JSON.stringify(found.map((f) => `${f.line - first}: ${f.message}`))}`);
  });
  return { differ, refused };
}
