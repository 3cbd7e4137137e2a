// The proof (issue 4): the WebSocket tutorial's configs, as published, do not
// carry a WebSocket through a real Apache; after `apachelint --fix
// --unsafe-fixes` they do, for Chrome's `Connection: Upgrade` and Firefox's
// `Connection: keep-alive, Upgrade`.
//
// How the published text meets the test machine (nothing else is changed):
// - the backend `localhost:3000` and the balancer members `serverNN:3000` become
//   this test's echo servers on 127.0.0.1, and the vhost's `*:443` this test's
//   Apache port. The substitution is checked to be reversible, so it cannot
//   have touched a mistake.
// - the tutorial proxies to `wss://` and `https://` on localhost:3000, so that
//   backend speaks TLS here: a throwaway self-signed certificate made with
//   openssl. The server config the harness wraps around the vhost says
//   `SSLProxyVerify none` / `SSLProxyCheckPeerName off` for it; it does NOT say
//   `SSLProxyEngine on`: that is the tutorial's bug and the linter's to fix.
// - the front end stays plain HTTP: the tutorial's vhost has no SSLEngine or
//   certificate, so `*:443` never served TLS in the first place.
// - the harness loads what the published snippets leave to the distribution
//   (mod_proxy, mod_rewrite, mod_ssl, the balancer modules), as CentOS's
//   default config does; its ServerRoot has CentOS's `modules` link.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  apacheOrSkip,
  apachelint,
  echoText,
  freePort,
  httpGet,
  makeServerRoot,
  MODULE_SETS,
  PROJECT_ROOT,
  rawClient,
  requireBuiltCli,
  run,
  APACHE,
  selfSignedCert,
  serverConfig,
  startBackend,
  withApache,
  wsClient,
  type Backend,
  type ClientResult,
  type ServerRoot,
} from "./harness.js";

const TUTORIAL = join(PROJECT_ROOT, "fixtures", "websocket-tutorial");
const FIREFOX = "keep-alive, Upgrade";
const WS_PATH = "/ws/chat";
// the backend's certificate is self-signed and made for this run; trusting it is the test's business
const TRUST_TEST_BACKEND = ["SSLProxyVerify none", "SSLProxyCheckPeerName off", "SSLProxyCheckPeerExpire off"].join("\n");

type Pair = readonly [from: string, to: string];

/** Replaces each `from` with its `to`, and proves the result maps back to the original byte for byte. */
function substitute(text: string, pairs: readonly Pair[]): { text: string; counts: number[] } {
  for (const [, to] of pairs) expect(text.includes(to), `${to} already occurs in the published text`).toBe(false);
  let out = text;
  const counts = pairs.map(([from, to]) => {
    const n = out.split(from).length - 1;
    out = out.split(from).join(to);
    return n;
  });
  let back = out;
  for (const [from, to] of [...pairs].reverse()) back = back.split(to).join(from);
  expect(back, "the substitution must be reversible").toBe(text);
  return { text: out, counts };
}

interface Attempt {
  syntax: { ok: boolean; output: string };
  chrome?: ClientResult;
  firefox?: ClientResult;
  get?: { status: number | null; body: string };
  errorLog?: string;
}

const gotEcho = (r: ClientResult | undefined, backend: number) => r?.status === 101 && r.echo === echoText(backend, WS_PATH, "hello");

