// One evaluation of the conditional sections (src/apache/conditions.ts), and
// the rules that read it agreeing on the same block.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { envvarsDefines, Startups } from "../src/server/startup.js";
import { parse, type Section } from "../grammar/index.js";
import { ConditionVerdicts, evaluateCondition, fileVerdicts, modulePresent, namesNoModule, type Startup } from "../src/apache/conditions.js";
import { FileFacts } from "../src/core/facts.js";
import { OPEN } from "../grammar/line-table.js";
import { parseIfVersion, versionTestVerdict } from "../src/apache/version.js";
import directiveUnknown from "../rules/directive-unknown.js";
import loadmoduleInvalid from "../rules/loadmodule-invalid.js";
import includeMissing from "../rules/include-missing.js";
import { withIncludes } from "../src/server/server-info.js";

import { moduleByName } from "../src/apache/modules.js";
import { makeServerInfo, serverInfoFromFile, withStartup } from "../src/server/server-info.js";
import { IncludeResolver } from "../src/server/includes.js";
import { lintText } from "../src/index.js";
import ifmoduleUnknown from "../rules/ifmodule-unknown.js";
import moduleNotLoaded from "../rules/module-not-loaded.js";
import directiveContext from "../rules/directive-context.js";

const server = makeServerInfo({
  managesModules: true,
  loaded: ["proxy", "rewrite"].map((n) => ({ module: moduleByName(n), id: `${n}_module`, source: "t.conf" })),
});
const loneVhost = makeServerInfo({ managesModules: false, loaded: [] });
const debian = withStartup(server, { platform: "debian" });

function section(tag: string): Section {
  const name = /^<(\w+)/.exec(tag)![1]!;
  return parse(`${tag}\n</${name}>\n`, "t.conf").children[0] as Section;
}

describe("evaluateCondition", () => {
  it("<IfModule>: only the exact source name or identifier of a loaded module is true", () => {
    expect(evaluateCondition(section("<IfModule mod_proxy.c>"), { server })).toBe(true);
    expect(evaluateCondition(section("<IfModule proxy_module>"), { server })).toBe(true);
    expect(evaluateCondition(section('<IfModule "mod_rewrite.c">'), { server })).toBe(true);
    expect(evaluateCondition(section("<IfModule mod_ssl.c>"), { server })).toBe(false);
    expect(evaluateCondition(section("<IfModule !mod_ssl.c>"), { server })).toBe(true);
    expect(evaluateCondition(section("<IfModule ! proxy_module>"), { server })).toBe(false);
  });

  it("<IfModule> naming no module (another case, another form, a typo) is false whatever is loaded", () => {
    for (const name of ["mod_proxy", "proxy", "mod_proxy.so", "MOD_PROXY.C", "PROXY_MODULE", "mod_proxy_wstunel.c", "mod_ldap.c"]) {
      expect(namesNoModule(name), name).toBe(true);
      expect(evaluateCondition(section(`<IfModule ${name}>`), { server }), name).toBe(false);
      expect(evaluateCondition(section(`<IfModule ${name}>`), {}), name).toBe(false);
      expect(evaluateCondition(section(`<IfModule !${name}>`), {}), name).toBe(true);
    }
  });

  it("compiled-in modules are always there; the others are unknown when the server's modules are", () => {
    expect(evaluateCondition(section("<IfModule mod_version.c>"), { server: debian })).toBe(true);
    expect(evaluateCondition(section("<IfModule mod_so.c>"), {})).toBe(true);
    expect(evaluateCondition(section("<IfModule core_module>"), {})).toBe(true);
    expect(evaluateCondition(section("<IfModule http_module>"), {})).toBe(true);
    expect(evaluateCondition(section("<IfModule mod_proxy.c>"), { server: loneVhost })).toBe("unknown");
    expect(evaluateCondition(section("<IfModule mod_proxy.c>"), {})).toBe("unknown");
    expect(evaluateCondition(section("<IfModule ${MOD}>"), { server })).toBe("unknown");
  });

  it("a module the table does not know is loaded only under that identifier", () => {
    const php = makeServerInfo({ managesModules: true, loaded: [{ module: undefined, id: "php7_module", source: "t.conf" }] });
    expect(modulePresent("php7_module", { server: php })).toBe(true);
    expect(modulePresent("mod_php7.c", { server: php })).toBe(true);
    expect(modulePresent("mod_wsgi.c", { server: php })).toBe(false);
    expect(modulePresent("mod_wsgi.c", { server: loneVhost })).toBe("unknown");
  });

  it("<IfDirective>/<IfSection> follow the module that provides the name; the others are unknown", () => {
    expect(evaluateCondition(section("<IfDirective ServerName>"), {})).toBe(true);
    expect(evaluateCondition(section("<IfDirective RewriteEngine>"), { server })).toBe(true);
    expect(evaluateCondition(section("<IfDirective SSLEngine>"), { server })).toBe(false);
    expect(evaluateCondition(section("<IfDirective !SSLEngine>"), { server })).toBe(true);
    expect(evaluateCondition(section("<IfSection Proxy>"), { server })).toBe(true);
    expect(evaluateCondition(section("<IfDirective NoSuchThing>"), { server })).toBe("unknown");
    expect(evaluateCondition(section("<IfDefine SSL>"), { server })).toBe("unknown");
    expect(evaluateCondition(section("<IfVersion >= 2.4>"), { server })).toBe(true);
    expect(evaluateCondition(section("<IfVersion >= 2.4.47>"), { server })).toBe("unknown");
    expect(evaluateCondition(section("<IfFile /etc/passwd>"), { server })).toBe("unknown");
    expect(evaluateCondition(section("<VirtualHost *:80>"), { server })).toBe(true);
  });
});

