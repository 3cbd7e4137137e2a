// A fix must never turn a config Apache accepts into one it rejects. For every
// fixture under fixtures/ that `apache2 -t` accepts as it is, the output of
// `apachelint --fix` and of `apachelint --fix --unsafe-fixes` must still pass
// `apache2 -t`. Rule fixtures appear here as they are written.
//
// How a fixture becomes a server config Apache can check:
// - `*.conf`: Included at server level into the harness's skeleton, after a
//   broad set of modules, so that a fragment (a vhost, a few rewrite lines)
//   is judged on its own syntax. A module the fixture loads itself is left
//   out of that set (with whatever must load after it), so the fixture's own
//   LoadModule lines, and the ones a fix adds, are what load it.
// - `*.htaccess`: apache2 -t never reads .htaccess; the closest it can check is
//   the same lines Included inside a `<Directory>`, the context .htaccess
//   lines are merged into.
// A fixture Apache rejects before fixing is skipped, with Apache's reason, and
// listed in the table printed at the end: the property is about configs that
// worked, and a `bad*` fixture is often meant to be rejected.
import { readdirSync, statSync } from "node:fs";
import { copyFile, mkdir, readFile, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { moduleByFile, moduleById, moduleByName } from "../../src/apache/modules.js";
import {
  apacheMessage,
  apacheOrSkip,
  apachelint,
  freePort,
  makeServerRoot,
  PROJECT_ROOT,
  requireBuiltCli,
  serverConfig,
  table,
  tempDir,
  type ServerRoot,
} from "./harness.js";

const FIXTURES = join(PROJECT_ROOT, "fixtures");

/** Fixture files, relative to fixtures/, found when the test file is collected. */
function fixtureFiles(): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const name of readdirSync(join(FIXTURES, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      if (statSync(join(FIXTURES, r)).isDirectory()) walk(r);
      else if (/\.(conf|htaccess)$/.test(name)) out.push(r);
    }
  };
  walk("");
  return out;
}

/** Modules for a fragment, in an order dlopen accepts (a provider before its users). */
const BROAD = [
  "mime", "setenvif", "socache_shmcb", "ssl", "alias", "dir", "env", "headers", "filter", "deflate", "expires",
  "remoteip", "authn_core", "authn_file", "auth_basic", "authz_host", "authz_user", "include", "rewrite",
  "proxy", "proxy_http", "proxy_wstunnel", "proxy_fcgi", "slotmem_shm", "proxy_balancer",
  "lbmethod_byrequests", "lbmethod_bybusyness", "http2", "proxy_http2",
];

/** a2enmod names of the modules a text loads with LoadModule (by identifier, else by file). */
function loadedBy(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/^[ \t]*LoadModule[ \t]+(\S+)(?:[ \t]+(\S+))?/gim)) {
    const mod = moduleById(m[1]!) ?? moduleById(`${m[1]}_module`) ?? (m[2] ? moduleByFile(m[2]) : undefined);
    if (mod) out.add(mod.name);
  }
  return out;
}

/** BROAD minus what the fixture loads itself, and minus whatever must be loaded after those. */
function preludeFor(texts: readonly string[]): string[] {
  const own = new Set(texts.flatMap((t) => [...loadedBy(t)]));
  const out: string[] = [];
  for (const name of BROAD) {
    const after = moduleByName(name)?.loadAfter ?? [];
    if (own.has(name) || after.some((a) => own.has(a))) {
      own.add(name);
      continue;
    }
    out.push(name);
  }
  return out;
}

/** `# fixture: apache-version=2.4.46`, as test/helpers/rule-tester.ts reads it. */
const versionOf = (text: string) => /^#\s*fixture:\s*apache-version=(\S+)/m.exec(text)?.[1];

const MODES = [
  { name: "--fix", dir: "safe", args: ["--fix"] },
  { name: "--fix --unsafe-fixes", dir: "unsafe", args: ["--fix", "--unsafe-fixes"] },
] as const;

const files = fixtureFiles();

