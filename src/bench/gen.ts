// Generates the large configs of the performance reference
// (shared/apache-truth/perf.md) so that timings here compare with the numbers
// measured there: same line counts, same directives, same module set, and every
// file passes `apache2 -t` given a ServerRoot with run/ and logs/.
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";

export interface Generated {
  name: string;
  path: string;
  lines: number;
  bytes: number;
}

const MODULE_DIR = "/usr/lib/apache2/modules";
/** The modules every generated file loads: what its directives need, in load order. */
const MODULES = ["mpm_event", "authz_core", "proxy", "proxy_http", "proxy_wstunnel", "rewrite", "headers"];

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
function virtualHost(i: number): string[] {
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
function writeFile(path: string, head: string[], count: number, block: (i: number) => string[]): { lines: number; bytes: number } {
  const fd = openSync(path, "w");
  let lines = head.length;
  let bytes = 0;
  const flush = (ls: string[]) => {
    const chunk = ls.join("\n") + "\n";
    bytes += Buffer.byteLength(chunk);
    writeSync(fd, chunk);
  };
  try {
    flush(head);
    let pending: string[] = [];
    for (let i = 0; i < count; i++) {
      const b = block(i);
      lines += b.length;
      pending.push(...b);
      if (pending.length >= 20_000) {
        flush(pending);
        pending = [];
      }
    }
    if (pending.length) flush(pending);
  } finally {
    closeSync(fd);
  }
  return { lines, bytes };
}

export const SHAPES = {
  "flat-1m": () => ({
    head: prologue("perf: ~1,000,000 lines of directives in one file, main server context"),
    count: 100_000,
    block: flatBlock,
  }),
  "vhosts-1000": () => ({ head: prologue("perf: 1000 VirtualHosts x 17 directives"), count: 1000, block: virtualHost }),
  "vhosts-10000": () => ({ head: prologue("perf: 10000 VirtualHosts x 17 directives"), count: 10_000, block: virtualHost }),
  "vhosts-50000": () => ({ head: prologue("perf: 50000 VirtualHosts x 17 directives"), count: 50_000, block: virtualHost }),
} as const;

export type ShapeName = keyof typeof SHAPES;

export function generate(dir: string, names: readonly ShapeName[]): Generated[] {
  mkdirSync(dir, { recursive: true });
  return names.map((name) => {
    const { head, count, block } = SHAPES[name]();
    const path = join(dir, `${name}.conf`);
    return { name, path, ...writeFile(path, head, count, block) };
  });
}
