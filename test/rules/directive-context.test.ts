// directive-context: Moved from test/rules-context.test.ts (held to Apache: corpora of apache2 -t verdicts), plus the rule tester.
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/directive-context.js";
import { existsSync, readdirSync, readFileSync } from "node:fs";
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
} from "../apache/harness.js";

import { FIXTURES, lint } from "../helpers/context-proofs.js";
import { REGEX_CORPUS, UNMODELLED, generatedPatterns, PROXY_CORPUS, LISTEN_CORPUS } from "../helpers/apache-verdicts.js";

ruleTester(testedRule, {
  valid: [
    "<Macro Vhost $host>\nListen 80\nRequire all granted\n</Macro>\n",
    "ServerAlias www.example.com\nDocumentRoot /srv\n",
    { code: "RewriteEngine On\nHeader set X 1\n", path: ".htaccess" },
  ],
  invalid: [
    {
      name: "a refused section reported once",
      code: "<VirtualHost *:80>\n<VirtualHost *:81>\nListen 80\nProxyRequests Off\n</VirtualHost>\n</VirtualHost>\n",
      findings: [
        { line: 2, column: 1, endLine: 2, endColumn: 19, severity: "error", fix: "none", message: "<VirtualHost> cannot be used inside <VirtualHost>: Apache refuses to s" },
      ],
    },
    {
      name: "ProxyPass in .htaccess",
      code: "ProxyPass /a http://b/\n",
      path: ".htaccess",
      findings: [
        { line: 1, column: 1, endLine: 1, endColumn: 23, severity: "error", fix: "none", message: "ProxyPass is not allowed in .htaccess: Apache answers every request fo" },
      ],
    },
    {
      name: "doc.bad, finding by finding",
      code: testedRule.doc.bad,
      findings: [
      { line: 3, column: 9, endLine: 3, endColumn: 48, severity: "error", fix: "none", message: "ProxyPass cannot be used inside <Directory>: Apache refuses to start (" },
      { line: 6, column: 19, endLine: 6, endColumn: 23, severity: "error", fix: "unsafe", message: "ProxyPass inside <Location> takes its path from the section, so `/ws/`" },
      ],
    },
  ],
});

// ------------------------------------------------------------------ context table

/**
 * The manual's "Context:" lines (httpd 2.4 docs) for the directives the rule
 * must know, as: s = server config, v = virtual host, d = directory, h = .htaccess,
 * p = proxy section (mod_ssl).
 */
const MANUAL: Readonly<Record<string, string>> = {
  ProxyPass: "svd", ProxyPassMatch: "svd", ProxyPassReverse: "svd", ProxySet: "svd", ProxyRequests: "sv", ProxyTimeout: "sv",
  ProxyPreserveHost: "svd", ProxyAddHeaders: "svd", ProxyRemoteMatch: "sv", BalancerGrowth: "sv", BalancerPersist: "sv",
  ProxyPassInherit: "sv", BalancerInherit: "sv", "<Proxy": "sv", "<ProxyMatch": "sv",
  RewriteEngine: "svdh", RewriteRule: "svdh", RewriteCond: "svdh", RewriteOptions: "svdh", RewriteBase: "dh", RewriteMap: "sv",
  Listen: "s", ServerName: "sv", ServerAlias: "v", Include: "svd", IncludeOptional: "svd",
  "<VirtualHost": "s", "<Directory": "sv", "<Location": "sv", "<Files": "svdh", "<If": "svdh", DocumentRoot: "sv",
  ErrorLog: "sv", CustomLog: "sv", User: "s", Group: "s", PidFile: "s", Timeout: "sv", KeepAlive: "sv", Protocols: "sv",
  Require: "dh", AllowOverride: "d", Options: "svdh", ErrorDocument: "svdh", AddDefaultCharset: "svdh",
  SSLEngine: "sv", SSLProxyEngine: "svp", SSLProxyVerify: "svp", SSLProxyCheckPeerName: "svp", SSLProxyCACertificateFile: "svp",
  SSLProxyProtocol: "svp", SSLCertificateFile: "sv",
  Header: "svdh", RequestHeader: "svdh",
};

/** Where the manual's line and what apache2 2.4.71 does differ; the table follows Apache (measured by the generator). */
const MANUAL_DIFFERS: Readonly<Record<string, { manual: string; apache: string; why: string }>> = {
  BalancerMember: { manual: "d", apache: "svd", why: "mod_proxy accepts `BalancerMember balancer://name url` outside <Proxy>" },
  ServerRoot: { manual: "s", apache: "svd", why: "executed while the file is read (EXEC_ON_READ): where it stands is never checked" },
  LoadModule: { manual: "s", apache: "svd", why: "executed while the file is read (EXEC_ON_READ): where it stands is never checked" },
};


