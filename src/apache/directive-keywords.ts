// How the directives that parse their own line read their keywords and
// key=value words, and what they refuse: one reader per directive, each
// following its handler in Apache 2.4.71 (the tables and their sources are in
// src/data/directive-keywords.ts). A reader answers only where the refusal is
// certain; a word holding `${VAR}` is never judged.
import { joinedLine, type Argument, type Directive } from "../../grammar/index.js";
import {
  AUTHNZ_FCGI_OPTIONS, EXT_FILTER_MODES, EXT_FILTER_PARAMETERS, LOG_LEVEL_SAID, LOG_LEVEL_SYNONYMS, LOG_LEVELS,
  MUTEX_MECHANISMS, MUTEX_MECHANISMS_SAID, MUTEX_TYPES, REQUEST_READ_TIMEOUT_STAGES, SETENVIF_SPECIAL_ATTRIBUTES, SSL_MODE_FLAG_DIRECTIVES,
} from "../data/directive-keywords.js";
import { moduleNameSuggestions, moduleSpelling, type ModuleKnowledge } from "./conditions.js";
import { allowedValues, directiveInfo, matchAllowed } from "./directives.js";
import { editDistance } from "./edit-distance.js";
import { moduleById } from "./modules.js";
import { analyzeRegex } from "./pcre.js";

export interface KeywordProblem {
  start: number;
  end: number;
  /** what is wrong and what to write instead */
  what: string;
  /** Apache's refusal, verbatim */
  says: string;
  /** the verdict depends on the modules the server loads: a body Apache skips is not judged */
  needsModules?: true;
  /** the word meant, when it is clear: `with` for `of`, which text[start, end) must be exactly */
  replacement?: { of: string; with: string };
}

export type KeywordReader = (d: Directive, server: ModuleKnowledge) => KeywordProblem[];

/** The words Apache's handler sees; a trailing `# comment` is trailing-comment's finding. */
function words(d: Directive): readonly Argument[] {
  const c = d.trailingCommentIndex;
  return c === -1 ? d.args : d.args.slice(0, c);
}

const hasVar = (a: Argument) => a.raw.includes("${");
const on = (a: Argument) => ({ start: a.start, end: a.end });
const whole = (d: Directive) => ({ start: d.start, end: d.end });
const lower = (s: string) => s.toLowerCase();
const listOf = (xs: readonly string[]) => xs.map((x) => `\`${x}\``).join(", ");
const moduleLabel = (name: string) => `mod_${name}`;

/** The one known word `w` is a typo of (edit distance 1, or 2 for words of five letters or more), case aside. */
function nearest(w: string, known: readonly string[]): string | undefined {
  const limit = w.length >= 5 ? 2 : 1;
  const near = known.filter((k) => editDistance(lower(w), lower(k), { max: limit }) <= limit);
  return near.length === 1 ? near[0] : undefined;
}

/** A module this project does not know is loaded: its names, mutex types and source file are not in the tables. */
function thirdPartyLoaded(server: ModuleKnowledge): boolean {
  for (const l of server.loaded.values()) if (!moduleById(l.id)) return true;
  return false;
}

// ------------------------------------------------------------------ Mutex

const mechanismOf = (w: string) => lower(w.split(":")[0]!);
const MUTEX_TYPE_NAMES = Object.keys(MUTEX_TYPES);

