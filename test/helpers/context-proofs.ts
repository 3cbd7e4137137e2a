// What the tests held to apache2 -t corpora share (directive-context, listen-duplicate,
// regex-invalid, proxy-param-invalid): the rules under test, a lint helper, and
// `apache2 -t` on a body at server level in a private ServerRoot.
import { join } from "node:path";
import { lintText, type Finding } from "../../src/index.js";
import directiveContext from "../../rules/directive-context.js";
import listenDuplicate from "../../rules/listen-duplicate.js";
import regexInvalid from "../../rules/regex-invalid.js";
import proxyParamInvalid from "../../rules/proxy-param-invalid.js";
import type { Rule } from "../../src/core/rule.js";
import { PROJECT_ROOT, serverConfig, type ServerRoot } from "../apache/harness.js";

export const MINE: readonly Rule[] = [directiveContext, listenDuplicate, regexInvalid, proxyParamInvalid];
export const FIXTURES = join(PROJECT_ROOT, "fixtures");

export function lint(text: string, rules: readonly Rule[], path = "test.conf"): Finding[] {
  return lintText(text, path, { rules, reportUnusedSuppressions: false }).findings;
}
export const errors = (fs: readonly Finding[]) => fs.filter((f) => f.severity === "error");

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Modules loaded for the configs below, a provider before its users. */
export const MODULES = [
  "setenvif", "socache_shmcb", "ssl", "alias", "headers", "rewrite", "proxy", "proxy_http", "proxy_wstunnel",
  "slotmem_shm", "proxy_balancer", "lbmethod_byrequests", "lbmethod_bytraffic", "lbmethod_bybusyness",
];

/** `apache2 -t` on `body` at server level: ok, or Apache's message and the line and file it names. */
export async function apacheT(sr: ServerRoot, name: string, body: string): Promise<{ ok: boolean; output: string; line: number | null; file: string | null }> {
  const port = 18000 + (Math.abs([...name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) | 0, 7)) % 1000);
  const conf = await sr.write(`${name}.conf`, serverConfig({ port, modules: MODULES, body }));
  const r = await sr.test(conf);
  const m = [...r.output.matchAll(/Syntax error on line (\d+) of ([^:\n]+):/g)].pop();
  return { ok: r.ok, output: r.output, line: m ? Number(m[1]) : null, file: m ? m[2]! : null };
}

/** Does regex-invalid report the pattern, written as a RewriteRule pattern? */
export function ruleRejects(pattern: string): boolean {
  return lint(`RewriteEngine On\nRewriteRule "${pattern}" - [L]\n`, [regexInvalid]).length > 0;
}
