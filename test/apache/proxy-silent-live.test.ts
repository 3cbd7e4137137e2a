// Live proofs for the reverse-proxy rules of issues 12 and 13: what a backend
// receives and what a client sees through Apache 2.4.71 on loopback, for
// configs that `apache2 -t` accepts without a word. Each `it` re-measures a
// claim that a rule's doc.why makes; the numbers are committed in
// fixtures/rules/<id>/live-*.txt by hand from APACHELINT_TEST_VERBOSE=1 runs.
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket, { WebSocketServer } from "ws";
import {
  apacheOrSkip,
  freePort,
  makeServerRoot,
  MODULE_SETS,
  selfSignedCert,
  serverConfig,
  verboseReport,
  withApache,
  type ServerRoot,
  type Tls,
} from "./harness.js";
import { lintRule } from "../helpers/rule-tester.js";
import type { Rule } from "../../src/core/rule.js";
import proxyPreserveHost from "../../rules/proxy-preserve-host.js";
import websocketTimeoutShort from "../../rules/websocket-timeout-short.js";
import proxypassReverseUnmatched from "../../rules/proxypass-reverse-unmatched.js";
import websocketSchemeMismatch from "../../rules/websocket-scheme-mismatch.js";
import sslProxyVerifyOff from "../../rules/ssl-proxy-verify-off.js";
import proxyTargetFromRequest from "../../rules/proxy-target-from-request.js";
import remoteipTrustAll from "../../rules/remoteip-trust-all.js";

const run = apacheOrSkip("proxy-silent-live");

/** The ids of `rule`'s findings on the config Apache just ran: the rule speaks about what was measured. */
const findings = (rule: Rule, conf: string) => lintRule(rule, conf).map((f) => `${f.line}:${f.column}`);

/** A backend that records every request's headers; `/redirect` answers 302 to its own /login, upgrades echo. */
interface HeaderBackend {
  port: number;
  requests: http.IncomingHttpHeaders[];
  close(): Promise<void>;
}

async function headerBackend(tls?: Tls): Promise<HeaderBackend> {
  const requests: http.IncomingHttpHeaders[] = [];
  let port = 0;
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    requests.push(req.headers);
    if (req.url === "/redirect") {
      res.writeHead(302, { Location: `http://127.0.0.1:${port}/login` });
      res.end();
      return;
    }
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ backend: port, host: req.headers.host ?? null }));
  };
  const server = tls ? https.createServer({ key: tls.key, cert: tls.cert }, onRequest) : http.createServer(onRequest);
  const wss = new WebSocketServer({ noServer: true });
  server.on("upgrade", (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    requests.push(req.headers);
    wss.handleUpgrade(req, socket, head, (ws) => ws.on("message", (d) => ws.send(`echo: ${String(d)}`)));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  port = (server.address() as AddressInfo).port;
  return {
    port,
    requests,
    async close() {
      for (const c of wss.clients) c.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** A GET with chosen headers (Host among them): status, headers, body. */
function get(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port, path, headers, agent: false, timeout: 10_000 }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (d: string) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
  });
}

/**
 * Opens a WebSocket through Apache, checks one echo, then stays idle: the seconds
 * until the tunnel closes (null: still open after `maxS`) and the close code.
 */
function idleClose(url: string, maxS: number): Promise<{ status: number | null; echoed: boolean; closedAfterS: number | null; code: number | null }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { handshakeTimeout: 5000 });
    const r = { status: null as number | null, echoed: false, closedAfterS: null as number | null, code: null as number | null };
    let idleSince = 0;
    const timer = setTimeout(() => {
      ws.terminate();
      resolve(r);
    }, maxS * 1000 + 5000);
    ws.on("upgrade", (res) => (r.status = res.statusCode ?? null));
    ws.on("unexpected-response", (_q, res) => {
      r.status = res.statusCode ?? null;
      clearTimeout(timer);
      resolve(r);
    });
    ws.on("open", () => ws.send("hi"));
    ws.on("message", () => {
      r.echoed = true;
      idleSince = Date.now();
    });
    ws.on("close", (code) => {
      clearTimeout(timer);
      if (idleSince) r.closedAfterS = Math.round((Date.now() - idleSince) / 100) / 10;
      r.code = code;
      resolve(r);
    });
    ws.on("error", () => {});
  });
}

