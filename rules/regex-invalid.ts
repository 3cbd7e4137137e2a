// A regular expression Apache cannot compile stops it at startup. Apache
// compiles with PCRE2 (no UTF mode); src/pcre.ts answers for PCRE2, not for
// JavaScript, so `(?i)`, `a++`, `(?>…)`, `\Q…\E`, `[[:alpha:]]` pass.
import { joinedLine, type Argument, type JoinedLine, type ConfigFile, type Directive, type Section } from "../grammar/index.js";
import { analyzeRegex } from "../src/apache/pcre.js";
import { enclosing, PATH_SECTIONS } from "../src/apache/scope.js";
import { defineRule, type Report } from "../src/core/rule.js";

interface Pattern {
  /** the string Apache hands to the regex compiler */
  value: string;
  start: number;
  end: number;
}

// an unclosed quote swallows the rest of the line: quote-unbalanced's finding
const fromArg = (a: Argument | undefined): Pattern | null => (a && !a.unterminated ? { value: a.value, start: a.start, end: a.end } : null);

// apr_isspace: ASCII blanks only (space, \t \n \v \f \r)
const isBlank = (c: number) => c === 32 || (c >= 9 && c <= 13);

/**
 * RewriteRule and RewriteCond split their line themselves (mod_rewrite's
 * parseargline), not with ap_getword_conf: a word may be quoted with `"` or
 * `'`, a `\` before a blank keeps the blank in the word, and no escape is ever
 * removed, so `"\\("` reaches PCRE2 as `\\(`. At most `max` words (3) are read.
 */
export function rewriteWords(file: ConfigFile, d: Directive, max = 3): Pattern[] {
  const t = file.text;
  const from = d.nameEnd;
  const to = d.end;
  // a line without continuations is read in place: its offsets are the file's
  const nl = t.indexOf("\n", from);
  if (nl === -1 || nl >= to) return splitWords(t, from, to, null, max);
  // the logical line, continuations removed, and the way back to file offsets
  const line = joinedLine(t, from, to);
  return splitWords(line.text, 0, line.text.length, line, max);
}

// The word readWord read last, kept in variables so that reading allocates
// nothing: its value is s[wordFrom, wordTo), it is written s[wordStart, wordEnd).
let wordFrom = 0;
let wordTo = 0;
let wordStart = 0;
let wordEnd = 0;

/** Reads the word at or after i as parseargline does; false when there is none, or its quote never closes. */
function readWord(s: string, i: number, to: number): boolean {
  while (i < to && isBlank(s.charCodeAt(i))) i++;
  if (i >= to) return false;
  const c0 = s.charCodeAt(i);
  const quote = c0 === 34 || c0 === 39 ? c0 : 0;
  const start = quote ? i + 1 : i;
  let j = start;
  while (j < to) {
    const c = s.charCodeAt(j);
    if (quote ? c === quote : isBlank(c)) break;
    // s[j + 1] past the line is no blank
    j += c === 92 && j + 1 < to && isBlank(s.charCodeAt(j + 1)) ? 2 : 1;
  }
  if (quote && j >= to) return false; // an unterminated quote: quote-unbalanced's finding
  wordFrom = start;
  wordTo = j;
  wordStart = quote ? start - 1 : start;
  wordEnd = quote ? j + 1 : j;
  return true;
}

/** parseargline over s[from, to); `at` maps indices of s to file offsets (null: they are file offsets). */
function splitWords(s: string, from: number, to: number, at: JoinedLine | null, max: number): Pattern[] {
  const words: Pattern[] = [];
  let i = from;
  while (words.length < max && readWord(s, i, to)) {
    const start = at ? at.offsetAt(wordStart) : wordStart;
    const end = (at ? at.offsetAt(wordEnd - 1) : wordEnd - 1) + 1;
    words.push({ value: s.slice(wordFrom, wordTo), start, end });
    i = wordEnd;
  }
  return words;
}

/**
 * For the usual RewriteRule / RewriteCond, one line with a valid pattern: true
 * when there is certainly nothing to report, read in place without building
 * the words. A RewriteCond's pattern is its second word, a RewriteRule's its first.
 */
