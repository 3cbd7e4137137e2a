// The proof behind the security rules (issue 13): each rule's claim about what
// Apache 2.4.71 does, re-measured on a real Apache on 127.0.0.1 and compared
// with the answer committed in fixtures/rules/<rule>/measured.json. A case is a
// server-config body, a request, and the answer reduced to what the rule's docs
// say (status, one header, a line of the body or of the error log, the TLS
// protocol the handshake ended with). Each case also says whether the rule
// reports that config, linted as the whole server it is. Re-record after a deliberate change with
//   APACHELINT_UPDATE_FINDINGS=1 npx vitest run test/apache/security-live.test.ts
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import http from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lintText } from "../../src/index.js";
import { parse } from "../../grammar/index.js";
import { serverInfoFromFile } from "../../src/server/server-info.js";
import { IncludeResolver } from "../../src/server/includes.js";
import { allRules } from "../../rules/index.js";
import { apacheMessage, apacheOrSkip, freePort, makeServerRoot, MODULE_SETS, PROJECT_ROOT, run, selfSignedCert, serverConfig, startBackend, withApache, type Backend, type ServerRoot } from "./harness.js";

interface Env {
  root: string;
  backend: number;
  port: number;
}

/** A raw request: absolute-form targets (a forward proxy's) and methods http.get cannot send. */
function request(port: number, method: string, target: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, method, path: target, headers: { Host: `127.0.0.1:${port}`, ...headers }, agent: false, timeout: 5000 }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end();
  });
}

/** What the TLS handshake with `openssl s_client -<proto>` ended with: the protocol, or "refused". */
async function handshake(port: number, proto: string, cipher = "DEFAULT@SECLEVEL=0"): Promise<string> {
  const args = ["s_client", "-brief", "-connect", `127.0.0.1:${port}`, `-${proto}`];
  // TLS 1.3 suites are set apart from the older cipher list
  if (proto !== "tls1_3") args.push("-cipher", cipher);
  const r = await run("openssl", args, { timeoutMs: 10_000 });
  // -brief: "Protocol version: TLSv1.2" and "Ciphersuite: …" on stderr once the handshake is done
  const m = /^Protocol version: (\S+)\s*^Ciphersuite: (\S+)/m.exec(r.stderr);
  if (process.env.APACHELINT_TEST_VERBOSE) console.log(proto, cipher, r.stderr);
  return m ? `${m[1]} ${m[2]}` : "refused";
}

const firstLine = (s: string, re: RegExp) => re.exec(s)?.[0] ?? "(none)";
/** The first error-log line about a request (not the startup notices). */
const errorLine = (log: string) => firstLine(log, /(?<=\[client [^\]]*\] )AH\d{5}: [^\n]*/).replace(/\/tmp\/apachelint-sr-\w+/g, "@ROOT@").replace(/client 127\.0\.0\.1:\d+/, "client 127.0.0.1");

interface LiveCase {
  rule: string;
  id: string;
  modules: readonly string[];
  body: (e: Env) => string;
  /** the answer; not called when Apache refuses to start, whose error line is the answer then */
  measure: (e: Env, sr: ServerRoot) => Promise<string>;
  startFails?: boolean;
  /** does the rule report this config, linted as the whole server (httpd.conf) it is? */
  fires: boolean;
  /** a text the finding's message must contain */
  says?: string;
}

const TLS_BODY = (e: Env, protocol: string, cipher = "DEFAULT@SECLEVEL=0") =>
  `SSLEngine on\nSSLCertificateFile ${e.root}/cert.pem\nSSLCertificateKeyFile ${e.root}/key.pem\nSSLProtocol ${protocol}\nSSLCipherSuite ${cipher}\n`;
const docroot = (e: Env, extra: string) => `DocumentRoot ${e.root}/htdocs\n<Directory ${e.root}/htdocs>\n    ${extra}\n</Directory>\n`;

