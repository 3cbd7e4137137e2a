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
//
// <IfDefine NAME> is true when NAME (case counts) was given with -D or set by a
// Define read before it, and not removed by an UnDefine since (measured: an
// UnDefine removes a -D name too). Define runs wherever it stands, inside
// <VirtualHost>, <Directory> or <If> alike; only a conditional section that
// is false keeps it from running. `-D NAME=value` defines the name `NAME=value`.
// <IfVersion> compares with the release (src/apache/version.ts). Which modules
// are compiled in depends on the platform (src/data/platforms.ts). Whatever
// the command line, the build and the files read before leave open stays "unknown".
import { Section as SectionView, type ConfigFile, type Parent, type Section } from "../../grammar/index.js";
import { Directive as DirectiveView } from "../../grammar/ast.js";
import { CLOSE, DIRECTIVE, OPEN } from "../../grammar/line-table.js";
import { BUILTIN_MODULE_SOURCES as BUILTINS } from "../data/modules.js";
import { compiledIn, SOMETIMES_BUILTIN, type Platform } from "../data/platforms.js";
import { directiveDoc, sectionDoc } from "./directive-docs.js";
import { directiveInfo, loadableProviders, sectionInfo } from "./directives.js";
import { editDistance } from "./edit-distance.js";
import { memoByString } from "./memo.js";
import { MODULES } from "./modules.js";
import { simplePatternGroups } from "./pcre.js";
import { CONDITIONAL_SECTIONS } from "./scope.js";
import { parseIfVersion, versionTestVerdict, type ApacheVersion } from "./version.js";

export type Verdict = true | false | "unknown";

/** What is known of how Apache is built and started, beyond its config files (--define, --platform, --apache-version). */
export interface Startup {
  /** every name Apache is started with -D (an empty set: none); undefined: not known */
  readonly defines?: ReadonlySet<string>;
  /** whose build it is, which decides the modules compiled in; undefined: not known */
  readonly platform?: Platform;
  /** the release <IfVersion> compares with; undefined: some 2.4 release */
  readonly version?: ApacheVersion;
}

/** What is known of the server's modules (a ServerInfo is one). */
export interface ModuleKnowledge {
  /** true when the loaded modules below are all the server loads */
  readonly managesModules: boolean;
  readonly loaded: ReadonlyMap<string, { readonly id: string }>;
  /** by a2enmod name ("proxy_http") or identifier */
  isLoaded(nameOrId: string): boolean;
  /** a Debian tree's root: the platform is Debian's */
  readonly debianRoot?: string | null;
  readonly startup?: Startup;
  /** the file's Include lines as resolved: what the files they read may Define */
  readonly includes?: readonly { readonly line: number; readonly mayDefine?: boolean }[];
}

export interface ConditionKnowledge {
  /** undefined: nothing is known of the server */
  readonly server?: ModuleKnowledge;
}

