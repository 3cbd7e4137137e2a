// Regenerates src/data/directive-docs.ts from Apache's own manual, as Debian's
// apache2-doc package installs it (offline: no network, no apache2 run):
//   npm run build && node dist/src/tools/gen-directive-docs.js > src/data/directive-docs.ts
//
// Every directive of the manual has a <div class="directive-section"> whose
// <h2> names it ("&lt;Proxy&gt;" for a section) and whose <table class="directive">
// has one row per property: Description, Syntax, Default, Context, Override,
// Status, Module, Compatibility (see the manual's directive-dict.html). The rows
// are kept as the manual words them, tags stripped and entities decoded; only
// Compatibility is reduced, to the release that introduced the directive.
import { readdirSync, readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";

const MANUAL = "/usr/share/doc/apache2-doc/manual/en/mod";

// The values of the Status row (directive-dict.html#Status), checked so that a
// new word in a later manual stops generation instead of slipping through.
const STATUSES = ["Core", "Base", "Extension", "MPM", "Experimental", "Deprecated"];
const ROWS = ["Description", "Syntax", "Default", "Context", "Override", "Status", "Module", "Compatibility"];

const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'", nbsp: " ", para: "¶" };

function decode(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, e: string) => {
    if (e[0] === "#") return String.fromCodePoint(e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
    const v = ENTITIES[e.toLowerCase()];
    if (v === undefined) throw new Error(`unknown entity ${whole}`);
    return v;
  });
}

/** A cell's text: tags stripped, entities decoded, the source's line breaks and runs of spaces made one space. */
const text = (html: string) => decode(html.replace(/<[^>]*>/g, "")).replace(/\s+/g, " ").trim();

/**
 * The release that introduced the directive, when the Compatibility row opens
 * by saying so: "Available in Apache HTTP Server 2.4.19 and later", "Available in
 * httpd 2.4.4 and later, if using OpenSSL …", "2.4.42 and later", "Version 2.4 and
 * later", "Added in 2.4.39", "ProxyPassInherit is only available in … 2.4.5 and
 * later". A row that opens with something else ("The optional third argument is
 * supported in 2.3.15 and later", "keyid available in 2.4.42 and later", "Since
 * version 2.4.70, this can be configured separately for each MDomain", "Moved out
 * of core in Apache 2.1") speaks of an argument, a change or a move: null.
 */
function introducedIn(compat: string, name: string): string | null {
  const subject = `(?:(?:${name.replace(/[<>]/g, "")}|This directive) is )?(?:only )?(?:available |supported |directive supported |added )?`;
  const where = `(?:(?:in|from) )?(?:Apache )?(?:HTTP Server |HTTPD? )?(?:version )?`;
  // "2.2.32 or 2.4.24 and later" (a backport): the 2.4 release
  const release = `(?:\\d+\\.\\d+\\.\\d+ or )?(\\d+\\.\\d+(?:\\.\\d+)?)`;
  const re = new RegExp(`^${subject}${where}${release}(?: and (?:later|newer|above)|,|\\.? *$| or later)`, "i");
  return re.exec(compat)?.[1] ?? null;
}

interface Doc {
  key: string;
  name: string;
  page: string;
  syntax: string;
  description: string;
  default: string | null;
  contexts: string[];
  override: string | null;
  status: string;
  modules: string[];
  since: string | null;
  compat: string | null;
}

function parsePage(file: string): Doc[] {
  const html = readFileSync(join(MANUAL, file), "utf8");
  const out: Doc[] = [];
  for (const chunk of html.split('<div class="directive-section">').slice(1)) {
    const head = /^<h2 id="([^"]+)"><span id="[^"]*">([^<]+)<\/span> Directive /.exec(chunk);
    const table = /<table class="directive">([\s\S]*?)<\/table>/.exec(chunk);
    if (!head || !table) throw new Error(`${file}: a directive section without its heading or table: ${chunk.slice(0, 120)}`);
    // "<Proxy>" is keyed "<proxy", as src/data/directives.ts keys sections
    const name = decode(head[2]!).replace(/>$/, "");
    const rows = new Map<string, string>();
    for (const r of table[1]!.matchAll(/<tr><th><a href="directive-dict\.html#(\w+)">[^<]*<\/a><\/th><td>([\s\S]*?)<\/td><\/tr>/g)) {
      if (!ROWS.includes(r[1]!)) throw new Error(`${file} ${name}: unknown row ${r[1]}`);
      rows.set(r[1]!, text(r[2]!));
    }
    const need = (row: string) => {
      const v = rows.get(row);
      if (v === undefined || v === "") throw new Error(`${file} ${name}: no ${row} row`);
      return v;
    };
    const status = need("Status");
    if (!STATUSES.includes(status)) throw new Error(`${file} ${name}: unknown status ${status}`);
    const compat = rows.get("Compatibility") || null;
    out.push({
      key: name.toLowerCase(),
      name,
      page: `${file}#${head[1]}`,
      syntax: need("Syntax"),
      description: need("Description"),
      default: rows.get("Default") || null,
      contexts: need("Context").split(/\s*,\s*/),
      override: rows.get("Override") || null,
      status,
      modules: need("Module").split(/\s*,\s*/),
      since: compat ? introducedIn(compat, name) : null,
      compat,
    });
  }
  return out;
}

