// Where Apache lets a directive stand: the command table's class (server
// config and <VirtualHost>, or inside <Directory>/<Location>/<Files>/<Proxy>/<If>,
// or both; and which .htaccess files), plus what handlers refuse on top
// (ProxyPass in <Directory>, Listen in <VirtualHost>). The data is generated
// from apache2 itself (src/data/directive-contexts.ts); the forms a handler
// accepts in one section and not another (`Alias /tmp` only inside <Location>)
// are in src/apache/argument-contexts.ts.
import type { ConfigFile, Directive, Section } from "../grammar/index.js";
import { DIRECTIVE, OPEN } from "../grammar/line-table.js";
import { DIRECTIVE_CONTEXTS, type DirectiveContext, type SectionKind } from "../src/data/directive-contexts.js";
import { proxyArgs } from "../src/apache/proxy-params.js";
import { ARGUMENT_CONTEXTS, argumentRefusal, handlerWords, placeIn, sectionPath } from "../src/apache/argument-contexts.js";
import { ConditionVerdicts, CONDITIONS_FACT } from "../src/apache/conditions.js";
import { CONDITIONAL_SECTIONS, PATH_SECTIONS, SECTION_KINDS as KIND } from "../src/apache/scope.js";
import type { FileFacts } from "../src/core/facts.js";
import { defineRule, type Fix, type Report } from "../src/core/rule.js";


type Item = Directive | Section;

const nameOf = (n: Item) => (n.kind === "section" ? `<${n.name}>` : n.name);
/** The name Apache's "not allowed" messages use: a section without its `>`. */
const commandOf = (n: Item) => (n.kind === "section" ? `<${n.name}` : n.name);
const rangeOf = (n: Item) => (n.kind === "section" ? { start: n.open.start, end: n.open.end } : { start: n.start, end: n.end });

interface TopLevel {
  notDirectory: boolean;
  mainServer: boolean;
}

/** The context table's entry per name id of the file, looked up once per name (directives and sections apart). */
class Infos {
  private readonly directives: (DirectiveContext | null | undefined)[] = [];
  private readonly sections: (DirectiveContext | null | undefined)[] = [];
  constructor(private readonly file: ConfigFile) {}
  directive(id: number): DirectiveContext | undefined {
    let v = this.directives[id];
    if (v === undefined) this.directives[id] = v = DIRECTIVE_CONTEXTS[this.file.table.names[id]!] ?? null;
    return v ?? undefined;
  }
  section(id: number): DirectiveContext | undefined {
    let v = this.sections[id];
    if (v === undefined) this.sections[id] = v = DIRECTIVE_CONTEXTS[`<${this.file.table.names[id]!}`] ?? null;
    return v ?? undefined;
  }
}

/**
 * What the top level of a server file is. A file may be Included inside any
 * section, so its top level is only known from what it holds: something Apache
 * refuses inside <Directory> & co. proves "server config or <VirtualHost>";
 * a <VirtualHost> or something refused inside one proves "the main server".
 * The top level is the file's own lines and those of conditional sections
 * there (read from the line table's rows and parents).
 */
function topLevelOf(file: ConfigFile, facts: FileFacts, infos: Infos): TopLevel {
  let notDirectory = false;
  let mainServer = false;
  const t = file.table;
  const parent = facts.parentRows;
  // open rows of conditional sections that stand at the top level
  const topConditional = new Set<number>();
  for (let r = 0; r < t.count && !mainServer; r++) {
    const kind = t.kind[r];
    if (kind !== DIRECTIVE && kind !== OPEN) continue;
    const p = parent[r]!;
    if (p >= 0 && !topConditional.has(p)) continue;
    const id = t.key[r]!;
    if (kind === OPEN && CONDITIONAL_SECTIONS.has(t.names[id]!)) topConditional.add(r);
    const info = kind === OPEN ? infos.section(id) : infos.directive(id);
    if (!info) continue;
    if (info.where === "server" && !info.alsoIn?.length) notDirectory = true;
    if ((kind === OPEN && t.names[id] === "virtualhost") || info.notIn?.includes("virtualhost")) mainServer = notDirectory = true;
  }
  return { notDirectory, mainServer };
}

