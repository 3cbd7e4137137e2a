// Issue 13, selection as Ruff and gixy users expect it: categories in
// --list-rules, SARIF and the docs; --select/--ignore and the config's
// "select"/"ignore" taking ids or categories; --min-severity; --baseline.
// The real command (dist/src/cli/main.js) on real files in a temporary git
// repository. Fixtures use rules that certainly fire: bom (correctness,
// error), trailing-comment (style, warning), proxypass-reverse-missing
// (correctness, info).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { allRules } from "../rules/index.js";
import { CATEGORIES } from "../src/core/rule.js";
import { renderReadmeRules, renderRuleMarkdown } from "../src/cli/rule-docs.js";
import { selectedRules } from "../src/cli/selection.js";
import { CLI, PROJECT_ROOT, ensureBuiltCli } from "./helpers/built-cli.js";

beforeAll(() => ensureBuiltCli(), 120_000);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "apachelint-selection-"));
  spawnSync("git", ["init", "-q", dir]);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[]) {
  const env = { ...process.env, NO_COLOR: "1" };
  delete env.GITHUB_ACTIONS;
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, env, encoding: "utf8", input: "" });
  expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function write(rel: string, content: string): string {
  const p = join(dir, rel);
  mkdirSync(join(p, ".."), { recursive: true });
  writeFileSync(p, content);
  return p;
}

const BOM = "\uFEFF";
const ERROR_AND_WARNING = `${BOM}RewriteRule ^/a$ /b [L] # one\n`;
const INFO_ONLY = "LoadModule proxy_module modules/mod_proxy.so\nLoadModule proxy_http_module modules/mod_proxy_http.so\nProxyPass /app/ http://127.0.0.1:8080/app/\n";
const rulesIn = (stdout: string) => [...stdout.matchAll(/\[([a-z0-9-]+)\]$/gm)].map((m) => m[1]);
const categoryOf = (id: string) => allRules.find((r) => r.id === id)!.category;
const oneLine = (stderr: string) => expect(stderr).toMatch(/^apachelint: [^\n]+\n$/);

describe("categories are shown", () => {
  it("--list-rules has a category column with each rule's category", () => {
    const r = cli(["--list-rules"]);
    expect(r.code).toBe(0);
    const [header, ...lines] = r.stdout.trimEnd().split("\n");
    expect(header!.split(/\s+/).slice(0, 3)).toEqual(["id", "category", "severity"]);
    expect(lines).toHaveLength(allRules.length);
    for (const rule of allRules) {
      const cells = lines.find((l) => l.startsWith(`${rule.id} `))!.split(/\s+/);
      expect(cells.slice(0, 3), rule.id).toEqual([rule.id, rule.category, rule.severity]);
    }
  });

  it("each rule's page names its category; the README tables are grouped under category headings", () => {
    for (const rule of allRules) expect(renderRuleMarkdown(rule)).toContain(`Category: **${rule.category}**`);
    let heading = "";
    const seen: string[] = [];
    for (const line of renderReadmeRules(allRules).split("\n")) {
      const h = /^### (\S+)$/.exec(line);
      if (h) {
        heading = h[1]!;
        expect(CATEGORIES).toContain(heading);
        expect(seen, "one heading per category").not.toContain(heading);
        seen.push(heading);
      }
      const row = /^\| \[`([a-z0-9-]+)`\]/.exec(line);
      if (row) expect(heading, row[1]).toBe(categoryOf(row[1]!));
    }
    // in CATEGORIES order, every category that has a rule
    expect(seen).toEqual(CATEGORIES.filter((c) => allRules.some((r) => r.category === c)));
  });
});

