// directive-context, listen-duplicate, regex-invalid, proxy-param-invalid together: silence on configs Apache accepts and the live apache2 proofs. Moved from test/rules-context.test.ts.
import { ruleTester } from "../helpers/rule-tester.js";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { spawn } from "node:child_process";
import { availableParallelism } from "node:os";
import { caseText, makeServerRoot as makeDifferentialRoot, readVerdict } from "../../src/tools/differential.js";
import { ARGUMENT_CONTEXT_CORPUS } from "../helpers/argument-context-verdicts.js";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lintText, type Finding } from "../../src/index.js";
import { allRules } from "../../rules/index.js";
import directiveContext from "../../rules/directive-context.js";
import listenDuplicate, { parseListen } from "../../rules/listen-duplicate.js";
import regexInvalid from "../../rules/regex-invalid.js";
import proxyParamInvalid, { suggestKey } from "../../rules/proxy-param-invalid.js";
import { checkPcre } from "../../src/apache/pcre.js";
import { atoi, timeoutMicros } from "../../src/apache/proxy-params.js";
import { DIRECTIVE_CONTEXTS } from "../../src/data/directive-contexts.js";
import type { Rule } from "../../src/core/rule.js";
import {
  APACHE,
  apacheOrSkip,
  freePort,
  httpGet,
  makeServerRoot,
  pool,
  PROJECT_ROOT,
  serverConfig,
  type ServerRoot,
  verboseReport,
} from "../apache/harness.js";

import { MINE, FIXTURES, lint, errors, alive, MODULES, apacheT, ruleRejects } from "../helpers/context-proofs.js";
import { REGEX_CORPUS, UNMODELLED, generatedPatterns, PROXY_CORPUS, LISTEN_CORPUS } from "../helpers/apache-verdicts.js";

// ------------------------------------------------------- silence where Apache is happy

function goodFixtures(): string[] {
  const root = join(FIXTURES, "rules");
  return readdirSync(root).flatMap((rule) =>
    readdirSync(join(root, rule))
      .filter((f) => /^good.*\.(conf|htaccess)$/.test(f))
      .map((f) => join(root, rule, f)),
  );
}

describe("the four rules stay silent on configs Apache accepts", () => {
  const files = [
    ...goodFixtures(),
    ...["00-baseline", "a2-percent-http-vars-control", "k1-upgrade-websocket-no-wstunnel", "m03-proxypass-in-location-control", "m28-proxypassmatch"].map(
      (c) => join(FIXTURES, "grammar", "apache-truth", "cases", `${c}.conf`),
    ),
    ...readdirSync(join(FIXTURES, "websocket-tutorial")).filter((f) => f.endsWith(".conf")).map((f) => join(FIXTURES, "websocket-tutorial", f)),
    join(PROJECT_ROOT, "node_modules", "apache-server-configs", "dist", ".htaccess"),
  ].filter(existsSync);

  it("covers the good fixtures of every rule", () => {
    expect(goodFixtures().length).toBeGreaterThan(30);
  });

  it.for(files.map((f) => f.slice(PROJECT_ROOT.length + 1)))("%s", (rel) => {
    const text = readFileSync(join(PROJECT_ROOT, rel), "utf8");
    const found = lint(text, MINE, rel);
    expect(found.map((f) => `${f.ruleId} ${f.line}:${f.column} ${f.message}`)).toEqual([]);
  });

  it.runIf(existsSync("/etc/apache2/apache2.conf"))("Debian's /etc/apache2", () => {
    const confs: string[] = [];
    const walk = (d: string) => {
      for (const n of readdirSync(d, { withFileTypes: true })) {
        if (n.isDirectory()) walk(join(d, n.name));
        else if (n.name.endsWith(".conf")) confs.push(join(d, n.name));
      }
    };
    walk("/etc/apache2");
    expect(confs.length).toBeGreaterThan(10);
    const found = confs.flatMap((f) => lint(readFileSync(f, "utf8"), MINE, f).map((x) => `${f}:${x.line} ${x.ruleId} ${x.message}`));
    expect(found).toEqual([]);
  });
});

// ------------------------------------------------------------------- live apache2

/** Fixtures that are only valid Included inside a section, and that section. */
const WRAP: Readonly<Record<string, [string, string]>> = {
  "good-included-snippet.conf": ["<Location /app/>", "</Location>"],
  "good-vhost-snippet.conf": ["<VirtualHost *:80>", "</VirtualHost>"],
  // ProxyHCTemplate is mod_proxy_hcheck's, which the lab's server does not load
  "good-section.conf": ["LoadModule proxy_hcheck_module /usr/lib/apache2/modules/mod_proxy_hcheck.so", ""],
};