const KIND_LABEL: Record<SectionKind, string> = {
  server: "at the top level of the server config",
  virtualhost: "directly in <VirtualHost>",
  directory: "in <Directory>",
  files: "in <Files>",
  location: "in <Location>",
  proxy: "in <Proxy>",
  if: "in <If>",
  limit: "in <Limit>",
};

const NONE: readonly SectionKind[] = [];

/** Can `judge` refuse a directive with this entry anywhere? (Allowed everywhere: never.) */
function mayRefuse(info: DirectiveContext, htaccess: boolean): boolean {
  if (info.notIn?.length) return true;
  if (htaccess) return info.htaccess === null;
  return info.where !== "anywhere" || (info.notDirectlyIn?.length ?? 0) > 0;
}

/**
 * The enclosing section a handler refuses `info`'s directive in: ap_check_cmd_context
 * tests NOT_IN_LIMIT before the others, so a <Limit> wins; else the outermost.
 */
function refusingSection(info: DirectiveContext, chain: readonly Section[]): Section | undefined {
  const notIn = info.notIn;
  if (!notIn) return undefined;
  return (notIn.includes("limit") ? chain.find((c) => KIND[c.key] === "limit") : undefined) ?? chain.find((c) => notIn.includes(KIND[c.key]!));
}

/** Apache's "cannot occur within" words for a section: one phrase covers <Limit> and <LimitExcept>. */
const occurWithin = (s: Section) => (KIND[s.key] === "limit" ? "<Limit> or <LimitExcept> section" : `<${s.name}> section`);

/** Why Apache refuses `n` where it stands in a server file, or null. */
function refusal(n: Item, info: DirectiveContext, chain: Section[], top: TopLevel): string | null {
  const innermost = chain[chain.length - 1];
  const refusing = refusingSection(info, chain);
  if (refusing) {
    const name = nameOf(n);
    return `${name} cannot be used inside <${refusing.name}>: Apache refuses to start ("${name} cannot occur within ${occurWithin(refusing)}")`;
  }
  if (innermost) {
    const kind = KIND[innermost.key]!;
    const serverLevel = kind === "virtualhost";
    const classOk = serverLevel ? info.where !== "directory" : info.where !== "server";
    if (!classOk && !info.alsoIn?.includes(kind)) {
      const allowed = info.where === "server" ? "only in the server config and <VirtualHost>" : "only inside <Directory>, <Location>, <Files>, <Proxy> or <If>";
      return `${nameOf(n)} is allowed ${allowed}: Apache refuses to start ("${commandOf(n)} not allowed in <${innermost.name}> context")`;
    }
    if (info.notDirectlyIn?.includes(kind)) return `${nameOf(n)} is not allowed ${KIND_LABEL[kind]}: Apache refuses to start`;
    return null;
  }
  // the file's top level
  if (top.notDirectory && info.where === "directory" && !info.alsoIn?.includes("server")) {
    return `${nameOf(n)} is allowed only inside <Directory>, <Location>, <Files>, <Proxy> or <If>: Apache refuses to start ("${commandOf(n)} not allowed here")`;
  }
  const direct = info.notDirectlyIn ?? NONE;
  const refusedTop = direct.includes("server") && (direct.includes("virtualhost") ? top.notDirectory : top.mainServer);
  if (refusedTop) return `${nameOf(n)} is not allowed ${direct.includes("virtualhost") ? "in the server config or directly in <VirtualHost>" : KIND_LABEL.server}: Apache refuses to start`;
  return null;
}

// ------------------------------------------------------------- ProxyPass paths

function pathSection(chain: Section[]): Section | undefined {
  for (let i = chain.length - 1; i >= 0; i--) if (PATH_SECTIONS.has(chain[i]!.key)) return chain[i];
  return undefined;
}

function dropPathFix(d: Directive, section: Section): Fix {
  const [path, next] = d.args;
  return {
    safety: "unsafe",
    title: `Remove the path \`${path!.raw}\`: <${section.name}> gives it`,
    edits: [{ start: path!.start, end: next!.start, text: "" }],
  };
}

