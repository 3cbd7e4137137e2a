// mod_proxy checks ProxyPass and ProxyPassMatch mappings in configuration
// order and the first match wins, so a mapping that an earlier one already
// covers is dead. A virtual host checks the main server's mappings before its
// own (ProxyPassInherit, on by default): measured on 2.4.71.
import type { Argument, ConfigFile, Directive, Parent } from "../grammar/index.js";
import { backends, type BackendRef } from "../src/apache/proxy.js";
import { attachedCommentsStartRow, scopeOf } from "../src/apache/scope.js";
import { moveLines } from "../src/core/edits.js";
import { defineRule, type Fix, type Report } from "../src/core/rule.js";

/**
 * The requests a mapping matches, as a prefix:
 *  - "segment": ProxyPass. Matches `p` itself and what continues it after a `/`
 *    (`/ws` matches `/ws` and `/ws/chat`, not `/wsfoo`); a `p` ending in `/` matches what starts with `p`.
 *  - "string": a ProxyPassMatch regex of the form `^literal.*`: matches what starts with the literal.
 */
interface Matcher {
  kind: "segment" | "string";
  prefix: string;
}

interface Mapping {
  /** the row of its directive */
  row: number;
  path: Argument;
  exclusion: boolean;
  /** null for a regex this rule cannot reason about */
  matcher: Matcher | null;
  /** what makes two mappings duplicates */
  key: string;
}

// A regex tail that matches any rest of the URI.
const ANY_TAIL = /^(?:|\.\*|\(\.\*\)|\.\*\$|\(\.\*\)\$)$/;

/** `^/ws/(.*)$` → "/ws/"; null when the regex is more than a literal prefix. */
function regexPrefix(re: string): string | null {
  const anchored = re.startsWith("^");
  let i = anchored ? 1 : 0;
  let literal = "";
  while (i < re.length) {
    const c = re[i]!;
    if (c === "\\" && i + 1 < re.length && /[./\-~_]/.test(re[i + 1]!)) {
      literal += re[i + 1];
      i += 2;
    } else if (/[A-Za-z0-9/\-~_]/.test(c)) {
      literal += c;
      i++;
    } else break;
  }
  if (!ANY_TAIL.test(re.slice(i))) return null;
  // Unanchored, only "matches everything" is certain: every URI contains "/".
  if (!anchored) return literal === "" || literal === "/" ? "" : null;
  return literal;
}

function mappingOf(d: Directive, ref: BackendRef | null): Mapping | null {
  if (!ref || !ref.path || (ref.kind !== "proxypass" && ref.kind !== "proxypassmatch")) return null;
  const exclusion = ref.url.value === "!";
  const value = ref.path.value;
  if (ref.kind === "proxypassmatch") {
    const prefix = regexPrefix(value);
    return { row: d.row, path: ref.path, exclusion, matcher: prefix === null ? null : { kind: "string", prefix }, key: `re:${value}` };
  }
  if (!value.startsWith("/") || value.includes("${")) return null;
  // mod_proxy's alias_match lets any run of slashes match one
  const norm = value.includes("//") ? value.replace(/\/+/g, "/") : value;
  return { row: d.row, path: ref.path, exclusion, matcher: { kind: "segment", prefix: norm }, key: `pp:${norm}` };
}

/** Does every request `b` matches also match `a`? Each of b's requests starts with b.prefix, and b.prefix itself is one. */
function covers(a: Matcher, b: Matcher): boolean {
  if (a.kind === "string" || a.prefix.endsWith("/")) return b.prefix.startsWith(a.prefix);
  // a = "/ws": matches "/ws" and "/ws/…" only, so b must stay inside those
  if (b.kind === "segment" && b.prefix === a.prefix) return true;
  return b.prefix.startsWith(`${a.prefix}/`);
}

/** Does `a`, placed earlier, take every request of `b`? */
function shadows(a: Mapping, b: Mapping): boolean {
  return a.key === b.key || (a.matcher !== null && b.matcher !== null && covers(a.matcher, b.matcher));
}

/** ProxyPassInherit in effect for a virtual host: its own last value, else the main server's, else on. */
function inherits(own: string | null | undefined, mainSetting: string | null | undefined): boolean {
  return (own ?? mainSetting ?? "on") !== "off";
}

const lineOf = (file: ConfigFile, m: Mapping) => file.position(file.table.start[m.row]!).line;
/** the directive's name as written */
const nameOf = (file: ConfigFile, row: number) => file.text.slice(file.table.start[row], file.table.nameEnd[row]);
const show = (file: ConfigFile, m: Mapping) => `${nameOf(file, m.row)} ${m.path.value}${m.exclusion ? " !" : ""}`;

/** Moves `later` (and the comments directly above it) above `earlier` (and its comments). */
function moveAbove(file: ConfigFile, parentRows: Int32Array, later: Mapping, earlier: Mapping): Fix {
  const t = file.table;
  const from = attachedCommentsStartRow(file, parentRows, later.row);
  const at = attachedCommentsStartRow(file, parentRows, earlier.row);
  return {
    safety: "unsafe",
    // a mapping's path is its directive's first word
    title: `Move \`${nameOf(file, later.row)} ${later.path.raw}\` above line ${lineOf(file, earlier)}`,
    edits: moveLines(file, from, t.to[later.row]!, at),
  };
}

