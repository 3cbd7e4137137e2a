// What the module rules' tests share (loadmodule-invalid, module-not-loaded,
// directive-invalid-value): lint and fix helpers, private ServerRoots, a real
// Apache started on loopback and stopped by PID, and a WebSocket client.
import { afterAll, beforeAll, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import net, { type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import WebSocket, { WebSocketServer } from "ws";
import { lintText, type Finding, type Options as LintOptions } from "../../src/index.js";
import { fixUntilStable } from "../../src/core/fixer.js";
import type { Rule } from "../../src/core/rule.js";
import { parseVersion } from "../../src/apache/version.js";
import { DEBIAN_MODULE_DIR } from "../../src/data/modules.js";

export const APACHE = "/usr/sbin/apache2";
export const HAVE_APACHE = existsSync(APACHE);
if (!HAVE_APACHE) {
  console.warn(`\n!!!!! SKIPPED: ${APACHE} is absent, so the apache2 proofs of the loadmodule-invalid, module-not-loaded and directive-invalid-value fixes did NOT run. Install Debian's apache2. !!!!!\n`);
}
export const withApache = HAVE_APACHE ? it : it.skip;

export const FIXTURES = join(import.meta.dirname, "..", "..", "fixtures", "rules");
export const fixture = (rule: string, name: string) => readFileSync(join(FIXTURES, rule, name), "utf8");

export function lint(rule: Rule, text: string, path = "test.conf", opts: LintOptions = {}): Finding[] {
  return lintText(text, path, { rules: [rule], reportUnusedSuppressions: false, ...opts }).findings;
}

export function fix(rule: Rule, text: string, path = "test.conf", opts: LintOptions = {}): string {
  const version = /^#\s*fixture:\s*apache-version=(\S+)/m.exec(text);
  const o = version ? { apacheVersion: parseVersion(version[1]!)!, ...opts } : opts;
  return fixUntilStable(text, (t) => lint(rule, t, path, o), () => true).output;
}

// ------------------------------------------------------------------ Apache

export interface ServerRoot {
  dir: string;
  /** `apache2 -t` on `text` written into the ServerRoot */
  test(text: string, extra?: string[]): { code: number; output: string };
  /** the `(shared)` module identifiers `apache2 -M` reports for `text` */
  modules(text: string): string[];
}

const roots: string[] = [];
export function serverRoot(opts: { modulesLink?: boolean } = {}): ServerRoot {
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

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const canConnect = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect({ host: "127.0.0.1", port });
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });

export type Started = { ok: true; stop: () => Promise<void> } | { ok: false; log: string };

/** Starts Apache in the foreground; resolves once it listens, or with its error log when it exits. */
export async function start(sr: ServerRoot, text: string, port: number): Promise<Started> {
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

export interface WsResult {
  status: number | null;
  echo: string | null;
}

/** A WebSocket handshake + one echoed message through Apache. */
export function wsThrough(url: string): Promise<WsResult> {
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
export let backendPort = 0;

/**
 * Registers the file's hooks: a WebSocket echo backend on a free loopback port
 * for the live proofs, and removal of the ServerRoots the file made. Call once
 * at the top of a test file.
 */
export function useModuleProofs(): void {
  beforeAll(async () => {
    backend = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await new Promise<void>((r) => backend!.once("listening", () => r()));
    backendPort = (backend.address() as AddressInfo).port;
    backend.on("connection", (ws, req) => ws.on("message", (m) => ws.send(`echo ${req.url} ${m.toString()}`)));
  });
  afterAll(async () => {
    if (backend) await new Promise<void>((r) => backend!.close(() => r()));
    for (const d of roots) rmSync(d, { recursive: true, force: true });
  });
}

/** A measured case on fresh ports: Apache on `port`, both backends on the echo server. */
export const onPorts = (text: string, port: number) =>
  text.replaceAll("127.0.0.1:18080", `127.0.0.1:${port}`).replaceAll("*:18080", `*:${port}`).replace(/\b1300[12]\b/g, String(backendPort));

// The skeleton every measured case shares (cases/00-baseline.conf).
export const SKELETON = fixture("loadmodule-invalid", "good-d1-ws-without-wstunnel.conf").split("\n").slice(1, 11).join("\n");
