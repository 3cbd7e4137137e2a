// The web playground (site/) in a real browser: headless Chromium (Debian's
// `chromium`) driven by playwright-core loads site/dist/ from
// scripts/serve-site.mjs on 127.0.0.1. What the page shows is compared with
// the engine run here (lintText) and with the bundled command line's --fix on
// the same text in a file; every request the browser makes is recorded, and
// one that leaves 127.0.0.1 fails the run. No Chromium: skipped with a loud
// warning, except under CI, where the suite fails.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { lintText, type Finding } from "../src/index.js";
import { parseVersion } from "../src/apache/version.js";
import { IN_CI } from "./apache/harness.js";
import { CLI, PROJECT_ROOT, ensureBuiltCli } from "./helpers/built-cli.js";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const SITE = join(PROJECT_ROOT, "site", "dist");
const BUNDLE = join(PROJECT_ROOT, "dist", "apachelint.cjs");
const EXAMPLE_FILE = join(PROJECT_ROOT, "examples", "websocket-tutorial.conf");
const EXAMPLE = readFileSync(EXAMPLE_FILE, "utf8");
const RESULTS = join(PROJECT_ROOT, "test-results");

if (!HAVE_CHROMIUM) {
  const msg = `${CHROMIUM} not found: test/playground.test.ts needs Debian's chromium (or CHROMIUM=/path/to/chrome)`;
  if (IN_CI) console.error(`\n!!!!! ${msg}. CI=true: these tests fail instead of skipping. !!!!!\n`);
  else console.warn(`\n!!!!! SKIPPED: ${msg}. Install it to run the playground's browser tests. !!!!!\n`);
}
const suite = HAVE_CHROMIUM || IN_CI ? describe : describe.skip;

// ------------------------------------------------------------ expectations

type Kind = "server" | "htaccess";

/** What the command line's engine finds in a text, with the options `--apache-version` and the file kind give. */
function expected(text: string, kind: Kind = "server", version = ""): Finding[] {
  const v = version ? parseVersion(version)! : null;
  return lintText(text, kind === "htaccess" ? ".htaccess" : "playground.conf", {
    fileKind: kind,
    ...(v ? { apacheVersion: v, startup: { version: v } } : {}),
  }).findings;
}

interface Shown {
  line: number;
  column: number;
  severity: string;
  ruleId: string;
  message: string;
}

/** The page renders `quoted` parts of a message as code: their text without the backticks. */
const asShown = (f: Finding): Shown => ({
  line: f.line,
  column: f.column,
  severity: f.severity,
  ruleId: f.ruleId,
  message: f.message.replace(/`([^`]+)`/g, "$1"),
});

/** `apachelint <args> FILE` on the text in a temp file: the file afterwards, and stdout. */
function cli(text: string, args: string[]): { file: string; stdout: string } {
  const dir = mkdtempSync(join(tmpdir(), "apachelint-playground-"));
  const path = join(dir, "websocket-tutorial.conf");
  writeFileSync(path, text);
  const r = spawnSync(process.execPath, [BUNDLE, ...args, path], { cwd: dir, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", GITHUB_ACTIONS: "" } });
  const out = { file: readFileSync(path, "utf8"), stdout: r.stdout };
  rmSync(dir, { recursive: true, force: true });
  return out;
}

/** 20,000 lines of virtual hosts, each with findings (a `${…}` sigil, a `$1` with no group). */
function bigConfig(): string {
  const lines = ["LoadModule proxy_module modules/mod_proxy.so", "LoadModule proxy_http_module modules/mod_proxy_http.so", "LoadModule rewrite_module modules/mod_rewrite.so"];
  for (let i = 1; lines.length < 20_000; i++) {
    const port = 3000 + (i % 1000);
    lines.push(
      "<VirtualHost *:80>",
      `  ServerName site${i}.example.test`,
      "  RewriteEngine on",
      "  RewriteCond ${HTTP:Upgrade} websocket [NC]",
      `  RewriteRule .* "ws://127.0.0.1:${port}/$1" [P,L]`,
      `  ProxyPass /app/ http://127.0.0.1:${port}/app/`,
      `  ProxyPassReverse /app/ http://127.0.0.1:${port}/app/`,
      "</VirtualHost>",
      "",
    );
  }
  return `${lines.slice(0, 20_000).join("\n")}\n`;
}

