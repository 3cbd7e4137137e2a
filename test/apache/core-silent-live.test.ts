// The live proofs for issue 12's core-and-modules rules: what Apache 2.4.71
// does with each config the rules report, re-measured on a real server on
// loopback. The cases and Apache's verbatim answers (status, response
// headers, body, access-log lines, error-log and `apache2 -t` lines) are
// committed in fixtures/rules/<id>/live-cases.json; for each one this test
// starts Apache on it (a private ServerRoot, ports from freePort), checks
// every answer, and checks that the rule finds exactly `findings` problems
// in that config. A case with `fixed` is then fixed with the rule's own fixes
// (unsafe included) and re-measured, so the fix is shown to do what its docs say.
import http from "node:http";
import https from "node:https";
import { mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lintText } from "../../src/index.js";
import { fixUntilStable } from "../../src/core/fixer.js";
import { ruleById } from "../../rules/index.js";
import type { Rule } from "../../src/core/rule.js";
import { apacheOrSkip, freePort, makeServerRoot, PROJECT_ROOT, selfSignedCert, serverConfig, withApache, type ServerRoot } from "./harness.js";

interface Request {
  path: string;
  port?: string;
  tls?: boolean;
  send?: Record<string, string>;
  status?: number;
  /** expected response headers; null: must be absent */
  headers?: Record<string, string | null>;
  body?: string;
  /** the request must fail with an error containing this */
  error?: string;
}

interface LiveCase {
  name: string;
  findings: number;
  modules?: string[];
  config: string;
  files?: Record<string, string>;
  symlinks?: Record<string, string>;
  requests: Request[];
  logs?: Record<string, string>;
  errorLog?: string[];
  errorLogClean?: boolean;
  testOutput?: string[];
  fixed?: { requests: Request[] };
}

const RULES = ["errordocument-literal", "logformat-undefined", "files-section-path", "directive-ignored-here", "output-filter-overridden", "vhost-https-without-ssl", "listen-vhost-mismatch"];
const BIGTEXT = Array.from({ length: 2000 }, (_, i) => `${i + 1}`).join("\n") + "\n";
/** lines this host prints on every run (mod_ssl's notices about the throwaway certificate and its cache) */
const NOISE = /AH01873|AH01882|AH01906|AH01909|AH01574|AH00558/;

const casesOf = (id: string): LiveCase[] => JSON.parse(readFileSync(join(PROJECT_ROOT, "fixtures", "rules", id, "live-cases.json"), "utf8")).cases;

interface Answer {
  status: number | null;
  headers: http.IncomingHttpHeaders;
  body: string;
  error: string | null;
}