describe("--select and --ignore", () => {
  it("take a category or an id, comma-separated or repeated; ignore takes out what select put in", () => {
    write("m.conf", ERROR_AND_WARNING);
    expect(rulesIn(cli(["m.conf"]).stdout)).toEqual(["bom", "trailing-comment"]);
    expect(rulesIn(cli(["--select", categoryOf("trailing-comment"), "m.conf"]).stdout)).toEqual(["trailing-comment"]);
    expect(rulesIn(cli(["--select", "bom", "m.conf"]).stdout)).toEqual(["bom"]);
    expect(rulesIn(cli(["--select", "bom,trailing-comment", "m.conf"]).stdout)).toEqual(["bom", "trailing-comment"]);
    expect(rulesIn(cli(["--select", "bom", "--select", "trailing-comment", "m.conf"]).stdout)).toEqual(["bom", "trailing-comment"]);
    expect(rulesIn(cli(["--ignore", "bom", "m.conf"]).stdout)).toEqual(["trailing-comment"]);
    expect(rulesIn(cli(["--select", "all", "--ignore", categoryOf("bom"), "m.conf"]).stdout)).not.toContain("bom");
    // an unselected error does not fail the run
    expect(cli(["--select", "trailing-comment", "m.conf"]).code).toBe(0);
  });

  it("the most specific name wins: an id over its category, on a tie ignore", () => {
    write("m.conf", ERROR_AND_WARNING);
    const cat = categoryOf("bom");
    expect(rulesIn(cli(["--ignore", cat, "--select", "bom", "m.conf"]).stdout)).toEqual(["bom"]);
    expect(rulesIn(cli(["--select", cat, "--ignore", "bom", "m.conf"]).stdout)).not.toContain("bom");
    expect(rulesIn(cli(["--select", "bom", "--ignore", "bom", "m.conf"]).stdout)).toEqual([]);
  });

  it("the config's select/ignore apply first; a --select on the command line starts a new set", () => {
    write("m.conf", ERROR_AND_WARNING);
    write(".apachelintrc.json", JSON.stringify({ select: ["bom"] }));
    expect(rulesIn(cli(["m.conf"]).stdout)).toEqual(["bom"]);
    expect(rulesIn(cli(["--select", "trailing-comment", "m.conf"]).stdout)).toEqual(["trailing-comment"]);
    write(".apachelintrc.json", JSON.stringify({ ignore: [categoryOf("trailing-comment")] }));
    expect(rulesIn(cli(["m.conf"]).stdout)).toEqual(["bom"]);
    // --ignore adds to the config's
    expect(rulesIn(cli(["--ignore", "bom", "m.conf"]).stdout)).toEqual([]);
  });

  it("--rule still sets severities (and off) among the selected rules", () => {
    write("m.conf", ERROR_AND_WARNING);
    const r = cli(["--select", "bom,trailing-comment", "--rule", "bom=warning", "--rule", "trailing-comment=off", "m.conf"]);
    expect(r.stdout).toMatch(/warning: .*\[bom\]$/m);
    expect(rulesIn(r.stdout)).toEqual(["bom"]);
    expect(r.code).toBe(0);
  });

  it("a name that is neither a rule nor a category: one line, exit 2, with a suggestion; in a config, the file and key", () => {
    write("m.conf", ERROR_AND_WARNING);
    const r = cli(["--select", "corectness", "m.conf"]);
    expect(r.code).toBe(2);
    oneLine(r.stderr);
    expect(r.stderr).toContain('--select: unknown rule or category "corectness" (did you mean "correctness"?)');
    write(".apachelintrc.json", JSON.stringify({ ignore: ["bomm"] }));
    const c = cli(["m.conf"]);
    expect(c.code).toBe(2);
    oneLine(c.stderr);
    expect(c.stderr).toContain('.apachelintrc.json: ignore: unknown rule or category "bomm" (did you mean "bom"?)');
  });

  it("a former id is a rule's name here too", () => {
    const rule = allRules.find((r) => r.aliases?.length)!;
    const on = selectedRules(allRules, [{ select: [rule.aliases![0]!] }], new Map([[rule.aliases![0]!, rule.id]]));
    expect([...on]).toEqual([rule.id]);
  });
});

describe("--help", () => {
  it("names the new flags, the categories and the config keys; the old --rule stays", () => {
    const r = cli(["--help"]);
    for (const opt of ["--select <rules>", "--ignore <rules>", "--min-severity <level>", "--baseline <file>", "--update-baseline", "--rule <id=severity>"]) expect(r.stdout).toContain(opt);
    for (const c of CATEGORIES) expect(r.stdout).toContain(c);
    expect(r.stdout).toContain('"select", "ignore"');
  });
});