// ------------------------------------------------------------ the site and its server

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? (e.name === "dist" || e.name === "node_modules" ? 0 : newest(p)) : statSync(p).mtimeMs);
  }
  return t;
}

/** Builds site/dist/ unless `npm run build` (npm test's pretest) made it from the current sources. */
function ensureSite(): void {
  const inputs = ["site", "src", "rules", "grammar", join("docs", "rules")].map((d) => newest(join(PROJECT_ROOT, d)));
  const built = existsSync(join(SITE, "index.html")) ? statSync(join(SITE, "index.html")).mtimeMs : 0;
  const script = statSync(join(PROJECT_ROOT, "scripts", "build-site.mjs")).mtimeMs;
  if (built >= Math.max(script, ...inputs)) return;
  const r = spawnSync(process.execPath, [join(PROJECT_ROOT, "scripts", "build-site.mjs")], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`scripts/build-site.mjs failed: ${r.stderr}`);
}

let server: ChildProcess | undefined;
let base = "";
let browser: Browser | undefined;
let context: BrowserContext | undefined;
/** every URL the browser asked for, and those that would have left 127.0.0.1 (aborted) */
const requests: string[] = [];
const escaped: string[] = [];
const pageErrors: string[] = [];

function startServer(): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    // no PORT: the script takes a free port and prints its URL
    const env = { ...process.env };
    delete env.PORT;
    const child = spawn(process.execPath, [join(PROJECT_ROOT, "scripts", "serve-site.mjs")], { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    const timer = setTimeout(() => reject(new Error(`serve-site printed no URL in 10 s: ${out}${err}`)), 10_000);
    child.stderr!.setEncoding("utf8").on("data", (d: string) => (err += d));
    child.stdout!.setEncoding("utf8").on("data", (d: string) => {
      out += d;
      const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[0] });
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`serve-site exited (${code}): ${err}`));
    });
  });
}

function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

// ------------------------------------------------------------ driving the page

async function open(hash = ""): Promise<Page> {
  const page = await context!.newPage();
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await page.goto(`${base}${hash}`);
  await waitShown(page, 1);
  return page;
}

/** Waits until the page has shown `n` results and is not linting. */
async function waitShown(page: Page, n: number): Promise<void> {
  await page.waitForFunction((k) => Number(document.body.dataset.shown ?? 0) >= k && document.body.dataset.lint === "done", n, { timeout: 30_000 });
}

const shownCount = async (page: Page) => Number(await page.evaluate(() => document.body.dataset.shown ?? 0));

function listed(page: Page): Promise<Shown[]> {
  return page.$$eval("#findings-list > li", (items) =>
    items.map((li) => {
      const d = (li as HTMLElement).dataset;
      return { line: Number(d.line), column: Number(d.column), severity: d.severity!, ruleId: d.rule!, message: li.querySelector(".message")!.textContent! };
    }),
  );
}

const editorText = (page: Page) => page.evaluate(() => (window as unknown as { apachelintPlayground: { text(): string } }).apachelintPlayground.text());

/** The 1-based lines of the editor that carry an inline lint mark (every line of a short text is rendered). */
function markedLines(page: Page): Promise<number[]> {
  return page.$$eval("#editor .cm-content > .cm-line", (lines) =>
    lines.flatMap((l, i) => (l.querySelector("[class*='cm-lintRange-'], [class*='cm-lintPoint-']") ? [i + 1] : [])),
  );
}

/** Replaces the editor's text the way a user would: select all, type over it. */
async function typeOver(page: Page, text: string): Promise<void> {
  await page.click("#editor .cm-content");
  await page.keyboard.press("Control+A");
  await page.keyboard.insertText(text);
}

