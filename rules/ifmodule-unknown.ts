// <IfModule name> is true when `name` is exactly (strcmp: case counts) the
// source file name a module was built from ("mod_proxy.c") or its module
// identifier ("proxy_module"), as core.c's find_module looks them up. Nothing
// else matches: `mod_proxy`, `proxy`, `mod_proxy.so`, `MOD_PROXY.C` are all
// silently false (measured on 2.4.71). Third-party modules are legion, so only
// a name that is a near miss of a module Apache ships is reported.
import { directives, sections, type Section } from "../grammar/index.js";
import { directiveInfo, sectionInfo } from "../src/apache/directives.js";
import { MODULES } from "../src/apache/modules.js";
import { BUILTIN_MODULE_SOURCES as BUILTINS } from "../src/data/modules.js";
import { defineRule, type Report } from "../src/core/rule.js";

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

/** A module name Apache would accept for one module, and the module's a2enmod name. */
interface Spelling {
  name: string;
  module: string;
  /** the part that is not form: `proxy_wstunnel` in `mod_proxy_wstunnel.c` */
  core: string;
}

const coreOf = (name: string) => name.replace(/^mod_/i, "").replace(/(\.c|\.so|_module)$/i, "");

function spellings(): Spelling[] {
  const out: Spelling[] = [];
  for (const m of MODULES) {
    const source = SOURCE_EXCEPTIONS[m.name] ?? `${m.file.replace(/\.so$/, "")}.c`;
    out.push({ name: source, module: m.name, core: coreOf(source) }, { name: m.id, module: m.name, core: coreOf(m.id) });
  }
  for (const source of BUILTINS) {
    const id = BUILTIN_IDS[source] ?? `${coreOf(source)}_module`;
    out.push({ name: source, module: coreOf(source), core: coreOf(source) }, { name: id, module: coreOf(source), core: coreOf(source) });
  }
  return out;
}

const SPELLINGS = spellings();
const EXACT: ReadonlySet<string> = new Set(SPELLINGS.map((s) => s.name));
const OTHER: ReadonlySet<string> = new Set(OTHER_MODULES.flatMap((c) => [`mod_${c}.c`, `${c}_module`, `mod_${c}`, c]));

/** Levenshtein distance, abandoned once it exceeds `max`. */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      best = Math.min(best, v);
    }
    if (best > max) return max + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

/** The form of a name: the fix keeps it (`mod_x.c` stays a source name, `x_module` an identifier). */
const isIdForm = (name: string) => /_module$/i.test(name);

/**
 * What the name was probably meant to be, one spelling per module. A case
 * difference or the same module in another form (`mod_proxy`, `proxy`,
 * `mod_proxy.so`) is certain; otherwise a name at most two edits away, and at
 * most one edit per three letters of the module's name, so that short names
 * (`mod_so.c`, `mod_md.c`) do not "correct" the many short third-party ones.
 */
