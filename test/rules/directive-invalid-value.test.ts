// directive-invalid-value against Apache 2.4.71. Moved from test/rules-modules.test.ts, plus the rule tester.
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/directive-invalid-value.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import net, { type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import WebSocket, { WebSocketServer } from "ws";
import { lintText, type Finding, type Options as LintOptions } from "../../src/index.js";
import { fixUntilStable } from "../../src/core/fixer.js";
import { makeServerInfo } from "../../src/server/server-info.js";
import { parseVersion } from "../../src/apache/version.js";
import { DIRECTIVES, directiveInfo, loadableProviders } from "../../src/apache/directives.js";
import { DEBIAN_MODULE_DIR, MODULES } from "../../src/data/modules.js";
import { moduleByName } from "../../src/apache/modules.js";
import loadmoduleInvalid from "../../rules/loadmodule-invalid.js";
import directiveInvalidValue from "../../rules/directive-invalid-value.js";
import websocketModuleMissing from "../../rules/websocket-module-missing.js";
import type { Rule } from "../../src/core/rule.js";

const APACHE = "/usr/sbin/apache2";
const HAVE_APACHE = existsSync(APACHE);
if (!HAVE_APACHE) {
  console.warn(`\n!!!!! SKIPPED: ${APACHE} is absent, so the apache2 proofs of the loadmodule-invalid, websocket-module-missing and directive-invalid-value fixes did NOT run. Install Debian's apache2. !!!!!\n`);
}
const withApache = HAVE_APACHE ? it : it.skip;

const FIXTURES = join(import.meta.dirname, "..", "..", "fixtures", "rules");
const fixture = (rule: string, name: string) => readFileSync(join(FIXTURES, rule, name), "utf8");

function lint(rule: Rule, text: string, path = "test.conf", opts: LintOptions = {}): Finding[] {
  return lintText(text, path, { rules: [rule], reportUnusedSuppressions: false, ...opts }).findings;
}

function fix(rule: Rule, text: string, path = "test.conf", opts: LintOptions = {}): string {
  const version = /^#\s*fixture:\s*apache-version=(\S+)/m.exec(text);
  const o = version ? { apacheVersion: parseVersion(version[1]!)!, ...opts } : opts;
  return fixUntilStable(text, (t) => lint(rule, t, path, o), () => true).output;
}

// ------------------------------------------------------------------ Apache

interface ServerRoot {
  dir: string;
  /** `apache2 -t` on `text` written into the ServerRoot */
  test(text: string, extra?: string[]): { code: number; output: string };
  /** the `(shared)` module identifiers `apache2 -M` reports for `text` */
  modules(text: string): string[];
}

const roots: string[] = [];
function serverRoot(opts: { modulesLink?: boolean } = {}): ServerRoot {
  const dir = mkdtempSync(join(tmpdir(), "apachelint-modules-"));
  roots.push(dir);
  chmodSync(dir, 0o755); // the children run as www-data when started as root
  mkdirSync(join(dir, "logs"));
  mkdirSync(join(dir, "run"));
  // the RHEL/upstream layout: modules/ under ServerRoot
  if (opts.modulesLink) symlinkSync(DEBIAN_MODULE_DIR, join(dir, "modules"));
  let n = 0;
  const write = (text: string) => {
    const p = join(dir, `c${n++}.conf`);
    writeFileSync(p, text);
    return p;
  };
  const run = (args: string[]) => {
    const r = spawnSync(APACHE, args, { cwd: dir, encoding: "utf8", timeout: 30_000 });
    return { code: r.status ?? -1, output: `${r.stderr}${r.stdout}` };
  };
  return {
    dir,
    test: (text, extra = []) => run(["-t", "-d", dir, "-f", write(text), ...extra]),
    modules: (text) => [...run(["-M", "-d", dir, "-f", write(text)]).output.matchAll(/^ (\w+) \(shared\)$/gm)].map((m) => m[1]!),
  };
}
afterAll(() => {
  for (const d of roots) rmSync(d, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const canConnect = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect({ host: "127.0.0.1", port });
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });

type Started = { ok: true; stop: () => Promise<void> } | { ok: false; log: string };

/** Starts Apache in the foreground; resolves once it listens, or with its error log when it exits. */
async function start(sr: ServerRoot, text: string, port: number): Promise<Started> {
  const conf = join(sr.dir, `start-${port}.conf`);
  writeFileSync(conf, text);
  writeFileSync(join(sr.dir, "logs", "error.log"), ""); // only this start's lines count
  const child = spawn(APACHE, ["-d", sr.dir, "-f", conf, "-DFOREGROUND"], { cwd: sr.dir, stdio: "ignore" });
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const log = () => {
    try {
      return readFileSync(join(sr.dir, "logs", "error.log"), "utf8");
    } catch {
      return "";
    }
  };
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) return { ok: false, log: log() };
    // Apache binds before post_config, where a missing slotmem or lbmethod kills it (g3, g4):
    // it is up once it logs AH00489 "resuming normal operations" (notice level, always logged).
    if (log().includes("AH00489") && (await canConnect(port))) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      await exited;
      throw new Error(`apache2 did not listen on ${port}:\n${log()}`);
    }
    await sleep(10);
  }
  return {
    ok: true,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        await exited;
      }
    },
  };
}

