// One evaluation of the conditional sections (src/apache/conditions.ts), and
// the rules that read it agreeing on the same block.
import { describe, expect, it } from "vitest";
import { parse, type Section } from "../grammar/index.js";
import { evaluateCondition, modulePresent, namesNoModule } from "../src/apache/conditions.js";
import { moduleByName } from "../src/apache/modules.js";
import { makeServerInfo } from "../src/server/server-info.js";
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
    expect(evaluateCondition(section("<IfModule mod_version.c>"), {})).toBe(true);
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
    expect(evaluateCondition(section("<IfVersion >= 2.4>"), { server })).toBe("unknown");
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
    const note = (tag: string) => resolver.resolveFile(file(tag), "/t.conf", { serverRoot: null, chain: [] })[0]!.conditional;
    expect(note("<IfModule mod_ssl.c>")).toBe("<IfModule mod_ssl.c>");
    expect(note("<IfModule mod_ssl>")).toBe("<IfModule mod_ssl>");
    expect(note("<IfModule !mod_ssl>")).toBeUndefined();
    expect(note("<IfModule mod_version.c>")).toBeUndefined();
  });
});