function mutexTypeProblem(a: Argument, server: ModuleKnowledge): KeywordProblem | null {
  const t = a.value;
  const says = `Mutex type ${t} is not valid`;
  const modules = Object.hasOwn(MUTEX_TYPES, t) ? MUTEX_TYPES[t]! : undefined;
  if (modules) {
    if (!modules.length || !server.managesModules || modules.some((m) => server.isLoaded(m))) return null;
    const what =
      t === "mpm-accept"
        ? "`mpm-accept` is the accept mutex of the prefork and worker MPMs, and this server runs another MPM"
        : `\`${t}\` is the mutex of ${modules.map(moduleLabel).join(" or ")}, which this server does not load`;
    return { ...on(a), what, says, needsModules: true };
  }
  const folded = MUTEX_TYPE_NAMES.find((k) => lower(k) === lower(t));
  if (folded) return { ...on(a), what: `mutex type names are case-sensitive: \`${t}\` is not \`${folded}\``, says, replacement: { of: t, with: folded } };
  if (MUTEX_MECHANISMS.includes(mechanismOf(t))) {
    return { ...on(a), what: `\`${t}\` is a mechanism, not a mutex type: a Mutex line has one mechanism, first, then the mutex types`, says };
  }
  if (!server.managesModules || thirdPartyLoaded(server)) return null;
  const here = MUTEX_TYPE_NAMES.filter((k) => !MUTEX_TYPES[k]!.length || MUTEX_TYPES[k]!.some((m) => server.isLoaded(m)));
  const meant = nearest(t, here);
  return {
    ...on(a),
    what: `\`${t}\` is not a mutex type of this server${meant ? ` (did you mean \`${meant}\`?)` : ""}: its modules register ${listOf(here)}`,
    says,
    needsModules: true,
    ...(meant && { replacement: { of: t, with: meant } }),
  };
}

const mutex: KeywordReader = (d, server) => {
  const w = words(d);
  const first = w[0];
  if (!first || first.value === "") {
    return [{ ...(first ? on(first) : whole(d)), what: "Mutex needs a mechanism first (`default`, `file:/dir`, `sysvsem` …), then the mutex types", says: `Mutex requires at least a mechanism argument (${MUTEX_MECHANISMS_SAID})` }];
  }
  if (hasVar(first)) return w.slice(1).filter((a) => !hasVar(a) && lower(a.value) !== "omitpid").flatMap((a) => mutexTypeProblem(a, server) ?? []);
  const mechanism = mechanismOf(first.value);
  if (!MUTEX_MECHANISMS.includes(mechanism)) {
    const isType = MUTEX_TYPE_NAMES.some((k) => lower(k) === lower(first.value));
    const what = isType
      ? `\`${first.value}\` is a mutex type, and Mutex takes the mechanism first (\`Mutex default ${first.value}\`)`
      : `\`${first.value}\` is not a mutex mechanism: use ${listOf(["default", "file:/dir", "fcntl:/dir", "flock:/dir", "sysvsem", "posixsem", "sem", "pthread"])}`;
    return [{ ...on(first), what, says: `Invalid Mutex argument ${first.value} (${MUTEX_MECHANISMS_SAID})` }];
  }
  const types = w.slice(1).filter((a) => !hasVar(a) && lower(a.value) !== "omitpid");
  const out = types.flatMap((a) => mutexTypeProblem(a, server) ?? []);
  if (mechanism === "none" || mechanism === "no") {
    // Apache takes the types last first; none of them (nor `default`) may be turned off on 2.4.71
    const last = types.length ? types[types.length - 1]!.value : w.length > 1 ? null : "default";
    if (last !== null) {
      out.unshift({ ...on(first), what: `\`${first.value}\` turns a mutex off, and no mutex of Apache's modules may be turned off: use \`default\` or another mechanism`, says: `None is not allowed for mutex type ${last}` });
    }
  }
  return out;
};

// ------------------------------------------------------------------ LogLevel

const isLevel = (l: string) => LOG_LEVELS.includes(lower(l));

function levelProblem(level: string, span: { start: number; end: number }, says: string): KeywordProblem {
  const meant = LOG_LEVEL_SYNONYMS[lower(level)] ?? nearest(level, LOG_LEVELS);
  return {
    ...span,
    what: `\`${level}\` is not a log level${meant ? ` (did you mean \`${meant}\`?)` : ""}: the levels are emerg, alert, crit, error, warn, notice, info, debug and trace1 to trace8`,
    says,
    ...(meant && { replacement: { of: level, with: meant } }),
  };
}

/** Does find_module find a module of this server by `name` (identifier, identifier without `_module`, or source file)? */
function logModuleFound(name: string, server: ModuleKnowledge): boolean {
  for (const n of [name, `${name}_module`]) {
    const s = moduleSpelling(n);
    if (s && (s.builtin || server.isLoaded(s.module))) return true;
  }
  for (const l of server.loaded.values()) if (l.id === name || l.id === `${name}_module`) return true;
  // a module the tables do not know answers to a source file name they cannot list
  return name.endsWith(".c") && thirdPartyLoaded(server);
}

const shortId = (id: string) => id.replace(/_module$/, "");

function logModuleProblem(name: string, span: { start: number; end: number }, server: ModuleKnowledge): KeywordProblem | null {
  if (logModuleFound(name, server)) return null;
  const says = `Cannot find module ${name}`;
  const spelled = moduleSpelling(name) ?? moduleSpelling(`${name}_module`);
  if (spelled) {
    // a right name for a module this server does not load
    if (!server.managesModules) return null;
    return { ...span, what: `\`${name}\` names mod_${spelled.module}, which this server does not load`, says, needsModules: true };
  }
  const [meant, ...others] = moduleNameSuggestions(name);
  if (meant && others.length === 0) {
    const short = shortId(meant.id);
    const forms = `\`${short}\`, \`${meant.id}\` or \`${meant.source}\``;
    return { ...span, what: `LogLevel knows no module called \`${name}\`: write ${forms} (names are case-sensitive)`, says, replacement: { of: name, with: short } };
  }
  if (!server.managesModules || thirdPartyLoaded(server)) return null;
  return {
    ...span,
    what: `no module this server loads is called \`${name}\`: LogLevel takes a module's identifier with or without \`_module\` (\`rewrite\`, \`rewrite_module\`) or its source file (\`mod_rewrite.c\`)`,
    says,
    needsModules: true,
  };
}