const CASES: LiveCase[] = [
  {
    rule: "proxy-open-forward",
    id: "open",
    fires: true,
    modules: MODULE_SETS.proxy,
    body: () => "ProxyRequests On\n",
    measure: async (e) => {
      const r = await request(e.port, "GET", `http://127.0.0.1:${e.backend}/`);
      return `${r.status} ${r.body.slice(0, 60)}`;
    },
  },
  {
    rule: "proxy-open-forward",
    id: "restricted",
    fires: false,
    modules: [...MODULE_SETS.proxy, "authz_host"],
    body: () => 'ProxyRequests On\n<Proxy "*">\n    Require ip 127.0.0.2\n</Proxy>\n',
    measure: async (e, sr) => {
      const r = await request(e.port, "GET", `http://127.0.0.1:${e.backend}/`);
      return `${r.status} ${errorLine(await sr.errorLog())}`;
    },
  },
  {
    rule: "options-indexes",
    id: "listing",
    fires: true,
    modules: ["autoindex", "dir"],
    body: (e) => docroot(e, "Options Indexes\n    Require all granted"),
    measure: async (e) => {
      const r = await request(e.port, "GET", "/sub/");
      return `${r.status} ${firstLine(r.body, /<title>[^<]*<\/title>/)} ${r.body.includes("secret.txt") ? "lists secret.txt" : ""}`.trim();
    },
  },
  {
    rule: "options-indexes",
    id: "no-listing",
    fires: false,
    modules: ["autoindex", "dir"],
    body: (e) => docroot(e, "Options FollowSymLinks\n    Require all granted"),
    measure: async (e, sr) => {
      const r = await request(e.port, "GET", "/sub/");
      return `${r.status} ${errorLine(await sr.errorLog())}`;
    },
  },
  {
    rule: "root-directory-granted",
    id: "granted",
    fires: true,
    modules: ["alias"],
    body: (e) => `<Directory />\n    Require all granted\n</Directory>\nAlias /leak ${e.root}/private\n`,
    measure: async (e) => {
      const r = await request(e.port, "GET", "/leak/secret.txt");
      return `${r.status} ${r.body.trim()}`;
    },
  },
  {
    rule: "root-directory-granted",
    id: "denied",
    fires: false,
    modules: ["alias"],
    body: (e) => `<Directory />\n    Require all denied\n</Directory>\nAlias /leak ${e.root}/private\n`,
    measure: async (e, sr) => {
      const r = await request(e.port, "GET", "/leak/secret.txt");
      return `${r.status} ${errorLine(await sr.errorLog())}`;
    },
  },
  {
    rule: "root-directory-granted",
    id: "unset",
    fires: true,
    modules: ["alias"],
    body: (e) => `Alias /leak ${e.root}/private\n`,
    measure: async (e) => {
      const r = await request(e.port, "GET", "/leak/secret.txt");
      return `${r.status} ${r.body.trim()}`;
    },
  },
  {
    rule: "status-page-exposed",
    id: "open",
    fires: true,
    modules: ["status"],
    body: () => "<Location /server-status>\n    SetHandler server-status\n</Location>\n",
    measure: async (e) => {
      const r = await request(e.port, "GET", "/server-status");
      return `${r.status} ${firstLine(r.body, /<title>[^<]*<\/title>/)}`;
    },
  },
  {
    rule: "status-page-exposed",
    id: "restricted",
    fires: false,
    modules: ["status", "authz_host"],
    body: () => "<Location /server-status>\n    SetHandler server-status\n    Require ip 127.0.0.2\n</Location>\n",
    measure: async (e, sr) => {
      const r = await request(e.port, "GET", "/server-status");
      return `${r.status} ${errorLine(await sr.errorLog())}`;
    },
  },
  {
    rule: "status-page-exposed",
    id: "info-open",
    fires: true,
    modules: ["info"],
    body: () => "<Location /server-info>\n    SetHandler server-info\n</Location>\n",
    measure: async (e) => {
      const r = await request(e.port, "GET", "/server-info");
      return `${r.status} ${firstLine(r.body, /<title>[^<]*<\/title>/)}`;
    },
  },
  {
    rule: "server-tokens-verbose",
    id: "unset",
    fires: true,
    modules: [],
    body: () => "",
    measure: async (e) => {
      const r = await request(e.port, "GET", "/nothing-here");
      const t = await request(e.port, "TRACE", "/");
      return `Server: ${r.headers.server} | 404 footer: ${firstLine(r.body, /<address>[^<]*<\/address>/)} | TRACE ${t.status}`.replace(/Port \d+/, "Port N");
    },
  },
  {
    rule: "server-tokens-verbose",
    id: "os-signature-on",
    fires: true,
    modules: [],
    body: () => "ServerTokens OS\nServerSignature On\nTraceEnable On\n",
    measure: async (e) => {
      const r = await request(e.port, "GET", "/nothing-here");
      const t = await request(e.port, "TRACE", "/");
      return `Server: ${r.headers.server} | 404 footer: ${firstLine(r.body, /<address>[^<]*<\/address>/)} | TRACE ${t.status}`.replace(/Port \d+/, "Port N");
    },
  },
  {
    rule: "server-tokens-verbose",
    id: "fixed",
    fires: false,
    modules: [],
    body: () => "ServerTokens Prod\nServerSignature Off\nTraceEnable Off\n",
    measure: async (e) => {
      const r = await request(e.port, "GET", "/nothing-here");
      const t = await request(e.port, "TRACE", "/");
      return `Server: ${r.headers.server} | 404 footer: ${firstLine(r.body, /<address>[^<]*<\/address>/)} | TRACE ${t.status}`;
    },
  },
  ...(
    [
      ["debian-all-minus-sslv3-default-ciphers", "all -SSLv3", "HIGH:!aNULL"],
      ["all-minus-sslv3-seclevel0", "all -SSLv3", "DEFAULT@SECLEVEL=0"],
      ["intermediate-seclevel0", "-all +TLSv1.2 +TLSv1.3", "DEFAULT@SECLEVEL=0"],
    ] as const
  ).map(
    ([id, protocol, cipher]): LiveCase => ({
      rule: "tls-weak-protocol",
      id,
      fires: !id.startsWith("intermediate"),
      modules: MODULE_SETS.ssl,
      body: (e) => TLS_BODY(e, protocol, cipher),
      measure: async (e) => {
        const out: string[] = [];
        for (const p of ["tls1", "tls1_1", "tls1_2", "tls1_3"]) out.push(`${p}: ${await handshake(e.port, p)}`);
        return out.join(" | ");
      },
    }),
  ),
  {
    rule: "tls-weak-cipher",
    id: "3des-offered",
    fires: true,
    modules: MODULE_SETS.ssl,
    body: (e) => TLS_BODY(e, "-all +TLSv1.2", "HIGH:3DES:@SECLEVEL=0"),
    // this machine's OpenSSL 3.0 has neither: `openssl ciphers 3DES` and `openssl ciphers RC4` say "no cipher match"
    measure: async (e) => `DES-CBC3-SHA: ${await handshake(e.port, "tls1_2", "DES-CBC3-SHA:@SECLEVEL=0")} | RC4-SHA: ${await handshake(e.port, "tls1_2", "RC4-SHA:@SECLEVEL=0")}`,
  },
  {
    rule: "tls-weak-cipher",
    id: "null-offered",
    fires: true,
    modules: MODULE_SETS.ssl,
    body: (e) => TLS_BODY(e, "-all +TLSv1.2", "HIGH:eNULL:@SECLEVEL=0"),
    measure: async (e) => `eNULL: ${await handshake(e.port, "tls1_2", "eNULL:@SECLEVEL=0")}`,
  },
  {
    rule: "tls-weak-cipher",
    id: "null-excluded",
    fires: false,
    modules: MODULE_SETS.ssl,
    body: (e) => TLS_BODY(e, "-all +TLSv1.2", "HIGH:!eNULL:!aNULL:@SECLEVEL=0"),
    measure: async (e) => `eNULL: ${await handshake(e.port, "tls1_2", "eNULL:@SECLEVEL=0")}`,
  },
  {
    rule: "tls-weak-cipher",
    id: "rc4-only",
    fires: true,
    modules: MODULE_SETS.ssl,
    body: (e) => TLS_BODY(e, "-all +TLSv1.2", "RC4-SHA"),
    // OpenSSL matches no cipher of the list, and Apache still starts: only TLS 1.3, whose suites are set apart, is left
    measure: async (e, sr) => `tls1_2: ${await handshake(e.port, "tls1_2")} | tls1_3: ${await handshake(e.port, "tls1_3")} | ${firstLine(await sr.errorLog(), /(?<=\[ssl:\w+\] \[pid[^\]]*\] )AH\d{5}: [^\n]*/)}`,
  },
  ...(["SSLCompression on", "SSLInsecureRenegotiation on"] as const).map(
    (line): LiveCase => ({
      rule: "tls-weak-cipher",
      id: line.replace(/ on$/, "").toLowerCase(),
      fires: true,
      modules: MODULE_SETS.ssl,
      body: (e) => `${TLS_BODY(e, "-all +TLSv1.2 +TLSv1.3")}${line}\n`,
      // whether Apache starts with it: this OpenSSL is built without compression
      measure: async (e) => `started, tls1_2: ${await handshake(e.port, "tls1_2")}`,
      startFails: true,
    }),
  ),
  {
    rule: "htaccess-override-all",
    id: "all",
    fires: true,
    // the linted tree holds htdocs/app/.htaccess: the finding suggests what case fileinfo-enough proves is enough
    says: "`AllowOverride FileInfo`",
    modules: ["rewrite"],
    body: (e) => docroot(e, "AllowOverride All\n    Require all granted"),
    measure: async (e) => {
      const r = await request(e.port, "GET", "/app/old");
      return `${r.status} ${r.body.trim()}`;
    },
  },
  {
    rule: "htaccess-override-all",
    id: "fileinfo-enough",
    fires: false,
    modules: ["rewrite"],
    body: (e) => docroot(e, "AllowOverride FileInfo\n    Require all granted"),
    measure: async (e) => {
      const r = await request(e.port, "GET", "/app/old");
      return `${r.status} ${r.body.trim()}`;
    },
  },
  {
    rule: "htaccess-override-all",
    id: "class-missing",
    fires: false,
    modules: ["rewrite"],
    body: (e) => docroot(e, "AllowOverride AuthConfig\n    Require all granted"),
    measure: async (e, sr) => {
      const r = await request(e.port, "GET", "/app/old");
      return `${r.status} ${firstLine(await sr.errorLog(), /(?<=\[client [^\]]*\] )[^\n]*/).replace(/\/tmp\/apachelint-sr-\w+/g, "@ROOT@")}`;
    },
  },
];