describe("the rules agree on a block", () => {
  const head = "LoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so\nListen 80\n";
  const lint = (text: string) => lintText(text, "httpd.conf", { rules: [ifmoduleUnknown, moduleNotLoaded, directiveContext] }).findings;

  it("<IfModule mod_proxy> around a ws:// ProxyPass: never read, so no module is asked for it", () => {
    const found = lint(`${head}<IfModule mod_proxy>\n    ProxyPass /ws/ ws://127.0.0.1:3000/ws/\n</IfModule>\n`);
    expect(found.map((f) => [f.ruleId, f.line])).toEqual([["ifmodule-unknown", 3]]);
    expect(found[0]!.message).toContain("the block is always false");
  });

  it("<IfModule mod_proxy.c> around it: read, so the missing handler is reported, with its fix", () => {
    const found = lint(`${head}<IfModule mod_proxy.c>\n    ProxyPass /ws/ ws://127.0.0.1:3000/ws/\n</IfModule>\n`);
    expect(found.map((f) => [f.ruleId, f.line])).toEqual([["module-not-loaded", 4]]);
    expect(found[0]!.fix?.title).toBe("Load mod_proxy_http");
  });

  it("<IfModule !mod_proxy> is always true: its body is read", () => {
    const found = lint(`${head}<IfModule !mod_proxy>\n    ProxyPass /ws/ ws://127.0.0.1:3000/ws/\n</IfModule>\n`);
    expect(found.map((f) => f.ruleId)).toEqual(["ifmodule-unknown", "module-not-loaded"]);
    expect(found[0]!.message).toContain("is always true");
  });

  it("the include resolver's note names only a condition that may be false", () => {
    const resolver = new IncludeResolver({ readIncluded: false });
    const file = (tag: string) => parse(`${tag}\n  IncludeOptional /nonexistent/x.conf\n</IfModule>\n`, "/t.conf");
    const note = (tag: string) => {
      const [r] = resolver.resolveFile(file(tag), "/t.conf", { serverRoot: null, chain: [] });
      return r ? r.conditional : "none";
    };
    expect(note("<IfModule mod_ssl.c>")).toBe("<IfModule mod_ssl.c>");
    // never true: Apache never reads the Include, so there is nothing to note
    expect(note("<IfModule mod_ssl>")).toBe("none");
    expect(note("<IfModule !mod_ssl>")).toBeUndefined();
    expect(note("<IfModule mod_so.c>")).toBeUndefined();
  });
});

// ------------------------------------------------------------ build-time facts and the startup

/** The verdict of every conditional row of `text`, in order, as the rules see them. */
function verdicts(text: string, startup: Startup, path = "httpd.conf", extra: object = {}) {
  const file = parse(text, path);
  const v = new ConditionVerdicts(new FileFacts(file), { server: withStartup({ ...server, ...extra }, startup) });
  const out: Record<string, unknown> = {};
  const t = file.table;
  for (let r = 0; r < t.count; r++) if (t.kind[r] === OPEN && ["ifdefine", "ifversion", "ifmodule"].includes(t.names[t.key[r]!]!)) out[`${file.position(t.start[r]!).line}`] = v.verdictAt(r);
  return out;
}

