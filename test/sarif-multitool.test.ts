// The `sarif` format of the real command line (dist/apachelint.cjs), read by
// Microsoft's SARIF Multitool (`validate`, @microsoft/sarif-multitool): no
// error and no warning from its SARIF rules nor from its GitHub code scanning
// rules (GH1xxx), on the tutorial, a clean file, a tree of Includes and files
// with fixes. The Multitool exits 0 even when it reports errors, so its own
// SARIF output is read instead of its exit code. Then the fixes it carries are
// applied the way a SARIF consumer would, pass after pass, and must give
// exactly what `--fix` writes.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, PROJECT_ROOT, ensureBuiltCli } from "./helpers/built-cli.js";

const BUNDLE = join(PROJECT_ROOT, "dist", "apachelint.cjs");
const TUTORIAL = join(PROJECT_ROOT, "examples", "websocket-tutorial.conf");
const POLICY = join(PROJECT_ROOT, "test", "data", "formatters", "sarif-multitool-policy.xml");

/** The Multitool's own executable (the npm bin wrapper runs it through a shell, which would split paths). */
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
  const msg = "test/sarif-multitool: @microsoft/sarif-multitool is not installed: the SARIF Multitool checks are SKIPPED";
  if (process.env.CI) throw new Error(`${msg} (CI must have it: npm ci installs it)`);
  console.warn(msg);
}
const live = MULTITOOL ? describe : describe.skip;

