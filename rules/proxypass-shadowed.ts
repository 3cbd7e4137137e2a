// mod_proxy checks ProxyPass and ProxyPassMatch mappings in configuration
// order and the first match wins, so a mapping that an earlier one already
// covers is dead. A virtual host checks the main server's mappings before its
// own (ProxyPassInherit, on by default): measured on 2.4.71.
//
// The <Location> form works the other way round. Core merges every <Location>
// and <LocationMatch> that matches a request, in the order they appear, and a
// later section's ProxyPass replaces an earlier one's (mod_proxy's dir merge:
// the alias of the section that set one last). So a general section after a
// specific one takes its requests: measured on 2.4.71 (test/apache/location-order.test.ts),
// `<Location /app/socket>` (ws://) before `<Location /app>` (http://) answers
// the WebSocket with 200, and the other order with 101.
import type { Argument, ConfigFile, Directive, Parent, Section } from "../grammar/index.js";
import { ConditionVerdicts, CONDITIONS_FACT } from "../src/apache/conditions.js";
import { defineTable, readVerdict, type DefineTable, type ReadVerdict } from "../src/apache/defines.js";
import { backends, type BackendRef } from "../src/apache/proxy.js";
import { attachedCommentsStartRow, scopeOf } from "../src/apache/scope.js";
import { moveLines } from "../src/core/edits.js";
import { defineRule, type Fix, type Report, type RuleContext } from "../src/core/rule.js";

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
  /** the path with its `${NAME}` replaced (as written when it has none) */
  resolved: string;
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

/** The text of the line at `row` with its variables replaced, or null when one has no known value. */
type Resolve = (text: string, row: number) => string | null;

function mappingOf(d: Directive, ref: BackendRef | null, resolve: Resolve): Mapping | null {
  if (!ref || !ref.path || (ref.kind !== "proxypass" && ref.kind !== "proxypassmatch")) return null;
  const exclusion = ref.url.value === "!";
  const value = resolve(ref.path.value, d.row);
  if (value === null) return null;
  const base = { row: d.row, path: ref.path, resolved: value, exclusion };
  if (ref.kind === "proxypassmatch") {
    const prefix = regexPrefix(value);
    return { ...base, matcher: prefix === null ? null : { kind: "string", prefix }, key: `re:${value}` };
  }
  if (!value.startsWith("/")) return null;
  // mod_proxy's alias_match lets any run of slashes match one
  const norm = value.includes("//") ? value.replace(/\/+/g, "/") : value;
  return { ...base, matcher: { kind: "segment", prefix: norm }, key: `pp:${norm}` };
}

// ------------------------------------------------------------ the <Location> form

/** A <Location> or <LocationMatch> holding a ProxyPass (or ProxyPassMatch), which gives it its path. */
interface LocationMapping {
  section: Section;
  /** the path or regex argument of the open tag */
  path: Argument;
  resolved: string;
  /** null: a pattern this rule cannot reason about */
  matcher: Matcher | null;
  key: string;
  /** its last ProxyPass that Apache certainly reads: the one that wins when the section does */
  certain: Directive | null;
  /** its last ProxyPass that Apache may read */
  any: Directive;
}

