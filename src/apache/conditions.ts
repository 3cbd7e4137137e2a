// What Apache makes of a conditional section (<IfModule>, <IfDefine>,
// <IfVersion>, <IfFile>, <IfDirective>, <IfSection>) given what is known of
// the server: true (the body is read), false (the body is skipped without
// being parsed: g6, m17) or "unknown". The one evaluation every rule and the
// include resolver use, so that they never disagree about a block: a block
// ifmodule-unknown calls "never read" is never read for module-not-loaded either.
//
// <IfModule name> is true when `name` is exactly (strcmp: case counts) the
// source file name a module was built from ("mod_proxy.c") or its module
// identifier ("proxy_module"), as core.c's find_module looks them up. Nothing
// else matches: `mod_proxy`, `proxy`, `mod_proxy.so`, `MOD_PROXY.C` are all
// silently false (measured on 2.4.71).
import type { ConfigFile, Section } from "../../grammar/index.js";
import { OPEN } from "../../grammar/line-table.js";
import { BUILTIN_MODULE_SOURCES as BUILTINS } from "../data/modules.js";
import { directiveInfo, loadableProviders, sectionInfo } from "./directives.js";
import { editDistance } from "./edit-distance.js";
import { memoByString } from "./memo.js";
import { MODULES } from "./modules.js";
import { CONDITIONAL_SECTIONS } from "./scope.js";

export type Verdict = true | false | "unknown";

/** What is known of the server's modules (a ServerInfo is one). */
export interface ModuleKnowledge {
  /** true when the loaded modules below are all the server loads */
  readonly managesModules: boolean;
  readonly loaded: ReadonlyMap<string, { readonly id: string }>;
  /** by a2enmod name ("proxy_http") or identifier */
  isLoaded(nameOrId: string): boolean;
}

export interface ConditionKnowledge {
  /** undefined: nothing is known of the modules (the include resolver) */
  readonly server?: ModuleKnowledge;
}

// ------------------------------------------------------------ module names

/** Modules whose source file is not `mod_<shared object name>.c` (measured with `<IfModule>` on 2.4.71). */
const SOURCE_EXCEPTIONS: Readonly<Record<string, string>> = {
  ldap: "util_ldap.c",
  mpm_event: "event.c",
  mpm_prefork: "prefork.c",
  mpm_worker: "worker.c",
};

/** Identifiers of the compiled-in modules whose identifier is not derived from the source name. */
const BUILTIN_IDS: Readonly<Record<string, string>> = { "core.c": "core_module", "http_core.c": "http_module" };

/**
 * Real module names this table does not know, which must never be "corrected":
 * upstream modules Debian does not build, names of 2.0/2.2 modules still found
 * in configs, and common third-party modules. Both forms of each are accepted.
 */
const OTHER_MODULES: readonly string[] = [
  // upstream 2.4 modules Debian does not ship, and other platforms' MPMs
  "privileges", "isapi", "nw_ssl", "socache_dc", "example_hooks", "example_ipc", "case_filter", "case_filter_in",
  "firehose", "policy", "tls", "systemd", "journald", "win32", "mpm_winnt", "mpm_netware", "mpmt_os2", "crypto", "ssl_ct",
  // 1.3 / 2.0 / 2.2 module names
  "access", "auth", "auth_anon", "auth_dbm", "auth_db", "auth_ldap", "authn_alias", "authn_default", "authz_default",
  "disk_cache", "mem_cache", "imap", "log_referer", "log_agent", "mmap_static", "bucketeer", "browser", "h2", "serf", "spdy",
  // third-party modules
  "php", "php5", "php7", "php8", "wsgi", "security2", "security3", "evasive", "evasive20", "evasive24", "pagespeed",
  "passenger", "fcgid", "fastcgi", "jk", "perl", "python", "ruid2", "qos", "auth_openidc", "auth_mellon", "gnutls",
  "nss", "dav_svn", "authz_svn", "xsendfile", "rpaf", "cloudflare", "geoip", "geoip2", "maxminddb", "suphp", "lsapi",
  "auth_kerb", "auth_gssapi", "auth_cas", "authnz_pam", "auth_pam", "authnz_external", "auth_tkt", "bw", "cband",
  "limitipconn", "mono", "musicindex", "mpm_itk", "shib", "shib2", "proxy_cluster", "manager", "advertise",
  "cluster_slotmem", "weblogic", "wl", "antiloris", "reqstatus", "line_edit", "apreq2", "apreq", "authn_yubikey",
  "auth_radius", "encoding", "upload_progress", "uwsgi", "scgi", "log_sql", "vhost_ldap", "vhost_dbd", "tile",
  "mapcache", "h264_streaming", "rivet", "gzip", "defensible", "dnssd", "auth_token", "authn_otp", "zeroconf",
  "remoteip_cf", "realdoc", "bandwidth", "authnz_sspi", "auth_sspi", "auth_ntlm", "ntlm_winbind",
  "authz_unixgroup", "auth_sys_group", "fastcgi_handler", "xforward", "proxy_protocol", "macro_sub", "ssl_tls13",
];