describe.runIf(apacheOrSkip("test/apache/fixtures-syntax.test.ts"))("fixes keep configs apache2 -t accepts accepted", { timeout: 120_000 }, () => {
  let sr: ServerRoot;
  let work: string;
  let port: number;
  const skipped: string[][] = [];
  const refused = new Map<string, string>(); // fixture → why the CLI would not lint it

  beforeAll(async () => {
    requireBuiltCli();
    // CentOS's layout (ServerRoot/modules → the module directory), so RHEL-style fixtures can load modules too
    sr = await makeServerRoot({ modulesLink: true });
    await mkdir(join(sr.dir, "htdocs"));
    work = await tempDir("fixtures");
    port = await freePort(); // apache2 -t does not bind it
    // One CLI run per mode and target version over copies of every fixture: one node start, not hundreds.
    for (const mode of MODES) {
      const byVersion = new Map<string, string[]>();
      for (const f of files) {
        const copy = join(work, mode.dir, f);
        await mkdir(dirname(copy), { recursive: true });
        await copyFile(join(FIXTURES, f), copy);
        const v = versionOf(await readFile(copy, "utf8")) ?? "";
        byVersion.set(v, [...(byVersion.get(v) ?? []), copy]);
      }
      for (const [v, paths] of byVersion) {
        const report = join(work, `${mode.dir}-${v || "default"}.json`);
        const r = await apachelint(["--no-config", ...mode.args, ...(v ? ["--apache-version", v] : []), "-f", "json", "-o", report, ...paths], work);
        // exit 2 also means "some input could not be read" (a binary fixture): those files are simply not in the report
        expect(r.code, `apachelint ${mode.name} failed to run:\n${r.stderr}`).toBeLessThanOrEqual(2);
        const linted = new Set((JSON.parse(await readFile(report, "utf8")) as { filePath: string }[]).map((f) => f.filePath));
        for (const p of paths) {
          if (linted.has(p)) continue;
          const rel = p.slice(join(work, mode.dir).length + 1);
          const why = r.stderr.split("\n").find((l) => l.includes(rel)) ?? r.stderr;
          refused.set(rel, `apachelint did not lint it: ${why.replace(/^apachelint: /, "").trim()}`);
        }
      }
    }
  }, 180_000);

  afterAll(async () => {
    if (skipped.length) console.log(`\nFixtures not checked by apache2 -t (${skipped.length}):\n${table(["fixture", "reason"], skipped)}\n`);
    await sr?.remove();
    if (work) await rm(work, { recursive: true, force: true });
  });

  /** The server config that holds a fixture (or its fixed copy) at `path`. */
  const configFor = (fixture: string, path: string, prelude: readonly string[]) =>
    serverConfig({
      port,
      modules: prelude,
      body: fixture.endsWith(".htaccess")
        ? `<Directory "${sr.dir}/htdocs">\n    AllowOverride All\n    Include "${path}"\n</Directory>`
        : `Include "${path}"`,
    });

  it("finds the fixtures", () => {
    expect(files.filter((f) => f.startsWith("websocket-tutorial/")).length).toBeGreaterThanOrEqual(4);
  });

  it.concurrent.for(files)("%s", async (fixture, ctx) => {
    if (refused.has(fixture)) {
      skipped.push([fixture, refused.get(fixture)!]);
      ctx.skip(refused.get(fixture));
      return;
    }
    const original = join(FIXTURES, fixture);
    const texts = [await readFile(original, "utf8")];
    for (const mode of MODES) texts.push(await readFile(join(work, mode.dir, fixture), "utf8"));
    const prelude = preludeFor(texts);
    const slug = fixture.replace(/[^A-Za-z0-9.-]+/g, "_");
    const before = await sr.test(await sr.write(`${slug}.orig.server.conf`, configFor(fixture, original, prelude)));
    if (!before.ok) {
      const line = `rejected before fixing: ${apacheMessage(before.output, 140)}`;
      skipped.push([fixture, line]);
      ctx.skip(line);
      return;
    }
    // Apache's answer per distinct text: a fixture no fix touched is the config already accepted.
    const answers = new Map([[texts[0]!, before]]);
    const failures: string[] = [];
    for (const [i, mode] of MODES.entries()) {
      const text = texts[i + 1]!;
      let after = answers.get(text);
      if (!after) {
        after = await sr.test(await sr.write(`${slug}.${i}.server.conf`, configFor(fixture, join(work, mode.dir, fixture), prelude)));
        answers.set(text, after);
      }
      if (!after.ok) failures.push(`after apachelint ${mode.name}:\n${text}\n--- apache2 -t:\n${after.output}`);
    }
    expect(failures, `${fixture}: apache2 -t accepted it, but not after fixing.\n--- before:\n${texts[0]}\n--- ${failures.join("\n--- ")}`).toEqual([]);
  });
});