describe("the platform decides the compiled-in modules (src/data/platforms.ts)", () => {
  const on = (platform: Startup["platform"]) => withStartup(server, platform ? { platform } : {});
  it("mod_log_config is compiled into Debian's apache2, loaded with LoadModule on RHEL and from source", () => {
    expect(modulePresent("mod_log_config.c", { server: on("debian") })).toBe(true);
    expect(modulePresent("log_config_module", { server: on("rhel") })).toBe(false);
    expect(modulePresent("mod_log_config.c", { server: on("upstream") })).toBe(false);
    // not known: it may be compiled in
    expect(modulePresent("mod_log_config.c", { server: on(undefined) })).toBe("unknown");
    const rhelLoading = withStartup(makeServerInfo({ managesModules: true, loaded: [{ module: undefined, id: "log_config_module", source: "00-base.conf" }] }), { platform: "rhel" });
    expect(modulePresent("mod_log_config.c", { server: rhelLoading })).toBe(true);
  });

  it("a Debian tree is Debian's build without being told", () => {
    expect(modulePresent("mod_version.c", { server: { ...server, debianRoot: "/etc/apache2" } })).toBe(true);
  });

  it("a source build's MPM may be compiled in: unknown unless it is loaded", () => {
    expect(modulePresent("mpm_event_module", { server: on("upstream") })).toBe("unknown");
    expect(modulePresent("mpm_event_module", { server: on("rhel") })).toBe(false);
    expect(modulePresent("event.c", { server: on("debian") })).toBe(false);
  });

  it("<IfDirective> of a directive of such a module follows the module (CustomLog: mod_log_config)", () => {
    expect(evaluateCondition(section("<IfDirective CustomLog>"), { server: on("debian") })).toBe(true);
    expect(evaluateCondition(section("<IfDirective CustomLog>"), { server: on("rhel") })).toBe(false);
    expect(evaluateCondition(section("<IfDirective !CustomLog>"), { server: on(undefined) })).toBe("unknown");
    expect(evaluateCondition(section("<IfDirective ServerName>"), { server: on("rhel") })).toBe(true);
  });
});

describe("<IfDefine>: the -D names and the Define lines read so far", () => {
  const block = (tag: string) => `${tag}\n  ServerAdmin a@b\n</IfDefine>\n`;
  it("without -D knowledge a name no Define settles is unknown; a Define before it settles it", () => {
    expect(verdicts(block("<IfDefine SSL>"), {})).toEqual({ 1: "unknown" });
    expect(verdicts(`Define SSL\n${block("<IfDefine SSL>")}${block("<IfDefine !SSL>")}`, {})).toEqual({ 2: true, 5: false });
    expect(verdicts(`${block("<IfDefine SSL>")}Define SSL\n`, {})).toEqual({ 1: "unknown" });
  });

  it("with the -D names: given is true; not given is false where Apache starts reading, unknown in a file read after others", () => {
    const d = { defines: new Set(["SSL"]) };
    expect(verdicts(block("<IfDefine SSL>") + block("<IfDefine !SSL>") + block("<IfDefine ssl>"), d)).toEqual({ 1: true, 4: false, 7: false });
    expect(verdicts(block("<IfDefine FOO>"), d, "sites-enabled/site.conf")).toEqual({ 1: "unknown" });
    expect(verdicts(`UnDefine SSL\n${block("<IfDefine SSL>")}`, d)).toEqual({ 2: false });
  });

  it("a Define in a body that may not be read leaves the name unknown; in one that is not read, changes nothing", () => {
    const none = { defines: new Set<string>() };
    expect(verdicts(`<IfModule mod_ssl.c>\n  Define FOO\n</IfModule>\n${block("<IfDefine FOO>")}`, none)).toEqual({ 1: false, 4: false });
    expect(verdicts(`<IfFile /x>\n  Define FOO\n</IfFile>\n${block("<IfDefine FOO>")}`, none)).toEqual({ 4: "unknown" });
    expect(verdicts(`<VirtualHost *:80>\n  Define FOO\n</VirtualHost>\n${block("<IfDefine FOO>")}`, none)).toEqual({ 4: true });
  });

  it("an Include may Define anything, unless what it reads is known to hold no Define", () => {
    const none = { defines: new Set<string>() };
    const text = `Include conf.d/x.conf\n${block("<IfDefine FOO>")}`;
    expect(verdicts(text, none)).toEqual({ 2: "unknown" });
    expect(verdicts(text, none, "httpd.conf", { includes: [{ line: 1, mayDefine: true }] })).toEqual({ 2: "unknown" });
    expect(verdicts(text, none, "httpd.conf", { includes: [{ line: 1, mayDefine: false }] })).toEqual({ 2: false });
  });

  it("a Define of a name only Apache can expand (${X}) keeps only what is known defined", () => {
    const d = { defines: new Set(["A"]) };
    expect(verdicts(`Define \${X}\n${block("<IfDefine A>")}${block("<IfDefine B>")}`, d)).toEqual({ 2: true, 5: "unknown" });
  });

  it("the include resolver leaves out an Include in a body the -D names make false, and reads the rest", () => {
    const text = "<IfDefine !SSL>\n  IncludeOptional /nonexistent/a.conf\n</IfDefine>\n<IfDefine SSL>\n  IncludeOptional /nonexistent/b.conf\n</IfDefine>\n";
    const resolve = (startup: Startup) =>
      new IncludeResolver({ readIncluded: false }).resolveFile(parse(text, "/httpd.conf"), "/httpd.conf", { serverRoot: null, chain: [] }, { server: withStartup(server, startup) }).map((r) => [r.pattern, r.conditional ?? null]);
    expect(resolve({ defines: new Set(["SSL"]) })).toEqual([["/nonexistent/b.conf", null]]);
    expect(resolve({})).toEqual([
      ["/nonexistent/a.conf", "<IfDefine !SSL>"],
      ["/nonexistent/b.conf", "<IfDefine SSL>"],
    ]);
  });

  it("fileVerdicts (no FileFacts) agrees with the rules' verdicts", () => {
    const text = `Define FOO\n${block("<IfDefine FOO>")}<IfVersion < 2.4>\n</IfVersion>\n`;
    const file = parse(text, "httpd.conf");
    const k = { server: withStartup(server, {}) };
    const a = new ConditionVerdicts(new FileFacts(file), k);
    const b = fileVerdicts(file, k);
    for (const row of [1, 4]) expect([row, b.verdictAt(row)]).toEqual([row, a.verdictAt(row)]);
    expect(a.verdictAt(1)).toBe(true);
    expect(a.verdictAt(4)).toBe(false);
  });
});

