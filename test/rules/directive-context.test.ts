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
import { ARGUMENT_CONTEXTS, handlerWords, placeIn, sectionPath } from "../../src/apache/argument-contexts.js";
import { directives, parse, type Section } from "../../grammar/index.js";
import { caseText, skeleton } from "../../src/tools/differential.js";
import { ARGUMENT_CONTEXT_CORPUS } from "../helpers/argument-context-verdicts.js";
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
    { name: "the path-less forms inside <Location>", code: "<Location /ctx>\nAlias /tmp\nCacheEnable disk\nCacheEnable disk /ctx/sub\nCacheDisable on\n</Location>\n" },
    {
      name: "the forms with a path outside it, and MDMembers' two uses",
      code: "Listen 80\nAlias /a /tmp\nScriptAlias /cgi-bin/ /usr/lib/cgi-bin/\nCacheEnable disk /\nCacheDisable /x\nMDMembers auto\n<MDomainSet example.org>\nMDMembers a.example.org b.example.org\n</MDomainSet>\n",
    },
    // a file that may be Included inside <Location> (or <MDomainSet>): its top level is not judged
    { name: "a snippet for inside <Location>", code: "Alias /tmp\nCacheEnable disk\nCacheDisable on\n" },
    { name: "a snippet for inside <MDomainSet>", code: "ServerName x\nMDMembers a.example.org b.example.org\n" },
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
      name: "a two-word Alias inside <Location>: the path is the section's",
      code: "<VirtualHost *:80>\n<Location /ctx>\nAlias /a /tmp\n</Location>\n</VirtualHost>\n",
      findings: [
        {
          line: 3, column: 7, endLine: 3, endColumn: 9, severity: "error", fix: "unsafe",
          message: { exact: 'Alias inside <Location> takes its URL-path from the section, so `/a` is a word too many: give only the target (`Alias /tmp`), or move the line out of the section: Apache refuses to start ("Alias cannot occur within directory context").' },
        },
      ],
      output: "<VirtualHost *:80>\n<Location /ctx>\nAlias /tmp\n</Location>\n</VirtualHost>\n",
    },
    {
      name: "a one-word Alias in <VirtualHost>",
      code: "<VirtualHost *:80>\nAlias /tmp\n</VirtualHost>\n",
      findings: [
        { line: 2, column: 1, endLine: 2, endColumn: 11, fix: "none", message: 'Alias outside <Location> needs the URL-path before the target `/tmp` (`Alias /url-path/ /tmp`): Apache refuses to start ("Alias must have two arguments when used globally")' },
      ],
    },
    {
      name: "a one-word ScriptAlias in <If> inside <Directory>: Apache names the <Directory>",
      code: '<Directory /srv>\n<If "true">\nScriptAlias /usr/lib/cgi-bin/\n</If>\n</Directory>\n',
      findings: [{ line: 3, column: 1, message: 'ScriptAlias with only a target takes its URL-path from <Location>, which <Directory> does not give: use `ScriptAlias /url-path/ /usr/lib/cgi-bin/` in the server config or <VirtualHost>: Apache refuses to start ("ScriptAlias cannot occur within <Directory> section")' }],
    },
    {
      name: "a two-word Alias in <Files>",
      code: "<Files x>\nAlias /a /tmp\n</Files>\n",
      findings: [{ line: 2, column: 1, endColumn: 14, fix: "none", message: 'Alias cannot be used inside <Files>: it belongs in the server config or <VirtualHost>: Apache refuses to start ("Alias cannot occur within directory context")' }],
    },
    {
      name: "CacheEnable in <Location> with a URL not below it, and CacheDisable with a path there",
      code: '<Location "/ctx">\nCacheEnable disk /\nCacheDisable /local_files\n</Location>\n',
      findings: [
        { line: 2, column: 18, endColumn: 19, message: 'CacheEnable inside <Location> caches only below the section\'s path, and `/` does not start with `/ctx`: give a URL-path that does, or leave the URL out: Apache refuses to start ("When in a Location, CacheEnable must specify a path or an URL below that location.")' },
        { line: 3, column: 14, endColumn: 26, message: "CacheDisable inside <Location> takes the word `on` (the section gives the path), not `/local_files`: Apache refuses to start (\"CacheDisable must be followed by the word 'on' when in a Location.\")" },
      ],
    },
    {
      name: "CacheEnable and CacheDisable in the server config without a URL",
      code: "Listen 80\nCacheEnable disk\nCacheDisable on\nCacheEnable /ctx disk\n",
      findings: [
        { line: 2, column: 1, endColumn: 17, message: 'CacheEnable outside <Location> needs the URL-path or URL to cache after the provider `disk` (`CacheEnable disk /`): Apache refuses to start ("CacheEnable provider (disk) is missing an URL.")' },
        { line: 3, column: 14, endColumn: 16, message: 'CacheDisable outside <Location> takes a URL-path (`/…`) or a URL, not `on`' },
        { line: 4, column: 13, endColumn: 17, message: "CacheEnable takes the provider first (`disk`, `socache`), then the URL: `/ctx` looks like the URL: Apache refuses to start (\"provider (/ctx) starts with a '/'.  Are url and provider switched?\")" },
      ],
    },
    {
      name: "MDMembers outside <MDomainSet>: one word, auto or manual",
      code: "Listen 80\nMDMembers a.example.org b.example.org\nMDMembers\nMDMembers foo\n<VirtualHost *:80>\nMDMember auto extra\n</VirtualHost>\n",
      findings: [
        { line: 2, column: 1, endColumn: 38, message: "MDMembers lists domain names only inside <MDomainSet> or <MDomain>; elsewhere it takes one word, `auto` or `manual`: Apache refuses to start (\"MDMembers is only valid inside a '<MDomainSet' context, not here\")" },
        { line: 3, column: 1, message: "MDMembers lists domain names only inside <MDomainSet>" },
        { line: 4, column: 11, endColumn: 14, message: 'MDMembers outside <MDomainSet> takes `auto` or `manual`, not `foo` (domain names go inside <MDomainSet> or <MDomain>): Apache refuses to start ("unknown value, use "auto|manual"")' },
        { line: 6, column: 1, message: "MDMember lists domain names only inside <MDomainSet> or <MDomain>; elsewhere it takes one word, `auto` or `manual`: Apache refuses to start (\"MDMember is only valid" },
      ],
    },
    {
      name: "a <Limit> is named first, in Apache's words for both kinds",
      code: "<Directory /srv>\n<Limit GET>\nProxyPass http://b/\n</Limit>\n</Directory>\n",
      findings: [{ line: 3, column: 1, message: { exact: 'ProxyPass cannot be used inside <Limit>: Apache refuses to start ("ProxyPass cannot occur within <Limit> or <LimitExcept> section").' } }],
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

// ------------------------------------------------ forms that depend on the arguments

describe("directive-context agrees with apache2 -t on the forms whose context depends on the arguments", () => {
  const root = "/srv/apachelint-differential";
  const first = skeleton().length;
  it("covers every directive of the table, refused and accepted", () => {
    for (const name of Object.keys(ARGUMENT_CONTEXTS)) {
      const of = ARGUMENT_CONTEXT_CORPUS.filter(([body]) => body.some((l) => l.toLowerCase().startsWith(`${name} `) || l.toLowerCase() === name));
      expect(of.some(([, v]) => v === null), `${name}: an accepted case`).toBe(true);
      expect(of.some(([, v]) => v !== null), `${name}: a refused case`).toBe(true);
    }
    expect(ARGUMENT_CONTEXT_CORPUS.length).toBeGreaterThan(150);
  });
  it.for(ARGUMENT_CONTEXT_CORPUS.map(([body, v]) => [body.join(" ⏎ "), body, v] as const))("%s", ([, body, verdict]) => {
    const errs = lintText(caseText(body, root), join(root, "httpd.conf")).findings.filter((f) => f.severity === "error");
    const got = errs.map((f) => `${f.ruleId}@${f.line - first}: ${f.message}`);
    if (verdict === null) {
      expect(got).toEqual([]);
      return;
    }
    const [line, message] = verdict;
    // directive-context's error on Apache's line, quoting Apache word for word
    expect(got.filter((g) => g.startsWith(`directive-context@${line}: `) && g.includes(`("${message}")`)), got.join("\n")).toHaveLength(1);
  });
});

describe("the argument-context table (src/apache/argument-contexts.ts)", () => {
  const sections = (text: string) => {
    const out: Section[] = [];
    const walk = (p: { children: readonly { kind: string }[] }) => {
      for (const n of p.children) if (n.kind === "section") (out.push(n as Section), walk(n as Section));
    };
    walk(parse(text, "t.conf"));
    return out;
  };
  it("names the refusing section in ap_check_cmd_context's order, not by nesting", () => {
    expect(placeIn(sections('<If "1">\n<Files x>\n</Files>\n</If>\n')).canonical).toBe("Files");
    expect(placeIn(sections("<Directory /a>\n<Files x>\n</Files>\n</Directory>\n")).canonical).toBe("Directory");
    expect(placeIn(sections("<VirtualHost *:80>\n<Location /a>\n</Location>\n</VirtualHost>\n")).place).toBe("path");
    expect(placeIn(sections("<VirtualHost *:80>\n</VirtualHost>\n")).place).toBe("global");
  });
  it("reads cmd->path as Apache does: the argument, the regex after `~` in <Location>, unknown for <Proxy ~> and ${VAR}", () => {
    const path = (open: string) => sectionPath(sections(`${open}\n</${open.slice(1).split(/[ >]/)[0]}>\n`)[0]!);
    expect(path('<Location "/c tx">')).toBe("/c tx");
    expect(path('<Location ~ "^/ctx">')).toBe("^/ctx");
    expect(path("<Proxy ~ ^http>")).toBeUndefined();
    expect(path("<Location ${BASE}>")).toBeUndefined();
  });
  it("counts words as invoke_cmd hands them over", () => {
    const words = (line: string, counting: "take1" | "take12" | "argv") => handlerWords(directives(parse(`${line}\n`, "t.conf"))[0]!.args, counting)?.map((a) => a.value) ?? null;
    expect(words('Alias /a ""', "take12")).toEqual(["/a"]);
    expect(words('Alias "" /a', "take12")).toBeNull();
    expect(words("Alias /a /b /c", "take12")).toBeNull();
    expect(words('MDMembers auto ""', "argv")).toEqual(["auto"]);
    expect(words('MDMembers "" auto', "argv")).toEqual(["", "auto"]);
    expect(words("MDMembers auto # c", "argv")).toEqual(["auto", "#", "c"]);
  });
});