let dir = "";
beforeAll(() => {
  ensureBuiltCli();
  // the bundle is made by `npm run build`; rebuild it when it is older than the compiled CLI
  if (!existsSync(BUNDLE) || statSync(BUNDLE).mtimeMs < statSync(CLI).mtimeMs) {
    spawnSync(process.execPath, [join(PROJECT_ROOT, "scripts", "build.mjs"), "--bundle-only"], { stdio: "ignore" });
  }
  dir = realpathSync(mkdtempSync(join(tmpdir(), "apachelint-sarif-")));
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(rel: string, text: string): string {
  const p = join(dir, rel);
  mkdirSync(join(p, ".."), { recursive: true });
  writeFileSync(p, text);
  return p;
}

function apachelint(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [BUNDLE, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", GITHUB_ACTIONS: "" } });
  expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  return r;
}

interface Notice {
  ruleId: string;
  level: string;
  where: string;
}

/** The Multitool's findings on a SARIF file, read from the log it writes (SARIF's default level is warning). */
function validate(file: string, ruleKinds = "Sarif;Gh"): { status: number | null; notices: Notice[]; exec: string[] } {
  const out = `${file}.validation.sarif`;
  rmSync(out, { force: true });
  const r = spawnSync(MULTITOOL!, ["validate", "-c", POLICY, "--rule-kind", ruleKinds, "--level", "Error;Warning;Note", "-o", out, file], { encoding: "utf8", timeout: 120_000 });
  expect(existsSync(out), r.stdout + r.stderr).toBe(true);
  const run = JSON.parse(readFileSync(out, "utf8")).runs[0];
  const notices = (run.results ?? []).map((x: any) => ({ ruleId: x.ruleId, level: x.level ?? "warning", where: JSON.stringify(x.message.arguments ?? x.message.text) }));
  const exec = (run.invocations?.[0]?.toolExecutionNotifications ?? []).filter((n: any) => (n.level ?? "warning") !== "note").map((n: any) => JSON.stringify(n.message));
  return { status: r.status, notices, exec };
}

const serious = (ns: Notice[]) => ns.filter((n) => n.level === "error" || n.level === "warning");

/** lints `paths` from `cwd` into a SARIF file and returns its path and log */
function sarifOf(paths: string[], cwd: string, name: string): { file: string; log: any } {
  const file = join(dir, `${name}.sarif`);
  const r = apachelint(["-f", "sarif", "-o", file, ...paths], cwd);
  expect([0, 1]).toContain(r.status);
  return { file, log: JSON.parse(readFileSync(file, "utf8")) };
}

live("the SARIF Multitool", () => {
  it("finds what it should in a log that lacks informationUri (the checks are live)", () => {
    const { file, log } = sarifOf([TUTORIAL], PROJECT_ROOT, "broken");
    delete log.runs[0].tool.driver.informationUri;
    delete log.runs[0].results[0].locations;
    writeFileSync(file, JSON.stringify(log));
    const v = validate(file);
    // the Multitool exits 0 all the same: only its log tells
    expect(v.status).toBe(0);
    const ids = serious(v.notices).map((n) => n.ruleId);
    expect(ids).toContain("SARIF2005");
    expect(ids).toContain("GH1015");
  }, 120_000);

  const cases: [string, () => { paths: string[]; cwd: string }][] = [
    ["the tutorial", () => ({ paths: [TUTORIAL], cwd: PROJECT_ROOT })],
    [
      "a clean file",
      () => ({
        // a whole server: clean only with what the security rules ask of one
        paths: [write("clean/httpd.conf", "Listen 80\nServerName www.example.com\nServerTokens Prod\nTraceEnable Off\n<Directory />\n    Require all denied\n</Directory>\n")],
        cwd: dir,
      }),
    ],
    [
      "a tree of Includes, one file outside the working directory",
      () => {
        write("tree/httpd.conf", "Listen 80\nInclude conf.d/*.conf\nInclude ../outside/extra.conf\n");
        write("tree/conf.d/a.conf", "<VirtualHost *:80>\n  RewriteEngine on\n  RewriteCond ${HTTP:Upgrade} websocket [NC]\n  RewriteRule ^/ws/(.*) ws://127.0.0.1:3000/$1 [P,L]\n");
        write("tree/conf.d/b.conf", "ServerName www.example.com\n");
        write("outside/extra.conf", "ProxyPass /app/ http://127.0.0.1:8080/app\n");
        return { paths: ["httpd.conf", "--server-root", ".", "--allow-outside", join(dir, "outside")], cwd: join(dir, "tree") };
      },
    ],
    [
      "a file whose fixes follow non-ASCII text, on CRLF lines",
      () => ({ paths: [write("fixes/site.conf", FIXES_TEXT)], cwd: join(dir, "fixes") }),
    ],
  ];

  for (const [name, make] of cases) {
    it(`reports no error and no warning on ${name}`, () => {
      const { paths, cwd } = make();
      const { file, log } = sarifOf(paths, cwd, name.replace(/\W+/g, "-"));
      const v = validate(file);
      expect(v.status).toBe(0);
      expect(serious(v.notices)).toEqual([]);
      expect(v.exec).toEqual([]);
      // what is left are notes the formatter leaves by choice (src/formatters/sarif.ts)
      const notes = new Set(v.notices.map((n) => n.ruleId));
      for (const id of notes) expect(["SARIF2002", "SARIF2003", "SARIF2009", "SARIF2012", "SARIF2016"], id).toContain(id);
      if (name.startsWith("a tree")) expect(new Set(log.runs[0].results.map((r: any) => r.locations[0].physicalLocation.artifactLocation.uri)).size).toBeGreaterThanOrEqual(2);
      if (name === "a clean file") expect(log.runs[0].results).toEqual([]);
    }, 120_000);
  }
});

// Typographic quotes after an emoji and accented letters (UTF-16 columns), a
// `${…}` server variable, an unclosed section; CRLF line ends.
const FIXES_TEXT = [
  "# Général: 🚀 WebSocket",
  "<VirtualHost *:80>",
  "  ServerName wëb.example.com",
  "  RewriteEngine on",
  "  RewriteCond ${HTTP:Upgrade} websocket [NC]",
  "  RewriteRule ^/🚀/(.*) “ws://127.0.0.1:3000/$1” [P,L]",
  "",
].join("\r\n");

interface Replacement {
  deletedRegion: { startLine: number; startColumn: number; endLine: number; endColumn: number; charOffset: number; charLength: number };
  insertedContent: { text: string };
}

/** An offset from a 1-based line and UTF-16 column (SARIF's columnKind utf16CodeUnits), counting lines as LF-terminated. */
function offsetOf(text: string, line: number, column: number): number {
  let at = 0;
  for (let l = 1; l < line; l++) at = text.indexOf("\n", at) + 1;
  return at + column - 1;
}

const overlap = (a: [number, number], b: [number, number]) =>
  a[0] === a[1] && b[0] === b[1] ? a[0] === b[0] : a[0] === a[1] ? a[0] > b[0] && a[0] < b[1] : b[0] === b[1] ? b[0] > a[0] && b[0] < a[1] : a[0] < b[1] && b[0] < a[1];

/**
 * Applies the safe fixes of one SARIF log to `text` as a consumer would: whole
 * fixes in result order, one that overlaps a fix already taken left for the
 * next pass. Each replacement's span is read from its line and column and must
 * equal its charOffset/charLength.
 */
function applySarifFixes(text: string, log: any): { text: string; applied: number } {
  const taken: { span: [number, number]; text: string }[] = [];
  for (const result of log.runs[0].results) {
    for (const fix of result.fixes ?? []) {
      if (fix.properties.safety !== "safe") continue;
      expect(fix.artifactChanges).toHaveLength(1);
      const spans = (fix.artifactChanges[0].replacements as Replacement[]).map((r) => {
        const g = r.deletedRegion;
        const span: [number, number] = [offsetOf(text, g.startLine, g.startColumn), offsetOf(text, g.endLine, g.endColumn)];
        expect(span).toEqual([g.charOffset, g.charOffset + g.charLength]);
        return { span, text: r.insertedContent.text };
      });
      if (spans.some((s) => taken.some((t) => overlap(s.span, t.span)))) continue;
      taken.push(...spans);
    }
  }
  let out = text;
  for (const t of [...taken].sort((a, b) => b.span[0] - a.span[0])) out = out.slice(0, t.span[0]) + t.text + out.slice(t.span[1]);
  return { text: out, applied: taken.length };
}

live("SARIF fixes", () => {
  for (const [name, source] of [
    ["the tutorial", () => readFileSync(TUTORIAL, "utf8")],
    ["a file whose fixes follow non-ASCII text, on CRLF lines", () => FIXES_TEXT],
  ] as const) {
    it(`applied pass after pass give what --fix writes: ${name}`, () => {
      const work = join(dir, "apply", name.replace(/\W+/g, "-"));
      mkdirSync(work, { recursive: true });
      const original = source();
      write(join("apply", name.replace(/\W+/g, "-"), "viaSarif.conf"), original);
      write(join("apply", name.replace(/\W+/g, "-"), "viaFix.conf"), original);
      let text = original;
      let passes = 0;
      let applied = 0;
      // the fixer's own limit is 10 passes
      for (; passes < 10; passes++) {
        const { log } = sarifOf(["viaSarif.conf"], work, `${name.replace(/\W+/g, "-")}-pass${passes}`);
        const r = applySarifFixes(text, log);
        if (r.applied === 0) break;
        applied += r.applied;
        text = r.text;
        writeFileSync(join(work, "viaSarif.conf"), text);
      }
      expect(applied).toBeGreaterThan(2);
      apachelint(["--fix", "-f", "json", "viaFix.conf"], work);
      const fixed = readFileSync(join(work, "viaFix.conf"), "utf8");
      expect(fixed).not.toBe(original);
      expect(text).toBe(fixed);
    }, 120_000);
  }

});