const logLevel: KeywordReader = (d, server) => {
  const out: KeywordProblem[] = [];
  for (const a of words(d)) {
    if (hasVar(a) || a.value === "") continue;
    const v = a.value;
    // a word without escapes or continuations is written as it is read: its parts can be pointed at
    const at = a.start + (a.quote ? 1 : 0);
    const plain = a.raw.length === v.length + (a.quote ? 2 : 0);
    const part = (from: number, to: number) => (plain ? { start: at + from, end: at + to } : on(a));
    const colon = v.lastIndexOf(":");
    if (colon === -1) {
      if (!isLevel(v)) out.push(levelProblem(v, part(0, v.length), LOG_LEVEL_SAID));
      continue;
    }
    const name = v.slice(0, colon);
    const level = v.slice(colon + 1);
    if (level === "") {
      out.push({ ...on(a), what: `\`${v}\` names a module but no level after the \`:\` (\`${name}:info\`)`, says: `Module specifier '${name}' must be followed by a log level keyword` });
      continue;
    }
    if (!isLevel(level)) {
      out.push(levelProblem(level, part(colon + 1, v.length), `${v}: ${LOG_LEVEL_SAID}`));
      continue;
    }
    const p = logModuleProblem(name, part(0, colon), server);
    if (p) out.push(p);
  }
  return out;
};

// ------------------------------------------------------------------ RequestReadTimeout

/** mod_reqtimeout's parse_int: strtol in base 10, the whole value, stored in an int that must not be negative. */
function reqtimeoutInt(s: string): { n: number } | { error: string } {
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d+)/.exec(s);
  if (!m) return { error: `Value '${s}' not numerical` };
  const rest = s.slice(m[0].length);
  if (rest !== "") return { error: `Cannot parse '${rest}'` };
  const LONG_MAX = 2n ** 63n - 1n;
  let n = BigInt(`${m[1]}${m[2]}`);
  if (n > LONG_MAX) n = LONG_MAX;
  if (n < -LONG_MAX - 1n) n = -LONG_MAX - 1n;
  const int = Number(BigInt.asIntN(32, n));
  return int < 0 ? { error: "Value must be non-negative" } : { n: int };
}

/** set_reqtimeout_param's complaint about a stage's value, or null. */
function reqtimeoutValueError(value: string): string | null {
  const parse = (s: string) => reqtimeoutInt(s);
  const rateAt = lower(value).indexOf(",minrate=");
  let initial: ReturnType<typeof parse>;
  let max = 0;
  if (rateAt !== -1) {
    const rate = parse(value.slice(rateAt + ",minrate=".length));
    if ("error" in rate) return rate.error;
    if (rate.n === 0) return "Minimum data rate must be larger than 0";
    const range = value.slice(0, rateAt);
    const dash = range.indexOf("-");
    if (dash !== -1) {
      const m = parse(range.slice(dash + 1));
      if ("error" in m) return m.error;
      max = m.n;
    }
    initial = parse(dash === -1 ? range : range.slice(0, dash));
  } else {
    if (value.includes("-")) return "Must set MinRate option if using timeout range";
    initial = parse(value);
  }
  if ("error" in initial) return initial.error;
  return max && initial.n >= max ? "Maximum timeout must be larger than initial timeout" : null;
}