function quietRewrite(file: ConfigFile, d: Directive, cond: boolean): boolean {
  const t = file.text;
  const to = d.end;
  const nl = t.indexOf("\n", d.nameEnd);
  if (nl !== -1 && nl < to) return false;
  if (!readWord(t, d.nameEnd, to)) return true;
  if (cond) {
    if (wordTo - wordFrom === 4 && isExpr(t.slice(wordFrom, wordTo))) return true;
    if (!readWord(t, wordEnd, to)) return true;
  }
  const from = wordFrom < wordTo && t.charCodeAt(wordFrom) === 33 ? wordFrom + 1 : wordFrom;
  const value = t.slice(from, wordTo);
  if (cond && !isRegexCondPattern(value)) return true;
  return value.includes("${") || analyzeRegex(value).check.valid !== false;
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

/**
 * Does the text after the name of the line at `row` contain `word`? Without a
 * `\` on the line an argument's value is its text less the quotes around it,
 * so a value can only be `word` when this is true: a test that spares
 * scanning the arguments of the many lines that have nothing to check.
 */
function mayHave(file: ConfigFile, row: number, word: RegExp | string): boolean {
  const t = file.table;
  const line = file.text.slice(t.nameEnd[row]!, t.end[row]!);
  if (line.includes("\\")) return true;
  return typeof word === "string" ? line.includes(word) : word.test(line);
}

/** `Header [always|onsuccess] edit|edit* name regex replacement`. */
function headerEditPattern(file: ConfigFile, d: Directive): Pattern | null {
  if (!mayHave(file, d.row, /edit/i)) return null;
  const cond = /^(always|onsuccess)$/i.test(d.args[0]?.value ?? "") ? 1 : 0;
  if (!/^edit\*?$/i.test(d.args[cond]?.value ?? "")) return null;
  return fromArg(d.args[cond + 2]);
}

interface Source {
  /** true when the line certainly has nothing to report (a quick test before `pattern`) */
  quiet?(file: ConfigFile, d: Directive): boolean;
  pattern(file: ConfigFile, d: Directive): Pattern | null;
  /** what Apache says when the regex does not compile */
  says: string;
}

/** `RewriteCond expr …` takes an ap_expr, not a regex. */
const isExpr = (v: string) => v.length === 4 && v.toLowerCase() === "expr";

const DIRECTIVES: Record<string, Source> = {
  rewriterule: {
    quiet: (file, d) => quietRewrite(file, d, false),
    pattern: (file, d) => {
      const w = rewriteWords(file, d, 1)[0];
      if (!w) return null;
      return w.value.startsWith("!") ? { ...w, value: w.value.slice(1) } : w;
    },
    says: "RewriteRule: cannot compile regular expression",
  },
  rewritecond: {
    quiet: (file, d) => quietRewrite(file, d, true),
    pattern: (file, d) => {
      const [test, w] = rewriteWords(file, d, 2);
      if (!test || !w || isExpr(test.value)) return null;
      const value = w.value.startsWith("!") ? w.value.slice(1) : w.value;
      return isRegexCondPattern(value) ? { ...w, value } : null;
    },
    says: "RewriteCond: cannot compile regular expression",
  },
  proxypassmatch: {
    pattern: (_f, d) => (enclosing(d, PATH_SECTIONS) ? null : fromArg(d.args[0])),
    says: "Regular expression could not be compiled.",
  },
  proxypass: {
    // the `~` first: most ProxyPass lines have none, and then where they stand does not matter
    pattern: (f, d) => (mayHave(f, d.row, "~") && d.args[0]?.value === "~" && !enclosing(d, PATH_SECTIONS) ? fromArg(d.args[1]) : null),
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
  header: { pattern: headerEditPattern, says: "Header edit regex could not be compiled" },
  requestheader: { pattern: headerEditPattern, says: "Header edit regex could not be compiled" },
};

/** Sections whose argument is a regex, always (`…Match`) or after `~`. <Proxy ~> is not supported by mod_proxy. */
const afterTilde = (s: Section) => (mayHave(s.file, s.row, "~") && s.args[0]?.value === "~" ? fromArg(s.args[1]) : null);
const SECTIONS: Record<string, (s: Section) => Pattern | null> = {
  locationmatch: (s) => fromArg(s.args[0]),
  directorymatch: (s) => fromArg(s.args[0]),
  filesmatch: (s) => fromArg(s.args[0]),
  proxymatch: (s) => fromArg(s.args[0]),
  location: afterTilde,
  directory: afterTilde,
  files: afterTilde,
};

function report(p: Pattern, where: string, says: string): Report | null {
  // core expands ${NAME} before the directive sees its line: the regex is not known here
  if (p.value.includes("${")) return null;
  const r = analyzeRegex(p.value).check;
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
  category: "correctness",
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
      "of patterns (test/rules/regex-invalid.test.ts, test/rules/context-apache.test.ts). mod_rewrite reads its own arguments: it never removes a `\\`, so " +
      '`RewriteRule "\\\\(" …` compiles `\\\\(`, an unclosed group. Patterns containing `${…}` are skipped (core ' +
      "replaces them first); extended mode `(?x)`, conditionals `(?(…)…)`, callouts and Unicode script names are not " +
      "judged.",
    versions:
      "All 2.4 releases. Measured on Debian's 2.4.71 built with PCRE2 10.42; builds against PCRE1, or a newer PCRE2 " +
      "(10.43 accepts some variable-length lookbehinds and reads `{,3}` as a quantifier), can differ on rare patterns.",
    cases: ["m22"],
  },
  create(ctx) {
    const file = ctx.file;
    const directive: Record<string, (d: Directive) => void> = {};
    for (const key of Object.keys(DIRECTIVES)) {
      const src = DIRECTIVES[key]!;
      directive[key] = (d) => {
        if (src.quiet?.(file, d)) return;
        const p = src.pattern(file, d);
        const r = p && report(p, d.name, src.says);
        if (r) ctx.report(r);
      };
    }
    const enter: Record<string, (s: Section) => void> = {};
    for (const key of Object.keys(SECTIONS)) {
      const pattern = SECTIONS[key]!;
      enter[key] = (s) => {
        const p = pattern(s);
        const r = p && report(p, `<${s.name}>`, "Regex could not be compiled");
        if (r) ctx.report(r);
      };
    }
    return { directive, enter };
  },
});
