// A regular expression Apache cannot compile stops it at startup. Apache
// compiles with PCRE2 (no UTF mode); src/pcre.ts answers for PCRE2, not for
// JavaScript, so `(?i)`, `a++`, `(?>…)`, `\Q…\E`, `[[:alpha:]]` pass.
import { continuationAt, directives, sections, type Argument, type ConfigFile, type Directive, type Section } from "../grammar/index.js";
import { checkPcre } from "../src/apache/pcre.js";
import { enclosing } from "../src/apache/scope.js";
import { defineRule, type Report } from "../src/core/rule.js";

interface Pattern {
  /** the string Apache hands to the regex compiler */
  value: string;
  start: number;
  end: number;
}

// an unclosed quote swallows the rest of the line: quote-unbalanced's finding
const fromArg = (a: Argument | undefined): Pattern | null => (a && !a.unterminated ? { value: a.value, start: a.start, end: a.end } : null);

/**
 * RewriteRule and RewriteCond split their line themselves (mod_rewrite's
 * parseargline), not with ap_getword_conf: a word may be quoted with `"` or
 * `'`, a `\` before a blank keeps the blank in the word, and no escape is ever
 * removed, so `"\\("` reaches PCRE2 as `\\(`.
 */
export function rewriteWords(file: ConfigFile, d: Directive): Pattern[] {
  const t = file.text;
  // the logical line, continuations removed, with the file offset of each character
  let text = "";
  const at: number[] = [];
  for (let i = d.nameEnd; i < d.end; ) {
    const k = continuationAt(t, i);
    if (k) {
      i += k;
      continue;
    }
    text += t[i];
    at.push(i);
    i++;
  }
  // apr_isspace: ASCII blanks only
  const blank = (c: string | undefined) => c !== undefined && /[ \t\n\v\f\r]/.test(c);
  const words: Pattern[] = [];
  let i = 0;
  while (words.length < 3) {
    while (blank(text[i])) i++;
    if (i >= text.length) break;
    const quote = text[i] === '"' || text[i] === "'" ? text[i]! : null;
    const from = quote ? i + 1 : i;
    let j = from;
    while (j < text.length && !(quote ? text[j] === quote : blank(text[j]))) j += text[j] === "\\" && blank(text[j + 1]) ? 2 : 1;
    if (quote && j >= text.length) break; // an unterminated quote: quote-unbalanced's finding
    const last = quote ? j : j - 1;
    words.push({ value: text.slice(from, j), start: at[quote ? from - 1 : from]!, end: at[last]! + 1 });
    i = quote ? j + 1 : j;
  }
  return words;
}

/** A RewriteCond CondPattern is a regex unless it is one of mod_rewrite's tests (cmd_rewritecond). */
function isRegexCondPattern(p: string): boolean {
  if (p.length < 2) return true;
  if (p[0] === "-") {
    if (p.length === 2) return !"fsdxhLUFl".includes(p[1]!);
    return !/^-(lt|le|gt|ge|eq|ne)/.test(p);
  }
  return !"<>=".includes(p[0]!);
}

/** `RedirectMatch [status] regex [URL]`: a first word that is a status keyword or starts with a digit is the status. */
function redirectMatchPattern(d: Directive): Pattern | null {
  const first = d.args[0]?.value ?? "";
  const hasStatus = /^(permanent|temp|seeother|gone)$/i.test(first) || /^\d/.test(first);
  return fromArg(d.args[hasStatus ? 1 : 0]);
}

/** `Header [always|onsuccess] edit|edit* name regex replacement`. */
function headerEditPattern(d: Directive): Pattern | null {
  const cond = /^(always|onsuccess)$/i.test(d.args[0]?.value ?? "") ? 1 : 0;
  if (!/^edit\*?$/i.test(d.args[cond]?.value ?? "")) return null;
  return fromArg(d.args[cond + 2]);
}

/** Where ProxyPass takes its path from the section (cmd->path is set), there is no pattern argument. */
const PATH_FROM_SECTION = ["location", "locationmatch", "proxy", "proxymatch"];

interface Source {
  pattern(file: ConfigFile, d: Directive): Pattern | null;
  /** what Apache says when the regex does not compile */
  says: string;
}

const DIRECTIVES: Record<string, Source> = {
  rewriterule: {
    pattern: (file, d) => {
      const w = rewriteWords(file, d)[0];
      if (!w) return null;
      return w.value.startsWith("!") ? { ...w, value: w.value.slice(1) } : w;
    },
    says: "RewriteRule: cannot compile regular expression",
  },
  rewritecond: {
    pattern: (file, d) => {
      const [test, w] = rewriteWords(file, d);
      if (!test || !w || test.value.toLowerCase() === "expr") return null;
      const value = w.value.startsWith("!") ? w.value.slice(1) : w.value;
      return isRegexCondPattern(value) ? { ...w, value } : null;
    },
    says: "RewriteCond: cannot compile regular expression",
  },
  proxypassmatch: {
    pattern: (_f, d) => (enclosing(d, PATH_FROM_SECTION) ? null : fromArg(d.args[0])),
    says: "Regular expression could not be compiled.",
  },
  proxypass: {
    pattern: (_f, d) => (!enclosing(d, PATH_FROM_SECTION) && d.args[0]?.value === "~" ? fromArg(d.args[1]) : null),
    says: "Regular expression could not be compiled.",
  },
  redirectmatch: { pattern: (_f, d) => redirectMatchPattern(d), says: "Regular expression could not be compiled." },
  aliasmatch: { pattern: (_f, d) => fromArg(d.args[0]), says: "Regular expression could not be compiled." },
  scriptaliasmatch: { pattern: (_f, d) => fromArg(d.args[0]), says: "Regular expression could not be compiled." },
  proxyremotematch: { pattern: (_f, d) => fromArg(d.args[0]), says: "Regular expression for ProxyRemoteMatch could not be compiled." },
  browsermatch: { pattern: (_f, d) => fromArg(d.args[0]), says: "BrowserMatch regex could not be compiled." },
  browsermatchnocase: { pattern: (_f, d) => fromArg(d.args[0]), says: "BrowserMatchNoCase regex could not be compiled." },
  setenvif: { pattern: (_f, d) => fromArg(d.args[1]), says: "SetEnvIf regex could not be compiled." },
  setenvifnocase: { pattern: (_f, d) => fromArg(d.args[1]), says: "SetEnvIfNoCase regex could not be compiled." },
  header: { pattern: (_f, d) => headerEditPattern(d), says: "Header edit regex could not be compiled" },
  requestheader: { pattern: (_f, d) => headerEditPattern(d), says: "Header edit regex could not be compiled" },
};