const PROXY_KEYS = new Set(["proxypass", "proxypassmatch", "proxypassreverse"]);

/** Start and end offsets of the first words of a line, filled by firstWords. */
const WORD = new Int32Array(6);
const isBlank = (c: number) => c === 32 || (c >= 9 && c <= 13);

/**
 * How many words (up to 3) the arguments text[from, to) has, with their spans
 * in WORD; -1 when one of them is not a plain word (it starts with a quote or
 * `#`, or holds a `\`): then only scanArguments can tell.
 */
function firstWords(text: string, from: number, to: number): number {
  let n = 0;
  let i = from;
  while (n < 3) {
    while (i < to && isBlank(text.charCodeAt(i))) i++;
    if (i >= to) break;
    const c = text.charCodeAt(i);
    if (c === 34 || c === 39 || c === 35) return -1;
    WORD[2 * n] = i;
    while (i < to) {
      const k = text.charCodeAt(i);
      if (k === 92) return -1;
      if (isBlank(k)) break;
      i++;
    }
    WORD[2 * n + 1] = i;
    n++;
  }
  return n;
}

const isWord = (text: string, i: number, word: string) => WORD[2 * i + 1]! - WORD[2 * i]! === word.length && text.slice(WORD[2 * i]!, WORD[2 * i + 1]!).toLowerCase() === word;

/**
 * False when the line's first words already show that proxyPathReport finds
 * nothing (the common ProxyPass and ProxyPassReverse lines), without scanning
 * its arguments; true when that takes the full reading.
 */
function mayNeedPathReport(d: Directive, section: Section | undefined, chain: Section[], top: { notDirectory: boolean }): boolean {
  const t = d.file.table;
  const text = d.file.text;
  const count = firstWords(text, t.nameEnd[d.row]!, t.end[d.row]!);
  if (count < 0) return true;
  const reverse = d.key === "proxypassreverse";
  if (section) {
    if (reverse) return count >= 2 && !isWord(text, 1, "interpolate");
    return count >= 2 && text.charCodeAt(WORD[0]!) === 47;
  }
  if (chain.length === 0 && !top.notDirectory) return false;
  const urlOnly = reverse ? count === 1 || (count === 2 && isWord(text, 1, "interpolate")) : count === 1;
  return urlOnly && !(WORD[1]! - WORD[0]! === 1 && text.charCodeAt(WORD[0]!) === 126);
}

/** ProxyPass / ProxyPassReverse with a path inside <Location>, or without one outside. */
function proxyPathReport(d: Directive, chain: Section[], top: { notDirectory: boolean }): Report | null {
  if (d.key !== "proxypass" && d.key !== "proxypassmatch" && d.key !== "proxypassreverse") return null;
  const section = pathSection(chain);
  if (!mayNeedPathReport(d, section, chain, top)) return null;
  const args = d.args.slice(0, d.trailingCommentIndex === -1 ? undefined : d.trailingCommentIndex);
  // an unclosed quote swallows the rest of the line: quote-unbalanced's finding
  if (args.some((a) => a.unterminated)) return null;
  if (section) {
    const withPath =
      d.key === "proxypassreverse"
        ? args.length >= 2 && args[1]!.value.toLowerCase() !== "interpolate"
        : proxyArgs(d)?.pathInSection === true;
    if (!withPath) return null;
    const says = d.key === "proxypassreverse" ? "ProxyPassReverse can not have a path when defined in a location" : "ProxyPass|ProxyPassMatch can not have a path when defined in a location.";
    return {
      message: `${d.name} inside <${section.name}> takes its path from the section, so \`${args[0]!.raw}\` is read as the URL: Apache refuses to start ("${says}").`,
      start: args[0]!.start,
      end: args[0]!.end,
      fix: dropPathFix(d, section),
    };
  }
  // Outside a section the path is required; a file Included inside <Location> is fine, hence top.notDirectory.
  if (chain.length === 0 && !top.notDirectory) return null;
  const urlOnly = d.key === "proxypassreverse" ? args.length === 1 || (args.length === 2 && args[1]!.value.toLowerCase() === "interpolate") : args.length === 1;
  if (!urlOnly || args[0]!.value === "~") return null;
  const says = d.key === "proxypassreverse" ? "ProxyPassReverse needs a path when not defined in a location" : "ProxyPass|ProxyPassMatch needs a path when not defined in a location";
  return {
    message: `${d.name} outside <Location> needs a path before the URL \`${args[0]!.raw}\`: Apache refuses to start ("${says}").`,
    start: d.start,
    end: d.end,
  };
}

