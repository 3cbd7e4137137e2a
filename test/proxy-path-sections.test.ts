// Which sections give ProxyPass, ProxyPassMatch and ProxyPassReverse their
// path (mod_proxy's add_pass / add_pass_reverse read cmd->path), so that the
// URL is their first word: PATH_SECTIONS in src/apache/scope.ts. Each case
// holds the verdict apache2 -t (2.4.71, Debian) gave, verbatim; apachelint
// must agree (an error exactly when Apache refuses), and where apache2 is
// installed the verdicts are measured again.
import { describe, expect, it } from "vitest";
import { lintText } from "../src/index.js";
import { PATH_SECTIONS, PER_DIRECTORY_SECTIONS } from "../src/apache/scope.js";
import { APACHE, makeServerRoot } from "./apache/harness.js";

const OK = "Syntax OK";

interface Case {
  name: string;
  /** the lines after the preamble */
  body: string;
  /** what apache2 -t printed: "Syntax OK", or the line after "AH00526: Syntax error on line N of …:" */
  apache: string;
}

const inSection = (open: string, lines: string) => {
  const name = open.split(" ")[0]!;
  return `<${open}>\n${lines}\n</${name}>`;
};

const SECTIONS: [string, string][] = [
  ["Location", 'Location "/app"'],
  ["LocationMatch", 'LocationMatch "^/app"'],
  ["Proxy", 'Proxy "/app"'],
  ["ProxyMatch", 'ProxyMatch "^/app"'],
  ["Directory", 'Directory "/var/www"'],
  ["DirectoryMatch", 'DirectoryMatch "^/var"'],
  ["Files", 'Files "x"'],
  ["FilesMatch", 'FilesMatch "x"'],
  ["If", 'If "true"'],
];

/** apache2 -t's verdicts, per section: [ProxyPass URL key=value, ProxyPass /path URL, ProxyPassReverse URL, ProxyPassMatch URL key=value] */
const MEASURED: Record<string, [string, string, string, string]> = {
  Location: [OK, "ProxyPass|ProxyPassMatch can not have a path when defined in a location.", OK, OK],
  LocationMatch: [OK, "ProxyPass|ProxyPassMatch can not have a path when defined in a location.", OK, OK],
  Proxy: [OK, "ProxyPass|ProxyPassMatch can not have a path when defined in a location.", OK, OK],
  ProxyMatch: [OK, "ProxyPass|ProxyPassMatch can not have a path when defined in a location.", OK, OK],
  Directory: [
    "ProxyPass cannot occur within <Directory> section",
    "ProxyPass cannot occur within <Directory> section",
    "ProxyPassReverse cannot occur within <Directory> section",
    "ProxyPassMatch cannot occur within <Directory> section",
  ],
  DirectoryMatch: [
    "ProxyPass cannot occur within <DirectoryMatch> section",
    "ProxyPass cannot occur within <DirectoryMatch> section",
    "ProxyPassReverse cannot occur within <DirectoryMatch> section",
    "ProxyPassMatch cannot occur within <DirectoryMatch> section",
  ],
  Files: [
    "ProxyPass cannot occur within <Files> section",
    "ProxyPass cannot occur within <Files> section",
    "ProxyPassReverse cannot occur within <Files> section",
    "ProxyPassMatch cannot occur within <Files> section",
  ],
  FilesMatch: [
    "ProxyPass cannot occur within <FilesMatch> section",
    "ProxyPass cannot occur within <FilesMatch> section",
    "ProxyPassReverse cannot occur within <FilesMatch> section",
    "ProxyPassMatch cannot occur within <FilesMatch> section",
  ],
  If: [
    "ProxyPass cannot occur within <If> section",
    "ProxyPass cannot occur within <If> section",
    "ProxyPassReverse cannot occur within <If> section",
    "ProxyPassMatch cannot occur within <If> section",
  ],
};