interface WsResult {
  status: number | null;
  echo: string | null;
}

/** A WebSocket handshake + one echoed message through Apache. */
function wsThrough(url: string): Promise<WsResult> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    const done = (r: WsResult) => {
      clearTimeout(timer);
      ws.terminate();
      resolve(r);
    };
    const timer = setTimeout(() => done({ status: null, echo: null }), 5000);
    ws.on("open", () => ws.send("hello"));
    // a clean close travels through the tunnel and ends it, so Apache stops at once
    ws.on("message", (m) => {
      const echo = m.toString();
      ws.once("close", () => done({ status: 101, echo }));
      ws.close();
    });
    ws.on("unexpected-response", (_req, res) => done({ status: res.statusCode ?? null, echo: null }));
    ws.on("error", () => done({ status: null, echo: null }));
  });
}

let backend: WebSocketServer | null = null;
let backendPort = 0;
beforeAll(async () => {
  backend = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise<void>((r) => backend!.once("listening", () => r()));
  backendPort = (backend.address() as AddressInfo).port;
  backend.on("connection", (ws, req) => ws.on("message", (m) => ws.send(`echo ${req.url} ${m.toString()}`)));
});
afterAll(async () => {
  if (backend) await new Promise<void>((r) => backend!.close(() => r()));
});

/** A measured case on fresh ports: Apache on `port`, both backends on the echo server. */
const onPorts = (text: string, port: number) =>
  text.replaceAll("127.0.0.1:18080", `127.0.0.1:${port}`).replaceAll("*:18080", `*:${port}`).replace(/\b1300[12]\b/g, String(backendPort));

// The skeleton every measured case shares (cases/00-baseline.conf).
const SKELETON = fixture("loadmodule-invalid", "good-d1-ws-without-wstunnel.conf").split("\n").slice(1, 11).join("\n");

ruleTester(testedRule, {
  valid: [
    "proxyrequests oFf\n",
    "ProxyRequests ${FWD}\n",
    "RewriteOptions inherit MERGEBASE\n",
  ],
  invalid: [
    {
      name: "the user's case style kept for a synonym",
      code: "ProxyPreserveHost YES\n",
      findings: [
        { line: 1, column: 19, endLine: 1, endColumn: 22, severity: "error", fix: "unsafe", message: "ProxyPreserveHost must be On or Off, not \"YES\": Apache refuses to star" },
      ],
      output: "ProxyPreserveHost ON\n",
    },
    {
      name: "in .htaccess: a 500 per request",
      code: "RewriteEngine onn\n",
      path: ".htaccess",
      findings: [
        { line: 1, column: 15, endLine: 1, endColumn: 18, severity: "error", fix: "unsafe", message: "RewriteEngine must be On or Off, not \"onn\": Apache answers 500 for eve" },
      ],
    },
    {
      name: "doc.bad, finding by finding",
      code: testedRule.doc.bad,
      findings: [
      { line: 1, column: 15, endLine: 1, endColumn: 22, severity: "error", fix: "unsafe", message: "ProxyRequests must be On or Off, not \"off4167\": Apache refuses to star" },
      { line: 2, column: 19, endLine: 2, endColumn: 24, severity: "error", fix: "none", message: "ProxyPreserveHost must be On or Off, not \"maybe\": Apache refuses to st" },
      ],
    },
  ],
});

// ------------------------------------------------------- directive-invalid-value