function request(port: number, r: Request): Promise<Answer> {
  return new Promise((resolve) => {
    const get = r.tls ? https.get : http.get;
    const req = get({ host: "127.0.0.1", port, path: r.path, headers: r.send ?? {}, agent: false, timeout: 5000, rejectUnauthorized: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (d: Buffer) => chunks.push(d));
      res.on("end", () => resolve({ status: res.statusCode ?? null, headers: res.headers, body: Buffer.concat(chunks).toString("latin1"), error: null }));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", (e: NodeJS.ErrnoException) => resolve({ status: null, headers: {}, body: "", error: `${e.code ?? ""} ${e.message}` }));
  });
}

describe.runIf(apacheOrSkip("test/apache/core-silent-live.test.ts"))("issue 12's core rules against a live Apache", { timeout: 120_000 }, () => {
  let sr: ServerRoot;
  let cert = "";
  let key = "";
  beforeAll(async () => {
    sr = await makeServerRoot();
    const tls = await selfSignedCert(sr.dir);
    cert = await sr.write("cert.pem", tls.cert);
    key = await sr.write("key.pem", tls.key);
  });
  afterAll(async () => {
    await sr?.remove();
  });

  for (const id of RULES) {
    describe(id, () => {
      for (const c of casesOf(id)) {
        it(c.name, async () => {
          const rule = ruleById(id) as Rule;
          const dir = await (async () => {
            const d = join(sr.dir, id, c.name.replace(/[^a-z0-9]+/gi, "-"));
            await mkdir(join(d, "htdocs"), { recursive: true });
            return d;
          })();
          const port = await freePort();
          const port2 = await freePort();
          const fill = (s: string) =>
            s.replaceAll("@ROOT@", dir).replaceAll("@PORT2@", String(port2)).replaceAll("@PORT@", String(port)).replaceAll("@CERT@", cert).replaceAll("@KEY@", key).replaceAll("@BIGTEXT@", BIGTEXT);
          for (const [name, text] of Object.entries(c.files ?? {})) {
            await mkdir(dirname(join(dir, name)), { recursive: true });
            await writeFile(join(dir, name), fill(text));
          }
          for (const [name, target] of Object.entries(c.symlinks ?? {})) await symlink(target, join(dir, name));
          await mkdir(join(dir, "logs"), { recursive: true });
          await mkdir(join(dir, "run"), { recursive: true });
          // the skeleton's relative paths (logs/, run/) are under this case's own directory
          const text = serverConfig({ port, modules: c.modules ?? [], body: fill(c.config) }).replace(/^(PidFile|ErrorLog) /gm, `$1 ${dir}/`).replace(/^DefaultRuntimeDir run/m, `DefaultRuntimeDir ${dir}/run`).replaceAll(" logs/", ` ${dir}/logs/`);
          const confPath = join(dir, "httpd.conf");
          await writeFile(confPath, text);

          // the rule's verdict on the very config Apache runs
          const lint = (t: string) => lintText(t, confPath, { rules: [rule], reportUnusedSuppressions: false }).findings;
          const found = lint(text);
          expect(found.map((f) => `${f.line}: ${f.message}`), `${id} findings`).toHaveLength(c.findings);

          const t = await sr.test(confPath);
          expect(t.ok, t.output).toBe(true);
          for (const line of c.testOutput ?? []) expect(t.output).toContain(fill(line).replace("@FINDING_LINE@", String(found.find((f) => f.message.startsWith("AllowOverride does nothing inside <Location>"))?.line)));

          const ask = async (conf: string, requests: Request[]) =>
            withApache(sr, conf, port, async () => {
              const out: Answer[] = [];
              for (const r of requests) out.push(await request(r.port ? Number(fill(r.port)) : port, r));
              return out;
            });
          const check = (answers: Answer[], requests: Request[]) => {
            requests.forEach((r, i) => {
              const a = answers[i]!;
              const what = `${r.tls ? "https" : "http"} ${r.path} ${JSON.stringify(r.send ?? {})}`;
              if (r.error !== undefined) expect(a.error, what).toContain(r.error);
              if (r.status !== undefined) expect(a.status, what).toBe(r.status);
              for (const [h, v] of Object.entries(r.headers ?? {})) expect(a.headers[h] ?? null, `${what}: ${h}`).toBe(v);
              if (r.body !== undefined) expect(a.body, what).toBe(r.body);
            });
          };
          check(await ask(confPath, c.requests), c.requests);
          const errorLog = await readFile(join(dir, "logs", "error.log"), "utf8").catch(() => "");
          for (const line of c.errorLog ?? []) expect(errorLog).toContain(fill(line));
          if (c.errorLogClean) expect(errorLog.split("\n").filter((l) => /:(warn|error|crit|alert|emerg)\]/.test(l) && !NOISE.test(l))).toEqual([]);
          await new Promise((r) => setTimeout(r, 100)); // the children flush their access logs as they exit
          for (const [name, want] of Object.entries(c.logs ?? {})) expect(await readFile(join(dir, name), "utf8"), name).toBe(fill(want));

          if (c.fixed) {
            const fixed = fixUntilStable(text, lint, () => true).output;
            expect(fixed).not.toBe(text);
            expect(lint(fixed)).toEqual([]);
            const fixedPath = join(dir, "fixed.conf");
            await writeFile(fixedPath, fixed);
            check(await ask(fixedPath, c.fixed.requests), c.fixed.requests);
          }
        });
      }
    });
  }
});
