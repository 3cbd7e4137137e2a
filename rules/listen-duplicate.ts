// Two Listen lines for the same address stop Apache: `apache2 -t` refuses the
// second ("Cannot define multiple Listeners on the same IP:port"). A wildcard
// and a specific address on one port pass -t but fail when the sockets are
// bound (AH00072, "Address already in use"), measured on Linux.
import type { Directive, Section } from "../grammar/index.js";
import { defineRule, type Fix, type Report } from "../src/core/rule.js";

interface Listener {
  directive: Directive;
  /** the host as Apache compares it (a string compare in listen.c), or null for "all addresses" */
  host: string | null;
  port: number;
  protocol: string | null;
  /** the conditional sections around it: it takes effect only when all of them do */
  conditions: string[];
}

/**
 * `80`, `*:80`, `1.2.3.4:80`, `[::1]:80`, `host:80`, as apr_parse_addr_port
 * reads them: the port is a decimal number (`080` is 80), `*` means no host.
 */
export function parseListen(value: string): { host: string | null; port: number } | null {
  let host: string | null;
  let port: string;
  const v6 = /^\[([^\]]+)\]:(\d+)$/.exec(value);
  if (v6) [host, port] = [v6[1]!, v6[2]!];
  else if (/^\d+$/.test(value)) [host, port] = [null, value];
  else {
    const m = /^([^:[\]]+):(\d+)$/.exec(value);
    if (!m) return null;
    [host, port] = [m[1]!, m[2]!];
  }
  const n = Number(port);
  if (n < 1 || n > 65535) return null;
  return { host: host === "*" ? null : host, port: n };
}

const conditionOf = (s: Section) => `<${s.key} ${s.args.map((a) => a.value).join(" ")}>`.toLowerCase();

function listenerOf(d: Directive): Listener | null {
  const [addr, proto] = d.args;
  const parsed = addr && parseListen(addr.value);
  if (!parsed) return null;
  const conditions: string[] = [];
  for (let p = d.parent; p.kind === "section"; p = p.parent) conditions.push(conditionOf(p));
  return { directive: d, ...parsed, protocol: proto?.value.toLowerCase() ?? null, conditions };
}

/** Whenever `later` takes effect, so does `earlier`: its conditions are a subset. */
const coveredBy = (later: Listener, earlier: Listener) => earlier.conditions.every((c) => later.conditions.includes(c));

const isIPv4 = (h: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(h);

/**
 * A wildcard and a specific address on one port: the second bind fails
 * (measured on Linux, 2.4.71). A port alone, `*` and `[::]` bind [::]
 * dual-stack, which takes every address but coexists with `0.0.0.0`;
 * `0.0.0.0` takes every IPv4 address.
 */
function overlaps(a: Listener, b: Listener): boolean {
  if (a.port !== b.port || a.host === b.host) return false;
  for (const [w, other] of [[a.host, b.host], [b.host, a.host]] as const) {
    if ((w === null || w === "::") && other !== "0.0.0.0") return true;
    if (w === "0.0.0.0" && other !== null && isIPv4(other)) return true;
  }
  return false;
}

const show = (l: Listener) => `Listen ${l.directive.args.map((a) => a.raw).join(" ")}`;
const lineOf = (l: Listener) => l.directive.file.position(l.directive.start).line;

function deleteLine(l: Listener, identical: boolean): Fix {
  const d = l.directive;
  return {
    safety: identical ? "safe" : "unsafe",
    title: `Remove the repeated \`${show(l)}\``,
    edits: [{ start: d.from, end: d.to, text: "" }],
  };
}

export default defineRule({
  id: "listen-duplicate",
  severity: "error",
  category: "correctness",
  severities: ["error", "warning"],
  description: "The same `Listen` address twice, which stops Apache from starting",
  fixable: "unsafe",
  doc: {
    problem:
      "Two `Listen` directives name the same address and port. Apache compares them as it parsed them: `80`, `*:80` " +
      "and `080` are one listener, `127.0.0.1:80 https` and `127.0.0.1:80` too (the protocol does not count), but " +
      "`80` and `0.0.0.0:80`, or `[::1]:80` and `[0:0::1]:80`, are different strings and pass `apache2 -t`. Lines " +
      "in different conditional sections are compared only when the later one cannot take effect without the earlier " +
      "one (Debian's ports.conf has `Listen 443` under both `<IfModule ssl_module>` and `<IfModule mod_gnutls.c>`, " +
      "which is fine). A wildcard and a specific address on the same port (`Listen 80` and `Listen 127.0.0.1:80`) " +
      "are reported as a warning: `-t` accepts them, but the server does not start.",
    bad: "Listen 127.0.0.1:18080\nServerName localhost\nListen 127.0.0.1:18080",
    good: "Listen 127.0.0.1:18080\nServerName localhost",
    why:
      "`apache2 -t` refuses the second line with `Cannot define multiple Listeners on the same IP:port` (case m26), " +
      "typically after a vhost file or a ports.conf copy adds the `Listen` that httpd.conf already has. For a wildcard " +
      "plus a specific address, `-t` says Syntax OK and `apache2 -k start` fails with `AH00072: make_sock: could not " +
      "bind to address 127.0.0.1:80` / `no listening sockets available, shutting down` (measured on Linux with " +
      "2.4.71; `Listen 80` binds [::] dual-stack, so it also collides with `Listen [::1]:80`, while `Listen 80` " +
      "with `Listen 0.0.0.0:80`, and `[::]:80` with `0.0.0.0:80`, do start).",
    versions: "All 2.4 releases (measured on 2.4.71).",
    fix:
      "Deletes the repeated line. Safe when it is identical to the first one (same address and protocol): the " +
      "listener stays. Unsafe when the protocols differ, because the protocol of the line that is removed is lost. " +
      "No fix for a wildcard and a specific address: which one to keep is the author's choice.",
    cases: ["m26"],
  },
  create({ fileKind, report }) {
    if (fileKind === "htaccess") return {};
    const seen: Listener[] = [];
    return {
      directive: {
        listen(d) {
          const l = listenerOf(d);
          if (!l) return;
          const same = seen.find((e) => e.port === l.port && e.host === l.host && coveredBy(l, e));
          if (same) {
            report({
              message:
                `${show(l)} repeats ${show(same)} (line ${lineOf(same)}): Apache refuses to start ` +
                `("Cannot define multiple Listeners on the same IP:port").`,
              start: d.start,
              end: d.end,
              related: [{ start: same.directive.start, end: same.directive.end, message: "first Listen for this address" }],
              fix: deleteLine(l, same.protocol === l.protocol),
            });
          } else {
            const other = seen.find((e) => overlaps(e, l) && coveredBy(l, e));
            if (other) {
              report({
                message:
                  `${show(l)} and ${show(other)} (line ${lineOf(other)}) both take port ${l.port}: \`apache2 -t\` accepts them, ` +
                  `but the server does not start (AH00072 "could not bind to address": Address already in use).`,
                severity: "warning",
                start: d.start,
                end: d.end,
                related: [{ start: other.directive.start, end: other.directive.end, message: "the other Listen on this port" }],
              });
            }
          }
          seen.push(l);
        },
      },
    };
  },
});
