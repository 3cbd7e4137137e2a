// The proof for what proxypass-shadowed and proxypass-trailing-slash know of
// the <Location> form and of Define (issue 8, part 4), on a real Apache on
// loopback: a private ServerRoot, one WebSocket echo backend that records the
// path it was asked for, the `ws` client.
// - <Location> sections are merged in the order they appear and the last
//   matching one's ProxyPass applies: the specific section first means the
//   WebSocket goes to the general section's http:// worker (200, not 101).
//   apachelint reports it, and after `--fix --unsafe-fixes` the socket upgrades.
// - Location paths match on segment boundaries, as the rule assumes.
// - `${VAR}` from Define is replaced before mod_proxy sees the line, so a
//   trailing-slash mismatch through variables gives exactly the URL the
//   finding predicts; after the fix the backend gets the path it expects.
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  apacheOrSkip,
  apachelint,
  echoText,
  freePort,
  httpGet,
  makeServerRoot,
  MODULE_SETS,
  requireBuiltCli,
  serverConfig,
  startBackend,
  withApache,
  wsClient,
  type Backend,
  type ClientResult,
  type ServerRoot,
} from "./harness.js";

interface Finding {
  ruleId: string | null;
  line: number;
  column: number;
  message: string;
}

interface Answer {
  ws: ClientResult;
  get: { status: number | null };
  /** what reached the backend during the WebSocket attempt: "UPGRADE /path" or "HTTP /path" */
  seen: string[];
}