describe("the context table (generated from apache2) agrees with the manual's Context lines", () => {
  const expected = { ...MANUAL, ...Object.fromEntries(Object.entries(MANUAL_DIFFERS).map(([n, d]) => [n, d.apache])) };
  for (const [name, manual] of Object.entries(expected)) {
    it(name, () => {
      const e = DIRECTIVE_CONTEXTS[name.toLowerCase()]!;
      expect(e, `${name} is in the table`).toBeDefined();
      const serverLevel = e.where !== "directory" && !e.notDirectlyIn?.includes("server");
      const vhost = e.where !== "directory" && !e.notIn?.includes("virtualhost") && !e.notDirectlyIn?.includes("virtualhost");
      const directory = e.where !== "server" || (e.alsoIn ?? []).some((k) => k !== "proxy");
      expect(serverLevel, `${name}: server config`).toBe(manual.includes("s"));
      expect(vhost, `${name}: virtual host`).toBe(manual.includes("v"));
      expect(directory, `${name}: directory`).toBe(manual.includes("d"));
      expect(e.htaccess !== null, `${name}: .htaccess`).toBe(manual.includes("h"));
      if (manual.includes("p")) expect(e.alsoIn, `${name}: proxy section`).toContain("proxy");
    });
  }

  it("records the handlers' refusals the manual only mentions in prose", () => {
    expect(DIRECTIVE_CONTEXTS.proxypass!.notIn).toEqual(expect.arrayContaining(["directory", "files", "if"]));
    expect(DIRECTIVE_CONTEXTS.listen!.notIn).toContain("virtualhost");
    expect(DIRECTIVE_CONTEXTS["<virtualhost"]!.notIn).toContain("virtualhost");
    expect(DIRECTIVE_CONTEXTS.balancermember!.where).toBe("anywhere");
    for (const d of Object.values(MANUAL_DIFFERS)) expect(d.manual).not.toBe(d.apache);
  });
});

describe("directive-context judges only what it can know", () => {
  it("reports a refused section once, not again for everything inside it", () => {
    const text = "<VirtualHost *:80>\n<VirtualHost *:81>\nListen 80\nProxyRequests Off\n</VirtualHost>\n</VirtualHost>\n";
    expect(lint(text, [directiveContext]).map((f) => f.line)).toEqual([2]);
  });

  it("does not judge <Macro> bodies, which Apache reads only where the macro is used", () => {
    expect(lint("<Macro Vhost $host>\nListen 80\nRequire all granted\n</Macro>\n", [directiveContext])).toEqual([]);
  });

  it("judges a file's top level only when the file shows it is not Included inside a section", () => {
    const snippet = "Require all granted\nProxyPass http://127.0.0.1:13001/\n";
    expect(lint(snippet, [directiveContext])).toEqual([]);
    expect(lint(`Listen 80\n${snippet}`, [directiveContext]).map((f) => f.line)).toEqual([2, 3]);
    // ServerAlias is fine at the top of a file Included in a <VirtualHost>, not in the main server
    expect(lint("ServerAlias www.example.com\nDocumentRoot /srv\n", [directiveContext])).toEqual([]);
    expect(lint("Listen 80\nServerAlias www.example.com\n", [directiveContext]).map((f) => f.line)).toEqual([2]);
  });

  it("treats conditional sections as transparent", () => {
    const text = "<VirtualHost *:80>\n<IfModule mod_proxy.c>\n<IfDefine X>\nListen 81\n</IfDefine>\n</IfModule>\n</VirtualHost>\n";
    expect(lint(text, [directiveContext]).map((f) => f.message)).toEqual([expect.stringContaining("Listen cannot occur within <VirtualHost> section")]);
  });

  it("refuses in .htaccess what no AllowOverride class allows (m29)", () => {
    const text = readFileSync(join(FIXTURES, "grammar", "apache-truth", "cases", "files", "htdocs", "proxypass", ".htaccess"), "utf8");
    expect(lint(text, [directiveContext], ".htaccess").map((f) => f.message)).toEqual([expect.stringContaining("ProxyPass not allowed here")]);
    expect(lint("RewriteEngine On\nHeader set X 1\n", [directiveContext], ".htaccess")).toEqual([]);
  });
});