describe.runIf(run)("reverse-proxy behaviour Apache accepts silently (2.4.71, loopback)", () => {
  let sr: ServerRoot;
  let tls: Tls;
  const report: string[] = [];
  beforeAll(async () => {
    sr = await makeServerRoot();
    tls = await selfSignedCert(sr.dir);
  });
  afterAll(async () => {
    verboseReport(report.join("\n"));
    await sr?.remove();
  });

  /** Starts Apache with `body` (and modules), runs fn with its port. */
  /** the body of the last config started */
  let last = "";
  async function through<T>(modules: readonly string[], body: (port: number) => string, fn: (port: number) => Promise<T>): Promise<T> {
    const port = await freePort();
    last = body(port);
    const conf = await sr.write("httpd.conf", serverConfig({ port, modules, body: last }));
    const t = await sr.test(conf);
    expect(t.ok, t.output).toBe(true);
    return withApache(sr, conf, port, () => fn(port));
  }

  describe("proxy-preserve-host", () => {
    it("without ProxyPreserveHost the backend gets Host = the ProxyPass authority; X-Forwarded-Host carries the client's", async () => {
      const b = await headerBackend();
      try {
        await through(MODULE_SETS.proxy, () => `ProxyPass /app/ http://127.0.0.1:${b.port}/`, async (port) => {
          const r = await get(port, "/app/x", { Host: "public.example" });
          expect(r.status).toBe(200);
        });
        const h = b.requests[0]!;
        report.push(`pph default: host=${h.host} x-forwarded-host=${h["x-forwarded-host"]} x-forwarded-for=${h["x-forwarded-for"]} x-forwarded-server=${h["x-forwarded-server"]} x-forwarded-proto=${h["x-forwarded-proto"]}`);
        expect(h.host).toBe(`127.0.0.1:${b.port}`);
        expect(h["x-forwarded-host"]).toBe("public.example");
        expect(h["x-forwarded-for"]).toBe("127.0.0.1");
        expect(h["x-forwarded-server"]).toBe("127.0.0.1");
        // Apache never adds X-Forwarded-Proto by itself
        expect(h["x-forwarded-proto"]).toBeUndefined();
      } finally {
        await b.close();
      }
    });

    it("the WebSocket handshake reaches the backend with the client's Origin and Host = the backend's address", async () => {
      const b = await headerBackend();
      try {
        await through(MODULE_SETS.proxy, () => `ProxyPass /ws/ ws://127.0.0.1:${b.port}/ws/`, async (port) => {
          const ws = new WebSocket(`ws://127.0.0.1:${port}/ws/x`, { headers: { Host: "public.example" }, origin: "https://public.example" });
          await new Promise<void>((resolve, reject) => {
            ws.on("open", () => resolve());
            ws.on("error", reject);
          });
          ws.close(1000);
        });
        const h = b.requests[0]!;
        report.push(`pph ws: host=${h.host} origin=${h.origin} x-forwarded-host=${h["x-forwarded-host"]}`);
        expect(findings(proxyPreserveHost, last)).toEqual(["1:1"]);
        expect(h.upgrade).toBe("websocket");
        expect(h.origin).toBe("https://public.example");
        expect(h.host).toBe(`127.0.0.1:${b.port}`);
        expect(h["x-forwarded-host"]).toBe("public.example");
      } finally {
        await b.close();
      }
    });

    it("ProxyPreserveHost On passes the client's Host; ProxyAddHeaders Off drops the X-Forwarded-* headers", async () => {
      const b = await headerBackend();
      try {
        await through(MODULE_SETS.proxy, () => `ProxyPreserveHost On\nProxyPass /app/ http://127.0.0.1:${b.port}/`, (port) => get(port, "/app/x", { Host: "public.example" }));
        await through(MODULE_SETS.proxy, () => `ProxyAddHeaders Off\nProxyPass /app/ http://127.0.0.1:${b.port}/`, (port) => get(port, "/app/x", { Host: "public.example" }));
        const [on, off] = b.requests;
        report.push(`pph on: host=${on!.host}; addheaders off: host=${off!.host} x-forwarded-host=${off!["x-forwarded-host"]}`);
        expect(on!.host).toBe("public.example");
        expect(findings(proxyPreserveHost, `ProxyPreserveHost On\nProxyPass /ws/ ws://127.0.0.1:${b.port}/ws/`)).toEqual([]);
        expect(off!.host).toBe(`127.0.0.1:${b.port}`);
        expect(off!["x-forwarded-host"]).toBeUndefined();
      } finally {
        await b.close();
      }
    });
  });

  describe("websocket-timeout-short: an idle tunnel closes after max(Timeout, ProxyTimeout/timeout=)", () => {
    // [label, server-level lines, worker parameters, expected seconds]
    const cases: [string, string, string, number][] = [
      ["Timeout 2", "Timeout 2", "", 2],
      ["Timeout 2 + ProxyTimeout 4", "Timeout 2\nProxyTimeout 4", "", 4],
      ["Timeout 4 + ProxyTimeout 2", "Timeout 4\nProxyTimeout 2", "", 4],
      ["Timeout 2 + timeout=4", "Timeout 2", " timeout=4", 4],
    ];
    for (const [label, lines, params, want] of cases) {
      for (const scheme of ["ws", "http-upgrade"] as const) {
        it(`${label} (${scheme === "ws" ? "ws://" : "http:// upgrade=websocket"}): closed after ~${want} s idle`, async () => {
          const b = await headerBackend();
          try {
            const url = scheme === "ws" ? `ws://127.0.0.1:${b.port}/ws/` : `http://127.0.0.1:${b.port}/ws/`;
            const extra = scheme === "ws" ? params : `${params} upgrade=websocket`;
            const r = await through(MODULE_SETS.proxy, () => `${lines}\nProxyPass /ws/ ${url}${extra}`, (port) => idleClose(`ws://127.0.0.1:${port}/ws/x`, want + 3));
            report.push(`timeout ${label} ${scheme}: status=${r.status} echoed=${r.echoed} closedAfter=${r.closedAfterS}s code=${r.code}`);
            expect(r.status).toBe(101);
            expect(r.echoed).toBe(true);
            expect(r.closedAfterS).not.toBeNull();
            expect(r.closedAfterS!).toBeGreaterThanOrEqual(want - 0.5);
            expect(r.closedAfterS!).toBeLessThan(want + 1.5);
            expect(r.code).toBe(1006);
            const said = lintRule(websocketTimeoutShort, last).map((f) => f.message);
            expect(said).toHaveLength(1);
            expect(said[0]).toContain(`closed after ${want} s`);
          } finally {
            await b.close();
          }
        }, 30_000);
      }
    }
  });

  describe("proxypass-reverse-unmatched", () => {
    it("a ProxyPassReverse for another port rewrites nothing: the backend's Location reaches the client", async () => {
      const b = await headerBackend();
      try {
        const wrong = b.port === 65535 ? b.port - 1 : b.port + 1;
        const r = await through(
          MODULE_SETS.proxy,
          () => `ProxyPass /app/ http://127.0.0.1:${b.port}/\nProxyPassReverse /app/ http://127.0.0.1:${wrong}/`,
          (port) => get(port, "/app/redirect"),
        );
        const ok = await through(
          MODULE_SETS.proxy,
          () => `ProxyPass /app/ http://127.0.0.1:${b.port}/\nProxyPassReverse /app/ http://127.0.0.1:${b.port}/`,
          async (port) => ({ port, r: await get(port, "/app/redirect") }),
        );
        report.push(`ppr unmatched: ${r.status} Location: ${r.headers.location}; matched: ${ok.r.status} Location: ${ok.r.headers.location}`);
        expect(r.status).toBe(302);
        expect(r.headers.location).toBe(`http://127.0.0.1:${b.port}/login`);
        expect(ok.r.headers.location).toBe(`http://127.0.0.1:${ok.port}/app/login`);
        expect(findings(proxypassReverseUnmatched, last)).toEqual([]);
        expect(findings(proxypassReverseUnmatched, `ProxyPass /app/ http://127.0.0.1:${b.port}/\nProxyPassReverse /app/ http://127.0.0.1:${wrong}/`)).toEqual(["2:24"]);
      } finally {
        await b.close();
      }
    });
  });

  describe("websocket-scheme-mismatch", () => {
    it("wss:// toward a backend that speaks plain HTTP: the handshake fails with 500, and the http:// mapping works", async () => {
      const b = await headerBackend();
      try {
        const { ws, plain, log } = await through(
          [...MODULE_SETS.proxy, ...MODULE_SETS.ssl],
          () => `SSLProxyEngine on\nProxyPass /ws/ wss://127.0.0.1:${b.port}/ws/\nProxyPass / http://127.0.0.1:${b.port}/`,
          async (port) => ({ ws: await idleClose(`ws://127.0.0.1:${port}/ws/x`, 1), plain: await get(port, "/x"), log: await sr.errorLog() }),
        );
        const line = /AH\d+:[^\n]*/.exec(log.split("\n").find((l) => /proxy|ssl/.test(l) && /AH\d+/.test(l) && !/AH01882|AH01873|resuming|configured/.test(l)) ?? "")?.[0];
        report.push(`scheme wss->plain: ws status=${ws.status}; plain GET ${plain.status}; log: ${line}`);
        expect(plain.status).toBe(200);
        expect(ws.status).not.toBe(101);
        expect(ws.status).toBe(500);
        expect(line).toMatch(/^AH01084: pass request body failed to 127\.0\.0\.1:\d+ \(127\.0\.0\.1\)/);
        expect(findings(websocketSchemeMismatch, last)).toEqual(["2:16"]);
      } finally {
        await b.close();
      }
    });

    it("ws:// toward a TLS backend (reached as https://): the handshake fails", async () => {
      const b = await headerBackend(tls);
      try {
        const { ws, plain } = await through(
          [...MODULE_SETS.proxy, ...MODULE_SETS.ssl],
          () => `SSLProxyEngine on\nProxyPass /ws/ ws://127.0.0.1:${b.port}/ws/\nProxyPass / https://127.0.0.1:${b.port}/`,
          async (port) => ({ ws: await idleClose(`ws://127.0.0.1:${port}/ws/x`, 1), plain: await get(port, "/x") }),
        );
        report.push(`scheme ws->tls: ws status=${ws.status}; https GET ${plain.status}`);
        expect(plain.status).toBe(200);
        expect(ws.status).toBe(502);
        expect(findings(websocketSchemeMismatch, last)).toEqual(["2:16"]);
      } finally {
        await b.close();
      }
    });
  });

  describe("ssl-proxy-verify-off", () => {
    it("the default SSLProxyVerify none accepts a self-signed backend; SSLProxyCheckPeerName decides a name mismatch", async () => {
      const b = await headerBackend(tls);
      try {
        const mods = [...MODULE_SETS.proxy, ...MODULE_SETS.ssl];
        // the certificate says 127.0.0.1; `localhost` does not match it
        const byIp = await through(mods, () => `SSLProxyEngine on\nProxyPass / https://127.0.0.1:${b.port}/`, (port) => get(port, "/x"));
        const byName = await through(mods, () => `SSLProxyEngine on\nProxyPass / https://localhost:${b.port}/`, async (port) => ({ r: await get(port, "/x"), log: await sr.errorLog() }));
        const nameOff = await through(mods, () => `SSLProxyEngine on\nSSLProxyCheckPeerName off\nProxyPass / https://localhost:${b.port}/`, (port) => get(port, "/x"));
        const verify = await through(mods, () => `SSLProxyEngine on\nSSLProxyVerify require\nProxyPass / https://127.0.0.1:${b.port}/`, async (port) => ({ r: await get(port, "/x"), log: await sr.errorLog() }));
        const logLine = (log: string) => log.split("\n").filter((l) => /AH0\d+/.test(l) && !/AH01882|AH01873|AH00489|AH00094|AH00491|AH00492|caught SIGTERM/.test(l)).map((l) => /AH\d+:.*/.exec(l)?.[0]).join(" | ");
        report.push(`ssl verify none (default), self-signed: ${byIp.status}`);
        report.push(`ssl name mismatch, CheckPeerName on (default): ${byName.r.status}; log: ${logLine(byName.log)}`);
        report.push(`ssl name mismatch, SSLProxyCheckPeerName off: ${nameOff.status}`);
        report.push(`ssl SSLProxyVerify require, no CA: ${verify.r.status}; log: ${logLine(verify.log)}`);
        expect(byIp.status).toBe(200);
        expect(byName.r.status).toBe(500);
        expect(logLine(byName.log)).toContain("AH00898: Error during SSL Handshake with remote server");
        expect(nameOff.status).toBe(200);
        expect(verify.r.status).toBe(500);
        expect(logLine(verify.log)).toContain("AH02039: Certificate Verification: Error (18): self-signed certificate");
        // on loopback there is no path to attack: the rule stays silent on these very configs, and speaks for a remote host
        expect(findings(sslProxyVerifyOff, `SSLProxyCheckPeerName off\nProxyPass / https://localhost:${b.port}/`)).toEqual([]);
        expect(findings(sslProxyVerifyOff, "SSLProxyCheckPeerName off\nProxyPass / https://backend.internal.example/")).toEqual(["1:1"]);
      } finally {
        await b.close();
      }
    });
  });

  describe("proxy-target-from-request", () => {
    it("RewriteRule [P] to http://%{HTTP_HOST}/: the client picks the backend with its Host header", async () => {
      const internal = await headerBackend();
      try {
        const r = await through(
          [...MODULE_SETS.proxy, ...MODULE_SETS.rewrite],
          () => "RewriteEngine on\nRewriteRule ^/p/(.*) http://%{HTTP_HOST}/$1 [P]",
          (port) => get(port, "/p/secret", { Host: `127.0.0.1:${internal.port}` }),
        );
        report.push(`ssrf HTTP_HOST: ${r.status} ${r.body}`);
        expect(findings(proxyTargetFromRequest, last)).toEqual(["2:22"]);
        expect(r.status).toBe(200);
        expect(JSON.parse(r.body).backend).toBe(internal.port);
      } finally {
        await internal.close();
      }
    });

    it("RewriteRule [P] to http://%{HTTP:X-Backend}/: any header does the same", async () => {
      const internal = await headerBackend();
      try {
        const r = await through(
          [...MODULE_SETS.proxy, ...MODULE_SETS.rewrite],
          () => "RewriteEngine on\nRewriteRule ^/p/(.*) http://%{HTTP:X-Backend}/$1 [P]",
          (port) => get(port, "/p/secret", { "X-Backend": `127.0.0.1:${internal.port}` }),
        );
        report.push(`ssrf X-Backend: ${r.status} ${r.body}`);
        expect(findings(proxyTargetFromRequest, last)).toEqual(["2:22"]);
        expect(r.status).toBe(200);
        expect(JSON.parse(r.body).backend).toBe(internal.port);
      } finally {
        await internal.close();
      }
    });

    it("ProxyPassMatch with the host from the path ($1): the client picks the backend", async () => {
      const internal = await headerBackend();
      try {
        const r = await through(MODULE_SETS.proxy, () => "ProxyPassMatch ^/h/([^/]+)/(.*)$ http://$1/$2", (port) => get(port, `/h/127.0.0.1:${internal.port}/secret`));
        report.push(`ssrf ProxyPassMatch $1: ${r.status} ${r.body}`);
        expect(findings(proxyTargetFromRequest, last)).toEqual(["1:34"]);
        expect(r.status).toBe(200);
        expect(JSON.parse(r.body).backend).toBe(internal.port);
      } finally {
        await internal.close();
      }
    });

    it("ProxyPass … interpolate with a ${VAR} set from a request header: the client picks the backend", async () => {
      const internal = await headerBackend();
      try {
        const r = await through(
          [...MODULE_SETS.proxy, "setenvif"],
          () => 'SetEnvIf X-Backend "^(.+)$" BACKEND=$1\nProxyPassInterpolateEnv On\nProxyPass /i/ http://${BACKEND}/ interpolate',
          (port) => get(port, "/i/secret", { "X-Backend": `127.0.0.1:${internal.port}` }),
        );
        report.push(`ssrf interpolate: ${r.status} ${r.body.slice(0, 80)}`);
        expect(findings(proxyTargetFromRequest, last)).toEqual(["3:15"]);
        expect(r.status).toBe(200);
        expect(JSON.parse(r.body).backend).toBe(internal.port);
      } finally {
        await internal.close();
      }
    });
  });

  describe("remoteip-trust-all", () => {
    const body = (trust: string) => (port: number) =>
      [
        "RemoteIPHeader X-Forwarded-For",
        trust,
        'LogFormat "%a %{c}a" addr',
        "CustomLog logs/access.log addr",
        `DocumentRoot ${sr.dir}`,
        "<Location />\n    Require ip 203.0.113.7\n</Location>",
        `# port ${port}`,
      ].join("\n");
    const mods = ["remoteip", "authz_host"];

    it("with no trusted-proxy list any client's X-Forwarded-For becomes its address (%a and Require ip)", async () => {
      const { forged, plain } = await through(mods, body(""), async (port) => ({
        forged: await get(port, "/", { "X-Forwarded-For": "203.0.113.7" }),
        plain: await get(port, "/"),
      }));
      const { readFile } = await import("node:fs/promises");
      const log = await readFile(`${sr.dir}/logs/access.log`, "utf8");
      report.push(`remoteip none: forged ${forged.status}, plain ${plain.status}; access log: ${JSON.stringify(log)}`);
      // 404, not 403: Require ip let the forged address in (the DocumentRoot has no index)
      expect(forged.status).toBe(404);
      expect(plain.status).toBe(403);
      expect(log.split("\n")[0]).toBe("203.0.113.7 127.0.0.1");
      expect(findings(remoteipTrustAll, last)).toEqual(["1:1"]);
    });

    it("lists covering all of IPv4 do the same; a list without the client's address does not; 0.0.0.0/0 is refused", async () => {
      const dotted = await through(mods, body("RemoteIPTrustedProxy 0.0.0.0/0.0.0.0"), (port) => get(port, "/", { "X-Forwarded-For": "203.0.113.7" }));
      expect(findings(remoteipTrustAll, last)).toEqual(["2:1"]);
      const halves = await through(mods, body("RemoteIPInternalProxy 0.0.0.0/1 128.0.0.0/1"), (port) => get(port, "/", { "X-Forwarded-For": "203.0.113.7" }));
      const some = await through(mods, body("RemoteIPInternalProxy 10.0.0.0/8"), (port) => get(port, "/", { "X-Forwarded-For": "203.0.113.7" }));
      expect(findings(remoteipTrustAll, last)).toEqual([]);
      const port = await freePort();
      const refused = await sr.test(await sr.write("refused.conf", serverConfig({ port, modules: mods, body: body("RemoteIPTrustedProxy 0.0.0.0/0")(port) })));
      const says = /RemoteIP: .*/.exec(refused.output)?.[0];
      report.push(`remoteip 0.0.0.0/0.0.0.0: forged ${dotted.status}; 0.0.0.0/1 128.0.0.0/1: forged ${halves.status}; internal 10.0.0.0/8: forged ${some.status}; 0.0.0.0/0: ${says}`);
      expect(dotted.status).toBe(404);
      expect(halves.status).toBe(404);
      expect(some.status).toBe(403);
      expect(refused.ok).toBe(false);
      expect(says).toBe("RemoteIP: Error parsing IP 0.0.0.0/0 (The specified network mask is invalid. error) for RemoteIPTrustedProxy");
      // the rule quotes Apache's refusal word for word
      const said = lintRule(remoteipTrustAll, body("RemoteIPTrustedProxy 0.0.0.0/0")(port)).map((f) => `${f.severity} ${f.message}`);
      expect(said).toHaveLength(1);
      expect(said[0]).toContain(`error Apache refuses \`0.0.0.0/0\` at startup: "${says}"`);
    });
  });
});

