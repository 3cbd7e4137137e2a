// Where Apache lets a directive stand: the command table's class (server
// config and <VirtualHost>, or inside <Directory>/<Location>/<Files>/<Proxy>/<If>,
// or both; and which .htaccess files), plus what handlers refuse on top
// (ProxyPass in <Directory>, Listen in <VirtualHost>). The data is generated
// from apache2 itself (src/data/directive-contexts.ts).
import { nodes, type ConfigFile, type Directive, type Node, type Parent, type Section } from "../grammar/index.js";
import { DIRECTIVE_CONTEXTS, type DirectiveContext, type SectionKind } from "../src/data/directive-contexts.js";
import { proxyArgs } from "../src/apache/proxy-params.js";
import { isTransparent } from "../src/apache/scope.js";
import { defineRule, type Fix, type Report } from "../src/core/rule.js";

/** The kind of context each section opens; sections not listed (and not conditional) are not judged. */
const KIND: Readonly<Record<string, SectionKind>> = {
  virtualhost: "virtualhost",
  directory: "directory",
  directorymatch: "directory",
  files: "files",
  filesmatch: "files",
  location: "location",
  locationmatch: "location",
  proxy: "proxy",
  proxymatch: "proxy",
  if: "if",
  elseif: "if",
  else: "if",
  limit: "limit",
  limitexcept: "limit",
};

type Item = Directive | Section;

const infoOf = (n: Item): DirectiveContext | undefined => DIRECTIVE_CONTEXTS[n.kind === "section" ? `<${n.key}` : n.key];
const nameOf = (n: Item) => (n.kind === "section" ? `<${n.name}>` : n.name);
/** The name Apache's "not allowed" messages use: a section without its `>`. */
const commandOf = (n: Item) => (n.kind === "section" ? `<${n.name}` : n.name);
const rangeOf = (n: Item) => (n.kind === "section" ? { start: n.open.start, end: n.open.end } : { start: n.start, end: n.end });

/** Enclosing sections that open a context, outermost first; null under a section this rule does not know (<Macro> …). */
function contextChain(n: Item): Section[] | null {
  const out: Section[] = [];
  for (let p = n.parent; p.kind === "section"; p = p.parent) {
    if (isTransparent(p)) continue;
    if (!KIND[p.key]) return null;
    out.push(p);
  }
  return out.reverse();
}

/** Directives and sections of the file's top level, conditional sections descended (no recursion: nesting can be deep). */
function topLevel(file: ConfigFile): Item[] {
  const out: Item[] = [];
  const stack: { kids: readonly Node[]; i: number }[] = [{ kids: file.children, i: 0 }];
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    if (top.i === top.kids.length) {
      stack.pop();
      continue;
    }
    const c = top.kids[top.i++]!;
    if (c.kind === "directive") out.push(c);
    else if (c.kind === "section") {
      out.push(c);
      if (isTransparent(c)) stack.push({ kids: c.children, i: 0 });
    }
  }
  return out;
}

/**
 * What the top level of a server file is. A file may be Included inside any
 * section, so its top level is only known from what it holds: something Apache
 * refuses inside <Directory> & co. proves "server config or <VirtualHost>";
 * a <VirtualHost> or something refused inside one proves "the main server".
 */
