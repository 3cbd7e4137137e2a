// The directive tables against their sources: src/data/directives.ts against the
// live apache2 (`apache2 -L` with every Debian module loaded, one MPM at a time,
// as src/tools/gen-directive-table.ts asks it), and src/data/directive-docs.ts
// (Apache's manual) against src/data/directives.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DIRECTIVES } from "../../src/data/directives.js";
import { BUILTIN_MODULE_SOURCES, DEBIAN_MODULE_DIR, MODULES } from "../../src/data/modules.js";
import { directiveDoc, directiveDocTable, sectionDoc } from "../../src/apache/directive-docs.js";

const DIRECTIVE_DOCS = directiveDocTable();
import { loadOrder, MPMS } from "../../src/tools/probe-support.js";
import { verboseReport } from "../apache/harness.js";

const APACHE = "/usr/sbin/apache2";
const haveApache = existsSync(APACHE);
if (!haveApache && !process.env.CI) {
  console.warn(`\n!!!!! SKIPPED: ${APACHE} is absent, so src/data/directives.ts was NOT checked against apache2 -L. Install Debian's apache2. !!!!!\n`);
}
const live = haveApache || process.env.CI ? it : it.skip;

const byFile = new Map(MODULES.map((m) => [m.file, m.name]));
const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();

// ------------------------------------------------------------------ apache2 -L

/** The a2enmod name of the module whose source file -L names ("mod_proxy.c" -> "proxy"), "core" when compiled in. */
function moduleOfSource(src: string): string {
  if (BUILTIN_MODULE_SOURCES.includes(src)) return "core";
  const mpm = /^(event|worker|prefork)\.c$/.exec(src);
  if (mpm) return `mpm_${mpm[1]}`;
  // mod_ldap.so is built from util_ldap.c
  const name = byFile.get(src === "util_ldap.c" ? "mod_ldap.so" : src.replace(/\.c$/, ".so"));
  if (!name) throw new Error(`apache2 -L names a source file of no known module: ${src}`);
  return name;
}

describe("src/data/directives.ts against apache2 -L", () => {
  let root = "";
  /** directive as -L spells it -> the modules defining it, over the three MPMs */
  const listed = new Map<string, Set<string>>();

  beforeAll(() => {
    if (!haveApache && !process.env.CI) return;
    root = mkdtempSync(join(tmpdir(), "apachelint-directive-tables-"));
    mkdirSync(join(root, "logs"));
    mkdirSync(join(root, "run"));
    for (const mpm of MPMS) {
      const conf = join(root, `${mpm}.conf`);
      const loads = loadOrder(mpm).map((m) => `LoadModule ${m.id} ${DEBIAN_MODULE_DIR}/${m.file}`);
      writeFileSync(conf, ["ServerName localhost", "PidFile run/httpd.pid", "DefaultRuntimeDir run", "ErrorLog logs/error.log", ...loads, ""].join("\n"));
      const out = execFileSync(APACHE, ["-L", "-d", root, "-f", conf], { encoding: "utf8" });
      for (const m of out.matchAll(/^(\S+) \((\S+\.c)\)$/gm)) {
        const mods = listed.get(m[1]!) ?? new Set<string>();
        mods.add(moduleOfSource(m[2]!));
        listed.set(m[1]!, mods);
      }
    }
  });
  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  live("lists a few hundred directives (the -L output was read)", () => {
    expect(listed.size).toBeGreaterThan(500);
    expect(listed.get("ProxyPass")).toEqual(new Set(["proxy"]));
  });

  live("every directive -L lists is in DIRECTIVES, with the modules -L names", () => {
    const table = new Map(DIRECTIVES.map((d) => [d.name, sorted(d.modules)]));
    const wrong: string[] = [];
    for (const [name, mods] of listed) {
      const has = table.get(name);
      if (!has) wrong.push(`${name}: missing (defined by ${sorted(mods).join(", ")})`);
      else if (has.join() !== sorted(mods).join()) wrong.push(`${name}: table ${has.join(", ")}, apache2 -L ${sorted(mods).join(", ")}`);
    }
    expect(wrong).toEqual([]);
  });

  live("every DIRECTIVES entry is listed by -L (no stale entries)", () => {
    expect(DIRECTIVES.filter((d) => !listed.has(d.name)).map((d) => d.name)).toEqual([]);
  });
});