const REQTIMEOUT_HELP: Readonly<Record<string, string>> = {
  "Must set MinRate option if using timeout range": "a range of seconds (`20-40`) needs `,MinRate=<bytes per second>` after it",
  "Minimum data rate must be larger than 0": "MinRate must be at least 1 byte per second",
  "Maximum timeout must be larger than initial timeout": "the maximum (after `-`) must be larger than the first timeout",
  "Value must be non-negative": "the numbers must be from 0 to 2147483647",
};

const requestReadTimeout: KeywordReader = (d) => {
  const out: KeywordProblem[] = [];
  for (const a of words(d)) {
    if (hasVar(a)) continue;
    const eq = a.value.indexOf("=");
    if (eq === -1) {
      out.push({ ...on(a), what: `\`${a.raw}\` is not a key=value parameter: RequestReadTimeout takes \`handshake=\`, \`header=\` and \`body=\``, says: "Invalid RequestReadTimeout parameter. Parameter must be in the form 'key=value'" });
      continue;
    }
    const key = a.value.slice(0, eq);
    const value = a.value.slice(eq + 1);
    const says = (err: string) => `RequestReadTimeout: ${a.value}: ${err}`;
    if (!REQUEST_READ_TIMEOUT_STAGES.includes(lower(key))) {
      const meant = nearest(key, REQUEST_READ_TIMEOUT_STAGES);
      out.push({
        ...on(a),
        what: `\`${key}\` is not a RequestReadTimeout stage${meant ? ` (did you mean \`${meant}\`?)` : ""}: the stages are handshake, header and body`,
        says: says("Unknown RequestReadTimeout parameter"),
        ...(meant && a.quote === null && { start: a.start, end: a.start + key.length, replacement: { of: key, with: meant } }),
      });
      continue;
    }
    const err = reqtimeoutValueError(value);
    if (err) {
      const help = REQTIMEOUT_HELP[err] ?? "the value is `seconds[-maxseconds][,MinRate=bytes per second]`, in whole numbers";
      out.push({ ...on(a), what: `\`${a.value}\`: ${help}`, says: says(err) });
    }
  }
  return out;
};

// ------------------------------------------------------------------ ExtFilterDefine

const isBlank = (c: string | undefined) => c !== undefined && (c === " " || (c >= "\t" && c <= "\r"));

/**
 * define_filter reads its line itself: the name and each value up to the next
 * blank (quotes are not special, except after `cmd=`), each parameter by its
 * prefix. It stops at the first word it cannot read, and so does this reader.
 */
const extFilterDefine: KeywordReader = (d) => {
  const text = d.file.text;
  if (text.slice(d.nameEnd, d.end).includes("${")) return [];
  const line = joinedLine(text, d.nameEnd, d.end);
  const s = line.text;
  const span = (from: number, to: number) => ({ start: line.offsetAt(from), end: line.offsetAt(Math.max(from, to - 1)) + 1 });
  let i = 0;
  const skip = () => {
    while (isBlank(s[i])) i++;
  };
  const word = () => {
    const from = i;
    while (i < s.length && !isBlank(s[i])) i++;
    const w = s.slice(from, i);
    skip();
    return w;
  };
  skip();
  word(); // the filter's name
  while (i < s.length) {
    skip();
    const at = i;
    const rest = lower(s.slice(i));
    const prefix = EXT_FILTER_PARAMETERS.find((p) => rest.startsWith(p));
    if (prefix === undefined) {
      const known = listOf(["mode=", "cmd=", "intype=", "outtype=", "ftype=", "enableenv=", "disableenv=", "PreservesContentLength"]);
      return [{ ...span(at, s.length), what: `\`${s.slice(at, s.length).split(/\s/)[0]}\` is not an ExtFilterDefine parameter (they are ${known}; a value with blanks needs \`cmd="…"\`)`, says: `Unexpected parameter: \`${s.slice(at)}'` }];
    }
    if (prefix === "preservescontentlength") {
      const token = word();
      if (lower(token) !== prefix) return [{ ...span(at, at + token.length), what: `\`${token}\` is not \`PreservesContentLength\``, says: `mangled argument \`${token}'` }];
      continue;
    }
    i += prefix.length;
    if (prefix === "mode=") {
      const from = i;
      const token = word();
      if (!EXT_FILTER_MODES.includes(lower(token))) return [{ ...span(from, from + token.length), what: `ExtFilterDefine's mode is \`output\` or \`input\`, not \`${token}\``, says: `Invalid mode: \`${token}'` }];
      continue;
    }
    if (prefix !== "cmd=" || s[i] !== '"') {
      word();
      continue;
    }
    // parse_cmd: a quoted command runs to the next quote no `\` escapes
    const open = i++;
    let escaping = false;
    while (i < s.length && (s[i] !== '"' || escaping)) {
      escaping = !escaping && s[i] === "\\";
      i++;
    }
    if (i >= s.length) return [{ ...span(at, s.length), what: "the quoted command after `cmd=` has no closing `\"`", says: "Expected cmd= delimiter" }];
    const command = s.slice(open + 1, i);
    i++;
    if (command.trim() === "") return [{ ...span(at, i), what: "`cmd=` names no command", says: "Invalid cmd= parameter" }];
  }
  return [];
};

