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
// A fixture Apache rejects as written is not in the test list (the property is
// about configs that worked, and a `bad*` fixture is often meant to be
// rejected); APACHELINT_TEST_VERBOSE=1 prints those with Apache's reasons.
import { readdirSync, statSync } from "node:fs";
import { copyFile, mkdir, readFile, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { moduleByFile, moduleById, moduleByName } from "../../src/apache/modules.js";
import {
  apacheMessage,
  apacheOrSkip,
  apachelint,
  freePort,
  makeServerRoot,
  pool,
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
  "lbmethod_byrequests", "lbmethod_bybusyness", "http2", "proxy_http2", "macro",
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

interface Plan {
  sr: ServerRoot;
  work: string;
  port: number;
  /** fixtures Apache accepts as written, with their texts (original, then one per mode) and module prelude */
  applicable: { fixture: string; texts: string[]; prelude: string[] }[];
  /** fixtures the property does not apply to, with why */
  notApplicable: string[][];
}

/** The server config that holds a fixture (or its fixed copy) at `path`. */
const configFor = (plan: Pick<Plan, "sr" | "port">, fixture: string, path: string, prelude: readonly string[]) =>
  serverConfig({
    port: plan.port,
    modules: prelude,
    body: fixture.endsWith(".htaccess")
      ? `<Directory "${plan.sr.dir}/htdocs">\n    AllowOverride All\n    Include "${path}"\n</Directory>`
      : `Include "${path}"`,
  });

const slugOf = (fixture: string) => fixture.replace(/[^A-Za-z0-9.-]+/g, "_");

/**
 * Runs apachelint in each mode over copies of every fixture, and apache2 -t over
 * every original, while the file is collected: the property is about configs
 * that worked, so a fixture Apache rejects as written (a `bad*` fixture is often
 * meant to be) or that apachelint will not read is left out of the test list
 * rather than reported as a skipped test.
 */
async function preparePlan(): Promise<Plan> {
  requireBuiltCli();
  // CentOS's layout (ServerRoot/modules → the module directory), so RHEL-style fixtures can load modules too
  const sr = await makeServerRoot({ modulesLink: true });
  await mkdir(join(sr.dir, "htdocs"));
  const work = await tempDir("fixtures");
  const port = await freePort(); // apache2 -t does not bind it
  const refused = new Map<string, string>(); // fixture → why the CLI would not lint it
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
      if (r.code > 2) throw new Error(`apachelint ${mode.name} failed to run:\n${r.stderr}`);
      const linted = new Set((JSON.parse(await readFile(report, "utf8")) as { filePath: string }[]).map((f) => f.filePath));
      for (const p of paths) {
        if (linted.has(p)) continue;
        const rel = p.slice(join(work, mode.dir).length + 1);
        const why = r.stderr.split("\n").find((l) => l.includes(rel)) ?? r.stderr;
        refused.set(rel, `apachelint did not lint it: ${why.replace(/^apachelint: /, "").trim()}`);
      }
    }
  }
  const plan: Plan = { sr, work, port, applicable: [], notApplicable: [] };
  await pool(files, 4, async (fixture) => {
    if (refused.has(fixture)) return void plan.notApplicable.push([fixture, refused.get(fixture)!]);
    const texts = [await readFile(join(FIXTURES, fixture), "utf8")];
    for (const mode of MODES) texts.push(await readFile(join(work, mode.dir, fixture), "utf8"));
    const prelude = preludeFor(texts);
    const before = await sr.test(await sr.write(`${slugOf(fixture)}.orig.server.conf`, configFor(plan, fixture, join(FIXTURES, fixture), prelude)));
    if (before.ok) plan.applicable.push({ fixture, texts, prelude });
    else plan.notApplicable.push([fixture, `rejected as written: ${apacheMessage(before.output, 140)}`]);
  });
  plan.applicable.sort((a, b) => a.fixture.localeCompare(b.fixture));
  plan.notApplicable.sort((a, b) => a[0]!.localeCompare(b[0]!));
  return plan;
}

const plan = apacheOrSkip("test/apache/fixtures-syntax.test.ts") ? await preparePlan() : undefined;

describe.runIf(plan)("fixes keep configs apache2 -t accepts accepted", { timeout: 120_000 }, () => {
  afterAll(async () => {
    if (process.env.APACHELINT_TEST_VERBOSE && plan!.notApplicable.length) {
      console.log(`\nFixtures Apache rejects as written or apachelint does not read (${plan!.notApplicable.length}):\n${table(["fixture", "reason"], plan!.notApplicable)}\n`);
    }
    await plan?.sr.remove();
    if (plan?.work) await rm(plan.work, { recursive: true, force: true });
  });

  it("checks the fixtures Apache accepts as written, and accounts for every other", () => {
    expect(files.filter((f) => f.startsWith("websocket-tutorial/")).length).toBeGreaterThanOrEqual(4);
    expect(plan!.applicable.length + plan!.notApplicable.length).toBe(files.length);
  });

  it.concurrent.for(plan?.applicable ?? [])("$fixture", async ({ fixture, texts, prelude }) => {
    // Apache's answer per distinct text: a fixture no fix touched is the config already accepted.
    const answers = new Set([texts[0]!]);
    const failures: string[] = [];
    for (const [i, mode] of MODES.entries()) {
      const text = texts[i + 1]!;
      if (answers.has(text)) continue;
      answers.add(text);
      const after = await plan!.sr.test(await plan!.sr.write(`${slugOf(fixture)}.${i}.server.conf`, configFor(plan!, fixture, join(plan!.work, mode.dir, fixture), prelude)));
      if (!after.ok) failures.push(`after apachelint ${mode.name}:\n${text}\n--- apache2 -t:\n${after.output}`);
    }
    expect(failures, `${fixture}: apache2 -t accepted it, but not after fixing.\n--- before:\n${texts[0]}\n--- ${failures.join("\n--- ")}`).toEqual([]);
  });
});
