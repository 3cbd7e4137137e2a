// The language server (`apachelint lsp`), driven the way an editor drives it:
// a vscode-jsonrpc client over the stdio of the built, bundled CLI
// (dist/apachelint.cjs). What it publishes is compared with what the command
// line reports on the same text, so the two cannot drift apart; fixes are
// applied to the text as an editor applies a WorkspaceEdit, and sent back.
// A few pieces (the debounce, the one-edit fix-all, the lint-failure path)
// are also checked in-process, where a fake clock or an injected lint makes
// them deterministic.
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import fc from "fast-check";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { TextDocument } from "vscode-languageserver-textdocument";
import { LspClient, type Diagnostics } from "../src/bench/lsp-client.js";
import { directiveDoc } from "../src/apache/directive-docs.js";
import { ruleById } from "../rules/index.js";
import { changedRegion } from "../src/lsp/code-actions.js";
import { DocumentLinter, type Sink } from "../src/lsp/documents.js";
import { LintSession } from "../src/lsp/lint-session.js";
import { lintFile } from "../src/core/engine.js";
import { CLI, PROJECT_ROOT, ensureBuiltCli } from "./helpers/built-cli.js";

const BUNDLE = join(PROJECT_ROOT, "dist", "apachelint.cjs");
const TUTORIAL = join(PROJECT_ROOT, "examples", "websocket-tutorial.conf");
const FIXTURES = join(PROJECT_ROOT, "fixtures", "lsp");

beforeAll(() => {
  ensureBuiltCli();
  // the bundle is made by `npm run build`; rebuild it when it is older than the compiled CLI
  if (!existsSync(BUNDLE) || statSync(BUNDLE).mtimeMs < statSync(CLI).mtimeMs) {
    spawnSync(process.execPath, [join(PROJECT_ROOT, "scripts", "build.mjs"), "--bundle-only"], { stdio: "ignore" });
  }
}, 120_000);