function suggestions(name: string): Spelling[] {
  const lower = name.toLowerCase();
  const sameForm = (list: Spelling[]) => {
    const byModule = new Map<string, Spelling>();
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
  let near: Spelling[] = [];
  for (const s of SPELLINGS) {
    const d = distance(lower, s.name.toLowerCase(), 2);
    if (d > 2 || 3 * d > s.core.length) continue;
    if (d < best) [best, near] = [d, [s]];
    else if (d === best) near.push(s);
  }
  return sameForm(near);
}

/** The module name of an `<IfModule>` tag and where it is, `!` and quotes excluded. */
function nameOf(section: Section): { name: string; start: number; end: number; negated: boolean } | null {
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
  // anything else (a ${VAR}, a continuation) is not a name this rule can judge
  if (!/^[A-Za-z0-9_.+-]+$/.test(raw)) return null;
  return { name: raw, start, end: start + raw.length, negated };
}

function problemWith(name: string, target: Spelling): string {
  if (name.toLowerCase() === target.name.toLowerCase()) return "Apache compares module names case-sensitively";
  if (coreOf(name).toLowerCase() === target.core.toLowerCase() || coreOf(name).toLowerCase() === target.module)
    return "Apache accepts only the source file name or the module identifier";
  return "no module has that name";
}

/** Every directive and section in the block is one Apache knows: turning the block on cannot add "Invalid command". */
function bodyIsKnown(block: Section): boolean {
  return directives(block).every((d) => directiveInfo(d.key) !== undefined) && sections(block).every((x) => sectionInfo(x.key) !== undefined);
}

export default defineRule({
  id: "ifmodule-unknown",
  severity: "warning",
  description: "An `<IfModule>` naming a module that does not exist, whose block is then silently skipped",
  fixable: "unsafe",
  doc: {
    problem:
      "`<IfModule name>` tests whether a module is loaded, and `name` must be written exactly as Apache knows the module: " +
      "its source file name (`mod_proxy_wstunnel.c`) or its module identifier (`proxy_wstunnel_module`). A misspelt name " +
      "(`mod_proxy_wstunel.c`), another case (`MOD_PROXY.C`) or another form (`mod_proxy`, `proxy`, `mod_proxy.so`) names no " +
      "module, so the test is always false (and `<IfModule !name>` always true) whatever is loaded. Only names that are a " +
      "near miss of a module Debian's apache2 ships or has compiled in are reported; third-party modules (`mod_php7.c`, " +
      "`mod_wsgi.c`, `mod_security2.c`, `mod_fcgid.c` \u2026) and 2.2-era names are left alone.",
    bad: "<IfModule mod_proxy_wstunel.c>\n    ProxyPass /ws/ ws://127.0.0.1:13001/ws/\n</IfModule>",
    good: "<IfModule mod_proxy_wstunnel.c>\n    ProxyPass /ws/ ws://127.0.0.1:13001/ws/\n</IfModule>",
    why:
      "core.c's find_module compares the name with strcmp against each module's source file name and identifier. A " +
      "name that matches nothing makes the block false, and the body of a false `<IfModule>` is skipped without being " +
      "parsed: case m17 has garbage inside `<IfModule mod_proxy_wstunel.c>` and `apache2 -t` still says Syntax OK. The " +
      "directives meant to apply never do, and nothing is logged. Measured on 2.4.71: `mod_proxy.c` and `proxy_module` " +
      "make the block true; `mod_proxy`, `proxy`, `mod_proxy.so`, `MOD_PROXY.C`, `Mod_Proxy.c` and `PROXY_MODULE` do not. " +
      "Some source names are not `mod_<name>.c`: `util_ldap.c` (mod_ldap), `event.c`, `worker.c`, `prefork.c` (the MPMs), " +
      "and the compiled-in `core.c` / `http_core.c` (`core_module`, `http_module`). Quotes around the name and a space " +
      "after `!` are accepted by Apache and by this rule.",
    versions: "All 2.4 releases (measured on 2.4.71).",
    fix:
      "Unsafe, when exactly one module is a likely match: replaces the name with that module's spelling in the same form " +
      "(`mod_proxy_wstunel.c` \u2192 `mod_proxy_wstunnel.c`, `proxy_wstunel_module` \u2192 `proxy_wstunnel_module`, " +
      "`mod_proxy` \u2192 `mod_proxy.c`). Unsafe because the block then takes effect: directives that never applied " +
      "start to. The fix is not offered when the block holds a line that is not a directive Apache knows: Apache never " +
      "parsed the false block, and would refuse to start once it is true (m17's body is such text). With several " +
      "candidates the finding lists them and there is no fix.",
    cases: ["m17"],
  },
  check({ file }) {
    const out: Report[] = [];
    for (const s of sections(file)) {
      if (s.key !== "ifmodule") continue;
      const n = nameOf(s);
      if (!n || EXACT.has(n.name) || OTHER.has(n.name.toLowerCase())) continue;
      const found = suggestions(n.name);
      if (found.length === 0) continue;
      const effect = n.negated
        ? `so \`<IfModule !${n.name}>\` is always true and its body always applies`
        : "so the block is always false and Apache skips its body without parsing it";
      const [only] = found;
      if (found.length === 1 && only) {
        const report: Report = {
          message: `\`${n.name}\` is not a module name (did you mean \`${only.name}\`?): ${problemWith(n.name, only)}, ${effect}.`,
          start: n.start,
          end: n.end,
        };
        if (bodyIsKnown(s)) report.fix = { safety: "unsafe", title: `Replace \`${n.name}\` with \`${only.name}\``, edits: [{ start: n.start, end: n.end, text: only.name }] };
        out.push(report);
      } else {
        const list = found.map((f) => `\`${f.name}\``).join(", ");
        out.push({
          message: `\`${n.name}\` is not a module name (did you mean one of ${list}?): no module has that name, ${effect}.`,
          start: n.start,
          end: n.end,
        });
      }
    }
    return out;
  },
});