// ------------------------------------------------------ forms that depend on where

const fill = (template: string, vars: Readonly<Record<string, string>>) => template.replace(/\{(\w+)\}/g, (m, k: string) => vars[k] ?? m);

/**
 * Alias, ScriptAlias, CacheEnable, CacheDisable, MDMembers: the handler takes
 * one form inside <Location> and another outside (src/apache/argument-contexts.ts).
 */
function argumentReport(d: Directive, chain: Section[], top: TopLevel): Report | null {
  const entry = ARGUMENT_CONTEXTS[d.key];
  if (!entry) return null;
  const where = placeIn(chain);
  // a file's top level may be Included inside <Location> (or <MDomainSet>): judged only when the file shows it is not
  const shown = entry.top === "main" ? top.mainServer : top.notDirectory;
  if (where.place === "global" && !shown && !chain.some((s) => s.key === "virtualhost")) return null;
  // every word counts, a `# comment` too: `CacheEnable disk #c` caches the URL "#c"
  const args = d.args;
  // an unclosed quote is quote-unbalanced's; ${VAR} may stand for any number of words
  if (args.some((a) => a.unterminated || a.value.includes("${"))) return null;
  const words = handlerWords(args, entry.counting);
  if (!words) return null;
  const path = where.section && where.place === "path" ? sectionPath(where.section) : undefined;
  const r = argumentRefusal(entry, where.place, words, path);
  if (!r) return null;
  const section = where.section ? `<${where.section.name}>` : "";
  const what = fill(r.what, { name: d.name, section, path: path ?? "", 0: words[0]?.raw ?? "", 1: words[1]?.raw ?? "" });
  const says = fill(r.apache, { section: where.canonical ?? "", 0: words[0]?.value ?? "" });
  const at = r.at === "line" ? d : words[r.at]!;
  return {
    message: `${what}: Apache refuses to start ("${says}").`,
    start: at.start,
    end: at.end,
    fix: r.dropFirst && where.section ? dropPathFix(d, where.section) : undefined,
  };
}

