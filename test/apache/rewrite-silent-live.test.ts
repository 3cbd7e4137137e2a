// The proof for issue 12's mod_rewrite rules: what Apache does with the
// mistakes it accepts without a word. Each rule's bad fixture, and its fixed
// text (the `.fixed` the fixer writes, or a good fixture), runs on a real
// Apache on loopback with `LogLevel rewrite:trace4`; the test asserts the
// response (status, Location) and the rewrite trace line the rule's docs quote.
// The fixtures' `/srv/rewrite-live` stands for the private ServerRoot.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apacheOrSkip, freePort, makeServerRoot, MODULE_SETS, PROJECT_ROOT, serverConfig, withApache, type ServerRoot } from "./harness.js";
import { lintRule } from "../helpers/rule-tester.js";
import { ruleById } from "../../rules/index.js";

const FIXTURES = join(PROJECT_ROOT, "fixtures", "rules");
const fixture = (id: string, name: string) => readFile(join(FIXTURES, id, name), "utf8");

interface Ask {
  path: string;
  agent?: string;
}
interface Answer {
  status: number;
  location: string | null;
  xAfter: string | null;
}

/** A raw GET: no redirects followed, the Location header as sent. */
async function get(port: number, a: Ask): Promise<Answer> {
  const r = await fetch(`http://127.0.0.1:${port}${a.path}`, { redirect: "manual", headers: { "user-agent": a.agent ?? "apachelint-test" } });
  await r.text();
  return { status: r.status, location: r.headers.get("location"), xAfter: r.headers.get("x-after") };
}