/** Sections whose argument is a regex, always (`…Match`) or after `~`. <Proxy ~> is not supported by mod_proxy. */
function sectionPattern(s: Section): Pattern | null {
  if (/^(location|directory|files|proxy)match$/.test(s.key)) return fromArg(s.args[0]);
  if (/^(location|directory|files)$/.test(s.key) && s.args[0]?.value === "~") return fromArg(s.args[1]);
  return null;
}

function report(p: Pattern, where: string, says: string): Report | null {
  // core expands ${NAME} before the directive sees its line: the regex is not known here
  if (p.value.includes("${")) return null;
  const r = checkPcre(p.value);
  if (r.valid !== false) return null;
  return {
    message: `\`${p.value}\` in ${where} is not a valid regular expression (${r.reason}): Apache refuses to start ("${says}").`,
    start: p.start,
    end: p.end,
  };
}

export default defineRule({
  id: "regex-invalid",
  severity: "error",
  description: "A regular expression (RewriteRule, RewriteCond, ProxyPassMatch, *Match sections) that does not compile",
  fixable: "none",
  doc: {
    problem:
      "A regular expression that PCRE2, the regex library Apache uses, cannot compile: an unclosed group `(websocket`, " +
      "an unclosed class `[a-z`, a quantifier with nothing to repeat `*.php`, a range out of order `[z-a]`, an escape " +
      "PCRE2 does not know (`\\i`, `\\u0041`), a back-reference to a group that does not exist, a lookbehind of variable " +
      "length `(?<=a+)`. Checked: the patterns of RewriteRule (after a leading `!`), RewriteCond (when the CondPattern " +
      "is a regex, not `-f`, `=x`, `<x`, `-lt5` … nor `expr`), ProxyPassMatch and `ProxyPass ~`, RedirectMatch, " +
      "AliasMatch, ScriptAliasMatch, ProxyRemoteMatch, BrowserMatch, SetEnvIf, `Header edit`, and the sections " +
      "<LocationMatch>, <DirectoryMatch>, <FilesMatch>, <ProxyMatch>, `<Location ~ …>`, `<Directory ~ …>`, `<Files ~ …>`.",
    bad: "RewriteEngine On\nRewriteCond %{HTTP:Upgrade} (websocket [NC]\nRewriteRule ^/ws/(.*) ws://127.0.0.1:13001/ws/$1 [P,L]",
    good: "RewriteEngine On\nRewriteCond %{HTTP:Upgrade} websocket [NC]\nRewriteRule ^/ws/(.*) ws://127.0.0.1:13001/ws/$1 [P,L]",
    why:
      "Apache compiles every pattern when it reads the configuration and refuses to start on the first one that fails " +
      "(`RewriteCond: cannot compile regular expression '(websocket'`, `Regex could not be compiled`), without saying " +
      "what is wrong with it; this rule names the reason. Valid PCRE2 that JavaScript would reject is accepted: inline " +
      "options `(?i)`, atomic groups `(?>…)`, possessive quantifiers `a++`, `\\Q…\\E`, `(?P<name>…)`, `\\A \\z \\h`, " +
      "POSIX classes `[[:alpha:]]`, comments `(?#…)`, backtracking verbs. The checker is held to apache2 -t on a corpus " +
      "of patterns (test/rules-context.test.ts). mod_rewrite reads its own arguments: it never removes a `\\`, so " +
      '`RewriteRule "\\\\(" …` compiles `\\\\(`, an unclosed group. Patterns containing `${…}` are skipped (core ' +
      "replaces them first); extended mode `(?x)`, conditionals `(?(…)…)`, callouts and Unicode script names are not " +
      "judged.",
    versions:
      "All 2.4 releases. Measured on Debian's 2.4.71 built with PCRE2 10.42; builds against PCRE1, or a newer PCRE2 " +
      "(10.43 accepts some variable-length lookbehinds and reads `{,3}` as a quantifier), can differ on rare patterns.",
    cases: ["m22"],
  },
  check({ file }) {
    const out: Report[] = [];
    for (const d of directives(file)) {
      const src = DIRECTIVES[d.key];
      if (!src) continue;
      const p = src.pattern(file, d);
      const r = p && report(p, d.name, src.says);
      if (r) out.push(r);
    }
    for (const s of sections(file)) {
      const p = sectionPattern(s);
      const r = p && report(p, `<${s.name}>`, "Regex could not be compiled");
      if (r) out.push(r);
    }
    return out.sort((a, b) => a.start - b.start);
  },
});
