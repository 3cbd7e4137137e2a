// Generates the configs the benchmark measures. The large ones follow the
// performance reference (shared/apache-truth/perf.md) so that timings here
// compare with the numbers measured there: same line counts, same directives,
// same module set. Every generated config passes `apache2 -t` given a private
// ServerRoot with run/ and logs/ (test/bench-gen.test.ts checks it).
//
// Shapes are named KIND-COUNT (COUNT may end in k or m: 10k = 10,000):
//   vhosts-N  one file: the prologue, then N virtual hosts of 21 lines     18 + 21·N lines
//   tree-N    a main config that IncludeOptional's a directory of N files,
//             each one 20-line virtual host                               19 + 20·N lines in N + 1 files
//   fix-N     one file of N virtual hosts of 10 lines, each with fixable
//             findings (trailing-slash mismatch, a RewriteRule ws:// dance) 18 + 10·N lines
//   flat-N    one file of about N lines: N/10 blocks of 10 lines in the
//             main server context (flat-1m = 1,000,018 lines)            18 + 10·⌈N/10⌉ lines
//   vhost-1   one ordinary 20-line virtual-host file, as in sites-available;
//             Apache checks it through a wrapper that loads the modules   20 lines
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";

export type ShapeKind = "vhosts" | "tree" | "fix" | "flat" | "vhost";

export interface ShapeSpec {
  /** the name as given, e.g. vhosts-10000 */
  name: string;
  kind: ShapeKind;
  /** vhosts, files, or blocks of 10 lines (flat) */
  count: number;
  /** lines in all its files, as the formula above states */
  statedLines: number;
  /** files the lint reads */
  statedFiles: number;
  description: string;
}

export interface Generated extends ShapeSpec {
  /** the file a tool is given: the only file, or the tree's main config */
  path: string;
  /** the file to give `apache2 -t` (the same, except for vhost-1: a wrapper that Includes it) */
  apacheConf: string;
  /** lines and bytes written, over every file */
  lines: number;
  bytes: number;
  files: number;
}

const MODULE_DIR = "/usr/lib/apache2/modules";
/** The modules every generated file loads: what its directives need, in load order. */
const MODULES = ["mpm_event", "authz_core", "proxy", "proxy_http", "proxy_wstunnel", "rewrite", "headers"];
const PROLOGUE_LINES = 18;

/** The 18 lines every file starts with: the case skeleton plus the modules. */
function prologue(title: string): string[] {
  return [
    `# ${title}`,
    "ServerName localhost",
    "Listen 127.0.0.1:18090",
    "PidFile run/perf.pid",
    "DefaultRuntimeDir run",
    "ErrorLog logs/perf-error.log",
    "LogLevel warn",
    "User www-data",
    "Group www-data",
    ...MODULES.map((m) => `LoadModule ${m}_module ${MODULE_DIR}/mod_${m}.so`),
    "RewriteEngine On",
    "",
  ];
}

/** 21 lines: a vhost with 17 directives and a nested <Location>, then a blank line. */
export function virtualHost(i: number): string[] {
  // 1,000 distinct backends: Apache creates one worker per distinct URL
  const backend = `127.0.0.1:${20000 + (i % 1000)}`;
  const site = `site${i}.example.test`;
  const body = [
    `ServerName ${site}`,
    `ServerAlias www.${site}`,
    `ServerAdmin webmaster@${site}`,
    "LogLevel warn",
    "ProxyPreserveHost On",
    "ProxyRequests Off",
    "RewriteEngine On",
    "RewriteCond %{HTTP:Upgrade} websocket [NC]",
    "RewriteCond %{HTTP:Connection} upgrade [NC]",
    `RewriteRule ^/?(.*) "ws://${backend}/$1" [P,L]`,
    `ProxyPass /ws/ ws://${backend}/ws/`,
    `ProxyPass / http://${backend}/`,
    `ProxyPassReverse / http://${backend}/`,
    'RequestHeader set X-Forwarded-Proto "http"',
    `Header always set X-Site "site${i}"`,
    "<Location /ws/>",
    "    Require all granted",
    "</Location>",
  ];
  return ["<VirtualHost *:18090>", ...body.map((l) => `    ${l}`), "</VirtualHost>", ""];
}