describe.runIf(apacheOrSkip("test/apache/location-order.test.ts"))("the <Location> form and Define on a real Apache", { timeout: 60_000 }, () => {
  let sr: ServerRoot;
  let backend: Backend;
  let n = 0;

  beforeAll(async () => {
    requireBuiltCli();
    sr = await makeServerRoot();
    backend = await startBackend();
  });
  afterAll(async () => {
    await backend?.close();
    await sr?.remove();
  });

  const B = () => `127.0.0.1:${backend.port}`;

  /** Writes the fragment, checks `apache2 -t`, starts Apache and asks each path with a WebSocket and a GET. */
  async function serve(fragment: string, paths: readonly string[]): Promise<Map<string, Answer>> {
    const port = await freePort();
    const file = await sr.write(`fragment-${++n}.conf`, fragment);
    const conf = await sr.write(`server-${n}.conf`, serverConfig({ port, modules: MODULE_SETS.proxy, body: `Include "${file}"` }));
    const t = await sr.test(conf);
    expect(t.output, fragment).toMatch(/Syntax OK/);
    const out = new Map<string, Answer>();
    await withApache(sr, conf, port, async () => {
      for (const p of paths) {
        backend.seen.length = 0;
        const ws = await wsClient(`ws://127.0.0.1:${port}${p}`);
        const seen = [...backend.seen];
        const get = await httpGet(`http://127.0.0.1:${port}${p}`);
        out.set(p, { ws, get, seen });
      }
    });
    return out;
  }

  async function lint(name: string, text: string, args: readonly string[] = []): Promise<{ findings: Finding[]; text: string }> {
    const path = await sr.write(name, text);
    const r = await apachelint(["--no-config", ...args, "-f", "json", path]);
    expect(r.code, r.stderr).toBeLessThan(2);
    const report = JSON.parse(r.stdout) as { messages: Finding[] }[];
    return { findings: report.flatMap((f) => f.messages), text: await readFile(path, "utf8") };
  }

  const ofRule = (fs: readonly Finding[], id: string) => fs.filter((f) => f.ruleId === id);

  describe("<Location> order", () => {
    const SHADOWED = () =>
      [
        "# the socket",
        "<Location /app/socket>",
        `    ProxyPass ws://${B()}/app/socket`,
        "</Location>",
        "<Location /app>",
        `    ProxyPass http://${B()}/app`,
        "</Location>",
        "",
      ].join("\n");

    it("specific section first: Syntax OK, but the WebSocket reaches the http:// worker (200), and apachelint says so at line 2", async () => {
      const text = SHADOWED();
      const a = (await serve(text, ["/app/socket"])).get("/app/socket")!;
      expect(a.ws.status, JSON.stringify(a)).toBe(200);
      expect(a.ws.echo).toBe(null);
      expect(a.seen).toEqual(["HTTP /app/socket"]);
      const { findings } = await lint("shadowed-lint.conf", text);
      const found = ofRule(findings, "proxypass-shadowed");
      expect(found.map((f) => [f.line, f.column])).toEqual([[2, 11]]);
      const start = `\`ProxyPass ws://${B()}/app/socket\` (line 3) in <Location /app/socket> (line 2) never applies: <Location /app> (line 5) comes later`;
      expect(found[0]!.message.slice(0, start.length)).toBe(start);
    });

    it("after apachelint --fix --unsafe-fixes: the general section first, and 101 with the echo", async () => {
      const fixed = await lint("shadowed-fix.conf", SHADOWED(), ["--fix", "--unsafe-fixes"]);
      const [general, specific] = [fixed.text.indexOf("<Location /app>"), fixed.text.indexOf("# the socket\n<Location /app/socket>")];
      expect(general, fixed.text).toBeGreaterThanOrEqual(0);
      expect(specific, fixed.text).toBeGreaterThan(general);
      expect(ofRule(fixed.findings, "proxypass-shadowed")).toEqual([]);
      const a = (await serve(fixed.text, ["/app/socket", "/app/page"]));
      expect(a.get("/app/socket")!.ws, fixed.text).toMatchObject({ status: 101, echo: echoText(backend.port, "/app/socket", "hello") });
      expect(a.get("/app/socket")!.seen).toEqual(["UPGRADE /app/socket"]);
      // and the general section still proxies the rest
      expect(a.get("/app/page")!.get.status).toBe(200);
    });

    it("a <LocationMatch> before a covering <Location> is overridden the same way", async () => {
      const text = `<LocationMatch "^/app/socket">\n    ProxyPass ws://${B()}/app/socket\n</LocationMatch>\n<Location /app>\n    ProxyPass http://${B()}/app\n</Location>\n`;
      const a = (await serve(text, ["/app/socket"])).get("/app/socket")!;
      expect(a.ws.status).toBe(200);
      expect(a.seen).toEqual(["HTTP /app/socket"]);
      expect(ofRule((await lint("match-lint.conf", text)).findings, "proxypass-shadowed").map((f) => [f.line, f.column])).toEqual([[1, 16]]);
    });

    it("a later `ProxyPass !` overrides too (404); a later section without ProxyPass does not (101), and apachelint is silent on it", async () => {
      const excluded = `<Location /app/socket>\n    ProxyPass ws://${B()}/app/socket\n</Location>\n<Location /app>\n    ProxyPass !\n</Location>\n`;
      expect((await serve(excluded, ["/app/socket"])).get("/app/socket")!.ws.status).toBe(404);
      expect(ofRule((await lint("excluded-lint.conf", excluded)).findings, "proxypass-shadowed")[0]?.message).toMatch(/`ProxyPass !` wins and they are not proxied/);
      const harmless = `<Location /app/socket>\n    ProxyPass ws://${B()}/app/socket\n</Location>\n<Location /app>\n    Require all granted\n</Location>\n`;
      expect((await serve(harmless, ["/app/socket"])).get("/app/socket")!.ws.status).toBe(101);
      expect(ofRule((await lint("harmless-lint.conf", harmless)).findings, "proxypass-shadowed")).toEqual([]);
    });

    it("Location paths match on segment boundaries: /app matches /app/x and //app//x, not /apple; /app/ does not match /app", async () => {
      const a = await serve(`<Location /app>\n    ProxyPass http://${B()}/app\n</Location>\n`, ["/apple", "/app", "/app/x", "//app//x"]);
      expect([...a].map(([p, x]) => [p, x.get.status])).toEqual([
        ["/apple", 404],
        ["/app", 200],
        ["/app/x", 200],
        ["//app//x", 200],
      ]);
      const slash = await serve(`<Location /app/>\n    ProxyPass http://${B()}/app/\n</Location>\n`, ["/app", "/app/x"]);
      expect([...slash].map(([p, x]) => [p, x.get.status])).toEqual([
        ["/app", 404],
        ["/app/x", 200],
      ]);
      // so a later <Location /app> does not override <Location /apple>
      const apple = `<Location /apple>\n    ProxyPass ws://${B()}/apple\n</Location>\n<Location /app>\n    ProxyPass http://${B()}/app\n</Location>\n`;
      expect((await serve(apple, ["/apple"])).get("/apple")!.ws.status).toBe(101);
      expect(ofRule((await lint("apple-lint.conf", apple)).findings, "proxypass-shadowed")).toEqual([]);
    });
  });

  describe("trailing slash through Define", () => {
    /** The backend path a proxypass-trailing-slash message predicts for `/ws/chat`. */
    const predicted = (message: string) => /`\/ws\/chat` is proxied to `ws:\/\/[^/`]+([^`]*)`/.exec(message)?.[1];

    const cases = [
      {
        name: "ProxyPass ${VPATH} \"ws://${BACKEND}/ws/\" with VPATH /ws",
        text: () => `Define VPATH /ws\nDefine BACKEND ${B()}\nProxyPass \${VPATH} "ws://\${BACKEND}/ws/"\n`,
        line: 3,
        broken: "/ws//chat",
        fixed: 'ProxyPass ${VPATH} "ws://${BACKEND}/ws"',
      },
      {
        name: "<Location ${VPATH}> with VPATH /ws/ and ProxyPass \"ws://${BACKEND}/ws\"",
        text: () => `Define VPATH /ws/\nDefine BACKEND ${B()}\n<Location \${VPATH}>\n    ProxyPass "ws://\${BACKEND}/ws"\n</Location>\n`,
        line: 4,
        broken: "/wschat",
        fixed: '    ProxyPass "ws://${BACKEND}/ws/"',
      },
    ];

    for (const c of cases) {
      it(`${c.name}: the backend gets ${c.broken}, as the finding says; after the fix it gets /ws/chat`, async () => {
        const text = c.text();
        const a = (await serve(text, ["/ws/chat"])).get("/ws/chat")!;
        expect(a.seen, JSON.stringify(a)).toEqual([`UPGRADE ${c.broken}`]);
        const found = ofRule((await lint(`define-lint-${c.line}.conf`, text)).findings, "proxypass-trailing-slash");
        expect(found.map((f) => f.line)).toEqual([c.line]);
        expect(predicted(found[0]!.message)).toBe(c.broken);
        const fixed = await lint(`define-fix-${c.line}.conf`, text, ["--fix", "--unsafe-fixes"]);
        // only the literal text of the URL changed: the Define lines are as they were
        expect(fixed.text.split("\n").slice(0, 2)).toEqual(text.split("\n").slice(0, 2));
        expect(fixed.text).toContain(c.fixed);
        const after = (await serve(fixed.text, ["/ws/chat"])).get("/ws/chat")!;
        expect(after.ws, fixed.text).toMatchObject({ status: 101, echo: echoText(backend.port, "/ws/chat", "hello") });
      });
    }
  });
});
