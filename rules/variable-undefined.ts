// Core expands `${NAME}` on every config line as it reads it (ap_resolve_env,
// called by ap_build_config_sub on the whole line before it is split into
// words): from the Define table, else from the process environment. What is
// neither stays as text, with only a warning that names no file or line.
import { continuationAt, joinedLine, type ConfigFile, type Directive, type Section, type SectionOpen } from "../grammar/index.js";
import { DIRECTIVE, OPEN } from "../grammar/line-table.js";
import { isRewriteVariable } from "../src/apache/rewrite.js";
import type { FileFacts } from "../src/core/facts.js";
import { defineRule, type RelatedLocation, type Report, type RuleContext } from "../src/core/rule.js";
import { CONDITIONAL_SECTIONS } from "../src/apache/scope.js";

/** One `${…}` as core sees it: the name runs to the first `}`, whatever it holds. */
interface Use {
  name: string;
  start: number;
  end: number;
}

/** The `${…}` of the line text[from, to), continuations skipped (Apache joins the lines first). */
function usesIn(text: string, from: number, to: number): Use[] {
  const out: Use[] = [];
  // the common line: no continuation, so the text is the joined line
  const bs = text.indexOf("\\", from);
  if (bs === -1 || bs >= to) {
    for (let i = text.indexOf("${", from); i !== -1 && i < to; i = text.indexOf("${", i)) {
      const close = text.indexOf("}", i + 2);
      if (close === -1 || close >= to) break;
      out.push({ name: text.slice(i + 2, close), start: i, end: close + 1 });
      i = close + 1;
    }
    return out;
  }
  const j = joinedLine(text, from, to);
  const joined = j.text;
  for (let i = joined.indexOf("${"); i !== -1; i = joined.indexOf("${", i)) {
    const close = joined.indexOf("}", i + 2);
    if (close === -1) break;
    out.push({ name: joined.slice(i + 2, close), start: j.offsetAt(i), end: j.offsetAt(close) + 1 });
    i = close + 1;
  }
  return out;
}

const MACRO: ReadonlySet<string> = new Set(["macro"]);

/** mod_macro keeps a <Macro> body as text until `Use`; its `$x`/`${x}` are parameters, not variables. */
function inMacro(facts: FileFacts, row: number): boolean {
  const t = facts.file.table;
  return (t.kind[row] === OPEN && t.names[t.key[row]!] === "macro") || facts.enclosingRow(row, MACRO) >= 0;
}

/** The arguments rewrite-var-sigil checks: a mod_rewrite variable written `${…}` there is its finding, not this rule's. */
function rewriteVarSigilCovers(d: Directive, u: Use): boolean {
  if (d.key !== "rewritecond" && d.key !== "rewriterule") return false;
  return isRewriteVariable(u.name);
}

interface DefineSites {
  /** the Define lines by lower-cased name, outside <Macro> */
  sites: Map<string, Directive[]>;
  /** names Defined in <Macro> bodies: they run at an unknown `Use` */
  inMacros: Set<string>;
}

/** Where each Define is, by lower-cased name; Defines in <Macro> bodies run at an unknown `Use`. Shared per file. */
function defineSites(facts: FileFacts): DefineSites {
  return facts.shared("core:define-sites", (f) => {
    const sites = new Map<string, Directive[]>();
    const inMacros = new Set<string>();
    const rows = f.directiveRows("define");
    for (let i = 0; i < rows.length; i++) {
      const d = f.directiveAt(rows[i]!);
      if (!d.args[0]) continue;
      const name = d.args[0].value.toLowerCase();
      if (inMacro(f, d.row)) {
        inMacros.add(name);
        continue;
      }
      let list = sites.get(name);
      if (!list) sites.set(name, (list = []));
      list.push(d);
    }
    return { sites, inMacros };
  });
}

/**
 * Would the linter know the variables Apache has when it reads this file? In a
 * Debian tree, yes (envvars and the tree's Defines). Elsewhere only for a whole
 * server config: it loads modules and listens. A fragment with LoadModule lines
 * only (RHEL's conf.modules.d/) is read after the main config's Defines.
 */
function inScope(ctx: RuleContext): boolean {
  if (ctx.fileKind === "htaccess") return false;
  if (ctx.server.debianRoot !== null) return true;
  // its own LoadModule lines, whether or not they are all the modules (an MPM) the server has
  return ctx.server.loaded.size > 0 && hasDirective(ctx.file, "listen");
}