const measuredPath = (rule: string) => join(PROJECT_ROOT, "fixtures", "rules", rule, "measured.json");
const UPDATE = !!process.env.APACHELINT_UPDATE_FINDINGS;

describe.runIf(apacheOrSkip("test/apache/security-live.test.ts"))("the security rules' claims on a real Apache", { timeout: 120_000 }, () => {
  let sr: ServerRoot;
  let backend: Backend;
  const got = new Map<string, Record<string, { config: string; answer: string }>>();

  beforeAll(async () => {
    sr = await makeServerRoot();
    backend = await startBackend();
    const tls = await selfSignedCert(sr.dir);
    await sr.write("cert.pem", tls.cert);
    await sr.write("key.pem", tls.key);
    await mkdir(join(sr.dir, "htdocs", "sub"), { recursive: true });
    await mkdir(join(sr.dir, "htdocs", "app"), { recursive: true });
    await mkdir(join(sr.dir, "private"));
    await writeFile(join(sr.dir, "htdocs", "sub", "secret.txt"), "s\n");
    await writeFile(join(sr.dir, "htdocs", "app", "new"), "rewritten\n");
    await writeFile(join(sr.dir, "htdocs", "app", ".htaccess"), "RewriteEngine On\nRewriteRule ^old$ new [L]\n");
    await writeFile(join(sr.dir, "private", "secret.txt"), "private file\n");
  });
  afterAll(async () => {
    if (UPDATE) for (const [rule, cases] of got) writeFileSync(measuredPath(rule), `${JSON.stringify(cases, null, 2)}\n`);
    await backend?.close();
    await sr?.remove();
  });

  for (const c of CASES) {
    it(`${c.rule}: ${c.id}`, async () => {
      const port = await freePort();
      const env: Env = { root: sr.dir, backend: backend.port, port };
      const conf = await sr.write(`${c.rule}-${c.id}.conf`, serverConfig({ port, modules: c.modules, body: c.body(env) }));
      // the rule's verdict on the same config, linted as the whole server it is
      const text = serverConfig({ port, modules: c.modules, body: c.body(env) });
      const path = join(sr.dir, "httpd.conf");
      // with the file system, as the CLI lints it (htaccess-override-all reads the .htaccess files)
      const server = { ...serverInfoFromFile(parse(text, path)), files: new IncludeResolver().files };
      const findings = lintText(text, path, { rules: allRules.filter((r) => r.id === c.rule), server }).findings;
      expect(findings.length > 0, findings.map((f) => `${f.line}: ${f.message}`).join("\n")).toBe(c.fires);
      if (c.says) expect(findings.map((f) => f.message).join("\n")).toContain(c.says);
      const t = await sr.test(conf);
      if (!c.startFails) expect(t.ok, t.output).toBe(true);
      const raw = !t.ok
        ? apacheMessage(t.output)
        : c.startFails
        ? await sr.start(conf, port).then(
            async (a) => {
              try {
                return await c.measure(env, sr);
              } finally {
                await a.stop();
              }
            },
            async () => firstLine(await sr.errorLog(), /AH\d{5}: [^\n]*/),
          )
        : await withApache(sr, conf, port, () => c.measure(env, sr));
      const answer = raw.replaceAll(String(backend.port), "@BACKEND@");
      const config = c.body({ root: "@ROOT@", backend: 0, port: 0 });
      const cases = got.get(c.rule) ?? {};
      cases[c.id] = { config, answer };
      got.set(c.rule, cases);
      if (UPDATE) return;
      const committed = existsSync(measuredPath(c.rule)) ? JSON.parse(readFileSync(measuredPath(c.rule), "utf8")) : {};
      expect(committed[c.id], `fixtures/rules/${c.rule}/measured.json has no case ${c.id}: record it`).toBeDefined();
      expect(answer).toBe(committed[c.id].answer);
    });
  }
});
