// The proof behind issue 13's rules, on this machine's apache2 (2.4.71):
// - apache2 -t (every Debian module loaded, src/tools/differential.ts) on each
//   2.2 directive of src/data/removed-directives.ts: refused or accepted, and
//   the verbatim words the table quotes; the trunk-only directives; nginx's
//   words and a `;` at the end of Apache directives (accepted by some, refused
//   by others, as nginx-syntax's docs say).
// - the fixes of directive-removed, addtype-handler and access-compat-mixed
//   keep `apache2 -t` passing on the fixed text.
// - live, on loopback: Order/Allow/Deny mixed with Require (403 + AH01797),
//   prefork + mod_http2 + Protocols h2 (AH10034 in the error log, and what an
//   h2c client gets), AddType vs AddHandler for a CGI handler.
import http2 from "node:http2";
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APACHE, apacheOrSkip, freePort, httpGet, loadModule, makeServerRoot, selfSignedCert, type ServerRoot } from "./harness.js";
import { caseText, makeServerRoot as makeCaseRoot } from "../../src/tools/differential.js";
import { REMOVED_DIRECTIVES } from "../../src/data/removed-directives.js";
import { TRUNK_ONLY } from "../../src/data/version-facts.js";
import { lintText } from "../../src/index.js";
import { fixUntilStable } from "../../src/core/fixer.js";
import type { Rule } from "../../src/core/rule.js";
import directiveRemoved from "../../rules/directive-removed.js";
import addtypeHandler from "../../rules/addtype-handler.js";
import accessCompatMixed from "../../rules/access-compat-mixed.js";

const FIXTURES = join(import.meta.dirname, "..", "..", "fixtures", "rules");

/** `apache2 -t` on `body` after the every-module skeleton: exit code and what it printed, the ServerRoot written SR. */
function syntax(root: string, body: readonly string[]): { ok: boolean; output: string } {
  const f = join(root, "case.conf");
  writeFileSync(f, caseText(body, root));
  const r = spawnSync(APACHE!, ["-t", "-d", root, "-f", f], { encoding: "utf8", timeout: 30_000 });
  return { ok: r.status === 0, output: `${r.stderr}${r.stdout}`.replaceAll(root, "SR") };
}

/**
 * mpm_prefork's parent, on SIGTERM, signals its whole process group (ap_unixd_killpg):
 * started in the test's group it would take vitest down with it. So it gets a group
 * of its own, and is still stopped by its own PID.
 */
async function startDetached(sr: ServerRoot, conf: string, port: number): Promise<{ stop(): Promise<void> }> {
  writeFileSync(join(sr.dir, "logs", "error.log"), "");
  const child = spawn(APACHE!, ["-d", sr.dir, "-f", conf, "-DFOREGROUND"], { cwd: sr.dir, stdio: "ignore", detached: true });
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const t = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(t);
    }
  };
  process.once("exit", () => child.exitCode === null && child.kill("SIGTERM"));
  for (const deadline = Date.now() + 15_000; ; ) {
    if (child.exitCode !== null) throw new Error(`apache2 exited during startup: ${await sr.errorLog()}`);
    if ((await httpGet(`http://127.0.0.1:${port}/`, 500)).status !== null) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error("apache2 (prefork) did not answer within 15 s");
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { stop };
}

/** The :status of one h2c prior-knowledge request, or the error's message. */
function h2Status(port: number, path: string): Promise<number | string> {
  return new Promise((resolve) => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    const done = (v: number | string) => {
      clearTimeout(timer);
      session.destroy();
      resolve(v);
    };
    const timer = setTimeout(() => done("timeout"), 5000);
    session.on("error", (e) => done(e.message));
    const req = session.request({ ":path": path });
    req.on("response", (h) => done(Number(h[":status"])));
    req.on("error", (e) => done(e.message));
    req.end();
  });
}

const fixAll = (rule: Rule, text: string) => fixUntilStable(text, (t) => lintText(t, "t.conf", { rules: [rule] }).findings, () => true).output;
const bodyOf = (text: string) => text.split("\n").filter((l) => l.trim() !== "" && !l.trimStart().startsWith("#"));