// ------------------------------------------------------------------ AuthnzFcgiCheckAuthnProvider

const AUTHNZ = "AuthnzFcgiCheckAuthnProvider";
const AUTHNZ_OPTION_NAMES = ["Authoritative", "DefaultUser", "RequireBasicAuth", "UserExpr"];

const authnzFcgiCheckAuthnProvider: KeywordReader = (d) => {
  const w = words(d);
  if (w.some(hasVar)) return [];
  // TAKE_ARGV drops an empty last word
  const argv = w.length && w[w.length - 1]!.value === "" ? w.slice(0, -1) : w;
  const first = argv[0];
  if (!first) return [{ ...whole(d), what: `${AUTHNZ} names a provider first (one AuthnzFcgiDefineProvider defines), or None`, says: `${AUTHNZ}: No provider given` }];
  if (lower(first.value) === "none" && argv.length > 1) {
    return [{ ...on(argv[1]!), what: "`None` turns the FastCGI authorizer off and takes no options after it", says: `Options aren't supported with "None"` }];
  }
  const out: KeywordProblem[] = [];
  for (let k = 1; k < argv.length; k += 2) {
    const option = argv[k]!;
    const value = argv[k + 1];
    const known = Object.hasOwn(AUTHNZ_FCGI_OPTIONS, lower(option.value));
    if (!value) {
      const what = known
        ? `\`${option.value}\` needs a value after it`
        : `\`${option.value}\` is not an option of ${AUTHNZ} (${listOf(AUTHNZ_OPTION_NAMES)}, each followed by its value)`;
      out.push({ ...on(option), what, says: `${AUTHNZ}: ${option.value}needs an argument` });
      break;
    }
    if (!known) {
      const meant = nearest(option.value, AUTHNZ_OPTION_NAMES);
      out.push({
        ...on(option),
        what: `\`${option.value}\` is not an option of ${AUTHNZ}${meant ? ` (did you mean \`${meant}\`?)` : ""}: the options are ${listOf(AUTHNZ_OPTION_NAMES)}`,
        says: `${AUTHNZ}: Unexpected option '${option.value}'`,
        ...(meant && { replacement: { of: option.value, with: meant } }),
      });
      continue;
    }
    const allowed = AUTHNZ_FCGI_OPTIONS[lower(option.value)];
    if (allowed && !matchAllowed(allowed, value.value)) {
      out.push({ ...on(value), what: `${option.value} takes On or Off, not \`${value.value}\``, says: `${AUTHNZ}: Bad argument '${value.value}' to option '${option.value}'` });
    }
  }
  return out;
};

// ------------------------------------------------------------------ mod_ssl modes with flags

/** No mode at all, or a word after the flag position that is not the flag: the mode and the flag are directive-invalid-value's. */
const sslModeFlags: KeywordReader = (d) => {
  const info = directiveInfo(d.key)!;
  const flag = allowedValues(info, 1)?.[0];
  const modes = allowedValues(info, 0) ?? [];
  const w = words(d);
  if (w.length === 0) return [{ ...whole(d), what: `${info.name} needs a mode: ${modes.join(", ")}`, says: `${info.name}: Invalid argument ''` }];
  if (!flag) return [];
  return w
    .slice(2)
    .filter((a) => !hasVar(a) && lower(a.value) !== lower(flag))
    .map((a) => ({ ...on(a), what: `${info.name} takes a mode and then only \`${flag}\`, not \`${a.value}\``, says: `${info.name}: Invalid argument '${a.value}'` }));
};