function topLevelOf(file: ConfigFile): { notDirectory: boolean; mainServer: boolean } {
  let notDirectory = false;
  let mainServer = false;
  for (const n of topLevel(file)) {
    const info = infoOf(n);
    if (!info) continue;
    if (info.where === "server" && !info.alsoIn?.length) notDirectory = true;
    if ((n.kind === "section" && n.key === "virtualhost") || info.notIn?.includes("virtualhost")) mainServer = notDirectory = true;
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

/** Why Apache refuses `n` where it stands in a server file, or null. */
function refusal(n: Item, info: DirectiveContext, chain: Section[], top: { notDirectory: boolean; mainServer: boolean }): string | null {
  const name = nameOf(n);
  const innermost = chain[chain.length - 1];
  for (const s of chain) {
    const kind = KIND[s.key]!;
    if (info.notIn?.includes(kind)) {
      return `${name} cannot be used inside <${s.name}>: Apache refuses to start ("${name} cannot occur within <${s.name}> section")`;
    }
  }
  if (innermost) {
    const kind = KIND[innermost.key]!;
    const serverLevel = kind === "virtualhost";
    const classOk = serverLevel ? info.where !== "directory" : info.where !== "server";
    if (!classOk && !info.alsoIn?.includes(kind)) {
      const allowed = info.where === "server" ? "only in the server config and <VirtualHost>" : "only inside <Directory>, <Location>, <Files>, <Proxy> or <If>";
      return `${name} is allowed ${allowed}: Apache refuses to start ("${commandOf(n)} not allowed in <${innermost.name}> context")`;
    }
    if (info.notDirectlyIn?.includes(kind)) return `${name} is not allowed ${KIND_LABEL[kind]}: Apache refuses to start`;
    return null;
  }
  // the file's top level
  if (top.notDirectory && info.where === "directory" && !info.alsoIn?.includes("server")) {
    return `${name} is allowed only inside <Directory>, <Location>, <Files>, <Proxy> or <If>: Apache refuses to start ("${commandOf(n)} not allowed here")`;
  }
  const direct = info.notDirectlyIn ?? [];
  const refusedTop = direct.includes("server") && (direct.includes("virtualhost") ? top.notDirectory : top.mainServer);
  if (refusedTop) return `${name} is not allowed ${direct.includes("virtualhost") ? "in the server config or directly in <VirtualHost>" : KIND_LABEL.server}: Apache refuses to start`;
  return null;
}

// ------------------------------------------------------------- ProxyPass paths

const PATH_SECTIONS = new Set(["location", "locationmatch", "proxy", "proxymatch"]);

function pathSection(chain: Section[]): Section | undefined {
  return [...chain].reverse().find((s) => PATH_SECTIONS.has(s.key));
}

function dropPathFix(d: Directive, section: Section): Fix {
  const [path, next] = d.args;
  return {
    safety: "unsafe",
    title: `Remove the path \`${path!.raw}\`: <${section.name}> gives it`,
    edits: [{ start: path!.start, end: next!.start, text: "" }],
  };
}

/** ProxyPass / ProxyPassReverse with a path inside <Location>, or without one outside. */
function proxyPathReport(d: Directive, chain: Section[], top: { notDirectory: boolean }): Report | null {
  if (d.key !== "proxypass" && d.key !== "proxypassmatch" && d.key !== "proxypassreverse") return null;
  const section = pathSection(chain);
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

export default defineRule({
  id: "directive-context",
  severity: "error",
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
      "<Proxy>) ProxyPass takes no path, and outside it needs one. Conditional sections (<IfModule>, <IfDefine> …) " +
      "are transparent. The table covers every directive of Debian's apache2 modules.",
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
      "`<Directory not allowed in <Location> context`. In .htaccess the same mistake is not caught by `apache2 -t`, " +
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
      "Unsafe, only for a ProxyPass or ProxyPassReverse with a path inside <Location> or <Proxy>: removes the path " +
      "argument, leaving `ProxyPass URL [parameters]`. Unsafe because the section's path then applies, which differs " +
      "when the two paths were not the same. Directives in the wrong section get no fix: where they belong is the " +
      "author's choice.",
    cases: ["m01", "m02", "m03", "m29"],
  },
  check({ file, fileKind }) {
    const out: Report[] = [];
    const top = fileKind === "server" ? topLevelOf(file) : { notDirectory: false, mainServer: false };
    // Nodes come parents first, so each section's chain and "under a refused section" flag are
    // worked out once from its parent's: deep nesting stays linear.
    const chains = new Map<Parent, Section[] | null>([[file, []]]);
    const refusedUnder = new Map<Parent, boolean>([[file, false]]);
    for (const n of nodes(file)) {
      if (n.kind !== "directive" && n.kind !== "section") continue;
      const underRefused = refusedUnder.get(n.parent) ?? false;
      if (n.kind === "section") refusedUnder.set(n, underRefused);
      if (underRefused) continue;
      const parentChain = chains.get(n.parent) ?? contextChain(n);
      if (n.kind === "section") chains.set(n, parentChain === null ? null : isTransparent(n) ? parentChain : KIND[n.key] ? [...parentChain, n] : null);
      const chain = parentChain;
      if (!chain) continue;
      const info = infoOf(n);
      let message: string | null = null;
      if (info && fileKind === "htaccess") {
        if (info.htaccess === null) {
          message =
            `${nameOf(n)} is not allowed in .htaccess: Apache answers every request for this directory with ` +
            `500 Internal Server Error ("${commandOf(n)} not allowed here")`;
        } else {
          const s = chain.find((c) => info.notIn?.includes(KIND[c.key]!));
          if (s) message = `${nameOf(n)} cannot be used inside <${s.name}>: Apache answers with 500 ("${nameOf(n)} cannot occur within <${s.name}> section")`;
        }
      } else if (info) {
        message = refusal(n, info, chain, top);
      }
      if (message) {
        if (n.kind === "section") refusedUnder.set(n, true);
        out.push({ message: `${message}.`, ...rangeOf(n) });
        continue;
      }
      if (n.kind === "directive" && fileKind === "server") {
        const r = proxyPathReport(n, chain, top);
        if (r) out.push(r);
      }
    }
    return out;
  },
});