// fnmatch characters: core matches such a path as a pattern (and /app/* does not match /app/x/y)
const LOCATION_WILDCARD = /[*?[\\]/;

/** What requests a <Location>/<LocationMatch> open tag matches, as core's location walk does; null matcher when not certain. */
function locationMatcher(s: Section, resolve: Resolve): { path: Argument; resolved: string; matcher: Matcher | null; key: string } | null {
  const [first, second] = s.args;
  if (!first) return null;
  const regex = s.key === "locationmatch" ? first : first.value === "~" ? (second ?? null) : null;
  if (first.value === "~" && !regex) return null;
  if (regex === null && second) return null;
  const path = regex ?? first;
  const resolved = resolve(path.value, s.row);
  if (resolved === null) return null;
  if (regex) {
    const prefix = regexPrefix(resolved);
    return { path, resolved, matcher: prefix === null ? null : { kind: "string", prefix }, key: `re:${resolved}` };
  }
  // core compares the path as written with the request's slash-merged URI: a `//` in it is not judged
  const plain = resolved.startsWith("/") && !resolved.includes("//") && !LOCATION_WILDCARD.test(resolved);
  return { path, resolved, matcher: plain ? { kind: "segment", prefix: resolved } : null, key: `pp:${resolved}` };
}

/** `<Location /app>` as written, with what its variables stand for. */
function showSection(file: ConfigFile, m: LocationMapping): string {
  const tag = file.text.slice(m.section.open.start, m.section.open.end);
  return m.resolved === m.path.value ? tag : `${tag} (\`${m.resolved}\`)`;
}

const lineAt = (file: ConfigFile, offset: number) => file.position(offset).line;

/** `ProxyPass !` in a section: no path comes before the `!` */
const isExclusion = (d: Directive) => d.args[0]?.value === "!";

/** the directive as written, on one line */
const showDirective = (d: Directive) => d.text.replace(/\\\r?\n\s*/g, " ");

function locationMessage(file: ConfigFile, dead: LocationMapping, by: LocationMapping): string {
  const deadAt = `${showSection(file, dead)} (line ${lineAt(file, dead.section.start)})`;
  const byAt = `${showSection(file, by)} (line ${lineAt(file, by.section.start)})`;
  const winner = by.certain!;
  const order = "the last matching section's ProxyPass applies (Apache merges <Location> sections in the order they appear)";
  const deadLine = `\`${showDirective(dead.any)}\` (line ${lineAt(file, dead.any.start)})`;
  if (by.key === dead.key) return `${deadAt} repeats the path of ${byAt}, which comes later: ${order}, so ${deadLine} is dead.`;
  const outcome = isExclusion(winner) ? " and they are not proxied" : isExclusion(dead.any) ? " and they are still proxied" : "";
  return `${deadLine} in ${deadAt} never applies: ${byAt} comes later and matches all its requests, and ${order}, so \`${showDirective(winner)}\` wins${outcome}. Move ${showSection(file, dead)} below it.`;
}

/** Moves the dead section (with the comments directly above it) below the one that overrides it. */
function moveBelow(file: ConfigFile, parentRows: Int32Array, dead: LocationMapping, by: LocationMapping): Fix | undefined {
  const t = file.table;
  const deadClose = t.pair[dead.section.row]!;
  const byClose = t.pair[by.section.row]!;
  if (deadClose < 0 || byClose < 0 || parentRows[dead.section.row] !== parentRows[by.section.row]) return undefined;
  const from = attachedCommentsStartRow(file, parentRows, dead.section.row);
  return {
    safety: "unsafe",
    title: `Move ${showSection(file, dead)} below ${showSection(file, by)} (line ${lineAt(file, by.section.start)})`,
    edits: moveLines(file, from, t.to[deadClose]!, t.to[byClose]!),
  };
}

/** The <Location> sections of each server or virtual host whose ProxyPass a later section overrides. */
function locationReports(file: ConfigFile, parentRows: Int32Array, byScope: Map<Parent, LocationMapping[]>): Report[] {
  const out: Report[] = [];
  for (const list of byScope.values()) {
    list.sort((a, b) => a.section.row - b.section.row);
    const later = laterCovering(list);
    for (let i = 0; i < list.length; i++) {
      const dead = list[i]!;
      if (!dead.matcher) continue;
      // the last section that matches all of dead's requests is the one whose ProxyPass wins
      const by = later(i);
      if (!by) continue;
      const report: Report = {
        message: locationMessage(file, dead, by),
        start: dead.path.start,
        end: dead.path.end,
        related: [
          { start: by.section.open.start, end: by.section.open.end, message: `${showSection(file, by)} comes later and matches these requests too` },
          { start: by.certain!.start, end: by.certain!.end, message: "the ProxyPass that applies" },
        ],
      };
      if (by.key !== dead.key) {
        const fix = moveBelow(file, parentRows, dead, by);
        if (fix) report.fix = fix;
      }
      out.push(report);
    }
  }
  return out;
}

/**
 * For the i-th section of a scope, the last later one that matches all its
 * requests (its key, or a matcher that covers it). A section can only be
 * covered by one whose prefix starts its own, so candidates are looked up by
 * prefix instead of comparing every pair: 10,000 <Location>s in a file were
 * 50 million comparisons.
 */
function laterCovering(list: readonly LocationMapping[]): (i: number) => LocationMapping | undefined {
  const byPrefix = new Map<string, number[]>();
  const byKey = new Map<string, number[]>();
  const lengths = new Set<number>();
  for (let j = 0; j < list.length; j++) {
    const m = list[j]!;
    if (!m.certain || !m.matcher) continue;
    const p = m.matcher.prefix;
    (byPrefix.get(p) ?? byPrefix.set(p, []).get(p)!).push(j);
    (byKey.get(m.key) ?? byKey.set(m.key, []).get(m.key)!).push(j);
    lengths.add(p.length);
  }
  return (i) => {
    const dead = list[i]!;
    const prefix = dead.matcher!.prefix;
    let best = -1;
    const consider = (indices: readonly number[] | undefined, test: (j: number) => boolean) => {
      if (!indices) return;
      for (let k = indices.length - 1; k >= 0 && indices[k]! > Math.max(i, best); k--) {
        if (test(indices[k]!)) {
          best = indices[k]!;
          return;
        }
      }
    };
    consider(byKey.get(dead.key), () => true);
    for (const n of lengths) {
      if (n <= prefix.length) consider(byPrefix.get(prefix.slice(0, n)), (j) => covers(list[j]!.matcher!, dead.matcher!));
    }
    return best === -1 ? undefined : list[best];
  };
}

/** Replaces `${NAME}` with the values Define gave them (one shared table per lint). */
function resolver(ctx: RuleContext): Resolve {
  let table: DefineTable | undefined;
  return (text, row) => {
    if (!text.includes("${")) return text;
    table ??= defineTable(ctx.facts, { server: ctx.server });
    return table.expand(text, row)?.text ?? null;
  };
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
const show = (file: ConfigFile, m: Mapping) =>
  `${nameOf(file, m.row)} ${m.path.value}${m.resolved === m.path.value ? "" : ` (\`${m.resolved}\`)`}${m.exclusion ? " !" : ""}`;

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
  category: "correctness",
  description: "A ProxyPass that can never match: an earlier one covers its path, or a later <Location> overrides it",
  fixable: "unsafe",
  doc: {
    problem:
      "A ProxyPass (or ProxyPassMatch) mapping in a server context that an earlier mapping of the same context " +
      "already covers: `ProxyPass /` before `ProxyPass /ws/`, or the same path twice. Exclusions count like " +
      "mappings: `ProxyPass /api/ !` before `ProxyPass /` is the correct way to exclude, but after it the exclusion " +
      "never applies. A virtual host also checks the main server's mappings first (ProxyPassInherit). The " +
      "<Location> form is the other way round: a <Location> (or <LocationMatch>) whose ProxyPass a later section " +
      "of the same server or virtual host overrides, because the later one matches all its requests: " +
      "`<Location /app/socket>` (ws://) before `<Location /app>` (http://). ProxyPassMatch regexes and " +
      "<LocationMatch> patterns are understood when they are a literal prefix (`^/ws/(.*)$`) or match everything; " +
      "a `${NAME}` in a path counts with the value a Define before it gave it.",
    bad:
      "<VirtualHost *:80>\n    ProxyPass / http://127.0.0.1:3000/\n    ProxyPass /ws/ ws://127.0.0.1:3000/ws/\n</VirtualHost>\n" +
      "<VirtualHost *:81>\n    <Location /app/socket>\n        ProxyPass ws://127.0.0.1:3000/app/socket\n    </Location>\n" +
      "    <Location /app>\n        ProxyPass http://127.0.0.1:3000/app\n    </Location>\n</VirtualHost>",
    good:
      "<VirtualHost *:80>\n    ProxyPass /ws/ ws://127.0.0.1:3000/ws/\n    ProxyPass / http://127.0.0.1:3000/\n</VirtualHost>\n" +
      "<VirtualHost *:81>\n    <Location /app>\n        ProxyPass http://127.0.0.1:3000/app\n    </Location>\n" +
      "    <Location /app/socket>\n        ProxyPass ws://127.0.0.1:3000/app/socket\n    </Location>\n</VirtualHost>",
    why:
      "mod_proxy tries the mappings in order and the first match wins; nothing is logged. With `ProxyPass /` first, " +
      "a WebSocket request for `/ws/chat` goes to the http:// worker, its Upgrade header is dropped and the backend " +
      "answers 200: the client reports \"Unexpected server response: 200\" (case h1; h2 is the working order). With " +
      "the same path twice the first wins and the second is dead (case h3). Prefixes match on path-segment " +
      "boundaries: `ProxyPass /ws` covers `/ws/chat` but not `/wsfoo` (case j1), so it does not shadow " +
      "`ProxyPass /wsfoo`. Measured on 2.4.71: a main-server `ProxyPass /` captures a virtual host's `/ws/` requests. " +
      "<Location> sections are merged in the order they appear, and the last matching one that holds a ProxyPass " +
      "decides: with `<Location /app/socket>` (`ProxyPass ws://…`) before `<Location /app>` (`ProxyPass http://…`) " +
      "the WebSocket on /app/socket gets 200 from the http:// backend, in the other order 101; a later " +
      "`<Location /app>` holding `ProxyPass !` makes it a 404, one without a ProxyPass changes nothing. Location " +
      "paths also match on segment boundaries (`<Location /app>` matches /app/x, not /apple; `<Location /app/>` " +
      "does not match /app); a path with a wildcard (`/app/*`) is a pattern and is not judged. A main-server " +
      "<Location> overridden by a virtual host's is not reported (it still works for the other virtual hosts), " +
      "nor are sections a conditional may leave out: the overriding section and its ProxyPass must be read for " +
      "certain (a section known to be skipped is never counted; a dead one that may be skipped is still reported).",
    versions:
      "All Apache 2.4 versions (measured on 2.4.71). The main server's mappings are not counted for a virtual " +
      "host when ProxyPassInherit Off is in effect for it.",
    fix:
      "Unsafe: moves the dead line, with the comment lines directly above it, above the earliest mapping that covers " +
      "it (above that mapping's own comments), keeping its indentation. Offered only when both lines have the same " +
      "parent section, so the line never enters or leaves an <IfModule>. Unsafe because the requests it covers then " +
      "go to a different backend. A duplicate path and a mapping shadowed by the main server get no fix: keeping " +
      "either duplicate is the author's choice (or both become one `upgrade=websocket` mapping), and moving a line " +
      "between the main server and a virtual host changes every other virtual host. For the <Location> form, " +
      "moves the dead section, with the comment lines directly above it, below the section that overrides it, " +
      "when both have the same parent; the same path twice gets no fix.",
    cases: ["h1", "h2", "h3", "j1", "m03", "m28"],
  },
  create(ctx) {
    const { file, fileKind } = ctx;
    if (fileKind === "htaccess") return {};
    const refs = backends(ctx.facts);
    const resolve = resolver(ctx);
    const byScope = new Map<Parent, Mapping[]>();
    /** each scope's last ProxyPassInherit value (a line without one keeps the one before) */
    const inherit = new Map<Parent, string | null>();
    /** the <Location> form: sections by open row, then by the server or virtual host they are in */
    const locations = new Map<number, LocationMapping | null>();
    let read: ReadVerdict | undefined;
    const readAt = (row: number) => {
      if (!read) {
        const verdicts = ctx.facts.shared(CONDITIONS_FACT, (f) => new ConditionVerdicts(f, { server: ctx.server }));
        read = readVerdict(file, ctx.facts.parentRows, (r) => verdicts.verdictAt(r));
      }
      return read(row);
    };
    const inLocation = (d: Directive, section: Section) => {
      const verdict = readAt(d.row);
      if (verdict === false) return;
      let m = locations.get(section.row);
      if (m === null) return;
      if (m === undefined) {
        const match = locationMatcher(section, resolve);
        m = match ? { section, ...match, certain: null, any: d } : null;
        locations.set(section.row, m);
        if (!m) return;
      }
      m.any = d;
      if (verdict === true) m.certain = d;
    };
    const mapping = (d: Directive) => {
      const scope = scopeOf(d);
      if (scope.kind === "section" && (scope.key === "location" || scope.key === "locationmatch")) return inLocation(d, scope);
      const m = mappingOf(d, refs.of(d), resolve);
      if (!m) return;
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
            // two mappings that cover each other (`^/d/` and `/d/`) would only swap places, pass after pass
            if (by === local && by.key !== dead.key && parentRows[by.row] === parentRows[dead.row] && !shadows(dead, by)) {
              report.fix = moveAbove(file, parentRows, dead, by);
            }
            out.push(report);
          }
        }
        const locationScopes = new Map<Parent, LocationMapping[]>();
        for (const m of locations.values()) {
          if (!m) continue;
          const scope = scopeOf(m.section);
          if (scope.kind === "section" && scope.key !== "virtualhost") continue;
          const list = locationScopes.get(scope);
          if (list) list.push(m);
          else locationScopes.set(scope, [m]);
        }
        out.push(...locationReports(file, parentRows, locationScopes));
        out.sort((a, b) => a.start - b.start);
        for (const r of out) ctx.report(r);
      },
    };
  },
});