/**
 * 10 lines: a vhost in which `--fix --unsafe-fixes` changes something.
 * proxypass-trailing-slash fixes both `/app` lines (the URL's trailing slash);
 * websocket-prefer-upgrade-param replaces the two conditions and the rule by
 * `ProxyPass /ws/ http://…/ws/ upgrade=websocket`, for which
 * proxypass-reverse-missing then adds its ProxyPassReverse.
 */
export function fixableVirtualHost(i: number): string[] {
  const backend = `127.0.0.1:${20000 + (i % 1000)}`;
  const body = [
    `ServerName fix${i}.example.test`,
    "RewriteEngine On",
    "RewriteCond %{HTTP:Upgrade} websocket [NC]",
    "RewriteCond %{HTTP:Connection} upgrade [NC]",
    `RewriteRule ^/ws/(.*) ws://${backend}/ws/$1 [P,L]`,
    `ProxyPass /app http://${backend}/app/`,
    `ProxyPassReverse /app http://${backend}/app/`,
  ];
  return ["<VirtualHost *:18090>", ...body.map((l) => `    ${l}`), "</VirtualHost>", ""];
}

/** 10 lines in the main server context: a comment, a <Location> block and five directives. */
function flatBlock(i: number): string[] {
  const backend = "http://127.0.0.1:13001";
  return [
    `# block ${i}`,
    `<Location /loc${i}/>`,
    "    Require all granted",
    `    ProxyPass ${backend}/`,
    "</Location>",
    "RewriteCond %{HTTP:Upgrade} websocket [NC]",
    `RewriteRule ^/r${i}/(.*) ws://127.0.0.1:13001/r${i}/$1 [P,L]`,
    `Header always set X-Block-${i} "v${i}"`,
    `RequestHeader set X-Req-${i} "v${i}"`,
    `ProxyPassReverse /loc${i}/ ${backend}/`,
  ];
}

/** Writes head + count blocks, buffering a few thousand lines per write. */
function writeFile(path: string, head: readonly string[], count: number, block: (i: number) => string[]): { lines: number; bytes: number } {
  const fd = openSync(path, "w");
  let lines = 0;
  let bytes = 0;
  const flush = (ls: readonly string[]) => {
    if (ls.length === 0) return;
    const chunk = ls.join("\n") + "\n";
    lines += ls.length;
    bytes += Buffer.byteLength(chunk);
    writeSync(fd, chunk);
  };
  try {
    flush(head);
    let pending: string[] = [];
    for (let i = 0; i < count; i++) {
      pending.push(...block(i));
      if (pending.length >= 20_000) {
        flush(pending);
        pending = [];
      }
    }
    flush(pending);
  } finally {
    closeSync(fd);
  }
  return { lines, bytes };
}

/** The shapes `npm run bench` measures by default, in the order it measures them. */
export const DEFAULT_SHAPES = ["vhost-1", "vhosts-1000", "vhosts-10000", "vhosts-50000", "tree-10000", "flat-1m", "fix-130000"] as const;

const fmt = (n: number) => n.toLocaleString("en-US");

