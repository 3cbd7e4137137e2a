// The instrument before the measurement: the harness must tell a working
// WebSocket proxy from a broken one, or the tutorial proof would prove nothing.
// Controls from shared/apache-truth: `ProxyPass /ws/ ws://…` (e2e 3) gives 101
// + echo to both clients; `ProxyPass / http://…` alone (h1) strips Upgrade and
// the backend answers 200.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  APACHE,
  apacheOrSkip,
  IN_CI,
  run,
  echoText,
  freePort,
  httpGet,
  makeServerRoot,
  MODULE_SETS,
  rawClient,
  selfSignedCert,
  serverConfig,
  startBackend,
  withApache,
  wsClient,
  type Backend,
  type ServerRoot,
} from "./harness.js";

const FIREFOX = "keep-alive, Upgrade";

// Outside the skippable suite on purpose: in CI a missing apache2 is one plain failed test,
// not a file of skipped ones.
it("has a working apache2 (required under CI)", async (ctx) => {
  if (!APACHE && !IN_CI) return ctx.skip("apache2 not installed; the Apache tests are skipped");
  expect(APACHE, "apache2 not found on PATH or in /usr/sbin; CI must install it (.ci/run does)").not.toBeNull();
  const v = await run(APACHE!, ["-v"]);
  expect(v.stdout).toMatch(/Server version: Apache\/2\.4\./);
});

describe.runIf(apacheOrSkip("test/apache/harness.test.ts"))("harness", { timeout: 60_000 }, () => {
  let sr: ServerRoot;
  let plain: Backend;
  let tls: Backend;

  beforeAll(async () => {
    sr = await makeServerRoot();
    plain = await startBackend();
    tls = await startBackend(await selfSignedCert(sr.dir));
  });
  afterAll(async () => {
    await plain?.close();
    await tls?.close();
    await sr?.remove();
  });

  const vhost = (port: number, lines: string[]) => [`<VirtualHost *:${port}>`, ...lines.map((l) => `    ${l}`), "</VirtualHost>"].join("\n");

  it("gets 101 and the echo through a working ws:// ProxyPass, with both Connection headers", async () => {
    const port = await freePort();
    const conf = await sr.write("ok.conf", serverConfig({
      port,
      modules: MODULE_SETS.proxy,
      body: vhost(port, [`ProxyPass /ws/ ws://127.0.0.1:${plain.port}/ws/`, `ProxyPass / http://127.0.0.1:${plain.port}/`]),
    }));
    const t = await sr.test(conf);
    expect(t.output).toMatch(/Syntax OK/);
    expect(t.ok).toBe(true);
    await withApache(sr, conf, port, async () => {
      const url = `ws://127.0.0.1:${port}/ws/chat`;
      const a = await wsClient(url);
      expect(a).toMatchObject({ status: 101, echo: echoText(plain.port, "/ws/chat", "hello"), error: null });
      const b = await rawClient(url, FIREFOX);
      expect(b).toMatchObject({ status: 101, echo: echoText(plain.port, "/ws/chat", "hello"), error: null });
    });
  });

  it("sees the 200 a shadowing http:// ProxyPass gives instead of 101", async () => {
    const port = await freePort();
    const conf = await sr.write("shadowed.conf", serverConfig({
      port,
      modules: MODULE_SETS.proxy,
      body: vhost(port, [`ProxyPass / http://127.0.0.1:${plain.port}/`, `ProxyPass /ws/ ws://127.0.0.1:${plain.port}/ws/`]),
    }));
    expect((await sr.test(conf)).ok).toBe(true);
    await withApache(sr, conf, port, async () => {
      const url = `ws://127.0.0.1:${port}/ws/chat`;
      expect(await wsClient(url)).toMatchObject({ status: 200, echo: null });
      expect(await rawClient(url, FIREFOX)).toMatchObject({ status: 200, echo: null });
    });
  });

  it("reaches a TLS backend over wss:// and https:// when SSLProxyEngine is on, and not without it", async () => {
    const port = await freePort();
    const lines = (engine: boolean) => [
      ...(engine ? ["SSLProxyEngine on"] : []),
      `ProxyPass /ws/ wss://127.0.0.1:${tls.port}/ws/`,
      `ProxyPass / https://127.0.0.1:${tls.port}/`,
    ];
    const trust = ["SSLProxyVerify none", "SSLProxyCheckPeerName off", "SSLProxyCheckPeerExpire off"].join("\n");
    for (const engine of [true, false]) {
      const conf = await sr.write(`tls-${engine}.conf`, serverConfig({
        port,
        modules: [...MODULE_SETS.proxy, ...MODULE_SETS.ssl],
        body: `${trust}\n${vhost(port, lines(engine))}`,
      }));
      expect((await sr.test(conf)).ok).toBe(true);
      await withApache(sr, conf, port, async () => {
        const ws = await wsClient(`ws://127.0.0.1:${port}/ws/chat`);
        const get = await httpGet(`http://127.0.0.1:${port}/page`);
        if (engine) {
          expect(ws).toMatchObject({ status: 101, echo: echoText(tls.port, "/ws/chat", "hello") });
          expect(get.status).toBe(200);
          expect(JSON.parse(get.body)).toEqual({ backend: tls.port, url: "/page" });
        } else {
          // i1: AH01961 "failed to enable ssl support"
          expect(ws.status).toBe(500);
          expect(get.status).toBe(500);
        }
      });
    }
  });

  it("reports a config apache2 -t rejects, with Apache's message", async () => {
    const port = await freePort();
    const conf = await sr.write("bad.conf", serverConfig({ port, body: "ProxyRequests off4167" }));
    const t = await sr.test(conf);
    expect(t.ok).toBe(false);
    expect(t.code).not.toBe(0);
    expect(t.output).toMatch(/Invalid command 'ProxyRequests'/);
  });
});
