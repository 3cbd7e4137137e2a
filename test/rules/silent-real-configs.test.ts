// rewritecond-dangling and ifmodule-unknown silent on real configs. Moved from test/rules-silent.test.ts.
import { ruleTester } from "../helpers/rule-tester.js";
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lintText, type Finding } from "../../src/index.js";
import { fixUntilStable } from "../../src/core/fixer.js";
import { ruleById } from "../../rules/index.js";
import type { Rule } from "../../src/core/rule.js";

const IDS = ["rewritecond-dangling", "ifmodule-unknown"] as const;
const mine: Rule[] = IDS.map((id) => ruleById(id)!);
const repo = join(import.meta.dirname, "..", "..");

function lint(text: string, path = "test.conf", rules: readonly Rule[] = mine): Finding[] {
  return lintText(text, path, { rules, reportUnusedSuppressions: false }).findings;
}
const at = (f: Finding) => `${f.line}:${f.column}-${f.endLine}:${f.endColumn}`;
const fixAll = (text: string) => fixUntilStable(text, (t) => lint(t), () => true).output;

const APACHE = "/usr/sbin/apache2";
const haveApache = existsSync(APACHE);
if (!haveApache && !process.env.CI) console.warn(`test/rules: ${APACHE} not found, the live apache2 checks are SKIPPED`);
const live = haveApache || process.env.CI ? it : it.skip;

describe("rewritecond-dangling and ifmodule-unknown: silent on real configs", () => {
  const expectSilent = (path: string, text = readFileSync(path, "utf8")) =>
    expect(lint(text, path).map((f) => `${f.path}:${f.line} ${f.ruleId} ${f.message}`)).toEqual([]);

  it("h5bp's .htaccess (many <IfModule> blocks and rewrite runs)", () => {
    const path = join(repo, "node_modules/apache-server-configs/dist/.htaccess");
    const text = readFileSync(path, "utf8");
    expect((text.match(/<IfModule /g) ?? []).length).toBeGreaterThan(20);
    expectSilent(path, text);
  });

  const etc = "/etc/apache2";
  const debianFiles = (): string[] => {
    const out: string[] = [];
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.isFile() && /\.(conf|load)$/.test(e.name)) out.push(p);
      }
    };
    walk(etc);
    return out;
  };
  (existsSync(etc) || process.env.CI ? it : it.skip)("Debian's /etc/apache2 (every .conf and .load file)", () => {
    const files = debianFiles();
    expect(files.length).toBeGreaterThan(100);
    for (const f of files) expectSilent(f);
  });

  it("the tutorial fixtures", () => {
    const dir = join(repo, "fixtures/websocket-tutorial");
    const files = readdirSync(dir).filter((n) => n.endsWith(".conf"));
    expect(files.length).toBeGreaterThan(0);
    for (const n of files) expectSilent(join(dir, n));
  });

  it("every good fixture of every rule", () => {
    const root = join(repo, "fixtures/rules");
    let count = 0;
    for (const id of readdirSync(root)) {
      for (const n of readdirSync(join(root, id)).filter((x) => /^good.*\.(conf|htaccess)$/.test(x))) {
        expectSilent(join(root, id, n));
        count++;
      }
    }
    expect(count).toBeGreaterThan(30);
  });
});