/** Parses a shape name (see the top of this file); throws on an unknown one. */
export function shapeSpec(name: string): ShapeSpec {
  const m = /^(vhosts|tree|fix|flat|vhost)-(\d+)([km]?)$/.exec(name);
  const count0 = m ? Number(m[2]) * (m[3] === "k" ? 1000 : m[3] === "m" ? 1_000_000 : 1) : 0;
  if (!m || count0 < 1 || (m[1] === "vhost" && count0 !== 1)) {
    throw new Error(`unknown file ${name}; known: vhost-1, vhosts-N, tree-N, fix-N, flat-N (N may end in k or m), e.g. ${DEFAULT_SHAPES.join(", ")}`);
  }
  const kind = m[1] as ShapeKind;
  switch (kind) {
    case "vhosts":
      return { name, kind, count: count0, statedLines: PROLOGUE_LINES + 21 * count0, statedFiles: 1, description: `${fmt(count0)} VirtualHosts × 17 directives in one file` };
    case "tree":
      return {
        name,
        kind,
        count: count0,
        statedLines: PROLOGUE_LINES + 1 + 20 * count0,
        statedFiles: count0 + 1,
        description: `a main config that IncludeOptional's ${fmt(count0)} files of one VirtualHost each`,
      };
    case "fix":
      return { name, kind, count: count0, statedLines: PROLOGUE_LINES + 10 * count0, statedFiles: 1, description: `${fmt(count0)} VirtualHosts, each with 4 fixable findings` };
    case "flat": {
      const blocks = Math.ceil(count0 / 10);
      return { name, kind, count: blocks, statedLines: PROLOGUE_LINES + 10 * blocks, statedFiles: 1, description: `${fmt(blocks)} blocks of 10 lines in the main server context` };
    }
    case "vhost":
      return { name, kind, count: 1, statedLines: 20, statedFiles: 1, description: "one ordinary 20-line VirtualHost file" };
  }
}

/** Generates one shape under `dir`; a tree gets its own directory. */
export function generateOne(dir: string, name: string): Generated {
  const spec = shapeSpec(name);
  mkdirSync(dir, { recursive: true });
  const single = (head: string[], block: (i: number) => string[]): Generated => {
    const path = join(dir, `${name}.conf`);
    const w = writeFile(path, head, spec.count, block);
    return { ...spec, path, apacheConf: path, ...w, files: 1 };
  };
  switch (spec.kind) {
    case "vhosts":
      return single(prologue(`perf: ${spec.count} VirtualHosts x 17 directives`), virtualHost);
    case "fix":
      return single(prologue(`perf: ${spec.count} VirtualHosts with fixable findings`), fixableVirtualHost);
    case "flat":
      return single(prologue(`perf: ~${fmt(spec.statedLines)} lines of directives in one file, main server context`), flatBlock);
    case "vhost": {
      const path = join(dir, `${name}.conf`);
      const w = writeFile(path, [], 1, (i) => virtualHost(i).slice(0, -1));
      // Apache cannot check a lone vhost file: the wrapper gives it the modules
      const apacheConf = join(dir, `${name}.apache.conf`);
      writeFile(apacheConf, [...prologue("perf: wrapper that Includes one vhost file"), `Include ${path}`], 0, () => []);
      return { ...spec, path, apacheConf, ...w, files: 1 };
    }
    case "tree": {
      const root = join(dir, name);
      const sites = join(root, "sites-enabled");
      rmSync(root, { recursive: true, force: true });
      mkdirSync(sites, { recursive: true });
      const path = join(root, "apache2.conf");
      // absolute, so that apache2 -t -d <any ServerRoot> and the CLI without --server-root both follow it
      const main = writeFile(path, [...prologue(`perf: ${spec.count} VirtualHosts in ${spec.count} included files`), `IncludeOptional ${sites}/*.conf`], 0, () => []);
      let lines = main.lines;
      let bytes = main.bytes;
      const width = String(spec.count - 1).length;
      for (let i = 0; i < spec.count; i++) {
        const w = writeFile(join(sites, `site${String(i).padStart(width, "0")}.conf`), [], 1, () => virtualHost(i).slice(0, -1));
        lines += w.lines;
        bytes += w.bytes;
      }
      return { ...spec, path, apacheConf: path, lines, bytes, files: spec.count + 1 };
    }
  }
}

export function generate(dir: string, names: readonly string[]): Generated[] {
  return names.map((name) => generateOne(dir, name));
}