describe("<IfVersion>: the release when it is known, else what holds for every 2.4 release", () => {
  const test = (words: string[]) => {
    const p = parseIfVersion(words);
    if (!p || "refused" in p) throw new Error(`not a test: ${words.join(" ")}`);
    return p.test;
  };
  const re = (p: string, t: string) => new RegExp(p).test(t);
  it("decides what every 2.4 release agrees on", () => {
    expect(versionTestVerdict(test([">=", "2.4"]), undefined, re)).toBe(true);
    expect(versionTestVerdict(test(["<", "2.4"]), undefined, re)).toBe(false);
    expect(versionTestVerdict(test(["~", "^2\\.4"]), undefined, re)).toBe(true);
    expect(versionTestVerdict(test(["!~", "^2\\.2"]), undefined, re)).toBe(true);
    expect(versionTestVerdict(test([">=", "2.4.47"]), undefined, re)).toBe("unknown");
    expect(versionTestVerdict(test(["2.4"]), undefined, re)).toBe("unknown");
  });
  it("with the release given, decides every test", () => {
    const v = { major: 2, minor: 4, patch: 46 };
    expect(versionTestVerdict(test([">=", "2.4.47"]), v, re)).toBe(false);
    expect(versionTestVerdict(test(["!<", "2.4.47"]), v, re)).toBe(false);
    expect(versionTestVerdict(test(["=", "/\\.46$/"]), v, re)).toBe(true);
  });
});