/** The platform whose build the server is: given, or Debian's in a Debian tree; undefined when not known. */
export function platformOf(server: Pick<ModuleKnowledge, "debianRoot" | "startup"> | undefined): Platform | undefined {
  return server?.startup?.platform ?? (server?.debianRoot ? "debian" : undefined);
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
  /** the module's source file (`mod_proxy.c`, `event.c`): what `-l` lists when it is compiled in */
  source: string;
  /** its identifier, as LoadModule names it */
  id: string;
  /** compiled into Debian's apache2: not in the module table, loaded by its identifier elsewhere */
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
    const base = { module: m.name, source, id: m.id, builtin: false };
    out.push({ ...base, name: source, core: coreOf(source) }, { ...base, name: m.id, core: coreOf(m.id) });
  }
  for (const source of BUILTINS) {
    const id = BUILTIN_IDS[source] ?? `${coreOf(source)}_module`;
    const core = coreOf(source);
    const base = { module: core, core, source, id, builtin: true };
    out.push({ ...base, name: source }, { ...base, name: id });
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

/** Is a module compiled in on the server's platform (true, false, or "unknown" when the platform or build is not known)? */
export function moduleCompiledIn(s: ModuleSpelling, server: ConditionKnowledge["server"]): Verdict {
  return compiledIn(s.source, platformOf(server));
}

/** Is the module `<IfModule name>` names loaded? */
export function modulePresent(name: string, k: ConditionKnowledge): Verdict {
  const server = k.server;
  const spelling = EXACT.get(name);
  if (spelling) {
    const compiled = moduleCompiledIn(spelling, server);
    if (compiled === true) return true;
    if (!server?.managesModules) return "unknown";
    // one compiled into Debian's build is in no module table: loaded on other platforms under its identifier
    if (spelling.builtin ? loadedAs(server, spelling.id) : server.isLoaded(spelling.module)) return true;
    return compiled;
  }
  if (namesNoModule(name)) return false;
  // a module the table does not know: loaded only if this server loads it under that identifier
  if (!server?.managesModules) return "unknown";
  return loadedAs(server, /^mod_.+\.c$/.test(name) ? `${name.slice(4, -2)}_module` : name);
}

/** Does a LoadModule of the server name the identifier `id` (exactly: dlsym looks it up)? */
function loadedAs(server: ModuleKnowledge, id: string): boolean {
  for (const l of server.loaded.values()) if (l.id === id) return true;
  return false;
}

// ------------------------------------------------------------ evaluation

const not = (v: Verdict, negated: boolean): Verdict => (v === "unknown" || !negated ? v : !v);
const and = (a: Verdict, b: Verdict): Verdict => (a === false || b === false ? false : a === "unknown" || b === "unknown" ? "unknown" : true);

/** The name an `<IfDefine>` tag tests, and whether it is negated; null when it cannot be judged (`${VAR}`, no name). */
export function ifDefineName(s: Section): { name: string; negated: boolean } | null {
  const [first, second] = s.args;
  if (!first) return null;
  // core.c takes one `!` off the text, then its first word (ap_getword_conf: quotes removed)
  let raw = first.raw;
  const negated = raw.startsWith("!");
  if (negated) raw = raw === "!" ? (second?.raw ?? "") : raw.slice(1);
  const q = raw[0];
  if ((q === '"' || q === "'") && raw.length > 1 && raw.endsWith(q)) raw = raw.slice(1, -1);
  if (raw === "" || /[\s"'\\]|\$\{/.test(raw)) return null;
  return { name: raw, negated };
}

/** Is a name defined where a file starts being read, as far as the startup says? */
function startingDefine(name: string, k: ConditionKnowledge, startsReading: boolean): Verdict {
  const defines = k.server?.startup?.defines;
  if (!defines) return "unknown";
  if (defines.has(name)) return true;
  // another file read before this one may have Defined it
  return startsReading ? false : "unknown";
}

/** Does a regex (PCRE, as mod_version compiles it) match `text`? Only patterns both dialects read alike are run. */
function versionRegex(pattern: string, text: string): boolean | null {
  if (simplePatternGroups(pattern) < 0) return null;
  try {
    return new RegExp(pattern).test(text);
  } catch {
    return null;
  }
}

function ifVersionVerdict(s: Section, k: ConditionKnowledge): Verdict {
  // ${VAR} may stand for anything; a `>` left in the version is not a test this reads
  if (s.args.some((a) => a.raw.includes("${") || a.unterminated) || s.args[s.args.length - 1]?.value.includes(">")) return "unknown";
  const parsed = parseIfVersion(s.args.map((a) => a.value));
  if (!parsed || "refused" in parsed) return "unknown";
  return versionTestVerdict(parsed.test, k.server?.startup?.version, versionRegex);
}

/** The manual's modules of a directive compiled into some platform's build (CustomLog: mod_log_config). */
function sometimesBuiltinModules(name: string, section: boolean): string[] | null {
  const doc = section ? sectionDoc(name) : directiveDoc(name);
  const sources = doc?.modules.map((m) => `${m}.c`) ?? [];
  return sources.length > 0 && sources.every((src) => SOMETIMES_BUILTIN.has(src)) ? sources : null;
}

function ifDirectiveVerdict(s: Section, k: ConditionKnowledge): Verdict {
  const arg = s.args[0]?.value;
  if (!arg) return "unknown";
  const negated = arg.startsWith("!");
  const name = negated ? arg.slice(1) : arg;
  const section = s.key === "ifsection";
  const info = section ? sectionInfo(name.replace(/^</, "")) : directiveInfo(name);
  if (!info) return "unknown";
  const providers = loadableProviders(info);
  if (providers === null) {
    // "core" in Debian's table; a module compiled in on Debian alone is loaded elsewhere
    const sources = sometimesBuiltinModules(name.replace(/^</, ""), section);
    if (!sources) return not(true, negated);
    const present = sources.map((src) => modulePresent(src, k));
    return not(present.includes(true) ? true : present.includes("unknown") ? "unknown" : false, negated);
  }
  if (!k.server?.managesModules) return "unknown";
  const server = k.server;
  return not(providers.some((m) => server.isLoaded(m)), negated);
}

/**
 * Whether Apache reads the body of the conditional section `s`, judged by the
 * section alone. Sections that are not conditional are read (true).
 * <IfDefine> is judged by the -D names only (a Define read before it is
 * ConditionVerdicts' to see); <IfFile> depends on the file system: "unknown".
 */
export function evaluateCondition(s: Section, k: ConditionKnowledge): Verdict {
  switch (s.key) {
    case "ifmodule": {
      const n = ifModuleName(s);
      return n ? not(modulePresent(n.name, k), n.negated) : "unknown";
    }
    case "ifdirective":
    case "ifsection":
      return ifDirectiveVerdict(s, k);
    case "ifversion":
      return ifVersionVerdict(s, k);
    case "ifdefine": {
      const n = ifDefineName(s);
      return n ? not(startingDefine(n.name, k, false), n.negated) : "unknown";
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

/** The files where Apache starts reading: nothing is read before them. */
const MAIN_CONFIGS = /(^|[\\/])(httpd|apache2)\.conf$/i;

/** Is `path` a file Apache starts reading (httpd.conf, apache2.conf), so nothing is read before it? */
export const startsReadingAt = (path: string): boolean => MAIN_CONFIGS.test(path);

/**
 * The verdicts of one file's conditional sections, each worked out once:
 * rules share one instance per lint (ctx.facts.shared(CONDITIONS_FACT, …)).
 */
export class ConditionVerdicts {
  private readonly verdicts = new Map<number, Verdict>();
  /** open row → is its body read (it and every enclosing section true or unknown) */
  private readonly read = new Map<number, boolean>();
  /** the <IfDefine> rows' verdicts, worked out in reading order on first need */
  private ifDefines: Map<number, Verdict> | undefined;

  constructor(
    private readonly facts: RowFacts,
    readonly knowledge: ConditionKnowledge,
  ) {}

  /** The verdict of the section opened at `row`. */
  verdictAt(row: number): Verdict {
    let v = this.verdicts.get(row);
    if (v === undefined) {
      const t = this.facts.file.table;
      const key = t.names[t.key[row]!]!;
      if (key === "ifdefine") v = this.defineVerdicts().get(row) ?? "unknown";
      else v = CONDITIONAL_SECTIONS.has(key) ? evaluateCondition(this.facts.sectionAt(row) as Section, this.knowledge) : true;
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

  /** Does Apache read the line at `row`: certainly (every enclosing conditional true), certainly not, or "unknown"? */
  reading(row: number): Verdict {
    let v: Verdict = true;
    for (let p = this.facts.parentRows[row]!; p >= 0 && v !== false; p = this.facts.parentRows[p]!) v = and(v, this.verdictAt(p));
    return v;
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

  /**
   * Replays the file's Define, UnDefine and Include lines in reading order to
   * judge each <IfDefine> where it stands. A line in a body that may be read
   * leaves its names unknown; an Include may Define anything, unless what it
   * reads is known to hold no Define; a Define in a <Macro> body runs at some `Use`.
   */
  private defineVerdicts(): Map<number, Verdict> {
    if (this.ifDefines) return this.ifDefines;
    const out = new Map<number, Verdict>();
    // set first: the enclosing <IfDefine>s of a line are judged before it, from this map
    this.ifDefines = out;
    const file = this.facts.file;
    const t = file.table;
    const id = (k: string) => t.names.indexOf(k);
    const [IFDEFINE, DEFINE, UNDEFINE, INCLUDE, OPTIONAL, MACRO] = ["ifdefine", "define", "undefine", "include", "includeoptional", "macro"].map(id);
    const startsReading = startsReadingAt(file.path);
    const state = new Map<string, Verdict>();
    /** what a name not in `state` is: as the startup says, or "unknown" once anything may have changed it */
    let rest: ((name: string) => Verdict) | "unknown" = (name) => startingDefine(name, this.knowledge, startsReading);
    const current = (name: string): Verdict => state.get(name) ?? (rest === "unknown" ? "unknown" : rest(name));
    const forgetAll = (keep: Verdict | null) => {
      for (const [n, v] of state) if (v !== keep) state.set(n, "unknown");
      if (rest !== "unknown") {
        const before = rest;
        rest = keep === null ? "unknown" : (n) => (before(n) === keep ? keep : "unknown");
      }
    };
    const includes = new Map((this.knowledge.server?.includes ?? []).map((i) => [i.line, i]));
    const parent = this.facts.parentRows;
    const inMacro = (row: number) => {
      for (let p = parent[row]!; p >= 0; p = parent[p]!) if (t.key[p] === MACRO) return true;
      return false;
    };
    for (let r = 0; r < t.count; r++) {
      const key = t.key[r]!;
      const kind = t.kind[r];
      if (kind === OPEN && key === IFDEFINE) {
        const n = ifDefineName(this.facts.sectionAt(r) as Section);
        out.set(r, n ? not(current(n.name), n.negated) : "unknown");
        continue;
      }
      if (kind !== DIRECTIVE || (key !== DEFINE && key !== UNDEFINE && key !== INCLUDE && key !== OPTIONAL)) continue;
      const reading = inMacro(r) ? "unknown" : this.reading(r);
      if (reading === false) continue;
      if (key === INCLUDE || key === OPTIONAL) {
        if (includes.get(file.position(t.start[r]!).line)?.mayDefine !== false) forgetAll(null);
        continue;
      }
      const define = key === DEFINE;
      const arg = new DirectiveView(file, r, this.facts.sectionAt(parent[r]!) as Parent).args[0];
      if (!arg) continue;
      const name = arg.value;
      if (name === "" || arg.raw.includes("${") || arg.raw.includes("\\")) {
        // some name is set (or removed): only those known removed (or set) stay known
        forgetAll(define ? true : false);
        continue;
      }
      if (reading === true) state.set(name, define);
      else if (current(name) !== define) state.set(name, "unknown");
    }
    return out;
  }
}

/** The key under which rules share a file's ConditionVerdicts. */
export const CONDITIONS_FACT = "apache/conditions";

/** Is the row of a section's open tag a conditional section? */
export function isConditionalRow(file: ConfigFile, row: number): boolean {
  const t = file.table;
  return t.kind[row] === OPEN && CONDITIONAL_SECTIONS.has(t.names[t.key[row]!]!);
}

/**
 * A file's verdicts for a caller without the engine's FileFacts (the include
 * resolver): its rows' parents from the line table, as FileFacts works them out.
 */
export function fileVerdicts(file: ConfigFile, k: ConditionKnowledge): ConditionVerdicts {
  const t = file.table;
  const parent = new Int32Array(t.count);
  const stack: number[] = [];
  for (let r = 0; r < t.count; r++) {
    while (stack.length && t.pair[stack[stack.length - 1]!]! < 0 && r >= t.extent[stack[stack.length - 1]!]!) stack.pop();
    const top = stack.length ? stack[stack.length - 1]! : -1;
    parent[r] = top;
    if (t.kind[r] === OPEN) stack.push(r);
    else if (t.kind[r] === CLOSE && top >= 0 && t.pair[r] === top) stack.pop();
  }
  const views = new Map<number, Section>();
  const sectionAt = (row: number): Section | ConfigFile => {
    if (row < 0) return file;
    let v = views.get(row);
    if (!v) views.set(row, (v = new SectionView(file, row, sectionAt(parent[row]!))));
    return v;
  };
  return new ConditionVerdicts({ file, parentRows: parent, sectionAt }, k);
}