/** A module name Apache accepts in <IfModule> for one module, and the module's a2enmod name. */
export interface ModuleSpelling {
  name: string;
  module: string;
  /** the part that is not form: `proxy_wstunnel` in `mod_proxy_wstunnel.c` */
  core: string;
  /** compiled into apache2: always present */
  builtin: boolean;
}

/** A module name without its form: `mod_proxy.c`, `proxy_module`, `mod_proxy.so` → `proxy`. */
export const coreOf = (name: string) => name.replace(/^mod_/i, "").replace(/(\.c|\.so|_module)$/i, "");

/** The form of a name: a fix keeps it (`mod_x.c` stays a source name, `x_module` an identifier). */
export const isIdForm = (name: string) => /_module$/i.test(name);

function spellings(): ModuleSpelling[] {
  const out: ModuleSpelling[] = [];
  for (const m of MODULES) {
    const source = SOURCE_EXCEPTIONS[m.name] ?? `${m.file.replace(/\.so$/, "")}.c`;
    out.push({ name: source, module: m.name, core: coreOf(source), builtin: false }, { name: m.id, module: m.name, core: coreOf(m.id), builtin: false });
  }
  for (const source of BUILTINS) {
    const id = BUILTIN_IDS[source] ?? `${coreOf(source)}_module`;
    const core = coreOf(source);
    out.push({ name: source, module: core, core, builtin: true }, { name: id, module: core, core, builtin: true });
  }
  return out;
}

const SPELLINGS = spellings();
const EXACT: ReadonlyMap<string, ModuleSpelling> = new Map(SPELLINGS.map((s) => [s.name, s]));
const OTHER: ReadonlySet<string> = new Set(OTHER_MODULES.flatMap((c) => [`mod_${c}.c`, `${c}_module`, `mod_${c}`, c]));

/** The module `name` is an exact <IfModule> spelling of, or undefined. */
export function moduleSpelling(name: string): ModuleSpelling | undefined {
  return EXACT.get(name);
}

/** A real module this project's table does not know (third-party, other platforms, 2.2-era): never "corrected". */
export function isOtherModuleName(name: string): boolean {
  return OTHER.has(name.toLowerCase());
}

/**
 * What the name was probably meant to be, one spelling per module. A case
 * difference or the same module in another form (`mod_proxy`, `proxy`,
 * `mod_proxy.so`) is certain; otherwise a name at most two edits away, and at
 * most one edit per three letters of the module's name, so that short names
 * (`mod_so.c`, `mod_md.c`) do not "correct" the many short third-party ones.
 */
export const moduleNameSuggestions: (name: string) => readonly ModuleSpelling[] = memoByString((name: string) => {
  const lower = name.toLowerCase();
  const sameForm = (list: ModuleSpelling[]) => {
    const byModule = new Map<string, ModuleSpelling>();
    for (const s of list) {
      const prev = byModule.get(s.module);
      if (!prev || (isIdForm(s.name) === isIdForm(name) && isIdForm(prev.name) !== isIdForm(name))) byModule.set(s.module, s);
    }
    return [...byModule.values()];
  };
  const folded = SPELLINGS.filter((s) => s.name.toLowerCase() === lower);
  if (folded.length) return folded;
  const core = coreOf(lower);
  const formOnly = SPELLINGS.filter((s) => s.module === core || s.core.toLowerCase() === core);
  if (formOnly.length) return sameForm(formOnly);
  let best = 3;
  let near: ModuleSpelling[] = [];
  for (const s of SPELLINGS) {
    const d = editDistance(lower, s.name.toLowerCase(), { max: 2 });
    if (d > 2 || 3 * d > s.core.length) continue;
    if (d < best) [best, near] = [d, [s]];
    else if (d === best) near.push(s);
  }
  return sameForm(near);
});

/**
 * A name that is no module's <IfModule> spelling but a near miss of one Apache
 * ships (`mod_proxy`, `MOD_PROXY.C`, `mod_proxy_wstunel.c`): whatever is
 * loaded, `<IfModule name>` is false. Third-party names are not near misses.
 */
export function namesNoModule(name: string): boolean {
  return !EXACT.has(name) && !isOtherModuleName(name) && moduleNameSuggestions(name).length > 0;
}

/** The module name of an `<IfModule>` tag and where it is, `!` and quotes excluded; null when it cannot be judged (`${VAR}` …). */
export function ifModuleName(section: Section): { name: string; start: number; end: number; negated: boolean } | null {
  const [first, second] = section.args;
  if (!first) return null;
  let arg = first;
  let offset = 0;
  const negated = first.raw.startsWith("!");
  if (negated) {
    if (first.raw === "!") {
      if (!second) return null;
      arg = second;
    } else offset = 1;
  }
  let raw = arg.raw.slice(offset);
  let start = arg.start + offset;
  const q = raw[0];
  if ((q === '"' || q === "'") && raw.length > 1 && raw.endsWith(q)) {
    raw = raw.slice(1, -1);
    start++;
  }
  // anything else (a ${VAR}, a continuation) is not a name that can be judged
  if (!/^[A-Za-z0-9_.+-]+$/.test(raw)) return null;
  return { name: raw, start, end: start + raw.length, negated };
}