describe("the playground's sources", () => {
  it("type-check with DOM types under site/tsconfig.json (the main tsconfig leaves site/ out)", () => {
    const r = spawnSync(process.execPath, [join(PROJECT_ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", join(PROJECT_ROOT, "site", "tsconfig.json")], { encoding: "utf8" });
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  }, 60_000);
});

suite("the playground in headless Chromium", () => {
  beforeAll(async () => {
    if (!HAVE_CHROMIUM) throw new Error(`${CHROMIUM} not found: CI must install Debian's chromium`);
    ensureBuiltCli();
    if (!existsSync(BUNDLE) || statSync(BUNDLE).mtimeMs < statSync(CLI).mtimeMs) {
      spawnSync(process.execPath, [join(PROJECT_ROOT, "scripts", "build.mjs"), "--bundle-only"], { stdio: "ignore" });
    }
    ensureSite();
    const started = await startServer();
    server = started.child;
    base = started.url;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: process.getuid?.() === 0 ? ["--no-sandbox"] : [] });
    context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, deviceScaleFactor: 1 });
    await context.route("**/*", (route) => {
      const url = route.request().url();
      requests.push(url);
      const u = new URL(url);
      if (u.protocol === "data:" || u.protocol === "blob:" || u.hostname === "127.0.0.1") return route.continue();
      escaped.push(url);
      return route.abort();
    });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await stop(server);
  }, 30_000);

  it("shows the tutorial example's findings, inline and listed, as the engine finds them", async () => {
    const page = await open();
    expect(await editorText(page)).toBe(EXAMPLE);
    const want = expected(EXAMPLE);
    expect(want.length).toBeGreaterThan(5);
    expect(await listed(page)).toEqual(want.map(asShown));
    // inline: every finding's first line is marked in the editor, and only lines findings cover are
    const marked = await markedLines(page);
    for (const f of want) expect(marked).toContain(f.line);
    for (const line of marked) expect(want.some((f) => f.line <= line && line <= f.endLine)).toBe(true);
    expect(await page.locator("#editor .cm-lint-marker-error").count()).toBeGreaterThan(0);
    // the summary is a live region: screen readers hear it when it changes
    const status = page.locator("#findings-status");
    expect(await status.getAttribute("aria-live")).toBe("polite");
    expect(await status.textContent()).toContain(`${want.length} problems: ${want.filter((f) => f.severity === "error").length} errors`);
    await page.close();
  });

  it("links each rule id to its page, rendered from docs/rules and served with the site", async () => {
    const page = await open();
    const href = await page.locator("#findings-list li[data-rule='rewrite-var-sigil'] a.rule-link").first().getAttribute("href");
    expect(href).toBe("rules/rewrite-var-sigil.html");
    const doc = await context!.newPage();
    await doc.goto(new URL(href!, base).href);
    expect(await doc.locator("h1").textContent()).toBe("rewrite-var-sigil");
    // the fenced example is code, HTML-escaped, not markup
    expect(await doc.locator("pre code.language-apache").first().textContent()).toContain("RewriteCond ${HTTP:Upgrade} websocket [NC]");
    await doc.goto(new URL("rules/index.html", base).href);
    const links = await doc.$$eval("table a", (as) => as.map((a) => (a as HTMLAnchorElement).getAttribute("href")!));
    expect(links.length).toBeGreaterThan(30);
    for (const l of links) expect(existsSync(join(SITE, "rules", l))).toBe(true);
    // every page: inline code restored from its placeholders, prose tags (`<VirtualHost>`) escaped, not markup
    for (const f of readdirSync(join(SITE, "rules"))) {
      const html = readFileSync(join(SITE, "rules", f), "utf8");
      expect(html, f).not.toMatch(/[\uE000\uE001]/);
      expect(html, f).not.toMatch(/<\/?(VirtualHost|Location|Proxy|Directory|IfModule|Macro)\b/);
      expect(html, f).toContain("<code>");
    }
    await doc.close();
    await page.close();
  });

  it('"Apply safe fixes" gives the text `apachelint --fix` writes, and shows the diff `--diff` prints', async () => {
    const page = await open();
    const before = await shownCount(page);
    await page.click("#fix-safe");
    await waitShown(page, before + 1);
    const fixed = cli(EXAMPLE, ["--fix"]).file;
    expect(fixed).not.toBe(EXAMPLE);
    expect(await editorText(page)).toBe(fixed);
    expect(await listed(page)).toEqual(expected(fixed).map(asShown));
    expect(await page.locator("#fix-status").textContent()).toMatch(/^Applied \d+ safe fixes/);
    // the same hunks as the command line's patch (the names differ: a temp file there)
    expect(await page.locator("#diff").isVisible()).toBe(true);
    const hunks = (patch: string) => patch.slice(patch.indexOf("@@"));
    const patch = cli(EXAMPLE, ["--diff"]).stdout;
    expect(patch).toContain("@@");
    expect(hunks((await page.locator("#diff-unified").textContent())!)).toBe(hunks(patch));
    expect(await page.locator("#diff-view .cm-mergeView").count()).toBe(1);
    // one transaction: undo brings the example back
    await page.click("#editor .cm-content");
    await page.keyboard.press("Control+Z");
    expect(await editorText(page)).toBe(EXAMPLE);
    await page.close();
  });

  it('works from the keyboard alone: Tab reaches the editor and leaves it, Enter on "Apply all fixes" runs `--fix --unsafe-fixes`', async () => {
    const page = await open();
    const focused = () => page.evaluate(() => (document.activeElement?.id || document.activeElement?.className || document.activeElement?.tagName) ?? "");
    const order: string[] = [];
    for (let i = 0; i < 12 && order.at(-1) !== "fix-all"; i++) {
      await page.keyboard.press("Tab");
      order.push(await focused());
    }
    const editor = order.findIndex((o) => o.includes("cm-content"));
    expect(editor).toBeGreaterThan(0);
    // Tab does not get stuck in the editor: the next stop is the first button
    expect(order.slice(editor + 1, editor + 3)).toEqual(["fix-safe", "fix-all"]);
    const before = await shownCount(page);
    await page.keyboard.press("Enter");
    await waitShown(page, before + 1);
    expect(await editorText(page)).toBe(cli(EXAMPLE, ["--fix", "--unsafe-fixes"]).file);
    // a finding's position is a button that puts the cursor there
    await page.locator("#findings-list .goto").first().focus();
    await page.keyboard.press("Enter");
    expect(await focused()).toContain("cm-content");
    await page.close();
  });

  it("follows edits: typed text is linted again after a pause, and the live summary changes", async () => {
    const page = await open();
    const status = await page.locator("#findings-status").textContent();
    const n = await shownCount(page);
    await page.click("#editor .cm-content");
    await page.keyboard.press("Control+End");
    // typed key by key, so the editor's own typing help (indentation on Enter, closing brackets) applies
    await page.keyboard.type("\nListen 80\nListen 80\nRewriteCond ${HTTP:Host} example [NC]\n", { delay: 5 });
    // each keystroke sets data-lint to "linting": "done" now means the text as typed was linted
    await waitShown(page, n + 1);
    const text = await editorText(page);
    expect(text.startsWith(EXAMPLE)).toBe(true);
    expect(text).toMatch(/Listen 80\n\s*Listen 80\n\s*RewriteCond \$\{HTTP:Host\} example \[NC\]\n/);
    const want = expected(text);
    expect(await listed(page)).toEqual(want.map(asShown));
    expect(want.map((f) => f.ruleId)).toContain("listen-duplicate");
    expect(await page.locator("#findings-status").textContent()).not.toBe(status);
    await page.close();
  });

  it("a share link carries the text, the file kind and the version in the fragment, and opens to the same", async () => {
    const page = await open();
    const text = `${EXAMPLE}\n# shared: ünïcödé “quotes” and a tab\there\n`;
    await typeOver(page, text);
    await page.check("input[name=kind][value=htaccess]");
    await page.selectOption("#version", "2.4.30");
    await page.click("#share");
    // the link is made asynchronously (the text is compressed first): wait for it, not for a fixed time
    await page.waitForFunction(() => (document.querySelector("#share-url") as HTMLInputElement | null)?.value.includes("#"));
    const url = await page.locator("#share-url").inputValue();
    const u = new URL(url);
    expect(`${u.origin}${u.pathname}`).toBe(base);
    // nothing before the # (which browsers never send) carries the text
    expect(u.search).toBe("");
    expect(u.hash).toMatch(/^#(z|t)=/);
    expect(decodeURIComponent(url)).not.toContain("RewriteCond");

    const other = await context!.newPage();
    await other.goto(url);
    await waitShown(other, 1);
    expect(await editorText(other)).toBe(text);
    expect(await other.locator("input[name=kind][value=htaccess]").isChecked()).toBe(true);
    expect(await other.locator("#version").inputValue()).toBe("2.4.30");
    expect(await listed(other)).toEqual(expected(text, "htaccess", "2.4.30").map(asShown));

    // a damaged link says so and shows the example
    await other.goto(`${base}#z=not-deflate`);
    await other.reload();
    await waitShown(other, 1);
    expect(await other.locator("#share-status").textContent()).toMatch(/damaged/);
    expect(await editorText(other)).toBe(EXAMPLE);
    await other.close();
    await page.close();
  });

  it("the file kind and the Apache version change the findings as they change the engine's", async () => {
    const page = await open();
    const server = expected(EXAMPLE);
    const htaccess = expected(EXAMPLE, "htaccess");
    // LoadModule and <VirtualHost> are server-only: directive-context reports them in .htaccess only
    const contextRule = (fs: Finding[]) => fs.filter((f) => f.ruleId === "directive-context").map((f) => f.line);
    expect(contextRule(server)).toEqual([]);
    expect(contextRule(htaccess)).toContain(3);
    let n = await shownCount(page);
    await page.check("input[name=kind][value=htaccess]");
    await waitShown(page, n + 1);
    expect(await listed(page)).toEqual(htaccess.map(asShown));

    // the version: websocket-prefer-upgrade-param advises upgrade=websocket only from 2.4.47 on
    const fixed = cli(EXAMPLE, ["--fix"]).file;
    await page.check("input[name=kind][value=server]");
    n = await shownCount(page);
    await typeOver(page, fixed);
    await waitShown(page, n + 1);
    await page.waitForFunction(() => document.body.dataset.lint === "done");
    expect(await listed(page)).toEqual(expected(fixed).map(asShown));
    n = await shownCount(page);
    await page.selectOption("#version", "2.4.30");
    await waitShown(page, n + 1);
    const old = expected(fixed, "server", "2.4.30");
    expect(old.map((f) => f.ruleId)).not.toContain("websocket-prefer-upgrade-param");
    expect(expected(fixed).map((f) => f.ruleId)).toContain("websocket-prefer-upgrade-param");
    expect(await listed(page)).toEqual(old.map(asShown));
    await page.close();
  });

  it("lints a 20,000-line config in the worker while the page keeps drawing frames", async () => {
    const page = await open();
    const dir = mkdtempSync(join(tmpdir(), "apachelint-playground-big-"));
    const path = join(dir, "big.conf");
    const text = bigConfig();
    writeFileSync(path, text);
    // a heartbeat on the main thread: requestAnimationFrame runs only when the thread is free to draw
    await page.evaluate(() => {
      const beats: number[] = [];
      (window as unknown as { beats: number[] }).beats = beats;
      const tick = (t: number) => {
        beats.push(t);
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    const n = await shownCount(page);
    await page.setInputFiles("#open-file", path);
    await waitShown(page, n + 1);
    rmSync(dir, { recursive: true, force: true });
    expect((await editorText(page)).length).toBe(text.length);
    const want = expected(text);
    expect(want.length).toBeGreaterThan(1000);
    expect(await page.locator("#findings-status").textContent()).toContain(`${want.length.toLocaleString("en")} problems`);
    expect(await listed(page)).toEqual(want.slice(0, 500).map(asShown));
    expect(await page.locator("#findings-more").isVisible()).toBe(true);
    // between sending the text to the worker and showing its findings, frames kept coming
    const { sent, shown, beats } = await page.evaluate(() => ({
      sent: performance.getEntriesByName("apachelint:lint-sent").at(-1)!.startTime,
      shown: performance.getEntriesByName("apachelint:findings-shown").at(-1)!.startTime,
      beats: (window as unknown as { beats: number[] }).beats,
    }));
    const during = beats.filter((t) => t > sent && t < shown);
    console.log(`playground: 20,000 lines linted in the worker in ${Math.round(shown - sent)} ms; ${during.length} frames drawn meanwhile`);
    expect(shown - sent).toBeGreaterThan(0);
    expect(during.length).toBeGreaterThanOrEqual(3);
    await page.close();
  }, 120_000);

  it("passes WCAG AA contrast for the text it shows (4.5:1, 3:1 for large text)", async () => {
    const page = await open();
    await page.click("#fix-safe");
    await page.waitForSelector("#diff:not([hidden])");
    const failures = await page.evaluate(() => {
      type RGBA = [number, number, number, number];
      const parse = (c: string): RGBA => {
        const m = /rgba?\(([^)]+)\)/.exec(c);
        if (!m) return [0, 0, 0, 0];
        const [r, g, b, a = 1] = m[1]!.split(/[ ,/]+/).filter(Boolean).map(Number) as number[];
        return [r!, g!, b!, a];
      };
      const over = (top: RGBA, below: RGBA): RGBA => {
        const a = top[3] + below[3] * (1 - top[3]);
        if (a === 0) return [0, 0, 0, 0];
        const mix = (i: number) => (top[i]! * top[3] + below[i]! * below[3] * (1 - top[3])) / a;
        return [mix(0), mix(1), mix(2), a];
      };
      const background = (el: Element | null): RGBA => {
        const layers: RGBA[] = [];
        for (let e = el; e; e = e.parentElement) {
          const c = parse(getComputedStyle(e).backgroundColor);
          layers.push(c);
          if (c[3] === 1) break;
        }
        return layers.reduceRight((acc, c) => over(c, acc), [255, 255, 255, 1] as RGBA);
      };
      const luminance = ([r, g, b]: RGBA) => {
        const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
      };
      const out: string[] = [];
      const seen = new Set<string>();
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement!;
        if (!n.textContent!.trim() || el.closest("[hidden], .visually-hidden, details:not([open]) > :not(summary)")) continue;
        const box = el.getBoundingClientRect();
        if (box.width === 0 || box.height === 0) continue;
        const style = getComputedStyle(el);
        const bg = background(el);
        const fg = over(parse(style.color), bg);
        const [l1, l2] = [luminance(fg), luminance(bg)].sort((a, b) => b - a) as [number, number];
        const ratio = (l1 + 0.05) / (l2 + 0.05);
        const size = parseFloat(style.fontSize);
        const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
        const min = large ? 3 : 4.5;
        // disabled controls are exempt in WCAG; none stays disabled here
        const key = `${style.color} on ${bg.join(",")}`;
        if (ratio < min && !seen.has(key)) {
          seen.add(key);
          out.push(`${ratio.toFixed(2)} < ${min}: "${n.textContent!.trim().slice(0, 30)}" (${el.className || el.tagName}) ${key}`);
        }
      }
      return out;
    });
    expect(failures).toEqual([]);
    await page.close();
  });

  it("takes a screenshot, and gives the time to first findings (median of 3 loads) and the bundle sizes", async () => {
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const page = await open();
      times.push(await page.evaluate(() => performance.getEntriesByName("apachelint:findings-shown")[0]!.startTime));
      if (i < 2) await page.close();
      else {
        // the picture for the README: the example with a finding's tooltip open, and the first findings
        await page.locator("#editor .cm-content > .cm-line").nth(18).locator("[class*='cm-lintRange-error']").first().hover({ position: { x: 4, y: 6 } });
        await page.waitForSelector(".cm-tooltip-lint", { state: "visible" });
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
        mkdirSync(RESULTS, { recursive: true });
        const shot = join(RESULTS, "playground.png");
        await page.screenshot({ path: shot, clip: { x: 0, y: 0, width: 1280, height: 1000 } });
        copyFileSync(shot, join(PROJECT_ROOT, "docs", "playground.png"));
        await page.screenshot({ path: join(RESULTS, "playground-full.png"), fullPage: true });
        await page.close();
      }
    }
    const median = [...times].sort((a, b) => a - b)[1]!;
    const sizes = Object.fromEntries(
      ["boot.js", "playground.js", "worker.js", "style.css", "index.html"].map((f) => {
        const bytes = readFileSync(join(SITE, f));
        return [f, { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length }];
      }),
    );
    writeFileSync(join(RESULTS, "playground-metrics.json"), `${JSON.stringify({ firstFindingsMs: times, medianFirstFindingsMs: median, sizes }, null, 2)}\n`);
    console.log(`playground: first findings after ${times.map((t) => Math.round(t)).join(", ")} ms (median ${Math.round(median)}); sizes ${JSON.stringify(sizes)}`);
    expect(median).toBeGreaterThan(0);
    expect(statSync(join(PROJECT_ROOT, "docs", "playground.png")).size).toBeGreaterThan(10_000);
  }, 60_000);

  it("serves only site/dist: a path that climbs out of it is not found", async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const u = new URL(base);
      const req = httpRequest({ host: u.hostname, port: u.port, path: "/../package.json" }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on("error", reject);
      req.end();
    });
    expect(status).toBe(404);
  });

  it("sent no request beyond 127.0.0.1, cannot fetch at all, and threw no error", async () => {
    const page = await open();
    // connect-src 'none': even a request to its own server is refused by the browser
    const fetched = await page.evaluate((u) => fetch(u).then(() => "sent", () => "refused"), base);
    expect(fetched).toBe("refused");
    await page.close();
    expect(requests.some((r) => r.endsWith("/worker.js"))).toBe(true);
    expect(escaped).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