// ------------------------------------------------------------------ the manual

// Directives Apache defines that the manual has no entry for (checked both ways below).
const UNDOCUMENTED: readonly string[] = [
  // mod_lua's inline forms: a <LuaHook…> section holds the Lua code that the
  // one-line LuaHook… directive of the same name would load from a file
  "<LuaHookAccessChecker", "<LuaHookAuthChecker", "<LuaHookCheckUserID", "<LuaHookFixups", "<LuaHookMapToStorage",
  "<LuaHookPreTranslateName", "<LuaHookTranslateName", "<LuaHookTypeChecker", "<LuaQuickHandler",
  // the manual's entry is "LuaHookPreTranslate", a name Apache does not know
  "LuaHookPreTranslateName",
  // mod_lua's internal bookkeeping, not meant to be written
  "Lua_____ByteCodeHack",
  // mod_md: the manual documents only the older spelling <MDomainSet>
  "<MDomain",
  // old names kept for old configurations; the manual mentions them only in the
  // entries of their successors (MaxRequestWorkers, MaxConnectionsPerChild, Listen)
  "MaxClients", "MaxRequestsPerChild", "Port",
  // left over from earlier releases; Apache accepts or rejects them without a manual entry
  "AuthDigestNcCheck", "FancyIndexing", "H2SessionExtraFiles", "SSLLog", "SSLLogLevel",
  // mod_macro's switches, described only in the module's source
  "MacroIgnoreBadNesting", "MacroIgnoreEmptyArgs",
];

// The manual's module names for platforms Debian does not build: they name no Debian module.
const OTHER_PLATFORMS = new Set(["mpm_winnt", "mpm_netware", "mpmt_os2"]);

// Where the manual credits other modules than the ones that define the directive in Apache (a2enmod names).
const MODULE_EXCEPTIONS: Readonly<Record<string, readonly string[]>> = {
  // the manual's mpm_common page credits the MPMs; server/mpm_common.c, in the core, defines them
  CoreDumpDirectory: ["core"],
  MaxConnectionsPerChild: ["core"],
  MaxMemFree: ["core"],
  PidFile: ["core"],
  ScoreBoardFile: ["core"],
  ThreadStackSize: ["core"],
  // the manual puts it under mod_dav_fs; mod_dav defines it
  DAVLockDiscovery: ["dav"],
};

/** The a2enmod names for the manual's module names; null for another platform's. */
function a2enmodName(manual: string): string | null {
  if (OTHER_PLATFORMS.has(manual)) return null;
  if (manual === "core") return "core";
  // the MPM pages are "event", "worker", "prefork"
  if (MPMS.includes(`mpm_${manual}`)) return `mpm_${manual}`;
  // mod_so, mod_log_config … are compiled into Debian's apache2
  if (BUILTIN_MODULE_SOURCES.includes(`${manual}.c`)) return "core";
  // by file, not by stripping "mod_": mod_dumpio is a2enmod's dump_io
  const name = byFile.get(`${manual}.so`);
  if (!name) throw new Error(`the manual names a module Debian does not have: ${manual}`);
  return name;
}

