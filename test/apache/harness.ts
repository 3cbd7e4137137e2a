// A real Apache httpd on loopback for end-to-end proofs: a private ServerRoot in
// a temp dir, `apache2 -t`, a foreground server started and stopped by its own
// PID, WebSocket echo backends (plain or TLS) and two kinds of client. Nothing
// here touches a process it did not start, and everything listens on 127.0.0.1.
import { spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import http from "node:http";
import https from "node:https";
import net, { type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import type { Duplex } from "node:stream";
import WebSocket, { WebSocketServer } from "ws";
import { DEBIAN_MODULE_DIR } from "../../src/data/modules.js";
import { moduleByName } from "../../src/apache/modules.js";

export const PROJECT_ROOT = join(import.meta.dirname, "..", "..");
export const CLI = join(PROJECT_ROOT, "dist", "src", "cli", "main.js");
export const IN_CI = process.env.CI === "true" || process.env.CI === "1";

function findApache(): string | null {
  if (process.env.APACHE2 && existsSync(process.env.APACHE2)) return process.env.APACHE2;
  // /usr/sbin is not on a non-root PATH on Debian
  const dirs = [...(process.env.PATH ?? "").split(delimiter), "/usr/sbin", "/usr/local/sbin", "/sbin"];
  for (const d of dirs) {
    if (d && existsSync(join(d, "apache2"))) return join(d, "apache2");
  }
  return null;
}

export const APACHE: string | null = findApache();

/**
 * Whether the Apache-backed tests should run. Without apache2 they skip with a
 * loud warning on a developer machine; in CI they run anyway and fail on their
 * first use of Apache, because a skip there would pass the proof silently.
 */
export function apacheOrSkip(suite: string): boolean {
  if (APACHE) return true;
  const msg = `apache2 not found (looked on PATH and in /usr/sbin): ${suite} needs a real Apache httpd`;
  if (IN_CI) {
    console.error(`\n!!!!! ${msg}. CI=true: these tests fail instead of skipping. !!!!!\n`);
    return true;
  }
  console.warn(`\n!!!!! SKIPPED: ${msg}. Install Debian's apache2 to run it. !!!!!\n`);
  return false;
}

/** Fails with a clear message when dist/ is missing; the tests run the built CLI, as users do. */
export function requireBuiltCli(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first with \`npx tsc -p .\` (npm test does it)`);
  const cliTime = statSync(CLI).mtimeMs;
  const src = join(PROJECT_ROOT, "src", "cli", "main.ts");
  if (existsSync(src) && statSync(src).mtimeMs > cliTime) {
    console.warn(`warning: ${CLI} is older than src/cli/main.ts; rebuild with \`npx tsc -p .\``);
  }
}

// ---------------------------------------------------------------- processes

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program to completion without a shell; never throws on a non-zero exit. */
export function run(cmd: string, args: readonly string[], opts: { cwd?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 60_000);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
}

/** The built CLI, as `node dist/src/cli/main.js ARGS`. */
export function apachelint(args: readonly string[], cwd = PROJECT_ROOT): Promise<RunResult> {
  return run(process.execPath, [CLI, ...args], { cwd, timeoutMs: 120_000 });
}

/** Runs `fn` over `items` with at most `limit` at a time, keeping the order of results. */
export async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

// ------------------------------------------------------------------ network

/** A port the kernel says is free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: "127.0.0.1", port });
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ------------------------------------------------------------------- Apache

/** An Apache module by its a2enmod name, as a LoadModule line for Debian's module directory. */
export function loadModule(name: string): string {
  const m = moduleByName(name);
  if (!m) throw new Error(`unknown Apache module ${name}`);
  return `LoadModule ${m.id} ${DEBIAN_MODULE_DIR}/${m.file}`;
}

/** Load orders that work: a provider before its users, as Apache's dlopen needs. */
export const MODULE_SETS = {
  base: ["mpm_event", "authz_core"],
  proxy: ["proxy", "proxy_http", "proxy_wstunnel"],
  balancer: ["slotmem_shm", "proxy_balancer", "lbmethod_byrequests"],
  rewrite: ["rewrite"],
  ssl: ["socache_shmcb", "ssl"],
} as const;

/** Whether /etc/passwd or /etc/group has this name (Apache refuses to start as root with an unknown User). */
function hasEntry(file: string, name: string): boolean {
  return existsSync(file) && new RegExp(`^${name}:`, "m").test(readFileSync(file, "utf8"));
}
// www-data on Debian, nobody elsewhere; it only matters when the tests run as root.
const RUN_USER = hasEntry("/etc/passwd", "www-data") ? "www-data" : "nobody";
const RUN_GROUP = hasEntry("/etc/group", "www-data") ? "www-data" : "nogroup";

export interface SkeletonOptions {
  port: number;
  /** a2enmod names, loaded in this order after mpm_event and authz_core */
  modules?: readonly string[];
  /** server-level text after the LoadModule lines (the config under test, or an Include of it) */
  body: string;
}

/**
 * The smallest server config Apache 2.4 starts with: ServerRoot-relative
 * pid/runtime/log paths, one loopback Listen, and the user to drop to when
 * started as root. Everything else comes from `modules` and `body`.
 */
export function serverConfig(o: SkeletonOptions): string {
  const mods = [...MODULE_SETS.base, ...(o.modules ?? [])];
  return [
    "# generated by test/apache/harness.ts",
    "ServerName 127.0.0.1",
    `Listen 127.0.0.1:${o.port}`,
    "PidFile run/httpd.pid",
    "DefaultRuntimeDir run",
    "ErrorLog logs/error.log",
    "LogLevel warn",
    `User ${RUN_USER}`,
    `Group ${RUN_GROUP}`,
    ...mods.map(loadModule),
    o.body,
    "",
  ].join("\n");
}

export interface ServerRoot {
  dir: string;
  /** writes `text` into the ServerRoot under `name` and returns its absolute path */
  write(name: string, text: string): Promise<string>;
  /** `apache2 -t -d SR -f conf` */
  test(conf: string): Promise<ApacheTest>;
  start(conf: string, port: number): Promise<RunningApache>;
  errorLog(): Promise<string>;
  remove(): Promise<void>;
}

export interface ApacheTest {
  ok: boolean;
  code: number;
  /** everything Apache printed (it prints to stderr, `Syntax OK` included) */
  output: string;
}

export interface RunningApache {
  pid: number;
  port: number;
  stop(): Promise<void>;
}

const started = new Set<ChildProcess>();
// If a test dies with Apache still up, stop what this process started, and only that.
// SIGTERM, not SIGKILL: Apache's parent then takes its children down with it.
process.once("exit", () => {
  for (const c of started) if (c.exitCode === null && c.pid) process.kill(c.pid, "SIGTERM");
});

/**
 * A private ServerRoot. With `modulesLink` it has a `modules` link to the module
 * directory, the layout of CentOS's /etc/httpd, which the tutorial's
 * `LoadModule … modules/…` lines assume.
 */
export async function makeServerRoot(opts: { modulesLink?: boolean } = {}): Promise<ServerRoot> {
  const dir = await mkdtemp(join(tmpdir(), "apachelint-sr-"));
  // when started as root, the children run as www-data and must be able to reach the ServerRoot
  await chmod(dir, 0o755);
  await mkdir(join(dir, "logs"));
  await mkdir(join(dir, "run"));
  if (opts.modulesLink) await symlink(DEBIAN_MODULE_DIR, join(dir, "modules"));
  const bin = APACHE;
  if (!bin) throw new Error("apache2 is not installed (CI installs it with .ci/run; locally: apt-get install apache2)");
  const sr: ServerRoot = {
    dir,
    async write(name, text) {
      const p = join(dir, name);
      await writeFile(p, text);
      return p;
    },
    async test(conf) {
      const r = await run(bin, ["-t", "-d", dir, "-f", conf], { cwd: dir, timeoutMs: 30_000 });
      const output = r.stderr + r.stdout;
      return { ok: r.code === 0 && /Syntax OK/.test(output), code: r.code, output };
    },
    async start(conf, port) {
      await writeFile(join(dir, "logs", "error.log"), ""); // errorLog() then shows this run only
      const child = spawn(bin, ["-d", dir, "-f", conf, "-DFOREGROUND"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
      started.add(child);
      let output = "";
      child.stdout!.setEncoding("utf8").on("data", (d: string) => (output += d));
      child.stderr!.setEncoding("utf8").on("data", (d: string) => (output += d));
      const exited = new Promise<void>((r) => child.once("exit", () => r()));
      const stop = async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill("SIGTERM");
          const t = setTimeout(() => child.kill("SIGKILL"), 10_000);
          await exited;
          clearTimeout(t);
        }
        started.delete(child);
      };
      const deadline = Date.now() + 15_000;
      for (;;) {
        if (child.exitCode !== null || child.signalCode !== null) {
          started.delete(child);
          throw new Error(`apache2 exited during startup (${child.exitCode ?? child.signalCode}):\n${output}\n${await sr.errorLog()}`);
        }
        if (await canConnect(port)) break;
        if (Date.now() > deadline) {
          await stop();
          throw new Error(`apache2 did not listen on 127.0.0.1:${port} within 15 s:\n${output}`);
        }
        await sleep(5);
      }
      return { pid: child.pid!, port, stop };
    },
    async errorLog() {
      return readFile(join(dir, "logs", "error.log"), "utf8").catch(() => "");
    },
    async remove() {
      await rm(dir, { recursive: true, force: true });
    },
  };
  return sr;
}

/** Starts Apache on `conf`, runs `fn`, and always stops it. */
export async function withApache<T>(sr: ServerRoot, conf: string, port: number, fn: (a: RunningApache) => Promise<T>): Promise<T> {
  const a = await sr.start(conf, port);
  try {
    return await fn(a);
  } finally {
    await a.stop();
  }
}

// ----------------------------------------------------------------- backends

export interface Tls {
  key: string;
  cert: string;
}

/** A throwaway self-signed certificate for 127.0.0.1, made by openssl at test time. */
export async function selfSignedCert(dir: string): Promise<Tls> {
  const key = join(dir, "backend-key.pem");
  const cert = join(dir, "backend-cert.pem");
  const r = await run("openssl", [
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
    "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
  ]);
  if (r.code !== 0) throw new Error(`openssl failed: ${r.stderr}`);
  return { key: await readFile(key, "utf8"), cert: await readFile(cert, "utf8") };
}

export interface Backend {
  port: number;
  tls: boolean;
  /** what reached the backend: "UPGRADE /path" or "HTTP /path" */
  seen: string[];
  close(): Promise<void>;
}

/** The echo text a backend sends back, which names the backend and the path it was asked for. */
export function echoText(port: number, path: string, msg: string): string {
  return `echo[${port} ${path}]: ${msg}`;
}

/**
 * A WebSocket echo server (any path) that answers plain HTTP with 200 and a JSON
 * body naming itself. With `tls` it is the `wss://`/`https://` backend.
 */
export async function startBackend(tls?: Tls): Promise<Backend> {
  const seen: string[] = [];
  let port = 0;
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    seen.push(`HTTP ${req.url}`);
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ backend: port, url: req.url }));
  };
  const server = tls ? https.createServer({ key: tls.key, cert: tls.cert }, onRequest) : http.createServer(onRequest);
  const wss = new WebSocketServer({ noServer: true });
  server.on("upgrade", (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    seen.push(`UPGRADE ${req.url}`);
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on("message", (data) => ws.send(echoText(port, req.url ?? "", String(data))));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    port,
    tls: !!tls,
    seen,
    async close() {
      for (const c of wss.clients) c.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

// ------------------------------------------------------------------ clients

export interface ClientResult {
  /** the HTTP status of the handshake response (101 on success) */
  status: number | null;
  /** the first message received back */
  echo: string | null;
  error: string | null;
  /** start of the body of a non-101 answer, to see what answered instead */
  body?: string;
}

/** The `ws` library's client: `Connection: Upgrade`, as Chrome sends it. */
export function wsClient(url: string, msg = "hello", timeoutMs = 5000): Promise<ClientResult> {
  return new Promise((resolve) => {
    const r: ClientResult = { status: null, echo: null, error: null };
    const ws = new WebSocket(url, { handshakeTimeout: timeoutMs });
    let settled = false;
    const done = (extra: Partial<ClientResult>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      Object.assign(r, extra);
      ws.terminate();
      resolve(r);
    };
    const timer = setTimeout(() => done({ error: `timeout after ${timeoutMs} ms` }), timeoutMs);
    ws.on("upgrade", (res) => (r.status = res.statusCode ?? null));
    ws.on("unexpected-response", (_req, res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (body += d));
      res.on("end", () => done({ status: res.statusCode ?? null, error: "unexpected response", body: body.slice(0, 300) }));
    });
    ws.on("open", () => ws.send(msg));
    // A clean closing handshake, as a browser does: an abruptly dropped tunnel can leave
    // Apache's child unable to stop (it then needs its parent's SIGKILL, 9 s later).
    ws.on("message", (data) => {
      r.echo = String(data);
      ws.close(1000);
    });
    ws.on("error", (e) => done({ error: e.message }));
    ws.on("close", (code) => done(r.echo === null ? { error: `closed (${code}) before an echo` } : {}));
  });
}

const WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/**
 * A hand-rolled handshake with a chosen Connection header (Firefox sends
 * `keep-alive, Upgrade`). It checks Sec-WebSocket-Accept, sends one masked text
 * frame and reads one unmasked text frame back.
 */
export function rawClient(url: string, connection: string, msg = "hello", timeoutMs = 5000): Promise<ClientResult> {
  return new Promise((resolve) => {
    const r: ClientResult = { status: null, echo: null, error: null };
    const u = new URL(url.replace(/^ws/, "http"));
    const key = randomBytes(16).toString("base64");
    let settled = false;
    let sock: Duplex | null = null;
    const done = (extra: Partial<ClientResult>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      Object.assign(r, extra);
      sock?.destroy();
      req.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => done({ error: `timeout after ${timeoutMs} ms` }), timeoutMs);
    const req = http.request({
      host: u.hostname,
      port: u.port,
      path: u.pathname + u.search,
      headers: { Host: u.host, Connection: connection, Upgrade: "websocket", "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": key },
      agent: false,
    });
    req.on("response", (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (body += d));
      res.on("end", () => done({ status: res.statusCode ?? null, error: "no upgrade", body: body.slice(0, 300) }));
    });
    req.on("upgrade", (res, socket, head) => {
      sock = socket;
      r.status = res.statusCode ?? null;
      const expected = createHash("sha1").update(key + WS_GUID).digest("base64");
      if (res.headers["sec-websocket-accept"] !== expected) return done({ error: `bad Sec-WebSocket-Accept ${res.headers["sec-websocket-accept"]}` });
      const payload = Buffer.from(msg);
      if (payload.length > 125) return done({ error: "message too long for this client" });
      const mask = randomBytes(4);
      socket.write(Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, payload.map((b, i) => b ^ mask[i % 4]!)]));
      let buf: Buffer = Buffer.from(head);
      const tryFrame = () => {
        // after the echo only the server's close frame and the end of the stream are expected
        if (r.echo !== null || buf.length < 2) return;
        if (buf[0] !== 0x81) return done({ error: `unexpected frame 0x${buf[0]!.toString(16)}` });
        let len = buf[1]! & 0x7f;
        let at = 2;
        if (len === 126) {
          if (buf.length < 4) return;
          len = buf.readUInt16BE(2);
          at = 4;
        }
        if (buf.length < at + len) return;
        r.echo = buf.subarray(at, at + len).toString();
        buf = buf.subarray(at + len);
        // closing handshake: a masked close frame (1000), then wait for the server to close
        const closeMask = randomBytes(4);
        const code = Buffer.from([0x03, 0xe8]);
        socket.write(Buffer.concat([Buffer.from([0x88, 0x80 | code.length]), closeMask, code.map((b, i) => b ^ closeMask[i % 4]!)]));
      };
      socket.on("data", (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        tryFrame();
      });
      socket.on("error", (e) => done(r.echo === null ? { error: e.message } : {}));
      socket.on("close", () => done(r.echo === null ? { error: "closed before an echo" } : {}));
      tryFrame();
    });
    req.on("error", (e) => done({ error: e.message }));
    req.end();
  });
}