/**
 * Rows whose line may hold a `${`: found by searching the whole text once for
 * `${` (and for `$\` followed by a continuation, which joins into one), then
 * mapping each hit to its row. Only directives and open tags count.
 */
function candidateRows(file: ConfigFile): number[] {
  const text = file.text;
  const t = file.table;
  const out: number[] = [];
  let row = 0;
  const add = (offset: number) => {
    // rows are in text order; hits too: move forward (a binary search for a far jump)
    if (t.to[row]! <= offset) {
      let lo = row + 1;
      let hi = t.count - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (t.to[mid]! <= offset) lo = mid + 1;
        else hi = mid;
      }
      row = lo;
    }
    if (row >= t.count) return;
    const k = t.kind[row];
    if ((k === DIRECTIVE || k === OPEN) && offset >= t.start[row]! && offset < t.end[row]! && out[out.length - 1] !== row) out.push(row);
  };
  let a = text.indexOf("${");
  let b = text.indexOf("$\\");
  while (a !== -1 || b !== -1) {
    if (b === -1 || (a !== -1 && a < b)) {
      add(a);
      a = text.indexOf("${", a + 2);
    } else {
      if (continuationAt(text, b + 1)) add(b);
      b = text.indexOf("$\\", b + 2);
    }
  }
  return out;
}

/** Is a directive named `key` in the file? The first one is found by a row scan that stops there. */
function hasDirective(file: ConfigFile, key: string): boolean {
  const t = file.table;
  const id = t.names.indexOf(key);
  if (id === -1) return false;
  for (let r = 0; r < t.count; r++) if (t.key[r] === id && t.kind[r] === DIRECTIVE) return true;
  return false;
}

const INCLUDES = new Set(["include", "includeoptional"]);

export default defineRule({
  id: "variable-undefined",
  severity: "warning",
  category: "correctness",
  description: "A `${VAR}` that no Define (or Debian envvars) sets: Apache keeps the text as it is",
  fixable: "none",
  doc: {
    problem:
      "A `${NAME}` in a directive (or a section's opening tag) where no `Define NAME value` comes before it. Core " +
      "replaces `${NAME}` on every line as it reads the config, with the value of a Define, else of an environment " +
      "variable. When neither exists the text stays as it is: a backend host `${WS_BACKEND}`, a log path " +
      "`${LOG_DIR}/error.log`. The check runs on a whole server config (a file with LoadModule and Listen lines) and " +
      "on the files of a Debian tree (/etc/apache2), where envvars is known; a lone vhost, a fragment of module " +
      "lines or an .htaccess file may use variables its server config Defines, so it is not checked.",
    bad: "<VirtualHost *:80>\n    ProxyPass /ws/ ws://${WS_BACKEND}/ws/\n</VirtualHost>",
    good: "Define WS_BACKEND 127.0.0.1:3000\n<VirtualHost *:80>\n    ProxyPass /ws/ ws://${WS_BACKEND}/ws/\n</VirtualHost>",
    why:
      "Apache only warns `AH00111: Config variable ${WS_BACKEND} is not defined`, with no file or line, and " +
      "`apache2 -t` still says Syntax OK (cases m16, a3). The literal text is then used: in m16 every WebSocket " +
      "request gets a 500 `DNS lookup failure for: ${ws_backend}`. Measured on 2.4.71: Define takes effect in " +
      "order, so a Define after the use does not count (the use still warns); a one-argument `Define NAME` only " +
      "defines a parameter for <IfDefine> and `${NAME}` still warns; `UnDefine` removes the variable; Define names " +
      "are case-insensitive; a `#` after a directive is not a comment, so `${X}` there is expanded too; `\\${X}` is " +
      "not an escape. Not reported: names with a `:` (core never expands or warns about them: `${map:key}` is " +
      "RewriteMap syntax, see rewrite-var-sigil), a mod_rewrite variable written `${REQUEST_URI}` in RewriteRule or " +
      "RewriteCond (rewrite-var-sigil reports it), comment lines, <Macro> sections (mod_macro substitutes its " +
      "parameters, `$name` or `${name}`, when the macro is used, and warns itself about `${…}` parameter names), and a use after an Include line " +
      "outside a Debian tree (the included files may Define it). A Define inside <IfDefine>/<IfModule> counts even " +
      "though it may not run: -D parameters are not known. In a Debian tree, `export NAME=` lines of envvars count " +
      "(apache2ctl sources that file), and so does a Define anywhere in apache2.conf, ports.conf, mods-enabled/, " +
      "conf-enabled/ or sites-enabled/, whatever the order between files. Other environment variables Apache " +
      "might inherit (from a systemd unit, a shell) cannot be known from the config, and apachelint deliberately " +
      "does not look at its own environment: results must not depend on the machine that lints.",
    versions: "All 2.4 releases (Define with a value exists since 2.4.0).",
    cases: ["m16", "a3"],
  },
  create(ctx) {
    if (!inScope(ctx)) return {};
    return { end: () => check(ctx) };
  },
});