describe.runIf(apacheOrSkip("test/apache/tutorial.test.ts"))("the WebSocket tutorial on a real Apache", { timeout: 60_000 }, () => {
  let sr: ServerRoot;
  let backend: Backend; // localhost:3000: the tutorial's wss:// and https:// backend
  let members: Backend[]; // server01..03:3000: the balancer's http:// members
  let n = 0;

  beforeAll(async () => {
    requireBuiltCli();
    sr = await makeServerRoot({ modulesLink: true });
    backend = await startBackend(await selfSignedCert(sr.dir));
    members = await Promise.all([startBackend(), startBackend(), startBackend()]);
  });
  afterAll(async () => {
    await Promise.all([backend?.close(), ...(members ?? []).map((m) => m.close())]);
    await sr?.remove();
  });

  const pairsFor = (apachePort: number): Pair[] => [
    ["*:443", `*:${apachePort}`],
    ["localhost:3000", `127.0.0.1:${backend.port}`],
    ...members.map((m, i): Pair => [`server0${i + 1}:3000`, `127.0.0.1:${m.port}`]),
  ];

  /** Writes `text` into the ServerRoot and runs the real CLI on it; returns the file's new text. */
  async function lintFix(name: string, text: string, args: string[]): Promise<{ path: string; text: string; report: string }> {
    const path = await sr.write(name, text);
    const r = await apachelint(["--no-config", ...args, "-f", "json", path]);
    expect(r.code, `apachelint crashed or was misused:\n${r.stderr}`).toBeLessThan(2);
    return { path, text: await readFile(path, "utf8"), report: r.stdout };
  }

  /** apache2 -t; if it passes, start Apache and try both WebSocket clients and a plain GET. */
  async function attempt(port: number, modules: readonly string[], body: string): Promise<Attempt> {
    const conf = await sr.write(`server-${++n}.conf`, serverConfig({ port, modules, body }));
    const t = await sr.test(conf);
    const a: Attempt = { syntax: { ok: t.ok, output: t.output } };
    if (!t.ok) return a;
    await withApache(sr, conf, port, async () => {
      a.chrome = await wsClient(`ws://127.0.0.1:${port}${WS_PATH}`);
      a.firefox = await rawClient(`ws://127.0.0.1:${port}${WS_PATH}`, FIREFOX);
      a.get = await httpGet(`http://127.0.0.1:${port}/page`);
    });
    a.errorLog = (await sr.errorLog()).split("\n").filter((l) => /error|warn/.test(l) && !/AH01882|AH01873/.test(l)).slice(-8).join("\n");
    return a;
  }

  const show = (label: string, text: string, a: Attempt) =>
    `--- ${label}:\n${text}\n--- apache2 -t:\n${a.syntax.output}\n--- chrome: ${JSON.stringify(a.chrome)}\n--- firefox: ${JSON.stringify(a.firefox)}\n--- GET /page: ${JSON.stringify(a.get)}\n--- error log:\n${a.errorLog ?? ""}`;

  const VHOSTS = [
    {
      file: "vhost-basic.conf",
      modules: [...MODULE_SETS.proxy, ...MODULE_SETS.rewrite, ...MODULE_SETS.ssl],
      // localhost:3000 three times, *:443 once
      counts: [1, 3, 0, 0, 0],
      // what `apache2 -t` asks for, and nothing more (shared/apache-truth e2e whack-a-mole)
      closeTags: (t: string) => `${t}\n</VirtualHost>\n`,
      plainGetFrom: () => [backend.port],
    },
    {
      file: "vhost-balancer.conf",
      modules: [...MODULE_SETS.proxy, ...MODULE_SETS.balancer, ...MODULE_SETS.rewrite, ...MODULE_SETS.ssl],
      counts: [1, 1, 1, 1, 1],
      closeTags: (t: string) => `${t.replace(/(BalancerMember [^\n]*\n)(?!\s*BalancerMember)/, "$1  </Proxy>\n")}\n</VirtualHost>\n`,
      plainGetFrom: () => members.map((m) => m.port),
    },
  ] as const;

  for (const v of VHOSTS) {
    describe(v.file, () => {
      let published: string;
      beforeAll(async () => {
        published = await readFile(join(TUTORIAL, v.file), "utf8");
      });

      it("as published: apache2 -t rejects it, or the client gets no 101", async () => {
        const port = await freePort();
        const { text, counts } = substitute(published, pairsFor(port));
        expect(counts).toEqual(v.counts);
        const path = await sr.write(`published-${v.file}`, text);
        const a = await attempt(port, v.modules, `${TRUST_TEST_BACKEND}\nInclude "${path}"`);
        const upgraded = gotEcho(a.chrome, backend.port) || gotEcho(a.firefox, backend.port);
        expect(!a.syntax.ok || !upgraded, show("published", text, a)).toBe(true);
        // as measured in shared/apache-truth (c1, c2): the missing close tags stop Apache here
        expect(a.syntax.ok, show("published", text, a)).toBe(false);
      });

      it("with only the close tags apache2 -t asks for: Apache starts, and still no 101", async () => {
        const port = await freePort();
        const text = v.closeTags(substitute(published, pairsFor(port)).text);
        const path = await sr.write(`closed-${v.file}`, text);
        const a = await attempt(port, v.modules, `${TRUST_TEST_BACKEND}\nInclude "${path}"`);
        expect(a.syntax.ok, show("close tags only", text, a)).toBe(true);
        for (const c of [a.chrome, a.firefox]) {
          expect(c?.status, show("close tags only", text, a)).not.toBe(101);
          expect(c?.echo).toBe(null);
        }
      });

      it("after apachelint --fix --unsafe-fixes: Syntax OK, 101 and the echo for both clients", async () => {
        const port = await freePort();
        const { text } = substitute(published, pairsFor(port));
        const fixed = await lintFix(`fixed-${v.file}`, text, ["--fix", "--unsafe-fixes"]);
        expect(fixed.text).not.toBe(text);
        const a = await attempt(port, v.modules, `${TRUST_TEST_BACKEND}\nInclude "${fixed.path}"`);
        const why = show("after --fix --unsafe-fixes", fixed.text, a) + `\n--- apachelint -f json after fixing:\n${fixed.report}`;
        expect(a.syntax.output, why).toMatch(/Syntax OK/);
        expect(a.syntax.ok, why).toBe(true);
        // the backend names the path it was asked for: /ws/chat proves the `$1` fix, not just the upgrade
        expect(a.chrome, why).toMatchObject({ status: 101, echo: echoText(backend.port, WS_PATH, "hello"), error: null });
        expect(a.firefox, why).toMatchObject({ status: 101, echo: echoText(backend.port, WS_PATH, "hello"), error: null });
        // and plain HTTP still reaches the tutorial's http(s) backends
        expect(a.get?.status, why).toBe(200);
        expect(v.plainGetFrom()).toContain(JSON.parse(a.get!.body).backend);
      });
    });
  }

  describe("modules.conf (the CentOS LoadModule lines)", () => {
    // mod_proxy itself comes before them, as in CentOS's 00-proxy.conf
    const wrap = (path: string) => `Include "${path}"`;

    it("as published: apache2 -t rejects it", async () => {
      const published = await readFile(join(TUTORIAL, "modules.conf"), "utf8");
      const path = await sr.write("published-modules.conf", published);
      const t = await sr.test(await sr.write("modules-published-server.conf", serverConfig({ port: await freePort(), modules: ["proxy"], body: wrap(path) })));
      expect(t.ok).toBe(false);
      expect(t.output).toMatch(/Cannot load modules\/ into server/);
    });

    it("after apachelint --fix --unsafe-fixes: they load mod_proxy_http and mod_proxy_wstunnel", async () => {
      const published = await readFile(join(TUTORIAL, "modules.conf"), "utf8");
      const fixed = await lintFix("fixed-modules.conf", published, ["--fix", "--unsafe-fixes"]);
      const conf = await sr.write("modules-fixed-server.conf", serverConfig({ port: await freePort(), modules: ["proxy"], body: wrap(fixed.path) }));
      const t = await sr.test(conf);
      expect(t.ok, `${fixed.text}\n---\n${t.output}`).toBe(true);
      const m = await run(APACHE!, ["-M", "-d", sr.dir, "-f", conf], { cwd: sr.dir });
      expect(m.stdout).toMatch(/proxy_http_module/);
      expect(m.stdout).toMatch(/proxy_wstunnel_module/);
    });
  });

  describe("prose-rewriterule.conf (the explanation's RewriteRule, typographic quotes and all)", () => {
    // A fragment: the harness gives it the vhost and `RewriteEngine on` it was explained inside.
    const pairs = (): Pair[] => [["ws-backend", `127.0.0.1:${backend.port}`]];
    // Unfixed, the rule proxies each request back to this server, whose URL grows each round until
    // Apache answers 414; a short request-line limit ends that loop in a few rounds instead of hundreds.
    const body = (port: number, path: string) =>
      `${TRUST_TEST_BACKEND}\nLimitRequestLine 512\n<VirtualHost *:${port}>\n  RewriteEngine on\n  Include "${path}"\n</VirtualHost>`;
    const modules = [...MODULE_SETS.proxy, ...MODULE_SETS.rewrite, ...MODULE_SETS.ssl];

    it("as published: Syntax OK, but no 101 (the curly quotes make the target a local path)", async () => {
      const published = await readFile(join(TUTORIAL, "prose-rewriterule.conf"), "utf8");
      const { text } = substitute(published, pairs());
      const port = await freePort();
      const a = await attempt(port, modules, body(port, await sr.write("published-prose.conf", text)));
      expect(a.syntax.ok, show("published", text, a)).toBe(true);
      expect(a.chrome?.status, show("published", text, a)).not.toBe(101);
      expect(a.firefox?.status, show("published", text, a)).not.toBe(101);
    });

    it("after apachelint --fix --unsafe-fixes: 101 and the echo", async () => {
      const published = await readFile(join(TUTORIAL, "prose-rewriterule.conf"), "utf8");
      const { text } = substitute(published, pairs());
      const fixed = await lintFix("fixed-prose.conf", text, ["--fix", "--unsafe-fixes"]);
      const port = await freePort();
      const a = await attempt(port, modules, body(port, fixed.path));
      const why = show("after --fix --unsafe-fixes", fixed.text, a) + `\n--- apachelint -f json after fixing:\n${fixed.report}`;
      expect(a.syntax.ok, why).toBe(true);
      expect(a.chrome, why).toMatchObject({ status: 101, echo: echoText(backend.port, WS_PATH, "hello") });
      expect(a.firefox, why).toMatchObject({ status: 101, echo: echoText(backend.port, WS_PATH, "hello") });
    });
  });

  describe("examples/websocket-tutorial.conf (the README's first command: everything in one file)", () => {
    // The file is a conf.d/ fragment: its two LoadModule lines (the CentOS ones, fixed by
    // loadmodule-invalid) add mod_proxy_http and mod_proxy_wstunnel to a main config that loads the
    // rest, as CentOS's does. So the harness loads mod_proxy, the balancer's modules, mod_rewrite and mod_ssl, and nothing the
    // fragment loads itself; apachelint says nothing about modules a fragment does not load. The
    // backend trust lines go after the Include, in <IfModule>.
    const body = (path: string) => `Include "${path}"\n<IfModule ssl_module>\n${TRUST_TEST_BACKEND}\n</IfModule>`;
    const mainConfig = ["proxy", ...MODULE_SETS.balancer, ...MODULE_SETS.rewrite, ...MODULE_SETS.ssl];

    it("as published: apache2 -t rejects it", async () => {
      const published = await readFile(join(PROJECT_ROOT, "examples", "websocket-tutorial.conf"), "utf8");
      const port = await freePort();
      const { text } = substitute(published, pairsFor(port));
      const a = await attempt(port, mainConfig, body(await sr.write("published-example.conf", text)));
      expect(a.syntax.ok, show("published", text, a)).toBe(false);
    });

    it("after apachelint --fix --unsafe-fixes: Syntax OK, 101 and the echo for both clients, in a main config without mod_proxy_http and mod_proxy_wstunnel", async () => {
      const published = await readFile(join(PROJECT_ROOT, "examples", "websocket-tutorial.conf"), "utf8");
      const port = await freePort();
      const { text } = substitute(published, pairsFor(port));
      const fixed = await lintFix("fixed-example.conf", text, ["--fix", "--unsafe-fixes"]);
      const a = await attempt(port, mainConfig, body(fixed.path));
      const why = show("after --fix --unsafe-fixes", fixed.text, a) + `\n--- apachelint -f json after fixing:\n${fixed.report}`;
      expect(a.syntax.ok, why).toBe(true);
      // both vhosts listen on the same address: the first one, the basic vhost, answers
      expect(a.chrome, why).toMatchObject({ status: 101, echo: echoText(backend.port, WS_PATH, "hello") });
      expect(a.firefox, why).toMatchObject({ status: 101, echo: echoText(backend.port, WS_PATH, "hello") });
      expect(a.get?.status, why).toBe(200);
    });
  });
});