describe("src/data/directive-docs.ts (Apache's manual) against src/data/directives.ts", () => {
  it("every directive of DIRECTIVES has a manual entry, or is listed as undocumented", () => {
    const missing = DIRECTIVES.filter((d) => !DIRECTIVE_DOCS[d.name.toLowerCase()]).map((d) => d.name);
    verboseReport(`directive-tables: ${Object.keys(DIRECTIVE_DOCS).length} directives in the manual, ${DIRECTIVES.length} in apache2, ${missing.length} undocumented: ${missing.join(" ")}`);
    expect(sorted(missing)).toEqual(sorted(UNDOCUMENTED));
  });

  it("every undocumented directive and every module exception is a directive of DIRECTIVES", () => {
    const names = new Set(DIRECTIVES.map((d) => d.name));
    expect([...UNDOCUMENTED, ...Object.keys(MODULE_EXCEPTIONS)].filter((n) => !names.has(n))).toEqual([]);
  });

  it("the manual's modules are the table's modules (mod_foo is a2enmod's foo, event is mpm_event)", () => {
    const wrong: string[] = [];
    for (const d of DIRECTIVES) {
      const doc = DIRECTIVE_DOCS[d.name.toLowerCase()];
      if (!doc) continue;
      const fromDocs = sorted(doc.modules.map(a2enmodName).filter((m): m is string => m !== null)).join(", ");
      const table = sorted(d.modules).join(", ");
      const exception = MODULE_EXCEPTIONS[d.name];
      if (!exception && fromDocs !== table) wrong.push(`${d.name}: manual ${doc.modules.join(", ")} (${fromDocs}), table ${table}`);
      // an exception holds what Apache says, and goes stale when the manual comes to agree
      if (exception && sorted(exception).join(", ") !== table) wrong.push(`${d.name}: exception ${exception.join(", ")}, table ${table}`);
      if (exception && fromDocs === table) wrong.push(`${d.name}: the manual agrees now; drop the exception`);
    }
    expect(wrong).toEqual([]);
  });

  it("every entry is well formed", () => {
    for (const [key, doc] of Object.entries(DIRECTIVE_DOCS)) {
      expect(key).toBe(doc.name.toLowerCase());
      // a section's syntax opens with "<Name", a directive's with its name
      expect(doc.syntax.toLowerCase().startsWith(key), doc.syntax).toBe(true);
      expect(doc.contexts.length).toBeGreaterThan(0);
      expect(doc.modules.length).toBeGreaterThan(0);
      expect(doc.page).toMatch(/^[a-z0-9_]+\.html#\w+$/);
      if (doc.since !== null) expect(doc.since).toMatch(/^2\.\d+(\.\d+)?$/);
    }
  });

  it("spot checks: ProxyPass, Define, RewriteRule, ProxyWebsocketFallbackToProxyHttp, <Proxy>", () => {
    const proxyPass = directiveDoc("proxypass")!;
    expect(proxyPass.syntax).toMatch(/^ProxyPass \[path\] !\|url /);
    expect(proxyPass.modules).toEqual(["mod_proxy"]);
    // its Compatibility row speaks of UDS support added in 2.4.7, not of the directive
    expect(proxyPass.since).toBeNull();
    expect(directiveDoc("Define")!.contexts).toContain("server config");
    expect(directiveDoc("RewriteRule")!.override).toBe("FileInfo");
    expect(directiveDoc("RewriteRule")!.status).toBe("Extension");
    expect(directiveDoc("ProxyWebsocketFallbackToProxyHttp")!.since).toBe("2.4.48");
    expect(directiveDoc("KeepAlive")!.default).toBe("KeepAlive On");
    expect(directiveDoc("KeepAlive")!.status).toBe("Core");
    expect(directiveDoc("MaxRequestWorkers")!.status).toBe("MPM");
  });

  it("lookups: case-insensitive; sections only through sectionDoc, with or without '<'", () => {
    expect(sectionDoc("Proxy")).toBe(DIRECTIVE_DOCS["<proxy"]);
    expect(sectionDoc("<VIRTUALHOST")!.name).toBe("<VirtualHost");
    expect(directiveDoc("<Proxy")).toBeUndefined();
    expect(directiveDoc("PROXYPASS")).toBe(directiveDoc("ProxyPass"));
    // Proxy is a section only; ProxyPass is no section
    expect(directiveDoc("Proxy")).toBeUndefined();
    expect(sectionDoc("ProxyPass")).toBeUndefined();
    expect(directiveDoc("constructor")).toBeUndefined();
    expect(directiveDoc("NoSuchDirective")).toBeUndefined();
  });
});