/** Is the module `<IfModule name>` names loaded? */
export function modulePresent(name: string, k: ConditionKnowledge): Verdict {
  const server = k.server;
  const spelling = EXACT.get(name);
  if (spelling) {
    if (spelling.builtin) return true;
    return server?.managesModules ? server.isLoaded(spelling.module) : "unknown";
  }
  if (namesNoModule(name)) return false;
  // a module the table does not know: loaded only if this server loads it under that identifier
  if (!server?.managesModules) return "unknown";
  const id = /^mod_.+\.c$/.test(name) ? `${name.slice(4, -2)}_module` : name;
  for (const l of server.loaded.values()) if (l.id === id) return true;
  return false;
}

// ------------------------------------------------------------ evaluation

const not = (v: Verdict, negated: boolean): Verdict => (v === "unknown" || !negated ? v : !v);

/**
 * Whether Apache reads the body of the conditional section `s`. Sections
 * that are not conditional are read (true). <IfDefine>, <IfVersion>, <IfFile>
 * depend on -D, the binary and the file system: "unknown".
 */
export function evaluateCondition(s: Section, k: ConditionKnowledge): Verdict {
  switch (s.key) {
    case "ifmodule": {
      const n = ifModuleName(s);
      return n ? not(modulePresent(n.name, k), n.negated) : "unknown";
    }
    case "ifdirective":
    case "ifsection": {
      const arg = s.args[0]?.value;
      if (!arg) return "unknown";
      const negated = arg.startsWith("!");
      const name = negated ? arg.slice(1) : arg;
      const info = s.key === "ifdirective" ? directiveInfo(name) : sectionInfo(name.replace(/^</, ""));
      if (!info) return "unknown";
      const providers = loadableProviders(info);
      if (providers === null) return not(true, negated);
      if (!k.server?.managesModules) return "unknown";
      const server = k.server;
      return not(providers.some((m) => server.isLoaded(m)), negated);
    }
    default:
      return CONDITIONAL_SECTIONS.has(s.key) ? "unknown" : true;
  }
}

/** What the verdicts need of a file's facts (FileFacts has them). */
export interface RowFacts {
  readonly file: ConfigFile;
  readonly parentRows: Int32Array;
  sectionAt(row: number): unknown;
}

/**
 * The verdicts of one file's conditional sections, each worked out once:
 * rules share one instance per lint (ctx.facts.shared(CONDITIONS_FACT, …)).
 */
export class ConditionVerdicts {
  private readonly verdicts = new Map<number, Verdict>();
  /** open row → is its body read (it and every enclosing section true or unknown) */
  private readonly read = new Map<number, boolean>();

  constructor(
    private readonly facts: RowFacts,
    readonly knowledge: ConditionKnowledge,
  ) {}

  /** The verdict of the section opened at `row`. */
  verdictAt(row: number): Verdict {
    let v = this.verdicts.get(row);
    if (v === undefined) {
      const t = this.facts.file.table;
      v = CONDITIONAL_SECTIONS.has(t.names[t.key[row]!]!) ? evaluateCondition(this.facts.sectionAt(row) as Section, this.knowledge) : true;
      this.verdicts.set(row, v);
    }
    return v;
  }

  /** The verdict of a section view (canonical or not: by its row). */
  verdict(s: Section): Verdict {
    return this.verdictAt(s.row);
  }

  /** false when Apache skips the line at `row`: some enclosing conditional is false. */
  isRead(row: number): boolean {
    const p = this.facts.parentRows[row]!;
    return p < 0 || this.bodyRead(p);
  }

  /** The row of the outermost enclosing section known false (Apache skips the line because of it), or -1. */
  skippedBy(row: number): number {
    if (this.isRead(row)) return -1;
    let found = -1;
    for (let r = this.facts.parentRows[row]!; r >= 0; r = this.facts.parentRows[r]!) if (this.verdictAt(r) === false) found = r;
    return found;
  }

  private bodyRead(open: number): boolean {
    const known = this.read.get(open);
    if (known !== undefined) return known;
    // iterative: nesting can be deep
    const parent = this.facts.parentRows;
    const chain: number[] = [];
    let r = open;
    let base = true;
    for (; r >= 0; r = parent[r]!) {
      const k = this.read.get(r);
      if (k !== undefined) {
        base = k;
        break;
      }
      chain.push(r);
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      const row = chain[i]!;
      base = base && this.verdictAt(row) !== false;
      this.read.set(row, base);
    }
    return base;
  }
}

/** The key under which rules share a file's ConditionVerdicts. */
export const CONDITIONS_FACT = "apache/conditions";

/** Is the row of a section's open tag a conditional section? */
export function isConditionalRow(file: ConfigFile, row: number): boolean {
  const t = file.table;
  return t.kind[row] === OPEN && CONDITIONAL_SECTIONS.has(t.names[t.key[row]!]!);
}