const clients: LspClient[] = [];
const dirs: string[] = [];
afterEach(() => {
  // only the servers these tests started
  for (const c of clients.splice(0)) c.kill();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function server(env: NodeJS.ProcessEnv = {}, cwd?: string): LspClient {
  const c = LspClient.start(BUNDLE, ["lsp", "--stdio"], { ...process.env, APACHELINT_DEBUG: "", ...env }, cwd);
  clients.push(c);
  return c;
}

/** A temporary directory that is its own repository root (a .git in it), so that no config above it applies. */
function workspace(): string {
  const d = mkdtempSync(join(tmpdir(), "apachelint-lsp-"));
  mkdirSync(join(d, ".git"));
  dirs.push(d);
  return d;
}

const uriOf = (p: string) => pathToFileURL(p).href;

interface Cli {
  ruleId: string;
  severity: 1 | 2;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** The command line's report of `text` linted as `path` (JSON format), per file. */
function cliReport(path: string, text?: string, extra: string[] = []): Map<string, Cli[]> {
  const args = text === undefined ? [BUNDLE, "-f", "json", ...extra, path] : [BUNDLE, "-f", "json", ...extra, "--stdin", "--stdin-filename", path];
  const r = spawnSync(process.execPath, args, { input: text, encoding: "utf8", cwd: PROJECT_ROOT, timeout: 30_000 });
  const out = new Map<string, Cli[]>();
  for (const f of JSON.parse(r.stdout) as { filePath: string; messages: Cli[] }[]) out.set(f.filePath, f.messages);
  return out;
}

/** The CLI's findings as (code, range) keys, the way the server's diagnostics give them. */
const cliKeys = (messages: readonly Cli[]) => messages.map((m) => `${m.ruleId}@${m.line - 1}:${m.column - 1}-${m.endLine - 1}:${m.endColumn - 1}`).sort();
const lspKeys = (d: Diagnostics) => d.diagnostics.map((x) => `${x.code}@${x.range.start.line}:${x.range.start.character}-${x.range.end.line}:${x.range.end.character}`).sort();

interface Action {
  title: string;
  kind?: string;
  isPreferred?: boolean;
  diagnostics?: Diagnostics["diagnostics"];
  edit?: { changes?: Record<string, { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]> };
}

/** The text after a WorkspaceEdit, applied as an editor does. */
function applyEdit(uri: string, text: string, action: Action): string {
  const edits = action.edit?.changes?.[uri];
  if (!edits) throw new Error(`the action "${action.title}" has no edit for ${uri}`);
  return TextDocument.applyEdits(TextDocument.create(uri, "apache", 0, text), edits);
}

function actionsAt(c: LspClient, uri: string, d: Diagnostics["diagnostics"][number], only?: string[]): Promise<Action[]> {
  return c.request<Action[]>("textDocument/codeAction", { textDocument: { uri }, range: d.range, context: { diagnostics: [d], ...(only ? { only } : {}) } });
}

const sarifHelpUris = (path: string): Map<string, string> => {
  const r = spawnSync(process.execPath, [BUNDLE, "-f", "sarif", path], { encoding: "utf8", timeout: 30_000 });
  const rules = JSON.parse(r.stdout).runs[0].tool.driver.rules as { id: string; helpUri?: string }[];
  return new Map(rules.map((x) => [x.id, x.helpUri!]));
};

describe("apachelint lsp, over stdio", () => {
  it("publishes the CLI's findings, fixes them through code actions, explains and completes directives, and exits 0", async () => {
    const dir = workspace();
    const path = join(dir, "tutorial.conf");
    copyFileSync(TUTORIAL, path);
    const uri = uriOf(path);
    let text = readFileSync(path, "utf8");
    const c = server();
    const init = await c.initialize(uriOf(dir));
    expect(init.serverInfo?.name).toBe("apachelint");
    expect(init.capabilities).toMatchObject({ hoverProvider: true, codeActionProvider: { codeActionKinds: ["quickfix", "source.fixAll.apachelint"] } });

    // on open: exactly the command line's findings, rule id as the code, the rule page as its description
    c.open(uri, text, 1);
    const d1 = await c.diagnostics(uri, (d) => d.version === 1);
    expect(lspKeys(d1)).toEqual(cliKeys(cliReport(path).get(path)!));
    expect(d1.diagnostics.map((d) => d.code)).toContain("rewrite-var-sigil");
    const help = sarifHelpUris(path);
    for (const d of d1.diagnostics) {
      expect(d.source).toBe("apachelint");
      expect(d.codeDescription?.href, String(d.code)).toBe(help.get(String(d.code)));
    }
    const cliSeverity = new Map(cliReport(path).get(path)!.map((m) => [`${m.ruleId}@${m.line - 1}:${m.column - 1}`, m.severity]));
    for (const d of d1.diagnostics) {
      // LSP: 1 error, 2 warning, 3 information; the JSON format: 2 error, 1 warning or info
      expect(d.severity === 1 ? 2 : 1).toBe(cliSeverity.get(`${d.code}@${d.range.start.line}:${d.range.start.character}`));
    }

    // a finding's own (safe) fix, applied as the client applies a WorkspaceEdit
    const sigil = d1.diagnostics.find((d) => d.code === "rewrite-var-sigil")!;
    const actions = await actionsAt(c, uri, sigil);
    const titles = actions.map((a) => a.title);
    const fix = actions.find((a) => a.title.startsWith("Fix: ") && a.diagnostics?.[0]?.code === "rewrite-var-sigil")!;
    expect(fix, JSON.stringify(titles)).toBeDefined();
    expect(fix).toMatchObject({ kind: "quickfix", isPreferred: true });
    expect(fix.title).not.toMatch(/\(unsafe\)$/);
    expect(titles).toContain("Disable rewrite-var-sigil for this line");
    expect(titles).toContain("Fix all safe problems in this file");
    text = applyEdit(uri, text, fix);
    expect(text.split("\n")[sigil.range.start.line]).toContain("%{HTTP:Upgrade}");
    c.change(uri, text, 2);
    const d2 = await c.diagnostics(uri, (d) => d.version === 2);
    const sigils = (d: Diagnostics) => d.diagnostics.filter((x) => x.code === "rewrite-var-sigil").length;
    expect(sigils(d2)).toBe(sigils(d1) - 1);
    expect(d2.diagnostics.some((d) => d.code === "rewrite-var-sigil" && d.range.start.line === sigil.range.start.line)).toBe(false);
    expect(lspKeys(d2)).toEqual(cliKeys(cliReport(path, text).get(path)!));

    // an unsafe fix says so; "disable for this line" suppresses exactly that finding
    const backref = d2.diagnostics.find((d) => d.code === "rewrite-backref-without-group")!;
    const backrefActions = await actionsAt(c, uri, backref);
    const unsafe = backrefActions.find((a) => a.title.startsWith("Fix: ") && a.diagnostics?.[0]?.code === "rewrite-backref-without-group")!;
    expect(unsafe.title).toMatch(/ \(unsafe\)$/);
    expect(unsafe.isPreferred).toBe(false);
    const disable = backrefActions.find((a) => a.title === "Disable rewrite-backref-without-group for this line")!;
    text = applyEdit(uri, text, disable);
    const lines = text.split("\n");
    expect(lines[backref.range.start.line]).toMatch(/^(\s*)# apachelint-disable-next-line rewrite-backref-without-group$/);
    expect(/^\s*/.exec(lines[backref.range.start.line]!)![0]).toBe(/^\s*/.exec(lines[backref.range.start.line + 1]!)![0]);
    c.change(uri, text, 3);
    const d3 = await c.diagnostics(uri, (d) => d.version === 3);
    expect(d3.diagnostics.filter((d) => d.code === "rewrite-backref-without-group").length).toBe(d2.diagnostics.filter((d) => d.code === "rewrite-backref-without-group").length - 1);
    expect(d3.diagnostics.map((d) => d.code)).not.toContain("suppression-unused");

    // fix all (the source.fixAll action editors run on save): the same text as `apachelint --fix`
    const [fixAll, ...more] = await actionsAt(c, uri, d3.diagnostics[0]!, ["source.fixAll"]);
    expect(more).toEqual([]);
    expect(fixAll!.kind).toBe("source.fixAll.apachelint");
    const cliFixed = spawnSync(process.execPath, [BUNDLE, "--fix", "--stdin", "--stdin-filename", path], { input: text, encoding: "utf8" }).stdout;
    text = applyEdit(uri, text, fixAll!);
    expect(text).toBe(cliFixed);
    c.change(uri, text, 4);
    const d4 = await c.diagnostics(uri, (d) => d.version === 4);
    expect(lspKeys(d4)).toEqual(cliKeys(cliReport(path, text).get(path)!));
    expect(d4.diagnostics.length).toBeLessThan(d3.diagnostics.length);
    expect(d4.diagnostics.map((d) => d.code)).not.toContain("rewrite-var-sigil");

    // hover on a directive: the manual's entry; on a finding: its rule
    const proxyLine = text.split("\n").findIndex((l) => /^\s*ProxyPass \//.test(l));
    const hover = await c.request<{ contents: { kind: string; value: string } }>("textDocument/hover", { textDocument: { uri }, position: { line: proxyLine, character: 4 } });
    expect(hover.contents.kind).toBe("markdown");
    expect(hover.contents.value).toContain("mod_proxy");
    expect(hover.contents.value).toContain(directiveDoc("ProxyPass")!.syntax);
    const ssl = d4.diagnostics.find((d) => d.code === "ssl-proxy-engine-missing")!;
    const onFinding = await c.request<{ contents: { value: string } }>("textDocument/hover", { textDocument: { uri }, position: ssl.range.start });
    expect(onFinding.contents.value).toContain("**ssl-proxy-engine-missing**");
    expect(onFinding.contents.value).toContain(ruleById("ssl-proxy-engine-missing")!.description);
    const nothing = await c.request("textDocument/hover", { textDocument: { uri }, position: { line: 0, character: 5 } });
    expect(nothing).toBeNull();

    // completion: directive names Apache accepts where the cursor is (each typed on a line of its own)
    const rows = text.split("\n");
    const inVhost = rows.findIndex((l) => /RewriteEngine on/.test(l)) + 1;
    let version = 4;
    const complete = async (typed: string, line = inVhost) => {
      const edited = [...rows.slice(0, line), typed, ...rows.slice(line)];
      c.change(uri, edited.join("\n"), ++version);
      const r = await c.request<{ label: string }[] | { items: { label: string }[] }>("textDocument/completion", {
        textDocument: { uri },
        position: { line, character: typed.length },
      });
      return (Array.isArray(r) ? r : r.items).map((i) => i.label);
    };
    expect(await complete("  Prox")).toEqual(expect.arrayContaining(["ProxyPass", "ProxyPassReverse", "ProxyRequests"]));
    // Listen cannot stand in <VirtualHost>, but it can at the top level
    expect(await complete("  Liste")).not.toContain("Listen");
    expect(await complete("Liste", 0)).toContain("Listen");
    const sections = await complete("  <");
    expect(sections).toEqual(expect.arrayContaining(["Location", "Directory", "IfModule"]));
    expect(sections).not.toContain("VirtualHost");
    expect(await complete("  ProxyRequests o")).toEqual(["On", "Off"]);
    expect(await complete("  </")).toEqual(["</VirtualHost>"]);
    const resolved = await c.request<{ documentation?: { value: string } }>("completionItem/resolve", { label: "ProxyPass", data: { name: "ProxyPass", section: false } });
    expect(resolved.documentation?.value).toContain(directiveDoc("ProxyPass")!.description);

    expect(await c.shutdown()).toBe(0);
  }, 90_000);

  it("logs a document whose lint throws and keeps serving the others", async () => {
    const dir = workspace();
    const broken = join(dir, "broken.conf");
    const good = join(dir, "good.conf");
    copyFileSync(TUTORIAL, broken);
    copyFileSync(TUTORIAL, good);
    const c = server({ APACHELINT_LSP_FAIL_ON: "broken.conf" });
    await c.initialize(uriOf(dir));
    c.open(uriOf(broken), readFileSync(broken, "utf8"), 1);
    await c.until(() => c.logs.some((l) => l.type === 1 && l.message.includes("broken.conf")), 20_000, "the error log line");
    const failed = c.logs.find((l) => l.type === 1)!;
    expect(failed.message).toMatch(/linting .*broken\.conf failed: APACHELINT_LSP_FAIL_ON=broken\.conf: this lint fails on purpose$/);
    // one line, no stack trace without APACHELINT_DEBUG
    expect(failed.message).not.toMatch(/\n\s+at /);
    expect((await c.diagnostics(uriOf(broken), (d) => d.version === 1)).diagnostics).toEqual([]);
    expect(await c.request("textDocument/codeAction", { textDocument: { uri: uriOf(broken) }, range: { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } }, context: { diagnostics: [] } })).toEqual([]);

    c.open(uriOf(good), readFileSync(good, "utf8"), 1);
    const d = await c.diagnostics(uriOf(good), (x) => x.version === 1);
    expect(lspKeys(d)).toEqual(cliKeys(cliReport(good).get(good)!));
    // a second failure of the same document is logged again; the server still answers
    c.change(uriOf(broken), "Listen 80\n", 2);
    await c.until(() => c.logs.filter((l) => l.type === 1).length >= 2, 20_000, "the second error log line");
    const hover = await c.request<{ contents: { value: string } }>("textDocument/hover", { textDocument: { uri: uriOf(good) }, position: { line: 2, character: 2 } });
    expect(hover.contents.value).toContain("LoadModule");
    expect(await c.shutdown()).toBe(0);
  }, 60_000);

  it("takes -D names and the platform from initializationOptions and the config file, as the CLI's --define/--platform", async () => {
    const dir = workspace();
    const path = join(dir, "httpd.conf");
    // refused only if Apache reads it: an error while SSL may be undefined, a warning once -D SSL skips it
    const text = "<IfDefine !SSL>\n    <IfVersion 2.4.x>\n    </IfVersion>\n</IfDefine>\n";
    writeFileSync(path, text);
    const severityIn = (d: Diagnostics) => d.diagnostics.find((x) => x.code === "conditional-invalid")?.severity;
    const cliSeverity = (extra: string[]) => cliReport(path, undefined, extra).get(path)!.find((m) => m.ruleId === "conditional-invalid")?.severity;

    const plain = server();
    await plain.initialize(uriOf(dir));
    plain.open(uriOf(path), text, 1);
    expect(severityIn(await plain.diagnostics(uriOf(path), (d) => d.version === 1))).toBe(1);
    expect(cliSeverity([])).toBe(2);

    const defined = server();
    const warnings: string[] = [];
    await defined.initialize(uriOf(dir), { initializationOptions: { define: ["SSL"], platform: "rhel" } });
    defined.open(uriOf(path), text, 1);
    expect(severityIn(await defined.diagnostics(uriOf(path), (d) => d.version === 1))).toBe(2);
    expect(cliSeverity(["--define", "SSL", "--platform", "rhel"])).toBe(1);
    warnings.push(...defined.logs.filter((l) => l.message.includes("initializationOptions")).map((l) => l.message));
    expect(warnings).toEqual([]);

    // the config file's "define" applies when the client sends none
    writeFileSync(join(dir, ".apachelintrc.json"), JSON.stringify({ define: ["SSL"] }));
    const configured = server();
    await configured.initialize(uriOf(dir));
    configured.open(uriOf(path), text, 1);
    expect(severityIn(await configured.diagnostics(uriOf(path), (d) => d.version === 1))).toBe(2);

    // a value of the wrong type is ignored with a warning
    const wrong = server();
    await wrong.initialize(uriOf(dir), { initializationOptions: { define: "SSL", platform: "solaris" } });
    await wrong.until(() => wrong.logs.filter((l) => l.message.includes("initializationOptions")).length >= 2, 20_000, "two warnings");
    expect(wrong.logs.map((l) => l.message).filter((m) => m.includes("initializationOptions"))).toEqual([
      "apachelint: initializationOptions.define: expected an array of -D names, one word each; ignored",
      "apachelint: initializationOptions.platform: expected debian, rhel, upstream; ignored",
    ]);
    for (const c of [plain, defined, configured, wrong]) expect(await c.shutdown()).toBe(0);
  }, 60_000);

  it("follows Includes as the CLI does and publishes each included file under its own URI", async () => {
    const dir = workspace();
    mkdirSync(join(dir, "conf.d"));
    const main = join(dir, "main.conf");
    const included = join(dir, "conf.d", "ws.conf");
    copyFileSync(join(FIXTURES, "includes", "ws.conf"), included);
    const mainText = readFileSync(join(FIXTURES, "includes", "main.conf"), "utf8").replaceAll("@DIR@", dir);
    writeFileSync(main, mainText);
    const c = server();
    await c.initialize(uriOf(dir));
    c.open(uriOf(main), mainText, 1);
    const cli = cliReport(main);
    const mainDiags = await c.diagnostics(uriOf(main), (d) => d.version === 1);
    expect(lspKeys(mainDiags)).toEqual(cliKeys(cli.get(main)!));
    const inc = await c.diagnostics(uriOf(included));
    expect(inc.diagnostics.map((d) => d.code)).toContain("rewrite-var-sigil");
    expect(lspKeys(inc)).toEqual(cliKeys(cli.get(included)!));

    // the Include removed: the included file's diagnostics are cleared
    const seen = c.published.length;
    c.change(uriOf(main), mainText.replace(/^Include .*$/m, ""), 2);
    await c.diagnostics(uriOf(main), (d) => d.version === 2, 20_000, seen);
    const cleared = await c.diagnostics(uriOf(included), () => true, 20_000, seen);
    expect(cleared.diagnostics).toEqual([]);

    // an included file that is open is its own document: the including one does not publish for it
    c.open(uriOf(included), readFileSync(included, "utf8"), 1);
    await c.diagnostics(uriOf(included), (d) => d.version === 1);
    const before = c.published.length;
    c.change(uriOf(main), mainText, 3);
    await c.diagnostics(uriOf(main), (d) => d.version === 3, 20_000, before);
    expect(c.published.slice(before).filter((p) => p.uri === uriOf(included))).toEqual([]);
    expect(await c.shutdown()).toBe(0);
  }, 60_000);

  it("reads .apachelintrc.json as the CLI does, again when it changes (watched files, or its mtime on the next lint)", async () => {
    const dir = workspace();
    const path = join(dir, "site.conf");
    const config = join(dir, ".apachelintrc.json");
    const text = readFileSync(TUTORIAL, "utf8");
    writeFileSync(path, text);
    writeFileSync(config, JSON.stringify({ rules: { "rewrite-var-sigil": "off" }, ignorePatterns: ["ignored.conf"] }));
    const c = server();
    await c.initialize(uriOf(dir));
    const uri = uriOf(path);
    c.open(uri, text, 1);
    const d1 = await c.diagnostics(uri, (d) => d.version === 1);
    expect(d1.diagnostics.map((d) => d.code)).not.toContain("rewrite-var-sigil");
    expect(lspKeys(d1)).toEqual(cliKeys(cliReport(path).get(path)!));
    expect(c.registrations).toContainEqual({ id: expect.any(String), method: "workspace/didChangeWatchedFiles", registerOptions: { watchers: [{ globPattern: "**/.apachelintrc.json" }] } });

    // the editor says the file changed: the open document is linted again, same version
    writeFileSync(config, JSON.stringify({ rules: { "rewrite-var-sigil": "info" } }));
    let seen = c.published.length;
    c.notify("workspace/didChangeWatchedFiles", { changes: [{ uri: uriOf(config), type: 2 }] });
    const d2 = await c.diagnostics(uri, (d) => d.diagnostics.some((x) => x.code === "rewrite-var-sigil"), 20_000, seen);
    expect(new Set(d2.diagnostics.filter((x) => x.code === "rewrite-var-sigil").map((x) => x.severity))).toEqual(new Set([3]));

    // changed behind the editor's back (no notification): noticed by the next lint
    writeFileSync(config, JSON.stringify({ rules: { "rewrite-var-sigil": "warning" } }));
    utimesSync(config, new Date(), new Date(Date.now() + 5_000));
    c.change(uri, text, 2);
    const d3 = await c.diagnostics(uri, (d) => d.version === 2);
    expect(new Set(d3.diagnostics.filter((x) => x.code === "rewrite-var-sigil").map((x) => x.severity))).toEqual(new Set([2]));

    // a broken config: one diagnostic that names it, as the CLI's one-line error does
    writeFileSync(config, JSON.stringify({ rules: { "rewrite-var-sigl": "error" } }));
    utimesSync(config, new Date(), new Date(Date.now() + 10_000));
    c.change(uri, text, 3);
    const d4 = await c.diagnostics(uri, (d) => d.version === 3);
    expect(d4.diagnostics).toHaveLength(1);
    expect(d4.diagnostics[0]).toMatchObject({ code: "config-invalid", severity: 1 });
    expect(d4.diagnostics[0]!.message).toContain(config);
    expect(d4.diagnostics[0]!.message).toContain('unknown rule "rewrite-var-sigl"');

    // ignorePatterns: an ignored file gets no diagnostics
    writeFileSync(config, JSON.stringify({ ignorePatterns: ["ignored.conf"] }));
    seen = c.published.length;
    c.notify("workspace/didChangeWatchedFiles", { changes: [{ uri: uriOf(config), type: 2 }] });
    await c.diagnostics(uri, (d) => d.diagnostics.length > 1, 20_000, seen);
    const ignored = join(dir, "ignored.conf");
    writeFileSync(ignored, text);
    c.open(uriOf(ignored), text, 1);
    expect((await c.diagnostics(uriOf(ignored), (d) => d.version === 1)).diagnostics).toEqual([]);
    expect(await c.shutdown()).toBe(0);
  }, 60_000);

  it("tags findings of text that does nothing and gives related locations; lints an untitled buffer", async () => {
    const dir = workspace();
    const text = readFileSync(join(FIXTURES, "tags.conf"), "utf8");
    const path = join(dir, "tags.conf");
    writeFileSync(path, text);
    const c = server();
    await c.initialize(uriOf(dir));
    c.open(uriOf(path), text, 1);
    const d = await c.diagnostics(uriOf(path), (x) => x.version === 1);
    const shadowed = d.diagnostics.find((x) => x.code === "proxypass-shadowed")!;
    const unused = d.diagnostics.find((x) => x.code === "suppression-unused")!;
    expect(shadowed.tags).toEqual([1]);
    expect(unused.tags).toEqual([1]);
    // the ProxyPass that shadows it, in the same file
    const first = text.split("\n").findIndex((l) => /ProxyPass \/ /.test(l));
    expect(shadowed.relatedInformation?.map((r) => [r.location.uri, (r.location.range as { start: { line: number } }).start.line])).toContainEqual([uriOf(path), first]);
    // an ordinary finding has no tags
    expect(d.diagnostics.find((x) => x.code === "proxypass-trailing-slash")?.tags).toBeUndefined();
    // no place on disk: no config, no Includes, still linted
    c.open("untitled:Untitled-1", "RewriteCond ${HTTP:Upgrade} websocket\n", 1);
    const u = await c.diagnostics("untitled:Untitled-1", (x) => x.version === 1);
    expect(u.diagnostics.map((x) => x.code)).toContain("rewrite-var-sigil");
    expect(await c.shutdown()).toBe(0);
  }, 60_000);
});

describe("the lsp subcommand's command line, and start-up", () => {
  const run = (args: string[], input = "") => spawnSync(process.execPath, [BUNDLE, ...args], { input, encoding: "utf8", timeout: 30_000 });

  it("takes --stdio, refuses anything else in one line, and is in the help", () => {
    const bad = run(["lsp", "--socket=9000"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^apachelint: lsp: unknown argument '--socket=9000'[^\n]*\n$/);
    const help = run(["lsp", "--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("Usage: apachelint lsp [--stdio]");
    expect(run(["--help"]).stdout).toContain("apachelint lsp");
  });

  it("loads vscode-languageserver only for lsp: a lint run does not", () => {
    const dir = workspace();
    // records every module the program requires by a name starting with vscode-
    const hook = join(dir, "hook.cjs");
    writeFileSync(hook, 'const M = require("node:module"); const load = M._load; M._load = function (request, ...rest) { if (/^vscode-/.test(request)) process.stderr.write(`LOADED ${request}\\n`); return load.call(this, request, ...rest); };\n');
    const loaded = (args: string[]) => spawnSync(process.execPath, ["--require", hook, BUNDLE, ...args], { input: "", encoding: "utf8", timeout: 30_000 }).stderr;
    expect(loaded(["-f", "unix", TUTORIAL])).not.toContain("LOADED");
    expect(loaded(["--version"])).not.toContain("LOADED");
    // stdin at its end: the server starts, then exits
    expect(loaded(["lsp", "--stdio"])).toContain("LOADED vscode-languageserver/node");
    // and the bundle does not carry the library itself (its JSON-RPC framing)
    expect(readFileSync(join(PROJECT_ROOT, "dist", "apachelint.program.js"), "latin1")).not.toContain("Header must provide a Content-Length property");
  });
});

describe("in-process", () => {
  const text = readFileSync(TUTORIAL, "utf8");
  const uri = uriOf(TUTORIAL);

  function harness(session: LintSession) {
    const docs = new Map<string, TextDocument>();
    const published: { uri: string; version?: number | undefined; count: number }[] = [];
    const errors: string[] = [];
    const sink: Sink = {
      publish: (u, version, diagnostics) => void published.push({ uri: u, version, count: diagnostics.length }),
      error: (m) => void errors.push(m),
      warn: () => {},
    };
    const linter = new DocumentLinter(session, (u) => docs.get(u), sink);
    const set = (version: number, t = text) => docs.set(uri, TextDocument.create(uri, "apache", version, t));
    return { linter, published, errors, set };
  }

  it("lints once per burst of changes, 150 ms after the last one", () => {
    vi.useFakeTimers();
    try {
      const h = harness(new LintSession({ followIncludes: false }));
      h.set(1);
      h.linter.opened(uri);
      h.linter.changed(uri); // the change the open notification also reports: already linted
      expect(h.published.map((p) => p.version)).toEqual([1]);
      for (let v = 2; v <= 6; v++) {
        h.set(v, text + "#".repeat(v) + "\n");
        h.linter.changed(uri);
        vi.advanceTimersByTime(100);
      }
      expect(h.published.map((p) => p.version)).toEqual([1]);
      vi.advanceTimersByTime(49);
      expect(h.published.map((p) => p.version)).toEqual([1]);
      vi.advanceTimersByTime(1);
      expect(h.published.map((p) => p.version)).toEqual([1, 6]);
      // a request for the current state of a document with a change pending lints it now
      h.set(7);
      h.linter.changed(uri);
      expect(h.linter.current(uri)?.version).toBe(7);
      vi.advanceTimersByTime(1_000);
      expect(h.published.map((p) => p.version)).toEqual([1, 6, 7]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("an injected lint that throws: logged, nothing published for the document, the next one linted", () => {
    let fail = true;
    const session = new LintSession({
      followIncludes: false,
      lint: (file, options) => {
        if (fail) throw new Error("boom");
        return lintFile(file, options);
      },
    });
    const h = harness(session);
    h.set(1);
    h.linter.opened(uri);
    expect(h.errors).toEqual([`apachelint: linting ${uri} failed: boom`]);
    expect(h.published).toEqual([{ uri, version: 1, count: 0 }]);
    fail = false;
    h.set(2);
    h.linter.lintNow(uri);
    expect(h.published[1]!.count).toBeGreaterThan(0);
  });

  it("fix-all is one edit of the changed region, never splitting a CRLF or a surrogate pair", () => {
    const unit = fc.constantFrom("a", "b", "\r\n", "\n", "\ud83d\ude00", " ");
    const textOf = fc.array(unit, { maxLength: 30 }).map((u) => u.join(""));
    fc.assert(
      fc.property(textOf, textOf, (before, after) => {
        const e = changedRegion(before, after);
        if (before === after) return e === null;
        expect(before.slice(0, e!.start) + e!.text + before.slice(e!.end)).toBe(after);
        for (const at of [e!.start, e!.end]) {
          expect(before[at - 1] === "\r" && before[at] === "\n").toBe(false);
          expect(/[\ud800-\udbff]/.test(before[at - 1] ?? "") && /[\udc00-\udfff]/.test(before[at] ?? "")).toBe(false);
        }
        return true;
      }),
      { numRuns: 2_000 },
    );
  });
});