const CASES: Case[] = [
  ...SECTIONS.flatMap(([name, open]): Case[] => {
    const [pp, ppPath, ppr, ppm] = MEASURED[name]!;
    return [
      { name: `<${name}> ProxyPass URL timeout=5`, body: inSection(open, "ProxyPass http://b:3000/ timeout=5"), apache: pp },
      { name: `<${name}> ProxyPass /app URL`, body: inSection(open, "ProxyPass /app http://b:3000/"), apache: ppPath },
      { name: `<${name}> ProxyPassReverse URL`, body: inSection(open, "ProxyPassReverse http://b:3000/"), apache: ppr },
      { name: `<${name}> ProxyPassMatch URL timeout=5`, body: inSection(open, "ProxyPassMatch http://b:3000/ timeout=5"), apache: ppm },
    ];
  }),
  // outside any section the first word is the path
  { name: "ProxyPass URL timeout=5 in the server", body: "ProxyPass http://b:3000/ timeout=5", apache: "ProxyPass URL must be absolute!: timeout=5" },
  { name: "ProxyPassReverse URL in the server", body: "ProxyPassReverse http://b:3000/", apache: "ProxyPassReverse needs a path when not defined in a location" },
  // the path section may be inside a virtual host, the directive inside a conditional section
  {
    name: "<VirtualHost> <Proxy> ProxyPass URL timeout=5",
    body: '<VirtualHost *:18555>\n<Proxy "/app">\nProxyPass http://b:3000/ timeout=5\n</Proxy>\n</VirtualHost>',
    apache: OK,
  },
  { name: "<Proxy balancer://c> ProxyPass URL timeout=5", body: inSection('Proxy "balancer://c"', "ProxyPass http://b:3000/ timeout=5"), apache: OK },
  {
    name: "<Proxy> <IfModule> ProxyPass URL timeout=5",
    body: '<Proxy "/app">\n<IfModule proxy_module>\nProxyPass http://b:3000/ timeout=5\n</IfModule>\n</Proxy>',
    apache: OK,
  },
  { name: "<Proxy> ProxyPass URL nocanon", body: inSection('Proxy "/app"', "ProxyPass http://b:3000/ nocanon"), apache: OK },
  { name: "<Proxy> ProxyPass URL", body: inSection('Proxy "/app"', "ProxyPass http://b:3000/"), apache: OK },
  { name: "<Proxy> ProxyPass !", body: inSection('Proxy "/app"', "ProxyPass !"), apache: OK },
  { name: "<Location> ProxyPass !", body: inSection('Location "/app"', "ProxyPass !"), apache: OK },
  { name: "<Proxy> ProxyPass URL timeout=abc", body: inSection('Proxy "/app"', "ProxyPass http://b:3000/ timeout=abc"), apache: "ProxyPass Timeout must be at least one second" },
  { name: "<Location> ProxyPass URL timeout=abc", body: inSection('Location "/app"', "ProxyPass http://b:3000/ timeout=abc"), apache: "ProxyPass Timeout must be at least one second" },
  {
    name: "<Location> ProxyPassReverse /app URL",
    body: inSection('Location "/app"', "ProxyPassReverse /app http://b:3000/"),
    apache: "ProxyPassReverse can not have a path when defined in a location",
  },
  {
    name: "<Proxy> ProxyPassReverse /app URL",
    body: inSection('Proxy "/app"', "ProxyPassReverse /app http://b:3000/"),
    apache: "ProxyPassReverse can not have a path when defined in a location",
  },
  {
    name: "<Location> <Limit> ProxyPass URL",
    body: '<Location "/app">\n<Limit GET>\nProxyPass http://b:3000/ timeout=5\n</Limit>\n</Location>',
    apache: "ProxyPass cannot occur within <Limit> or <LimitExcept> section",
  },
  {
    name: "<Location> <If> ProxyPass URL",
    body: '<Location "/app">\n<If "true">\nProxyPass http://b:3000/ timeout=5\n</If>\n</Location>',
    apache: "ProxyPass cannot occur within <If> section",
  },
  { name: "<Else> ProxyPass URL", body: '<If "false">\n</If>\n<Else>\nProxyPass http://b:3000/ timeout=5\n</Else>', apache: "ProxyPass cannot occur within <Else> section" },
  {
    name: "<ElseIf> ProxyPass URL",
    body: '<If "false">\n</If>\n<ElseIf "true">\nProxyPass http://b:3000/ timeout=5\n</ElseIf>',
    apache: "ProxyPass cannot occur within <ElseIf> section",
  },
  // BalancerMember takes its balancer name from any section that sets cmd->path (PER_DIRECTORY_SECTIONS)
  { name: "<Proxy balancer://c> BalancerMember URL timeout=5", body: inSection('Proxy "balancer://c"', "BalancerMember http://b:3000/ timeout=5"), apache: OK },
  { name: "<ProxyMatch> BalancerMember URL timeout=5", body: inSection('ProxyMatch "^balancer://c"', "BalancerMember http://b:3000/ timeout=5"), apache: OK },
  {
    name: "<Proxy balancer://c> <IfModule> BalancerMember URL",
    body: '<Proxy "balancer://c">\n<IfModule proxy_module>\nBalancerMember http://b:3000/ timeout=5\n</IfModule>\n</Proxy>',
    apache: OK,
  },
  {
    name: "<ProxyMatch> BalancerMember name URL",
    body: inSection('ProxyMatch "^balancer://c"', "BalancerMember balancer://c http://b:3000/"),
    apache: "BalancerMember can not have a balancer name when defined in a location",
  },
  {
    name: "<Directory> BalancerMember URL word",
    body: inSection('Directory "/var/www"', "BalancerMember http://b/ foo"),
    apache: "BalancerMember can not have a balancer name when defined in a location",
  },
  {
    name: "<Location> BalancerMember URL word",
    body: inSection('Location "/x"', "BalancerMember http://b/ foo"),
    apache: "BalancerMember can not have a balancer name when defined in a location",
  },
];