const pages = readdirSync(MANUAL).filter((f) => f.endsWith(".html")).sort();
const docs = new Map<string, Doc>();
for (const page of pages) {
  for (const d of parsePage(page)) {
    const seen = docs.get(d.key);
    if (!seen) {
      docs.set(d.key, d);
      continue;
    }
    // One directive documented on two pages (HeartbeatStorage: mod_heartmonitor writes
    // the file, mod_lbmethod_heartbeat reads it): the first page's words, every module.
    for (const m of d.modules) if (!seen.modules.includes(m)) seen.modules.push(m);
    process.stderr.write(`gen-directive-docs: ${d.name} is documented in ${seen.page} and ${d.page}: merged\n`);
  }
}
if (docs.size === 0) throw new Error(`no directive found under ${MANUAL}: is apache2-doc installed?`);

let version = "unknown";
try {
  version = execFileSync("dpkg-query", ["-W", "-f", "${Version}", "apache2-doc"], { encoding: "utf8" });
} catch {
  /* not a Debian system: the header says so */
}

const j = JSON.stringify;
const keys = [...docs.keys()].sort();
/** A JSON text as a single-quoted literal, so that the row reads as the JSON it is. */
const quoted = (json: string): string => `'${json.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
const rows = keys.map((k) => {
  const d = docs.get(k)!;
  if (d.name.toLowerCase() !== k) throw new Error(`gen-directive-docs: key ${k} is not ${d.name} lower-cased`);
  const row = { name: d.name, page: d.page, syntax: d.syntax, description: d.description, default: d.default, contexts: d.contexts, override: d.override, status: d.status, modules: d.modules, since: d.since };
  return `  ${quoted(j(row))},`;
});
if (process.env.GEN_DIRECTIVE_DOCS_COMPAT) {
  // a review aid: every Compatibility row with what introducedIn() made of it
  for (const k of keys) {
    const d = docs.get(k)!;
    if (d.compat) process.stderr.write(`${d.since ?? "-"}\t${d.name}\t${d.compat}\n`);
  }
}

process.stdout.write(`// Generated by src/tools/gen-directive-docs.ts from Apache's manual in Debian's apache2-doc ${version}
// (${MANUAL}/*.html, the "directive" table of each directive). Do not edit by hand: regenerate.

/** The manual's Status row (directive-dict.html#Status). */
export type DirectiveStatus = ${STATUSES.map((s) => j(s)).join(" | ")};

export interface DirectiveDoc {
  /** as the manual spells it; sections start with "<" ("<Proxy") */
  readonly name: string;
  /** the manual page and anchor, relative to the manual's mod/ directory ("mod_proxy.html#proxypass") */
  readonly page: string;
  /** the Syntax row, tags stripped ("ProxyPass [path] !|url [key=value [key=value ...]] …") */
  readonly syntax: string;
  /** the Description row */
  readonly description: string;
  /** the Default row ("ProxyTimeout 300" …), or null when the manual gives none */
  readonly default: string | null;
  /** the Context row as the manual words it: "server config", "virtual host", "directory", ".htaccess", "proxy section" */
  readonly contexts: readonly string[];
  /** the Override row, the AllowOverride class needed in .htaccess ("FileInfo", "AuthConfig, Limit"), or null */
  readonly override: string | null;
  readonly status: DirectiveStatus;
  /** the Module row: the manual's module names ("mod_proxy", "core", "event", "mpm_winnt" …) */
  readonly modules: readonly string[];
  /** the release that introduced it when the Compatibility row says so ("2.4.19"), else null */
  readonly since: string | null;
}

// One JSON text per directive, parsed on the first lookup: as an object literal the table's 245 KB were
// evaluated at every start of the command line, and most runs look nothing up.
const ROWS: readonly string[] = [
${rows.join("\n")}
];

let table: Readonly<Record<string, DirectiveDoc>> | undefined;

/** Keyed by lower-cased name, sections as "<name" (the keys of src/data/directives.ts lower-cased); no prototype. */
export function directiveDocTable(): Readonly<Record<string, DirectiveDoc>> {
  if (table === undefined) {
    const t: Record<string, DirectiveDoc> = Object.create(null);
    for (const row of ROWS) {
      const doc = JSON.parse(row) as DirectiveDoc;
      t[doc.name.toLowerCase()] = doc;
    }
    table = t;
  }
  return table;
}
`);