/** A plain GET through Apache: status and body. */
export function httpGet(url: string, timeoutMs = 5000): Promise<{ status: number | null; body: string; error: string | null }> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, timeout: timeoutMs }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? null, body, error: null }));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", (e) => resolve({ status: null, body: "", error: e.message }));
  });
}

// -------------------------------------------------------------------- files

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `apachelint-${prefix}-`));
}

/**
 * Apache's complaint on one line, without the "Syntax error on line N of FILE:"
 * prefixes (kept as @N, nested includes as @N: @M:), directories, and the
 * mod_ssl/OpenSSL version notices this host prints on every run.
 */
export function apacheMessage(output: string, max = 160): string {
  return output
    .split("\n")
    .filter((l) => l.trim() && !/AH01882|AH01873|^Syntax OK$|AH01574/.test(l))
    .join(" ")
    .replace(/(?:AH00526: |apache2: )?Syntax error on line (\d+) of [^:]+:\s*/g, "@$1: ")
    .replace(/(^|[\s'"(])\/[^\s:'"]*\/([^/\s:'"]+)/g, "$1$2")
    .slice(0, max);
}

/** Formats rows as a fixed-width text table for failure messages and logs. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? "").length)));
  const line = (r: readonly string[]) => r.map((c, i) => (c ?? "").padEnd(widths[i]!)).join(" | ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("-|-"), ...rows.map(line)].join("\n");
}

/**
 * A summary a suite measured (a differential's table, a corpus count): printed
 * only with APACHELINT_TEST_VERBOSE=1, so that `npm test` stays quiet.
 */
export function verboseReport(text: string): void {
  if (process.env.APACHELINT_TEST_VERBOSE) console.log(text);
}