describe.runIf(apacheOrSkip("test/apache/version-migration-live.test.ts"))("issue 13 on a real Apache", { timeout: 120_000 }, () => {
  let root: string;
  beforeAll(() => {
    root = makeCaseRoot();
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("refuses or accepts each 2.2 directive as src/data/removed-directives.ts says, in its words", async () => {
    const cert = await selfSignedCert(root);
    writeFileSync(join(root, "chain.pem"), cert.cert);
    const sample: Record<string, string> = {
      NameVirtualHost: "NameVirtualHost *:80",
      RewriteLog: "RewriteLog /tmp/rewrite.log",
      RewriteLogLevel: "RewriteLogLevel 3",
      DefaultType: "DefaultType text/html",
      MaxClients: "MaxClients 150",
      SSLCertificateChainFile: `SSLCertificateChainFile ${join(root, "chain.pem")}`,
      AcceptMutex: "AcceptMutex fcntl",
      LockFile: "LockFile /tmp/accept.lock",
    };
    for (const r of REMOVED_DIRECTIVES) {
      const got = syntax(root, [sample[r.name]!]);
      expect(got.ok, `${r.name}: ${got.output}`).toBe(r.apache === "accepted");
      const said = got.output.replace(/Syntax OK\s*$/, "").trim();
      if (r.says === "") expect(said, r.name).toBe("");
      else expect(said, r.name).toContain(r.says.replace(/ …$/, ""));
    }
  });

  it("refuses the trunk-only directives", () => {
    for (const f of TRUNK_ONLY) {
      const got = syntax(root, [`${f.name} 10`]);
      expect(got.ok).toBe(false);
      expect(got.output).toContain(`Invalid command '${f.name}', perhaps misspelled or defined by a module not included in the server configuration`);
    }
  });

  it("refuses nginx's words, and a trailing `;` only where the directive checks its value", () => {
    for (const line of ["proxy_pass http://127.0.0.1:3000;", "proxy_set_header Upgrade $http_upgrade;", "location /ws {", "server {"]) {
      const got = syntax(root, [line]);
      expect(got.output, line).toContain(`Invalid command '${line.split(" ")[0]}'`);
    }
    const refused: Record<string, string> = {
      "KeepAlive on;": "KeepAlive must be On or Off",
      "ProxyPreserveHost on;": "ProxyPreserveHost must be On or Off",
      "RewriteEngine on;": "RewriteEngine must be On or Off",
      "Listen 8080;": "Port must be specified",
      "LogLevel warn;": "Log level keyword must be one of",
    };
    for (const [line, says] of Object.entries(refused)) expect(syntax(root, [line]).output, line).toContain(says);
    for (const line of ["ServerName example.com;", "ProxyPass /ws http://127.0.0.1:3000/;", "Timeout 60;", "Header set X-A b;", "RequestHeader set Upgrade $http_upgrade"]) {
      const got = syntax(root, [line]);
      expect(got.ok, `${line}: ${got.output}`).toBe(true);
    }
  });

  it("keeps apache2 -t passing on the fixed text of each fixable rule", () => {
    const removed = "NameVirtualHost *:80\nMaxClients 150\nDefaultType text/html\nRewriteLogLevel 3\n";
    expect(syntax(root, bodyOf(removed)).ok).toBe(false); // RewriteLogLevel
    const fixedRemoved = fixAll(directiveRemoved, removed);
    expect(fixedRemoved).toBe("MaxRequestWorkers 150\nLogLevel rewrite:trace3\n");
    const after = syntax(root, bodyOf(fixedRemoved));
    expect(after.ok, after.output).toBe(true);
    expect(after.output).not.toMatch(/AH00548|AH00117/);
    for (const [rule, fixture] of [
      [addtypeHandler, "addtype-handler/bad-php.conf"],
      [accessCompatMixed, "access-compat-mixed/bad-22-forms.conf"],
    ] as const) {
      const text = readFileSync(join(FIXTURES, fixture), "utf8");
      const fixed = fixAll(rule, text);
      expect(fixed).toBe(readFileSync(join(FIXTURES, `${fixture}.fixed`), "utf8"));
      const got = syntax(root, bodyOf(fixed));
      expect(got.ok, `${fixture}: ${got.output}`).toBe(true);
    }
  });

  describe("live", () => {
    let sr: ServerRoot;
    beforeAll(async () => {
      sr = await makeServerRoot();
    });
    afterAll(async () => sr?.remove());

    /** A config of `modules` (mpm first) and `body`, the server's root dir as DocumentRoot. */
    const conf = (port: number, modules: readonly string[], body: readonly string[]) =>
      ["ServerName 127.0.0.1", `Listen 127.0.0.1:${port}`, "PidFile run/httpd.pid", "DefaultRuntimeDir run", "ErrorLog logs/error.log", ...modules.map(loadModule), `DocumentRoot ${sr.dir}/htdocs`, ...body, ""].join("\n");

    it("denies when 2.2 lines deny next to Require all granted (403, AH01797)", async () => {
      const cases: Record<string, { lines: string[]; status: number }> = {
        a: { lines: ["Order deny,allow", "Deny from all", "Require all granted"], status: 403 },
        b: { lines: ["Order allow,deny", "Allow from all", "Require all granted"], status: 200 },
        c: { lines: ["Order allow,deny", "Allow from all"], status: 200 },
        d: { lines: ["Deny from all"], status: 403 },
        e: { lines: ["Order allow,deny", "Require all granted"], status: 403 },
        f: { lines: ["Require all granted"], status: 200 },
        g: { lines: ["Require all denied"], status: 403 },
      };
      const body = ["LogLevel warn", "DirectoryIndex index.html"];
      for (const [k, c] of Object.entries(cases)) {
        mkdirSync(join(sr.dir, "htdocs", k), { recursive: true });
        writeFileSync(join(sr.dir, "htdocs", k, "index.html"), k);
        body.push(`<Directory ${sr.dir}/htdocs/${k}>`, ...c.lines, "</Directory>");
      }
      chmodSync(sr.dir, 0o755);
      const port = await freePort();
      const file = await sr.write("access.conf", conf(port, ["mpm_event", "authz_core", "authz_host", "access_compat", "dir"], body));
      const a = await sr.start(file, port);
      try {
        for (const [k, c] of Object.entries(cases)) expect((await httpGet(`http://127.0.0.1:${port}/${k}/`)).status, k).toBe(c.status);
      } finally {
        await a.stop();
      }
      const log = await sr.errorLog();
      expect(log).toMatch(new RegExp(`\\[access_compat:error\\] .* AH01797: client denied by server configuration: ${sr.dir}/htdocs/a/`));
      expect(log).toMatch(/AH01797: client denied by server configuration: .*\/htdocs\/e\//);
      // g is refused by mod_authz_core itself
      expect(log).toMatch(/\[authz_core:error\] .* AH01630: client denied by server configuration: .*\/htdocs\/g\//);
    });

    it("prefork + mod_http2 + Protocols h2: AH10034 at startup; what an h2c prior-knowledge client gets", async () => {
      const port = await freePort();
      mkdirSync(join(sr.dir, "htdocs"), { recursive: true });
      writeFileSync(join(sr.dir, "htdocs", "h2.txt"), "h2");
      const file = await sr.write("h2.conf", conf(port, ["mpm_prefork", "authz_core", "http2"], ["LogLevel warn", "Protocols h2 h2c http/1.1"]));
      expect((await sr.test(file)).output).toMatch(/Syntax OK/);
      const a = await startDetached(sr, file, port);
      let status: number | string;
      try {
        status = await h2Status(port, "/h2.txt");
      } finally {
        await a.stop();
      }
      const log = await sr.errorLog();
      expect(log).toContain(
        "[http2:warn]",
      );
      expect(log).toContain(
        "AH10034: The mpm module (prefork.c) is not supported by mod_http2. The mpm determines how things are processed in your server. HTTP/2 has more demands in this regard and the currently selected mpm will just not do. This is an advisory warning. Your server will continue to work, but the HTTP/2 protocol will be inactive.",
      );
      // measured on 2.4.71 (mod_http2 2.0.42): answered over HTTP/2 all the same (the rule's docs say so)
      expect(status).toBe(200);
    });

    it("runs a CGI handler wired by AddType and by AddHandler alike (the fix is a drop-in)", async () => {
      const body = ["LogLevel warn", "TypesConfig /etc/mime.types", "DirectoryIndex index.cgi"];
      for (const [d, line] of [["addtype", "AddType application/x-httpd-cgi .cgi"], ["addhandler", "AddHandler application/x-httpd-cgi .cgi"]]) {
        const dir = join(sr.dir, "htdocs", d!);
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, "index.cgi"), '#!/bin/sh\necho "Content-Type: text/plain"\necho\necho RAN\n');
        chmodSync(join(dir, "index.cgi"), 0o755);
        body.push(`<Directory ${dir}>`, "Options +ExecCGI", line!, "</Directory>");
      }
      const port = await freePort();
      const file = await sr.write("cgi.conf", conf(port, ["mpm_event", "authz_core", "mime", "cgid", "dir"], body));
      const a = await sr.start(file, port);
      try {
        for (const u of ["addtype/index.cgi", "addtype/", "addhandler/index.cgi", "addhandler/"]) {
          const r = await httpGet(`http://127.0.0.1:${port}/${u}`);
          expect({ u, status: r.status, body: r.body.trim() }).toEqual({ u, status: 200, body: "RAN" });
        }
      } finally {
        await a.stop();
      }
    });
  });
});