describe.runIf(apacheOrSkip("test/rules/context-apache.test.ts"))("live apache2", { timeout: 180_000 }, () => {
  let sr: ServerRoot;
  beforeAll(async () => {
    sr = await makeServerRoot();
  });
  afterAll(async () => {
    await sr?.remove();
  });

  it("compiles the regex corpus and generated patterns as recorded, and the rule agrees", async () => {
    const generated = generatedPatterns(300).filter((p) => !p.includes('"'));
    const recorded = new Map(REGEX_CORPUS.map(([p, ok]) => [p, ok]));
    const all = [...recorded.keys(), ...generated.filter((p) => !recorded.has(p))];
    const verdicts = await pool(all, 4, async (p, ) => {
      const i = all.indexOf(p);
      const r = await apacheT(sr, `rx${i}`, `RewriteEngine On\nRewriteRule "${p}" - [L]`);
      return [p, r.ok] as const;
    });
    const wrong: string[] = [];
    let declined = 0;
    for (const [p, ok] of verdicts) {
      if (recorded.has(p) && recorded.get(p) !== ok) wrong.push(`${p}: recorded ${recorded.get(p)}, this apache2 says ${ok}`);
      const r = checkPcre(p);
      if (r.valid === null) {
        declined++;
        continue;
      }
      if (ruleRejects(p) !== !ok) wrong.push(`${p}: apache2 -t ${ok ? "accepts" : "rejects"} it, the rule disagrees`);
    }
    verboseReport(`regex-invalid vs apache2 -t: ${verdicts.length} patterns, ${declined} not judged (extended mode, conditionals, callouts, property names)`);
    expect(declined).toBeLessThan(verdicts.length / 20);
    expect(wrong).toEqual([]);
  });

  it("refuses exactly the recorded proxy parameters and Listen pairs", async () => {
    const cases = [...PROXY_CORPUS, ...LISTEN_CORPUS];
    const live = await pool(cases, 4, async ([text, ok], ) => {
      const i = cases.findIndex((c) => c[0] === text);
      const r = await apacheT(sr, `pp${i}`, text);
      return r.ok === ok ? null : `${text.replace(/\n/g, " | ")}: recorded ${ok}, apache2 -t says ${r.ok} ${r.output.trim().split("\n").pop()}`;
    });
    expect(live.filter(Boolean)).toEqual([]);
  });

  const ruleDirs = ["directive-context", "listen-duplicate", "regex-invalid", "proxy-param-invalid"];
  const confFixtures = ruleDirs.flatMap((r) =>
    readdirSync(join(FIXTURES, "rules", r))
      .filter((f) => /^(good|bad).*\.conf$/.test(f))
      .map((f) => [r, f] as const),
  );

  it.for(confFixtures.map(([r, f]) => `${r}/${f}`))("fixture %s: apache2 -t agrees with the rule", async (rel) => {
    const [ruleId, name] = rel.split("/") as [string, string];
    const rule = MINE.find((r) => r.id === ruleId)!;
    const text = readFileSync(join(FIXTURES, "rules", rel), "utf8");
    const path = await sr.write(`fx-${ruleId}-${name}`, text);
    const [open, close] = WRAP[name] ?? ["", ""];
    const r = await apacheT(sr, `fx-${ruleId}-${name}-main`, `${open}\nInclude ${path}\n${close}`);
    const errs = errors(lint(text, [rule], name));
    if (name.startsWith("good") || errs.length === 0) {
      expect(r.ok, `${rel}: apache2 -t refuses it:\n${r.output}`).toBe(true);
      return;
    }
    expect(r.ok, `${rel}: apache2 -t accepts it`).toBe(false);
    expect(r.file, r.output).toBe(path);
    // Apache reports the first error it meets, at the last physical line of the directive
    const atLine = errs.filter((f) => f.line <= r.line! && r.line! <= (text.slice(0, f.end).split("\n").length + (text.slice(f.end).match(/^[^\n]*\\\n/) ? 1 : 0)));
    expect(atLine.length, `${rel}: Apache refuses line ${r.line}, the rule flags ${errs.map((f) => f.line).join(", ")}\n${r.output}`).toBeGreaterThan(0);
    // what the message quotes Apache saying is what Apache says
    const quotes = atLine.map((f) => /\("([^"]+)"\)/.exec(f.message)?.[1]).filter((q): q is string => q !== undefined);
    const said = r.output.replace(/\s+/g, " ");
    if (quotes.length) expect(quotes.some((q) => said.includes(q)), `${rel}: ${quotes.join(" | ")} vs ${said}`).toBe(true);
  });

  it("does not start with a wildcard and a specific address on one port (the warnings)", async () => {
    const cases: [string, boolean][] = [
      ["Listen {p}\nListen 127.0.0.1:{p}", false],
      ["Listen 0.0.0.0:{p}\nListen 127.0.0.1:{p}", false],
      ["Listen {p}\nListen 0.0.0.0:{p}", true],
      ["Listen 127.0.0.1:{p}\nListen 127.0.0.2:{p}", true],
    ];
    for (const [pair, starts] of cases) {
      const [p, main] = [await freePort(), await freePort()];
      const body = pair.replace(/\{p\}/g, String(p));
      const conf = await sr.write(`listen-${p}.conf`, serverConfig({ port: main, body }));
      let started: boolean;
      try {
        const a = await sr.start(conf, main);
        // the skeleton's own Listen is bound first: give a failing bind of the pair time to stop Apache
        await new Promise((r) => setTimeout(r, 500));
        started = alive(a.pid);
        await a.stop();
      } catch (e) {
        expect(String(e)).toMatch(/AH00072|Address already in use|no listening sockets/);
        started = false;
      }
      expect(started, body).toBe(starts);
      const warned = lint(`${body}\n`, [listenDuplicate]).filter((f) => f.severity === "warning").length > 0;
      expect(warned, body).toBe(!starts);
    }
  });

  it("answers 500 for the .htaccess lines directive-context reports, and not for the good ones", async () => {
    const dir = join(FIXTURES, "rules", "directive-context");
    const htaccess = readdirSync(dir).filter((f) => f.endsWith(".htaccess"));
    expect(htaccess.length).toBeGreaterThanOrEqual(2);
    const port = await freePort();
    const docroot = join(sr.dir, "htdocs");
    for (const f of htaccess) {
      await mkdir(join(docroot, f), { recursive: true });
      await writeFile(join(docroot, f, ".htaccess"), readFileSync(join(dir, f), "utf8"));
      await writeFile(join(docroot, f, "index.html"), "ok\n");
    }
    const body = `DocumentRoot ${docroot}\n<Directory ${docroot}>\n    AllowOverride All\n    Require all granted\n</Directory>`;
    const conf = await sr.write("htaccess.conf", serverConfig({ port, modules: MODULES, body }));
    const a = await sr.start(conf, port);
    try {
      for (const f of htaccess) {
        const r = await httpGet(`http://127.0.0.1:${port}/${f}/index.html`);
        const reported = errors(lint(readFileSync(join(dir, f), "utf8"), [directiveContext], f)).length > 0;
        expect(r.status === 500, `${f}: HTTP ${r.status}`).toBe(reported);
      }
    } finally {
      await a.stop();
    }
    expect(await sr.errorLog()).toMatch(/ProxyPass not allowed here/);
  });
});