/** The config apache2 -t read: a private ServerRoot, mod_proxy and mod_proxy_http, then the case. */
function config(serverRoot: string, body: string): string {
  const mod = (name: string, file: string) => `LoadModule ${name}_module /usr/lib/apache2/modules/mod_${file}.so`;
  return [
    `ServerRoot ${serverRoot}`,
    "PidFile run/p.pid",
    "ErrorLog logs/e.log",
    "Listen 127.0.0.1:18555",
    "ServerName localhost",
    mod("mpm_event", "mpm_event"),
    mod("authz_core", "authz_core"),
    mod("proxy", "proxy"),
    mod("proxy_http", "proxy_http"),
    body,
    "",
  ].join("\n");
}

describe("the sections that give ProxyPass its path", () => {
  it("are <Location>, <LocationMatch>, <Proxy> and <ProxyMatch>", () => {
    expect([...PATH_SECTIONS].sort()).toEqual(["location", "locationmatch", "proxy", "proxymatch"]);
    for (const s of PATH_SECTIONS) expect(PER_DIRECTORY_SECTIONS.has(s)).toBe(true);
  });

  for (const c of CASES) {
    it(`${c.name}: apachelint agrees with "${c.apache}"`, () => {
      const { findings } = lintText(config("/tmp/sr", c.body), "x.conf", { reportUnusedSuppressions: false });
      const errors = findings.filter((f) => f.severity === "error");
      if (c.apache === OK) expect(errors.map((f) => `${f.ruleId}: ${f.message}`)).toEqual([]);
      else expect(errors.length).toBeGreaterThan(0);
    });
  }

  it('reads `<Proxy "/app">` + `ProxyPass http://b:3000/ timeout=5` with the URL first (the reported bug)', () => {
    const text = config("/tmp/sr", inSection('Proxy "/app"', "ProxyPass http://b:3000/ timeout=5"));
    const { findings } = lintText(text, "x.conf", { reportUnusedSuppressions: false });
    expect(findings.filter((f) => f.ruleId === "proxy-url-malformed" || f.ruleId === "proxy-param-invalid")).toEqual([]);
    // a bad value there is read as the parameter it is
    const bad = lintText(config("/tmp/sr", inSection('Proxy "/app"', "ProxyPass http://b:3000/ timeout=abc")), "x.conf", { reportUnusedSuppressions: false });
    expect(bad.findings.filter((f) => f.severity === "error").map((f) => f.ruleId)).toEqual(["proxy-param-invalid"]);
    expect(bad.findings.find((f) => f.ruleId === "proxy-param-invalid")!.message).toContain('"ProxyPass Timeout must be at least one second"');
  });
});

describe.runIf(APACHE !== null)("apache2 -t, measured again", () => {
  it("gives the recorded verdict for every case", { timeout: 120_000 }, async () => {
    const sr = await makeServerRoot();
    try {
      const seen: string[] = [];
      const want: string[] = [];
      for (const c of CASES) {
        const conf = await sr.write("x.conf", config(sr.dir, c.body));
        const r = await sr.test(conf);
        want.push(`${c.name}: ${c.apache}`);
        const verdict = r.ok ? OK : (r.output.split("\n").find((l, i, all) => i > 0 && /Syntax error on line/.test(all[i - 1]!)) ?? r.output).trim();
        seen.push(`${c.name}: ${verdict}`);
      }
      expect(seen).toEqual(want);
    } finally {
      await sr.remove();
    }
  });
});