// ------------------------------------------------------------------ SetEnvIf

/** The first word of SetEnvIf is compiled as a regex over the header names when it is no plain name. */
const setEnvIfAttribute: KeywordReader = (d) => {
  const a = d.args[0];
  if (!a || a.value === "" || hasVar(a) || d.trailingCommentIndex === 0) return [];
  const v = a.value;
  if (SETENVIF_SPECIAL_ATTRIBUTES.includes(lower(v)) || /^[-A-Za-z0-9_]*$/.test(v)) return [];
  const check = analyzeRegex(v).check;
  if (check.valid !== false) return [];
  const name = directiveInfo(d.key)!.name;
  return [{
    ...on(a),
    what: `\`${v}\` is no header name (it has characters other than letters, digits, \`-\` and \`_\`), so ${name} compiles it as a regular expression over the header names, and it is not one (${check.reason})`,
    says: `${name}Header name regex could not be compiled.`,
  }];
};

// ------------------------------------------------------------------ ProxyHCExpr

/** PROXY_WORKER_MAX_SCHEME_SIZE - 1: set_hc_condition's limit on the name. */
const HC_EXPR_NAME_MAX = 15;

/**
 * set_hc_condition: a name, then one expression read by ap_getword_conf2 (a
 * quoted word, a `{…}` block with nested braces, or a bare word), then
 * nothing. Whether the expression parses is ap_expr's business, not judged here.
 */
const proxyHcExpr: KeywordReader = (d) => {
  const text = d.file.text;
  if (text.slice(d.nameEnd, d.end).includes("${")) return [];
  const name = d.args[0];
  if (!name || name.value === "") return [{ ...(name ? on(name) : whole(d)), what: "ProxyHCExpr needs a name and an expression (`ProxyHCExpr ok2xx {%{REQUEST_STATUS} =~ /^2/}`)", says: "Missing expression name for ProxyHCExpr" }];
  if (name.value.length > HC_EXPR_NAME_MAX) return [{ ...on(name), what: `the expression name \`${name.value}\` is ${name.value.length} characters long, and ProxyHCExpr takes at most ${HC_EXPR_NAME_MAX}`, says: `Expression name limited to ${HC_EXPR_NAME_MAX} characters` }];
  const line = joinedLine(text, name.end, d.end);
  const s = line.text;
  let i = 0;
  while (isBlank(s[i])) i++;
  if (i >= s.length) return [{ ...whole(d), what: `ProxyHCExpr ${name.value} has no expression after its name`, says: "Missing expression for ProxyHCExpr" }];
  if (s[i] === '"' || s[i] === "'") {
    // ap_getword_conf: the quoted word the argument scanner found too
    const end = d.args[1]!.end;
    while (i < s.length && line.offsetAt(i) < end) i++;
  } else if (s[i] === "{") {
    let depth = 1;
    for (i++; i < s.length; i++) {
      if (s[i] === "}" && --depth === 0) break;
      if (s[i] === "{") depth++;
      if (s[i] === "\\" && s[i + 1] === "\\") i++;
    }
    if (s[i] === "}") i++;
  } else {
    while (i < s.length && !isBlank(s[i])) i++;
  }
  while (isBlank(s[i])) i++;
  if (i >= s.length) return [];
  return [{
    start: line.offsetAt(i),
    end: d.end,
    what: `ProxyHCExpr takes one expression after its name: quote it or put it in braces as one word (\`{%{REQUEST_STATUS} =~ /^[23]/}\`), and nothing after it`,
    says: "error: extra parameter(s)",
  }];
};

/** The readers by lower-cased directive name. */
export const KEYWORD_READERS: Readonly<Record<string, KeywordReader>> = {
  mutex,
  loglevel: logLevel,
  requestreadtimeout: requestReadTimeout,
  extfilterdefine: extFilterDefine,
  authnzfcgicheckauthnprovider: authnzFcgiCheckAuthnProvider,
  ...Object.fromEntries(SSL_MODE_FLAG_DIRECTIVES.map((k) => [k, sslModeFlags])),
  setenvif: setEnvIfAttribute,
  setenvifnocase: setEnvIfAttribute,
  proxyhcexpr: proxyHcExpr,
};