// ------------------------------------- forms whose context depends on the arguments, measured again

describe.runIf(apacheOrSkip("test/rules/context-apache.test.ts (argument contexts)"))("live apache2: the argument-context corpus", () => {
  let root = "";
  beforeAll(() => {
    if (!APACHE) throw new Error("apache2 not found: CI must install it");
    root = makeDifferentialRoot();
  });
  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it("apache2 -t gives every case of test/helpers/argument-context-verdicts.ts its recorded verdict, word for word", { timeout: 300_000 }, async () => {
    let n = 0;
    const differ = (
      await pool(ARGUMENT_CONTEXT_CORPUS, availableParallelism(), async ([body, recorded]) => {
        const conf = join(root, `ac${n++}.conf`);
        await writeFile(conf, caseText(body, root));
        const r = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
          const child = spawn(APACHE!, ["-t", "-d", root, "-f", conf], { stdio: ["ignore", "ignore", "pipe"] });
          let stderr = "";
          child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
          child.on("error", reject);
          child.on("close", (code) => resolve({ code, stderr }));
        });
        const v = readVerdict(r.code, r.stderr, root, body.length);
        const live = v.ok ? null : [v.line, v.message];
        return JSON.stringify(live) === JSON.stringify(recorded) ? null : `${body.join(" ⏎ ")}: recorded ${JSON.stringify(recorded)}, live ${JSON.stringify(live)}`;
      })
    ).filter(Boolean);
    expect(differ).toEqual([]);
  });
});
