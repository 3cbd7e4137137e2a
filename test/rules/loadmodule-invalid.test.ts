// loadmodule-invalid against Apache 2.4.71, its fixes proven with apache2 -t. Moved from test/rules-modules.test.ts, plus the rule tester.
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/loadmodule-invalid.js";
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
    "LoadModule proxy_module modules/mod_proxy.so\nLoadModule proxy_http_module modules/mod_proxy_http.so\n",
  ],
  invalid: [
    {
      name: "a duplicate deleted, CRLF file",
      code: "LoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so\r\nLoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so",
      findings: [
        { line: 2, column: 1, endLine: 2, endColumn: 62, severity: "warning", fix: "safe", message: "proxy_module is already loaded on line 1: Apache skips this LoadModule" },
      ],
      output: "LoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so",
    },
    {
      name: "an unknown module's directory path, no guess",
      code: "LoadModule wsgi_module modules/\n",
      findings: [
        { line: 1, column: 12, endLine: 1, endColumn: 32, severity: "error", fix: "none", message: "LoadModule wsgi_module: modules/ names a directory, not a shared objec" },
      ],
    },
    {
      name: "doc.bad, finding by finding",
      code: testedRule.doc.bad,
      findings: [
      { line: 2, column: 12, endLine: 2, endColumn: 38, severity: "error", fix: "safe", message: "LoadModule proxy_http_module: modules/ names a directory, not a shared" },
      { line: 3, column: 12, endLine: 3, endColumn: 35, severity: "error", fix: "safe", message: "LoadModule proxy_wstunnel: the identifier must be proxy_wstunnel_modul" },
      ],
    },
  ],
});

// ------------------------------------------------------------ loadmodule-invalid