describe("directive-invalid-value", () => {
  const rule = directiveInvalidValue;
  const one = (line: string, path = "t.conf") => lint(rule, `${line}\n`, path);

  it("reports e1 on the value, with Apache's own words, and cuts it to the allowed prefix", () => {
    const text = fixture("directive-invalid-value", "bad-e1-proxyrequests-bad-flag.conf");
    const [f] = lint(rule, text);
    expect([f!.line, text.slice(f!.start, f!.end)]).toEqual([13, "off4167"]);
    expect(f!.message).toBe('ProxyRequests must be On or Off, not "off4167": Apache refuses to start.');
    expect(f!.fix?.safety).toBe("unsafe");
    expect(fix(rule, "ProxyRequests off4167\n")).toBe("ProxyRequests off\n");
  });

  it("keeps the user's letters, or their case style for a synonym", () => {
    expect(fix(rule, "ProxyRequests OFF4167\n")).toBe("ProxyRequests OFF\n");
    expect(fix(rule, "ProxyPreserveHost true\n")).toBe("ProxyPreserveHost on\n");
    expect(fix(rule, "ProxyPreserveHost YES\n")).toBe("ProxyPreserveHost ON\n");
    expect(fix(rule, 'SSLProxyEngine "Enabled"\n')).toBe('SSLProxyEngine "On"\n');
  });

  it("offers no fix when no allowed value is meant unambiguously", () => {
    expect(one("ProxyPreserveHost maybe").map((f) => f.fix)).toEqual([undefined]);
    expect(one("ProxyVia bogus")[0]!.message).toBe('ProxyVia accepts Off, On, Full or Block, not "bogus": Apache refuses to start.');
  });

  it("is case-insensitive like Apache, and skips what is not a value: # words, ${VAR}, words after a FLAG", () => {
    for (const ok of ["proxyrequests oFf", "ProxyRequests Off # comment", "ProxyRequests #Off", "ProxyRequests ${FWD}", "ProxyRequests On extra", "RewriteOptions inherit MERGEBASE"]) {
      expect(one(ok), ok).toEqual([]);
    }
    expect(one("RewriteOptions Inherit Bogus").map((f) => f.column)).toEqual([24]);
  });

  it("says what happens in .htaccess: a 500 per request", () => {
    expect(one("RewriteEngine onn", ".htaccess")[0]!.message).toContain("Apache answers 500");
  });

  it("has a table of at least 40 enumerated directives, FLAGs included, whose modules all exist", () => {
    const enumerated = DIRECTIVES.filter((d) => d.values || d.each);
    expect(enumerated.length).toBeGreaterThanOrEqual(40);
    for (const name of ["ProxyRequests", "ProxyPreserveHost", "RewriteEngine", "SSLProxyEngine", "ProxyAddHeaders", "SSLProxyCheckPeerName", "KeepAlive", "ExpiresActive"]) {
      expect(directiveInfo(name)?.arity, name).toBe("flag");
    }
    const known = new Set([...MODULES.map((m) => m.name), "core"]);
    for (const d of DIRECTIVES) for (const m of d.modules) expect(known, `${d.name}: ${m}`).toContain(m);
    expect(loadableProviders(directiveInfo("RewriteRule")!)).toEqual(["rewrite"]);
    expect(loadableProviders(directiveInfo("LoadModule")!)).toBeNull();
  });

  withApache("e1: apache2 -t fails with 'ProxyRequests must be On or Off' before the fix and passes after", () => {
    const sr = serverRoot();
    const text = fixture("directive-invalid-value", "bad-e1-proxyrequests-bad-flag.conf");
    const before = sr.test(text);
    expect([before.code, before.output]).toEqual([1, expect.stringContaining("ProxyRequests must be On or Off")]);
    expect(sr.test(fix(rule, text)).code).toBe(0);
  });

  withApache("the table still matches apache2: every 8th enumerated directive rejects a value outside its set", () => {
    const sr = serverRoot();
    const all = MODULES.filter((m) => !/^mpm_(worker|prefork)$/.test(m.name));
    // every module, each after the ones it links against
    const order: string[] = [];
    const visit = (name: string) => {
      if (order.includes(name)) return;
      for (const d of moduleByName(name)!.loadAfter) visit(d);
      order.push(name);
    };
    for (const m of all) visit(m.name);
    const head = [...SKELETON.split("\n").filter((l) => !l.startsWith("LoadModule")), ...order.map((n) => `LoadModule ${moduleByName(n)!.id} ${DEBIAN_MODULE_DIR}/${moduleByName(n)!.file}`)].join("\n");
    const sample = DIRECTIVES.filter((d) => (d.values?.[0] || d.each) && !d.modules.some((m) => m.startsWith("mpm_"))).filter((_, i) => i % 8 === 0);
    expect(sample.length).toBeGreaterThan(10);
    for (const d of sample) {
      const line = `${d.name} bogus4167`;
      const at = head.split("\n").length + 1;
      let r = sr.test(`${head}\n${line}\n`);
      let expected = at;
      if (/not allowed here/.test(r.output)) {
        r = sr.test(`${head}\n<Directory "/">\n${line}\n</Directory>\n`);
        expected = at + 1;
      }
      // refused, and for this very line
      expect(r.code, `${line}: ${r.output}`).toBe(1);
      expect(Number(/Syntax error on line (\d+) of/.exec(r.output)?.[1]), `${line}: ${r.output}`).toBe(expected);
    }
  });
});

describe("the documented examples", () => {
  for (const rule of [directiveInvalidValue]) {
    it(`${rule.id}: doc.bad fires and doc.good is silent`, () => {
      expect(lint(rule, rule.doc.bad).length).toBeGreaterThan(0);
      expect(lint(rule, rule.doc.good)).toEqual([]);
    });
  }
});