export default defineRule({
  id: "directive-context",
  severity: "error",
  category: "correctness",
  description: "A directive where Apache does not allow it (`ProxyPass` in `<Directory>`, a path inside `<Location>`, server-only directives in .htaccess)",
  fixable: "unsafe",
  doc: {
    problem:
      "A directive or section where Apache does not accept it. Each directive has a context (the manual's " +
      "\"Context:\" line): server config and <VirtualHost> only (`Listen`, `ServerName`, `ProxyRequests`, " +
      "`SSLProxyEngine`, `RewriteMap`, <VirtualHost>, <Directory>, <Location>), only inside <Directory>, <Location>, " +
      "<Files>, <Proxy> or <If> (`Require`, `AllowOverride`), or both (`ProxyPass`, `RewriteRule`, `Header`); and " +
      ".htaccess only for the directives an AllowOverride class covers (`RewriteRule`, `Header` yes; `ProxyPass`, " +
      "`Listen`, `LoadModule` never). On top of that some directives refuse certain sections: `ProxyPass` and " +
      "`ProxyPassMatch` not in <Directory>, <Files> or <If>; `Listen`, `User`, `LoadModule`-like server-wide " +
      "directives and <VirtualHost> not in <VirtualHost>; <Files> not in <Location>. Inside <Location> (and " +
      "<Proxy>) ProxyPass takes no path, and outside it needs one. Some directives change form with the section: " +
      "`Alias` and `ScriptAlias` take only the target inside <Location> (the section gives the URL-path) and both " +
      "words outside, and neither form in <Directory>, <Files> or <If>; `CacheEnable` inside <Location> takes no URL " +
      "or one below the section's path, outside it needs one; `CacheDisable` takes `on` inside <Location> and a path " +
      "or URL outside; `MDMembers` lists domain names only inside <MDomainSet>, elsewhere it takes `auto` or " +
      "`manual`. Conditional sections (<IfModule>, <IfDefine> …) are transparent. The table covers every directive " +
      "of Debian's apache2 modules.",
    bad:
      "<VirtualHost *:80>\n    <Directory /var/www>\n        ProxyPass /ws/ ws://127.0.0.1:13001/ws/\n    </Directory>\n" +
      "    <Location /ws/>\n        ProxyPass /ws/ ws://127.0.0.1:13001/ws/\n    </Location>\n</VirtualHost>",
    good:
      "<VirtualHost *:80>\n    ProxyPass /ws/ ws://127.0.0.1:13001/ws/\n" +
      "    <Location /ws/>\n        ProxyPassReverse ws://127.0.0.1:13001/ws/\n    </Location>\n</VirtualHost>",
    why:
      "Apache refuses to start: `ProxyPass cannot occur within <Directory> section` (case m01), `ProxyPass|" +
      "ProxyPassMatch can not have a path when defined in a location.` (m02; m03 is the working one-argument form), " +
      "`Listen cannot occur within <VirtualHost> section`, `<VirtualHost> cannot occur within <VirtualHost> section`, " +
      "`<Directory not allowed in <Location> context`, `Alias cannot occur within directory context` (a two-word Alias " +
      "in <Location>), `Alias must have two arguments when used globally`, `When in a Location, CacheEnable must " +
      "specify a path or an URL below that location.`, `CacheDisable must be followed by the word 'on' when in a " +
      "Location.`, `MDMembers is only valid inside a '<MDomainSet' context, not here`: these forms are a hand table " +
      "(src/apache/argument-contexts.ts) measured with `apache2 -t` in every kind of section. In .htaccess the same mistake is not caught by `apache2 -t`, " +
      "which never reads .htaccess: every request to the directory then fails with 500 and the error log says " +
      "`ProxyPass not allowed here` (m29). The table (src/data/directive-contexts.ts) is generated from apache2 " +
      "2.4.71 itself: `apache2 -L` gives each directive's command-table context, and `apache2 -t` runs of every " +
      "directive in every kind of section give the handlers' own refusals; the generator checks its model against " +
      "nested sections. A file's top level is judged only when the file shows it is not Included inside a section " +
      "(it has a <VirtualHost>, a `Listen`, a `LoadModule` …); directives inside <Macro> and other unknown sections " +
      "are not judged. Whether an .htaccess directive is enabled by AllowOverride is not checked here.",
    versions:
      "All 2.4 releases; the table is measured on 2.4.71. Since 2.4.30 the SSLProxy* directives are also allowed " +
      "in <Proxy> sections.",
    fix:
      "Unsafe, only for a ProxyPass, ProxyPassReverse, Alias or ScriptAlias with a path inside <Location> or <Proxy>: " +
      "removes the path argument, leaving `ProxyPass URL [parameters]` or `Alias target`. Unsafe because the section's path then applies, which differs " +
      "when the two paths were not the same. Directives in the wrong section get no fix: where they belong is the " +
      "author's choice.",
    cases: ["m01", "m02", "m03", "m29"],
  },
  create({ file, fileKind, facts, report, server: serverInfo }) {
    const infos = new Infos(file);
    const t = file.table;
    const server = fileKind === "server";
    const top: TopLevel = server ? topLevelOf(file, facts, infos) : { notDirectory: false, mainServer: false };
    // One frame per open section, parents first, so each section's chain and "under a refused
    // section" flag come from its parent's: deep nesting stays linear. A null chain: under a
    // section this rule does not know (<Macro> …), where nothing is judged.
    interface Frame {
      chain: Section[] | null;
      refused: boolean;
      /**
       * Per name id, whether a directive of that name is accepted here (1) or not (2). Whether
       * Apache accepts a name depends only on the kinds of the enclosing sections, so frames
       * with the same kinds share one table (`<Location>` blocks by the thousand).
       */
      verdicts: Uint8Array | null;
      /** the kinds of the chain, outermost first: "virtualhost/location" */
      kinds: string;
    }
    const byKinds = new Map<string, Uint8Array>();
    const verdictsOf = (kinds: string) => {
      let v = byKinds.get(kinds);
      if (!v) byKinds.set(kinds, (v = new Uint8Array(t.names.length)));
      return v;
    };
    const frames: Frame[] = [{ chain: [], refused: false, verdicts: null, kinds: "" }];
    let verdicts: ConditionVerdicts | undefined;
    const conditions = () => (verdicts ??= facts.shared(CONDITIONS_FACT, (f) => new ConditionVerdicts(f, { server: serverInfo })));
    /** Why Apache refuses `n` where it stands, or null. */
    const judge = (n: Item, info: DirectiveContext, chain: Section[]): string | null => {
      if (fileKind !== "htaccess") return refusal(n, info, chain, top);
      if (info.htaccess === null) {
        return (
          `${nameOf(n)} is not allowed in .htaccess: Apache answers every request for this directory with ` +
          `500 Internal Server Error ("${commandOf(n)} not allowed here")`
        );
      }
      const s = refusingSection(info, chain);
      return s ? `${nameOf(n)} cannot be used inside <${s.name}>: Apache answers with 500 ("${nameOf(n)} cannot occur within ${occurWithin(s)}")` : null;
    };
    return {
      enter: {
        "*"(s) {
          const parent = frames[frames.length - 1]!;
          const chain = parent.chain;
          if (parent.refused || chain === null) {
            frames.push(parent);
            return;
          }
          const key = s.key;
          // a body Apache skips is never parsed there: no context can be wrong in it
          const frame: Frame = CONDITIONAL_SECTIONS.has(key)
            ? { chain, refused: conditions().verdictAt(s.row) === false, verdicts: parent.verdicts, kinds: parent.kinds }
            : KIND[key]
              ? { chain: [...chain, s], refused: false, verdicts: null, kinds: `${parent.kinds}/${KIND[key]}` }
              : { chain: null, refused: false, verdicts: null, kinds: "" };
          frames.push(frame);
          const info = infos.section(t.key[s.row]!);
          const message = info ? judge(s, info, chain) : null;
          if (message) {
            frame.refused = true;
            report({ message: `${message}.`, ...rangeOf(s) });
          }
        },
      },
      exit: {
        "*"() {
          frames.pop();
        },
      },
      directive: handlers((d) => judgeRow(d, frames[frames.length - 1]!)),
    };
    /**
     * The handler, for the names of the file that Apache may refuse somewhere: a
     * directive allowed everywhere (RewriteRule, Header …) needs no look, only the
     * ProxyPass family has its path rule on top.
     */
    function handlers(h: (d: Directive) => void): Record<string, (d: Directive) => void> {
      const out: Record<string, (d: Directive) => void> = {};
      for (const name of t.names) {
        const info = DIRECTIVE_CONTEXTS[name];
        if (PROXY_KEYS.has(name) || ARGUMENT_CONTEXTS[name] || (info && mayRefuse(info, fileKind === "htaccess"))) out[name] = h;
      }
      return out;
    }
    function judgeRow(d: Directive, frame: Frame): void {
      const chain = frame.chain;
      if (frame.refused || chain === null) return;
      const id = t.key[d.row]!;
      const known = (frame.verdicts ??= verdictsOf(frame.kinds));
      if (known[id] !== 1) {
        const info = infos.directive(id);
        const message = info ? judge(d, info, chain) : null;
        known[id] = message ? 2 : 1;
        if (message) {
          report({ message: `${message}.`, ...rangeOf(d) });
          return;
        }
      }
      if (server && PROXY_KEYS.has(d.key)) {
        const r = proxyPathReport(d, chain, top);
        if (r) report(r);
      }
      if (server && ARGUMENT_CONTEXTS[d.key]) {
        const r = argumentReport(d, chain, top);
        if (r) report(r);
      }
    }
  },
});