describe("--min-severity", () => {
  it("default: only errors fail; warning: warnings fail too, infos are still shown and do not; info: everything fails", () => {
    write("w.conf", "RewriteRule ^/a$ /b [L] # one\n");
    write("i.conf", INFO_ONLY);
    expect(cli(["w.conf"]).code).toBe(0);
    expect(cli(["--min-severity", "warning", "w.conf"]).code).toBe(1);
    const info = cli(["--min-severity", "warning", "i.conf"]);
    expect(info.code).toBe(0);
    expect(rulesIn(info.stdout)).toEqual(["proxypass-reverse-missing"]);
    expect(cli(["--min-severity", "info", "i.conf"]).code).toBe(1);
    const bad = cli(["--min-severity", "notice", "i.conf"]);
    expect(bad.code).toBe(2);
    oneLine(bad.stderr);
  });
});

describe("--baseline", () => {
  // the rules these files trigger, and only those: rules added later do not change the counts
  const ONLY = ["--select", "bom,trailing-comment"];
  const TREE = [
    "Listen 80",
    "RewriteRule ^/a$ /b [L] # one",
    "RewriteRule ^/a$ /b [L] # one",
    "<VirtualHost *:80>",
    "    RewriteRule ^/c$ /d [L] # two",
    "</VirtualHost>",
    "",
  ].join("\n");

  it("--update-baseline records today's findings; the next run hides them and exits 0", () => {
    write("conf/site.conf", TREE);
    expect(cli([...ONLY, "--min-severity", "warning", "conf"]).code).toBe(1);
    const up = cli([...ONLY, "--baseline", "baseline.json", "--update-baseline", "--min-severity", "warning", "conf"]);
    expect(up.code).toBe(0);
    expect(up.stdout).toBe("");
    expect(up.stderr).toBe("apachelint: --baseline: baseline.json: recorded 3 findings\n");
    const saved = JSON.parse(readFileSync(join(dir, "baseline.json"), "utf8"));
    expect(saved.files["conf/site.conf"]).toEqual([
      { rule: "trailing-comment", text: "RewriteRule ^/a$ /b [L] # one", count: 2 },
      { rule: "trailing-comment", text: "RewriteRule ^/c$ /d [L] # two", count: 1 },
    ]);
    const again = cli([...ONLY, "--baseline", "baseline.json", "--min-severity", "warning", "conf"]);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe("");
    expect(again.stderr).toBe("apachelint: --baseline: baseline.json: 3 known findings not shown\n");
  });

  it("survives lines added above and re-indentation; a new finding, or a third copy of a known line, is reported", () => {
    write("conf/site.conf", TREE);
    cli([...ONLY, "--baseline", "baseline.json", "--update-baseline", "conf"]);
    const moved = ["# a comment", "ServerName x.example", ...TREE.split("\n").map((l) => (l.startsWith("Rewrite") ? `  ${l}` : l))].join("\n");
    write("conf/site.conf", moved);
    const r = cli([...ONLY, "--baseline", "baseline.json", "--min-severity", "warning", "conf"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    write("conf/site.conf", `${moved}RewriteRule ^/a$ /b [L] # one\nRewriteRule ^/e$ /f [L] # new\n`);
    const fresh = cli([...ONLY, "--baseline", "baseline.json", "--min-severity", "warning", "conf"]);
    expect(fresh.code).toBe(1);
    // the two findings not in the baseline, at their own lines
    expect(fresh.stdout.trimEnd().split("\n").map((l) => l.split(":").slice(0, 2).join(":"))).toEqual(["conf/site.conf:9", "conf/site.conf:10"]);
    expect(fresh.stderr).toBe("apachelint: --baseline: baseline.json: 3 known findings not shown\n");
  });

  it("a fixed finding leaves a stale entry: counted in the summary line, not an error; --update-baseline drops it", () => {
    write("conf/site.conf", TREE);
    cli([...ONLY, "--baseline", "baseline.json", "--update-baseline", "conf"]);
    write("conf/site.conf", TREE.replace("    RewriteRule ^/c$ /d [L] # two\n", ""));
    const r = cli([...ONLY, "--baseline", "baseline.json", "--min-severity", "warning", "conf"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("apachelint: --baseline: baseline.json: 2 known findings not shown; 1 no longer found (fixed? --update-baseline drops them)\n");
    cli([...ONLY, "--baseline", "baseline.json", "--update-baseline", "conf"]);
    expect(JSON.parse(readFileSync(join(dir, "baseline.json"), "utf8")).files["conf/site.conf"]).toHaveLength(1);
  });

  it("updating over part of the tree keeps the other files' entries; errors are baselined like warnings", () => {
    write("a/one.conf", ERROR_AND_WARNING);
    write("b/two.conf", ERROR_AND_WARNING);
    cli([...ONLY, "--baseline", "baseline.json", "--update-baseline", "a", "b"]);
    write("a/one.conf", "Listen 80\n");
    cli([...ONLY, "--baseline", "baseline.json", "--update-baseline", "a"]);
    const saved = JSON.parse(readFileSync(join(dir, "baseline.json"), "utf8"));
    expect(Object.keys(saved.files)).toEqual(["b/two.conf"]);
    const r = cli([...ONLY, "--baseline", "baseline.json", "a", "b"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
  });

  it("bad use: one line, exit 2, nothing written", () => {
    write("m.conf", ERROR_AND_WARNING);
    const missing = cli([...ONLY, "--baseline", "nope.json", "m.conf"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("apachelint: --baseline: nope.json: no such file or directory (create it with --update-baseline)\n");
    const alone = cli(["--update-baseline", "m.conf"]);
    expect(alone.code).toBe(2);
    oneLine(alone.stderr);
    write("junk.json", "{not json");
    const junk = cli([...ONLY, "--baseline", "junk.json", "m.conf"]);
    expect(junk.code).toBe(2);
    oneLine(junk.stderr);
    write("other.json", JSON.stringify({ rules: {} }));
    const other = cli([...ONLY, "--baseline", "other.json", "--update-baseline", "m.conf"]);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/^apachelint: --baseline: other\.json: not an apachelint baseline/);
    expect(readFileSync(join(dir, "other.json"), "utf8")).toBe(JSON.stringify({ rules: {} }));
    expect(existsSync(join(dir, "nope.json"))).toBe(false);
  });

  it("a 10 MB line goes into the baseline as a prefix and a hash, and still matches", () => {
    write("long.conf", `RewriteRule ^/a$ /b [L] # ${"x".repeat(10_000_000)}\n`);
    cli([...ONLY, "--baseline", "baseline.json", "--update-baseline", "long.conf"]);
    expect(readFileSync(join(dir, "baseline.json")).length).toBeLessThan(2000);
    const r = cli([...ONLY, "--baseline", "baseline.json", "--min-severity", "warning", "long.conf"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
  }, 60_000);
});

// ---------------------------------------------------------------------------
// SARIF: the category in each rule's properties, as the Multitool reads it
// ---------------------------------------------------------------------------

function multitool(): string | null {
  try {
    const exe = createRequire(import.meta.url)("@microsoft/sarif-multitool") as string;
    return existsSync(exe) ? exe : null;
  } catch {
    return null;
  }
}
const MULTITOOL = multitool();
if (!MULTITOOL) {
  const msg = "test/selection: @microsoft/sarif-multitool is not installed: the SARIF validation is SKIPPED";
  if (process.env.CI) throw new Error(`${msg} (CI must have it: npm ci installs it)`);
  console.warn(msg);
}

describe("SARIF", () => {
  it("every rule descriptor carries its category in properties.category", () => {
    write("m.conf", ERROR_AND_WARNING);
    const r = cli(["-f", "sarif", "m.conf"]);
    const rules = JSON.parse(r.stdout).runs[0].tool.driver.rules as { id: string; properties: { category: string } }[];
    expect(rules.length).toBe(allRules.length);
    for (const d of rules) expect(d.properties.category, d.id).toBe(categoryOf(d.id));
  });

  it.skipIf(!MULTITOOL)("the Multitool finds no error or warning in it", () => {
    write("m.conf", ERROR_AND_WARNING);
    const file = join(dir, "out.sarif");
    cli(["-f", "sarif", "-o", file, "m.conf"]);
    const out = `${file}.validation.sarif`;
    const policy = join(PROJECT_ROOT, "test", "data", "formatters", "sarif-multitool-policy.xml");
    const v = spawnSync(MULTITOOL!, ["validate", "-c", policy, "--rule-kind", "Sarif;Gh", "--level", "Error;Warning", "-o", out, file], { encoding: "utf8", timeout: 120_000 });
    expect(existsSync(out), v.stdout + v.stderr).toBe(true);
    const results = (JSON.parse(readFileSync(out, "utf8")).runs[0].results ?? []) as { ruleId: string; level?: string; message: unknown }[];
    expect(results.filter((x) => (x.level ?? "warning") !== "note")).toEqual([]);
  }, 120_000);
});