describe("the rules and a branch the startup makes false", () => {
  const head = "LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so\n";
  const run = (text: string, startup: Startup, rules = [moduleNotLoaded, directiveUnknown, loadmoduleInvalid, includeMissing, ifmoduleUnknown]) => {
    const file = parse(text, "/srv/t/httpd.conf");
    const s = withStartup(serverInfoFromFile(file), startup);
    const includes = new IncludeResolver({ readIncluded: false }).resolveFile(file, "/srv/t/httpd.conf", { serverRoot: "/srv/t", chain: [] }, { server: s });
    return lintText(text, "/srv/t/httpd.conf", { rules, server: withIncludes(s, includes), startup }).findings.map((f) => [f.ruleId, f.line, f.severity]);
  };
  const body = "<IfDefine SSL>\n  SSLEngine on\n  LoadModule so_module x.so\n  NoSuchDirective\n</IfDefine>\n";
  // (module-not-loaded does not judge a file with an Include: what it reads may load modules)
  const include = "<IfDefine SSL>\n  Include /nonexistent/ssl.conf\n</IfDefine>\n";

  it("read: each rule reports its error", () => {
    expect(run(head + body, { defines: new Set(["SSL"]) })).toEqual([
      ["module-not-loaded", 3, "error"],
      ["loadmodule-invalid", 4, "error"],
      ["directive-unknown", 5, "error"],
    ]);
    expect(run(head + include, { defines: new Set(["SSL"]) })).toEqual([["include-missing", 3, "error"]]);
  });

  it("not read: no module or include error can happen there; an unknown directive is a warning for the day it is read", () => {
    expect(run(head + body, { defines: new Set() })).toEqual([["directive-unknown", 5, "warning"]]);
    expect(run(head + include, { defines: new Set() })).toEqual([]);
  });

  it("may be read: a compiled-in LoadModule is a warning that names the condition", () => {
    const found = lintText(head + body, "/srv/t/httpd.conf", { rules: [loadmoduleInvalid], startup: {} }).findings;
    expect(found.map((f) => [f.line, f.severity])).toEqual([[4, "warning"]]);
    expect(found[0]!.message).toContain("when `<IfDefine SSL>` is true");
  });

  // `Order` at the top level of a false <IfVersion < 2.4> is not reported: Apache never parses
  // it (fixtures/conditionals/ has Apache's Syntax OK for the like)
  it("directive-context: nothing in a body Apache skips", () => {
    const text = (tag: string) => `${head}Listen 80\n<IfVersion ${tag}>\n  Order allow,deny\n</IfVersion>\n`;
    // the same line is an error where the block is read: the rule does judge it
    expect(lintText(text(">= 2.4"), "httpd.conf", { rules: [directiveContext], startup: {} }).findings.map((f) => f.line)).toEqual([4]);
    expect(lintText(text("< 2.4"), "httpd.conf", { rules: [directiveContext], startup: {} }).findings).toEqual([]);
  });

  it("<Else> is no branch of <IfDefine>: its body is read whatever the <IfDefine> (Apache: <Else> pairs with <If> only)", () => {
    const file = parse("<IfDefine FOO>\n</IfDefine>\n<Else>\n  Require all granted\n</Else>\n", "httpd.conf");
    const v = new ConditionVerdicts(new FileFacts(file), { server: withStartup(server, { defines: new Set() }) });
    expect(v.verdictAt(0)).toBe(false);
    expect(v.reading(3)).toBe(true);
  });
});

describe("the startup of a file on disk (src/server/startup.ts)", () => {
  const tmp = () => mkdtempSync(join(tmpdir(), "apachelint-startup-"));
  it("Debian's envvars: the -D words of APACHE_ARGUMENTS, none when it is not set, unknown when the shell would expand it", () => {
    const root = tmp();
    try {
      expect(envvarsDefines(root)).toBeUndefined();
      writeFileSync(join(root, "envvars"), "export APACHE_RUN_USER=www-data\n#export APACHE_ARGUMENTS=''\n");
      expect(envvarsDefines(root)).toEqual(new Set());
      writeFileSync(join(root, "envvars"), "export APACHE_ARGUMENTS='-D SSL -DFOO -k start'\n");
      expect(envvarsDefines(root)).toEqual(new Set(["SSL", "FOO"]));
      writeFileSync(join(root, "envvars"), 'export APACHE_ARGUMENTS="-D $EXTRA"\n');
      expect(envvarsDefines(root)).toBeUndefined();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("the platform from the layout: Debian in a Debian tree, RHEL beside conf.modules.d/, else not known; the command line wins", () => {
    const root = tmp();
    try {
      mkdirSync(join(root, "httpd", "conf.modules.d"), { recursive: true });
      mkdirSync(join(root, "httpd", "conf"));
      mkdirSync(join(root, "elsewhere"));
      const s = new Startups();
      expect(s.for(join(root, "httpd", "conf", "httpd.conf"), null, null).platform).toBe("rhel");
      expect(s.for(join(root, "elsewhere", "httpd.conf"), null, null).platform).toBeUndefined();
      expect(s.for(join(root, "elsewhere", "x.conf"), null, "/etc/apache2").platform).toBe("debian");
      expect(new Startups({ platform: "upstream" }).for(join(root, "httpd", "conf", "httpd.conf"), { platform: "debian" }, null).platform).toBe("upstream");
      expect(s.for(join(root, "elsewhere", "x.conf"), { platform: "debian", defines: new Set(["A"]) }, null)).toEqual({ platform: "debian", defines: new Set(["A"]) });
      // one object per answer: the cache key and the engine see the same startup
      expect(s.for(join(root, "elsewhere", "a.conf"), null, null)).toBe(s.for(join(root, "elsewhere", "b.conf"), null, null));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