function check(ctx: RuleContext): void {
  const { file, facts } = ctx;
  const rows = candidateRows(file);
  if (rows.length === 0) return;
  const t = file.table;
  const env = ctx.server.environment ?? new Set<string>();
  const tree = ctx.server.treeDefines ?? new Set<string>();
  const { sites, inMacros } = defineSites(facts);
  const defined = new Set<string>(inMacros);
  const debian = ctx.server.debianRoot !== null;
  // The lines that change what is defined, merged with the lines that use a variable, in order.
  const events = [...facts.directiveRows("define"), ...facts.directiveRows("undefine"), ...facts.directiveRows("include"), ...facts.directiveRows("includeoptional")].sort((x, y) => x - y);
  const parent = facts.parentRows;
  let e = 0;
  let afterInclude = false;
  const apply = (row: number) => {
    if (inMacro(facts, row)) return;
    const key = t.names[t.key[row]!]!;
    if (INCLUDES.has(key)) {
      afterInclude = true;
      return;
    }
    const d = facts.directiveAt(row);
    const name = d.args[0]?.value.toLowerCase();
    if (!name) return;
    if (key === "define" && d.args.length >= 2) defined.add(name);
    // An UnDefine that may not run (inside a conditional) leaves the name defined: silence over guesswork.
    else if (key === "undefine" && !underConditional(row)) defined.delete(name);
  };
  const underConditional = (row: number) => {
    for (let p = parent[row]!; p >= 0; p = parent[p]!) if (CONDITIONAL_SECTIONS.has(t.names[t.key[p]!]!)) return true;
    return false;
  };
  for (const row of rows) {
    while (e < events.length && events[e]! < row) apply(events[e++]!);
    if (inMacro(facts, row)) continue;
    const isDirective = t.kind[row] === DIRECTIVE;
    const line: Directive | SectionOpen = isDirective ? facts.directiveAt(row) : (facts.sectionAt(row) as Section).open;
    for (const u of usesIn(file.text, line.start, line.end)) {
      const key = u.name.toLowerCase();
      if (u.name.includes(":") || defined.has(key) || tree.has(key) || env.has(u.name)) continue;
      // the Include may Define it: uses after one are left alone outside a Debian tree
      if (afterInclude && !debian) continue;
      if (isDirective && rewriteVarSigilCovers(line as Directive, u)) continue;
      ctx.report(report(file, u, line, sites.get(key) ?? [], debian));
    }
  }
}

function report(file: ConfigFile, u: Use, line: Directive | SectionOpen, defines: readonly Directive[], debian: boolean): Report {
  const written = `\${${u.name}}`;
  const where = line.kind === "open" ? `<${line.name}>` : line.name;
  const later = defines.find((d) => d.start > line.start && d.args.length >= 2);
  const valueless = defines.find((d) => d.args.length === 1);
  const related: RelatedLocation[] = [];
  let reason: string;
  if (later) {
    reason = `is only Defined later, on line ${file.position(later.start).line} (Define takes effect in order)`;
    related.push({ start: later.start, end: later.end, message: "the Define comes after the use" });
  } else if (defines.some((d) => d.start < line.start && d.args.length >= 2)) {
    reason = "was removed by UnDefine before this line";
  } else if (valueless) {
    reason = `is not a variable (\`${valueless.text}\` has no value, so it only defines a parameter for <IfDefine>)`;
    related.push({ start: valueless.start, end: valueless.end, message: "a Define without a value" });
  } else {
    reason = debian ? "is set by no Define and not exported by envvars" : "is set by no Define before it";
  }
  const r: Report = {
    message: `\`${written}\` in ${where} ${reason}: Apache warns AH00111 without a file or line and keeps the text \`${written}\` as it is.`,
    start: u.start,
    end: u.end,
  };
  if (related.length) r.related = related;
  return r;
}