describe("loadmodule-invalid", () => {
  const rule = loadmoduleInvalid;
  const dir = "loadmodule-invalid";

  it("reports the wrong identifier and the directory path of d3 in one finding, at the line Apache names", () => {
    const [f, ...rest] = lint(rule, fixture(dir, "bad-d3-loadmodule-name-and-dir.conf"));
    expect(rest).toEqual([]);
    expect(f!.line).toBe(14);
    expect(f!.message).toContain("proxy_wstunnel_module");
    expect(f!.message).toContain("modules/ names a directory");
    expect(f!.fix?.safety).toBe("safe");
  });

  it("reports the load order on the submodule's line, pointing at mod_proxy's line (d7)", () => {
    const [f] = lint(rule, fixture(dir, "bad-d7-loadmodule-order.conf"));
    expect([f!.line, f!.related.map((r) => r.line)]).toEqual([12, [13]]);
    expect(f!.message).toMatch(/needs proxy_module loaded first/);
  });

  it("reports a duplicate as a warning (Apache only warns, AH01574) and deletes it (d8)", () => {
    const [f] = lint(rule, fixture(dir, "bad-d8-duplicate-loadmodule.conf"));
    expect([f!.line, f!.severity]).toEqual([13, "warning"]);
    const text = "LoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so\r\nLoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so";
    expect(fix(rule, text)).toBe("LoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so");
  });

  it("keeps the written modules/ directory in a RHEL-style tree, where ServerRoot has one", () => {
    const text = fixture(dir, "bad-tutorial.conf");
    const out = fix(rule, text, "/etc/httpd/conf.modules.d/00-proxy.conf");
    expect(out).toContain("LoadModule proxy_http_module modules/mod_proxy_http.so\n");
    expect(out).toContain("LoadModule proxy_wstunnel_module modules/mod_proxy_wstunnel.so\n");
    // elsewhere Debian's absolute directory, which works whatever ServerRoot is
    expect(fix(rule, text, "site.conf")).toContain("LoadModule proxy_http_module /usr/lib/apache2/modules/mod_proxy_http.so\n");
  });

  it("makes a relative path absolute: safe in a Debian tree, unsafe when only inferred from the other lines (d6)", () => {
    const text = fixture(dir, "bad-d6-loadmodule-rhel-path.conf");
    expect(lint(rule, text)[0]!.fix?.safety).toBe("unsafe");
    const debian = makeServerInfo({ managesModules: true, debianRoot: "/etc/apache2", loaded: [] });
    expect(lint(rule, text, "/etc/apache2/conf-available/x.conf", { server: debian })[0]!.fix?.safety).toBe("safe");
    // a RHEL-style file whose lines all agree on modules/ is fine
    expect(lint(rule, "LoadModule proxy_module modules/mod_proxy.so\nLoadModule proxy_http_module modules/mod_proxy_http.so\n")).toEqual([]);
  });

  it("reports an unknown module's directory path without guessing a file name", () => {
    const [f] = lint(rule, "LoadModule wsgi_module modules/\n");
    expect(f!.message).toContain("modules/ names a directory");
    expect(f!.fix).toBeUndefined();
  });

  const failing: [string, RegExp][] = [
    ["bad-d3-loadmodule-name-and-dir.conf", /Cannot load modules\/ into server/],
    ["bad-d4-loadmodule-dir-only.conf", /Cannot load modules\/ into server/],
    ["bad-d5-loadmodule-wrong-id.conf", /Can't locate API module structure `proxy_wstunnel'/],
    ["bad-d6-loadmodule-rhel-path.conf", /Cannot load modules\/mod_proxy_http.so into server/],
    ["bad-d7-loadmodule-order.conf", /undefined symbol: ap_proxy_pass_brigade/],
    ["bad-identifier-case.conf", /Can't locate API module structure `PROXY_module'/],
  ];
  for (const [name, apacheSays] of failing) {
    withApache(`${name}: apache2 -t fails before the fix and says Syntax OK after it`, () => {
      const sr = serverRoot();
      const text = fixture(dir, name);
      const before = sr.test(text.includes("ServerName") ? text : `${SKELETON}\n${text}`);
      expect(before.code).toBe(1);
      expect(before.output).toMatch(apacheSays);
      const fixed = fix(rule, text);
      expect(lint(rule, fixed)).toEqual([]);
      const after = sr.test(fixed.includes("ServerName") ? fixed : `${SKELETON}\n${fixed}`);
      expect(after.output).toContain("Syntax OK");
      expect(after.code).toBe(0);
    });
  }

  // The file's last line with trailing blanks and no line break: its blanks are not a line break, so the moved
  // line gets the file's own and the line before it gives up its break (the file still ends without one).
  const WSTUNNEL = "LoadModule proxy_wstunnel_module /usr/lib/apache2/modules/mod_proxy_wstunnel.so";
  const PROXY = "LoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so";
  it("moves a last line that has trailing blanks and no line break onto a line of its own (d7)", () => {
    expect(fix(rule, `${WSTUNNEL}\n${PROXY}  \t`)).toBe(`${PROXY}  \t\n${WSTUNNEL}`);
    expect(fix(rule, `${WSTUNNEL}\r\n${PROXY} `)).toBe(`${PROXY} \r\n${WSTUNNEL}`);
  });

  it("deletes a duplicate last line that has trailing blanks and no line break with the line break before it (d8)", () => {
    expect(fix(rule, `${PROXY}\n${PROXY}   `)).toBe(PROXY);
  });

  withApache("a moved last line with trailing blanks and no line break: apache2 -t says Syntax OK after the fix", () => {
    const sr = serverRoot();
    const text = `${SKELETON}\n${WSTUNNEL}\n${PROXY}   `;
    expect(sr.test(text).output).toMatch(/undefined symbol: ap_proxy_pass_brigade/);
    const fixed = fix(rule, text);
    expect(lint(rule, fixed)).toEqual([]);
    const after = sr.test(fixed);
    expect([after.code, after.output.trim()]).toEqual([0, "Syntax OK"]);
  });

  withApache("bad-d8-duplicate-loadmodule.conf: the AH01574 warning is gone after the fix", () => {
    const sr = serverRoot();
    const text = fixture(dir, "bad-d8-duplicate-loadmodule.conf");
    expect(sr.test(text).output).toMatch(/AH01574: module proxy_module is already loaded/);
    const after = sr.test(fix(rule, text));
    expect([after.code, /AH01574/.test(after.output)]).toEqual([0, false]);
  });

  withApache("the tutorial's CentOS lines: fixed for Debian (absolute) and for a RHEL ServerRoot (modules/), both load", () => {
    const text = fixture(dir, "bad-tutorial.conf");
    // mod_proxy comes from another file of the tree (00-proxy.conf loads it first on CentOS)
    const withProxy = (body: string, moddir: string) => `${SKELETON}\nLoadModule proxy_module ${moddir}mod_proxy.so\n${body}`;
    const debian = serverRoot();
    expect(debian.test(withProxy(text, `${DEBIAN_MODULE_DIR}/`)).code).toBe(1);
    const forDebian = debian.test(withProxy(fix(rule, text), `${DEBIAN_MODULE_DIR}/`));
    expect([forDebian.code, forDebian.output.trim()]).toEqual([0, "Syntax OK"]);
    const rhel = serverRoot({ modulesLink: true });
    expect(rhel.test(withProxy(text, "modules/")).code).toBe(1);
    const forRhel = rhel.test(withProxy(fix(rule, text, "/etc/httpd/conf.modules.d/00-proxy.conf"), "modules/"));
    expect([forRhel.code, forRhel.output.trim()]).toEqual([0, "Syntax OK"]);
  });
});

describe("the documented examples", () => {
  for (const rule of [loadmoduleInvalid]) {
    it(`${rule.id}: doc.bad fires and doc.good is silent`, () => {
      expect(lint(rule, rule.doc.bad).length).toBeGreaterThan(0);
      expect(lint(rule, rule.doc.good)).toEqual([]);
    });
  }
});