describe.runIf(apacheOrSkip("test/apache/rewrite-silent-live.test.ts"))("issue 12's rewrite rules on a real Apache", { timeout: 60_000 }, () => {
  let sr: ServerRoot;
  beforeAll(async () => {
    sr = await makeServerRoot();
    await mkdir(join(sr.dir, "docs", "sub"), { recursive: true });
    await mkdir(join(sr.dir, "aliased"));
    await writeFile(join(sr.dir, "docs", "ok.html"), "ok\n");
    await writeFile(join(sr.dir, "aliased", "x"), "x\n");
  });
  afterAll(async () => {
    await sr?.remove();
  });

  /**
   * Runs Apache with `serverText` at server level (and `htaccess` as docs/sub/.htaccess),
   * asks each request, and returns the answers and the rewrite trace, with the
   * ServerRoot shown as ROOT and the port as PORT.
   */
  async function measure(serverText: string, asks: readonly Ask[], htaccess = ""): Promise<{ answers: Answer[]; trace: string[] }> {
    const port = await freePort();
    const local = (s: string) => s.replaceAll("/srv/rewrite-live", sr.dir);
    await writeFile(join(sr.dir, "docs", "sub", ".htaccess"), local(htaccess));
    const body = [
      "LogLevel warn rewrite:trace4",
      `DocumentRoot ${sr.dir}/docs`,
      `<Directory ${sr.dir}/docs>`,
      "    AllowOverride All",
      "</Directory>",
      'Header always set X-After "%{AFTER}e" "expr=-n reqenv(\'AFTER\')"',
      local(serverText),
    ].join("\n");
    const conf = await sr.write("httpd.conf", serverConfig({ port, modules: [...MODULE_SETS.rewrite, "alias", "headers"], body }));
    const answers = await withApache(sr, conf, port, async () => {
      const out: Answer[] = [];
      for (const a of asks) out.push(await get(port, a));
      return out;
    });
    const show = (s: string) => s.replaceAll(sr.dir, "ROOT").replaceAll(String(port), "PORT");
    const trace = (await sr.errorLog())
      .split("\n")
      .filter((l) => l.includes("[rewrite:trace"))
      .map((l) => show(/\[rid#[^\]]*\] (.*)$/.exec(l)?.[1] ?? l));
    return { answers: answers.map((a) => ({ ...a, location: a.location && show(a.location) })), trace };
  }

  const fires = async (id: string, name: string, path = name) => {
    const found = lintRule(ruleById(id)!, await fixture(id, name), path);
    expect(found.length, `${id} on ${name}`).toBeGreaterThan(0);
  };

  it("rewrite-pattern-context: `^app/` never matches in server context, `^/app` never in .htaccess; `^/?` matches in both", async () => {
    const id = "rewrite-pattern-context";
    await fires(id, "bad-server.conf");
    await fires(id, "bad.htaccess");
    const asks = [{ path: "/app/x" }, { path: "/sub/app" }];
    const bad = await measure(await fixture(id, "bad-server.conf"), asks, await fixture(id, "bad.htaccess"));
    expect(bad.answers.map((a) => a.status)).toEqual([404, 404]);
    expect(bad.trace).toContain("applying pattern '^app/(.*)$' to uri '/app/x'");
    expect(bad.trace).toContain("pass through /app/x");
    expect(bad.trace).toContain("[perdir ROOT/docs/sub/] strip per-dir prefix: ROOT/docs/sub/app -> app");
    expect(bad.trace).toContain("[perdir ROOT/docs/sub/] applying pattern '^/app' to uri 'app'");
    const fixed = await measure(await fixture(id, "bad-server.conf.fixed"), asks, await fixture(id, "bad.htaccess.fixed"));
    expect(fixed.answers.map((a) => a.status)).toEqual([200, 200]);
    expect(fixed.trace).toContain("rewrite '/app/x' -> '/ok.html'");
    expect(fixed.trace).toContain("[perdir ROOT/docs/sub/] rewrite 'app' -> '/ok.html'");
  });

  it("rewritecond-negation-misplaced: `!%{VAR}` tests the text `!` + value, so the condition keeps its positive sense", async () => {
    const id = "rewritecond-negation-misplaced";
    await fires(id, "bad-agent.conf");
    const asks = [{ path: "/neg", agent: "curl/8" }, { path: "/neg", agent: "Mozilla/5.0" }];
    const bad = await measure(await fixture(id, "bad-agent.conf"), asks);
    expect(bad.answers.map((a) => a.status)).toEqual([200, 404]);
    expect(bad.trace).toContain("RewriteCond: input='!curl/8' pattern='curl' [NC] => matched");
    expect(bad.trace).toContain("RewriteCond: input='!Mozilla/5.0' pattern='curl' [NC] => not-matched");
    const fixed = await measure(await fixture(id, "bad-agent.conf.fixed"), asks);
    expect(fixed.answers.map((a) => a.status)).toEqual([404, 200]);
    expect(fixed.trace).toContain("RewriteCond: input='curl/8' pattern='!curl' [NC] => not-matched");
  });

  it("rewrite-literal-percent: `%DOCUMENT_ROOT` is copied as text in a test string and a substitution", async () => {
    const id = "rewrite-literal-percent";
    await fires(id, "bad-percent.conf");
    const asks = [{ path: "/pct1" }, { path: "/pct2" }];
    const bad = await measure(await fixture(id, "bad-percent.conf"), asks);
    expect(bad.answers.map((a) => a.status)).toEqual([404, 404]);
    expect(bad.trace).toContain("RewriteCond: input='%DOCUMENT_ROOT/ok.html' pattern='-f' => not-matched");
    expect(bad.trace).toContain("rewrite '/pct2' -> '/%DOCUMENT_ROOT/ok.html'");
    const good = await measure(await fixture(id, "good-live.conf"), asks);
    expect(good.answers.map((a) => a.status)).toEqual([200, 200]);
    expect(good.trace).toContain("RewriteCond: input='ROOT/docs/ok.html' pattern='-f' => matched");
  });

  it("rewriterule-unreachable: a duplicate after [L] is never tried; after [R] the later rules see the absolute URL", async () => {
    const id = "rewriterule-unreachable";
    await fires(id, "bad-duplicate.conf");
    await fires(id, "bad.htaccess");
    const asks = [{ path: "/dup" }, { path: "/red/x" }, { path: "/sub/a" }, { path: "/red2" }];
    const bad = await measure(await fixture(id, "bad-duplicate.conf"), asks, await fixture(id, "bad.htaccess"));
    expect(bad.answers.slice(0, 3).map((a) => [a.status, a.location])).toEqual([
      [200, null],
      [302, "http://127.0.0.1:PORT/ok.html"],
      [302, "http://127.0.0.1:PORT/ok.html"],
    ]);
    expect(bad.trace.filter((l) => l === "applying pattern '^/dup' to uri '/dup'")).toHaveLength(1);
    expect(bad.trace).toContain("applying pattern '^/red/x' to uri 'http://127.0.0.1:PORT/ok.html'");
    expect(bad.trace).toContain("[perdir ROOT/docs/sub/] applying pattern '^a$' to uri 'http://127.0.0.1:PORT/ok.html'");
    // the good fixture's `.*` after an [R] still applies: not reported
    const good = await measure(await fixture(id, "good.conf"), [{ path: "/red2" }]);
    expect(good.answers[0]).toEqual({ status: 302, location: "http://127.0.0.1:PORT/ok.html", xAfter: "yes" });
    expect(good.trace).toContain("applying pattern '.*' to uri 'http://127.0.0.1:PORT/ok.html'");
  });

  it("rewrite-redirect-drops-prefix: [R] to `/new` from an Alias'd directory leaves the Alias", async () => {
    const id = "rewrite-redirect-drops-prefix";
    await fires(id, "bad-alias.conf");
    const asks = [{ path: "/al/old" }];
    const bad = await measure(await fixture(id, "bad-alias.conf"), asks);
    expect(bad.answers[0]).toMatchObject({ status: 302, location: "http://127.0.0.1:PORT/new" });
    expect(bad.trace).toContain("[perdir ROOT/aliased/] rewrite 'old' -> '/new'");
    const good = await measure(await fixture(id, "good-alias.conf"), [...asks, { path: "/al/older" }]);
    expect(good.answers.map((a) => [a.status, a.location])).toEqual([
      [302, "http://127.0.0.1:PORT/al/new"],
      [302, "http://127.0.0.1:PORT/al/new"],
    ]);
  });
});
