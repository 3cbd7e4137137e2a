// The `gitlab` format (GitLab Code Quality) of the real command line, checked
// against GitLab's own per-finding schema (the one its parser applies) and a
// schema of GitLab's documented report format, then for what GitLab does with
// fingerprints: it keeps one finding per fingerprint, and tells a merge
// request's new findings from old ones by them.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv } from "ajv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, PROJECT_ROOT, ensureBuiltCli } from "./helpers/built-cli.js";
import { formatFor } from "../src/formatters/index.js";

const TUTORIAL = join(PROJECT_ROOT, "examples", "websocket-tutorial.conf");
const data = (name: string) => JSON.parse(readFileSync(join(PROJECT_ROOT, "test", "data", "formatters", name), "utf8"));
const ajv = new Ajv({ allErrors: true, strict: false });
const gitlabParser = ajv.compile(data("gitlab-codeclimate.json"));
const documented = ajv.compile(data("gitlab-code-quality-report.json"));

let dir = "";
beforeAll(() => {
  ensureBuiltCli();
  dir = realpathSync(mkdtempSync(join(tmpdir(), "apachelint-gitlab-")));
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(rel: string, text: string): string {
  const p = join(dir, rel);
  mkdirSync(join(p, ".."), { recursive: true });
  writeFileSync(p, text);
  return p;
}

function lint(format: string, paths: string[], cwd = dir): any {
  const r = spawnSync(process.execPath, [CLI, "-f", format, ...paths], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", GITHUB_ACTIONS: "" } });
  expect([0, 1], r.stderr).toContain(r.status);
  return JSON.parse(r.stdout);
}

interface Issue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: string;
  location: { path: string; lines: { begin: number; end: number } };
}

const WS = [
  "<VirtualHost *:80>",
  "  RewriteEngine on",
  "  RewriteCond ${HTTP:Upgrade} websocket [NC]",
  "  RewriteRule ^/ws/(.*) ws://127.0.0.1:3000/$1 [P,L]",
  "  RewriteCond ${HTTP:Upgrade} websocket [NC]",
  "  RewriteRule ^/chat/(.*) ws://127.0.0.1:3001/$1 [P,L]",
  "</VirtualHost>",
  "",
].join("\n");

describe("-f gitlab", () => {
  it("is what GitLab's parser accepts and its documentation describes, finding for finding", () => {
    const issues: Issue[] = lint("gitlab", ["examples/websocket-tutorial.conf"], PROJECT_ROOT);
    expect(issues.length).toBeGreaterThan(5);
    expect(documented(issues) ? [] : documented.errors).toEqual([]);
    for (const issue of issues) expect(gitlabParser(issue) ? [] : gitlabParser.errors).toEqual([]);
    // the schemas are live: what GitLab would drop, they reject
    const { fingerprint: _, ...noFingerprint } = issues[0]!;
    expect(gitlabParser(noFingerprint)).toBe(false);
    expect(documented([{ ...issues[0], severity: "high" }])).toBe(false);
    expect(documented([{ ...issues[0], location: { path: "/abs/a.conf", lines: { begin: 1 } } }])).toBe(false);
    // the same findings as the json format, in order
    const eslint = lint("json", ["examples/websocket-tutorial.conf"], PROJECT_ROOT)[0];
    expect(issues.map((i) => [i.location.path, i.location.lines.begin, i.location.lines.end, i.check_name, i.description])).toEqual(
      eslint.messages.map((m: any) => ["examples/websocket-tutorial.conf", m.line, m.endLine, m.ruleId, m.message]),
    );
    const severity = { 2: "major", 1: "minor" } as Record<number, string>;
    expect(issues.map((i) => i.severity)).toEqual(eslint.messages.map((m: any) => severity[m.severity]));
  });

  it("maps info to info, and an empty report is an empty array", () => {
    write("info/a.conf", "ProxyPass /app/ http://127.0.0.1:8080/app/\n");
    const issues: Issue[] = lint("gitlab", ["info/a.conf"]);
    expect(issues.map((i) => [i.check_name, i.severity])).toEqual([["proxypass-reverse-missing", "info"]]);
    write("clean/a.conf", "Listen 80\n");
    expect(lint("gitlab", ["clean/a.conf"])).toEqual([]);
  });

  it("gives every finding its own fingerprint, also two on identical lines", () => {
    write("dup/a.conf", WS);
    const issues: Issue[] = lint("gitlab", ["dup/a.conf"]);
    const sigil = issues.filter((i) => i.check_name === "rewrite-var-sigil");
    expect(sigil).toHaveLength(2);
    // GitLab keeps one finding per fingerprint: equal ones would hide each other
    expect(new Set(issues.map((i) => i.fingerprint)).size).toBe(issues.length);
    const tutorial: Issue[] = lint("gitlab", ["examples/websocket-tutorial.conf"], PROJECT_ROOT);
    expect(new Set(tutorial.map((i) => i.fingerprint)).size).toBe(tutorial.length);
  });

  it("keeps a finding's fingerprint when lines above it change, and changes it when its own line does", () => {
    write("move/a.conf", WS);
    const before: Issue[] = lint("gitlab", ["move/a.conf"]);
    write("move/a.conf", `# a comment\n\nListen 8080\n${WS}`);
    const moved: Issue[] = lint("gitlab", ["move/a.conf"]);
    const key = (i: Issue) => `${i.check_name} ${i.fingerprint}`;
    // the same problems at other line numbers, with the same fingerprints
    expect(moved.map((i) => i.location.lines.begin)).toEqual(before.map((i) => i.location.lines.begin + 3));
    expect(moved.map(key)).toEqual(before.map(key));
    // and again on another run: nothing random in it
    expect(lint("gitlab", ["move/a.conf"]).map(key)).toEqual(moved.map(key));
    // the second of the two identical RewriteCond lines changes: only its finding gets a new fingerprint
    const lines = WS.split("\n");
    lines[4] = "  RewriteCond ${HTTP:Upgrade} WebSocket [NC]";
    write("move/a.conf", lines.join("\n"));
    const edited: Issue[] = lint("gitlab", ["move/a.conf"]);
    const sigils = (xs: Issue[]) => xs.filter((i) => i.check_name === "rewrite-var-sigil").map((i) => i.fingerprint);
    expect(sigils(edited)[0]).toBe(sigils(before)[0]);
    expect(sigils(edited)[1]).not.toBe(sigils(before)[1]);
  });

  it("tells the same line in two files apart by path", () => {
    write("two/a.conf", WS);
    write("two/b.conf", WS);
    const issues: Issue[] = lint("gitlab", ["two/a.conf", "two/b.conf"]);
    expect(new Set(issues.map((i) => i.location.path))).toEqual(new Set(["two/a.conf", "two/b.conf"]));
    expect(new Set(issues.map((i) => i.fingerprint)).size).toBe(issues.length);
  });

  it("is registered for the library too", () => {
    expect(formatFor("gitlab")([], { cwd: dir, color: false, rules: [], toolVersion: "0", hiddenUnsafeFixes: 0 })).toBe("[]\n");
  });
});