function message(file: ConfigFile, dead: Mapping, by: Mapping, inherited: boolean): string {
  const at = `line ${lineOf(file, by)}`;
  if (by.key === dead.key && !inherited) {
    return `${show(file, dead)} repeats the path of ${at}: Apache uses the first mapping for a path, so this one is dead.`;
  }
  const first = inherited
    ? `the main server's ${show(file, by)} (${at}) covers it and is checked before this virtual host's own mappings (ProxyPassInherit)`
    : `${show(file, by)} (${at}) comes first and covers it`;
  if (dead.exclusion) return `${show(file, dead)} never applies: ${first}, so \`${dead.path.value}\` is still ${by.exclusion ? "excluded by it" : "proxied"}.`;
  return `${show(file, dead)} can never match: ${first}${inherited ? "" : " (Apache uses the first match)"}.`;
}

export default defineRule({
  id: "proxypass-shadowed",
  severity: "error",
  description: "A ProxyPass that can never match because an earlier one covers its path",
  fixable: "unsafe",
  doc: {
    problem:
      "A ProxyPass (or ProxyPassMatch) mapping in a server context that an earlier mapping of the same context " +
      "already covers: `ProxyPass /` before `ProxyPass /ws/`, or the same path twice. Exclusions count like " +
      "mappings: `ProxyPass /api/ !` before `ProxyPass /` is the correct way to exclude, but after it the exclusion " +
      "never applies. A virtual host also checks the main server's mappings first (ProxyPassInherit). ProxyPass " +
      "inside <Location> has no path of its own and is not concerned. ProxyPassMatch regexes are understood when " +
      "they are a literal prefix (`^/ws/(.*)$`) or match everything.",
    bad: "<VirtualHost *:80>\n    ProxyPass / http://127.0.0.1:3000/\n    ProxyPass /ws/ ws://127.0.0.1:3000/ws/\n</VirtualHost>",
    good: "<VirtualHost *:80>\n    ProxyPass /ws/ ws://127.0.0.1:3000/ws/\n    ProxyPass / http://127.0.0.1:3000/\n</VirtualHost>",
    why:
      "mod_proxy tries the mappings in order and the first match wins; nothing is logged. With `ProxyPass /` first, " +
      "a WebSocket request for `/ws/chat` goes to the http:// worker, its Upgrade header is dropped and the backend " +
      "answers 200: the client reports \"Unexpected server response: 200\" (case h1; h2 is the working order). With " +
      "the same path twice the first wins and the second is dead (case h3). Prefixes match on path-segment " +
      "boundaries: `ProxyPass /ws` covers `/ws/chat` but not `/wsfoo` (case j1), so it does not shadow " +
      "`ProxyPass /wsfoo`. Measured on 2.4.71: a main-server `ProxyPass /` captures a virtual host's `/ws/` requests.",
    versions:
      "All Apache 2.4 versions (measured on 2.4.71). The main server's mappings are not counted for a virtual " +
      "host when ProxyPassInherit Off is in effect for it.",
    fix:
      "Unsafe: moves the dead line, with the comment lines directly above it, above the earliest mapping that covers " +
      "it (above that mapping's own comments), keeping its indentation. Offered only when both lines have the same " +
      "parent section, so the line never enters or leaves an <IfModule>. Unsafe because the requests it covers then " +
      "go to a different backend. A duplicate path and a mapping shadowed by the main server get no fix: keeping " +
      "either duplicate is the author's choice (or both become one `upgrade=websocket` mapping), and moving a line " +
      "between the main server and a virtual host changes every other virtual host.",
    cases: ["h1", "h2", "h3", "j1", "m03", "m28"],
  },
  create(ctx) {
    const { file, fileKind } = ctx;
    if (fileKind === "htaccess") return {};
    const refs = backends(ctx.facts);
    const byScope = new Map<Parent, Mapping[]>();
    /** each scope's last ProxyPassInherit value (a line without one keeps the one before) */
    const inherit = new Map<Parent, string | null>();
    const mapping = (d: Directive) => {
      const m = mappingOf(d, refs.of(d));
      if (!m) return;
      const scope = scopeOf(d);
      if (scope.kind === "section" && scope.key !== "virtualhost") return;
      const list = byScope.get(scope);
      if (list) list.push(m);
      else byScope.set(scope, [m]);
    };
    return {
      directive: {
        proxypass: mapping,
        proxypassmatch: mapping,
        proxypassinherit(d) {
          const scope = scopeOf(d);
          const v = d.args[0]?.value.toLowerCase() ?? inherit.get(scope) ?? null;
          inherit.set(scope, v);
        },
      },
      end() {
        const parentRows = ctx.facts.parentRows;
        const main = byScope.get(file) ?? [];
        const mainSetting = inherit.get(file);
        const out: Report[] = [];
        for (const [scope, mappings] of byScope) {
          const inherited = scope !== file && inherits(inherit.get(scope), mainSetting) ? main : [];
          for (let i = 0; i < mappings.length; i++) {
            const dead = mappings[i]!;
            let fromMain: Mapping | undefined;
            for (const e of inherited) {
              if (shadows(e, dead)) {
                fromMain = e;
                break;
              }
            }
            let local: Mapping | undefined;
            if (!fromMain) {
              for (let j = 0; j < i; j++) {
                if (shadows(mappings[j]!, dead)) {
                  local = mappings[j]!;
                  break;
                }
              }
            }
            const by = fromMain ?? local;
            if (!by) continue;
            const report: Report = {
              message: message(file, dead, by, by === fromMain),
              start: dead.path.start,
              end: dead.path.end,
              related: [{ start: file.table.start[by.row]!, end: file.table.end[by.row]!, message: `${show(file, by)} matches first` }],
            };
            if (by === local && by.key !== dead.key && parentRows[by.row] === parentRows[dead.row]) {
              report.fix = moveAbove(file, parentRows, dead, by);
            }
            out.push(report);
          }
        }
        out.sort((a, b) => a.start - b.start);
        for (const r of out) ctx.report(r);
      },
    };
  },
});
