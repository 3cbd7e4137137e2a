// Regenerates src/data/directives.ts by asking Debian's apache2 itself:
//   npm run build && node dist/src/tools/gen-directive-table.js > src/data/directives.ts
//
// 1. Which module defines a directive: `apache2 -L` with every module of the
//    module table loaded, once per MPM (each MPM defines its own directives).
// 2. Its arity class: Apache checks the argument count before a directive's
//    handler runs and says so in fixed words (server/config.c, invoke_cmd), so
//    each directive is run with no argument, then with one, and the message
//    names the class ("must be On or Off" is FLAG, "takes one argument" TAKE1 …).
//    A directive that accepts an empty line and one word is RAW_ARGS/TAKE_ARGV: "raw".
// 3. Enumerated values: FLAG directives accept On|Off. The other enumerations
//    are listed below by hand and checked here: every listed value must pass
//    `apache2 -t` and an unlisted one must fail, or generation stops.
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { BUILTIN_MODULE_SOURCES, DEBIAN_MODULE_DIR, MODULES } from "../data/modules.js";
import { apacheTest, loadOrder, MPMS, pool } from "./probe-support.js";

interface Enumeration {
  /** allowed values per argument position; null: free */
  values?: (string[] | null)[];
  /** every argument comes from this set */
  each?: string[];
  /** each value may also be written +value or -value (Options, SSLProtocol …) */
  signed?: true;
  /** values that take no sign (default: None); probed signed are the others */
  bare?: string[];
  /** values Apache takes only as -value (SSLProtocol -SSLv3 where OpenSSL has no SSLv3): listed in `each` */
  removable?: string[];
  /** signed and bare values may not be mixed on one line (Options) */
  unmixed?: true;
  /** a valid argument list to vary one position of (default: the first value of each position) */
  example?: string[];
}

// Non-FLAG directives whose arguments come from a fixed set (mod docs; checked against apache2 below).
const ENUMERATED: Record<string, Enumeration> = {
  AcceptPathInfo: { values: [["On", "Off", "Default"]] },
  AllowEncodedSlashes: { values: [["On", "Off", "NoDecode"]] },
  EnableMMAP: { values: [["On", "Off"]] },
  EnableSendfile: { values: [["On", "Off"]] },
  ForceLanguagePriority: { each: ["None", "Prefer", "Fallback"] },
  HostnameLookups: { values: [["On", "Off", "Double"]] },
  HttpProtocolOptions: { each: ["Strict", "Unsafe", "RegisteredMethods", "LenientMethods", "Allow0.9", "Require1.0"] },
  IndexOrderDefault: { values: [["Ascending", "Descending"], ["Name", "Date", "Size", "Description"]] },
  KeepAlive: { values: [["On", "Off"]] },
  MergeTrailers: { values: [["On", "Off"]] },
  MultiviewsMatch: { each: ["Any", "NegotiatedOnly", "Filters", "Handlers"] },
  Order: { values: [["Deny,Allow", "Allow,Deny", "Mutual-failure"]] },
  ProxyBadHeader: { values: [["IsError", "Ignore", "StartBody"]] },
  ProxyErrorOverride: { values: [["On", "Off"]] },
  ProxyStatus: { values: [["Off", "On", "Full"]] },
  ProxyVia: { values: [["Off", "On", "Full", "Block"]] },
  RemoteIPProxyProtocol: { values: [["On", "Off"]] },
  RewriteOptions: {
    each: ["Inherit", "InheritBefore", "InheritDown", "InheritDownBefore", "IgnoreInherit", "AllowNoSlash", "AllowAnyURI", "MergeBase", "IgnoreContextInfo", "LegacyPrefixDocRoot"],
  },
  Satisfy: { values: [["Any", "All"]] },
  Options: { each: ["None", "All", "Indexes", "Includes", "IncludesNOEXEC", "FollowSymLinks", "SymLinksIfOwnerMatch", "ExecCGI", "MultiViews"], signed: true, bare: ["All", "None"], unmixed: true },
  FileETag: { each: ["INode", "MTime", "Size", "All", "None", "Digest"], signed: true, bare: ["All", "None"] },
  SSLProtocol: { each: ["all", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"], signed: true, bare: [], removable: ["SSLv2", "SSLv3"] },
  SSLProxyProtocol: { each: ["all", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"], signed: true, bare: [], removable: ["SSLv2", "SSLv3"] },
  SSLOptions: { each: ["StdEnvVars", "ExportCertData", "FakeBasicAuth", "StrictRequire", "OptRenegotiate", "LegacyDNStringFormat"], signed: true },
  RegexDefaultOptions: { each: ["None", "ICASE", "DOTALL", "DOLLAR_ENDONLY"], signed: true },
  SSLCARevocationCheck: { values: [["chain", "leaf", "none"], ["no_crl_for_cert_ok"]] },
  SSLProxyCARevocationCheck: { values: [["chain", "leaf", "none"], ["no_crl_for_cert_ok"]] },
  SSLOCSPEnable: { values: [["on", "leaf", "off"], ["no_ocsp_for_cert_ok"]] },
  ServerSignature: { values: [["On", "Off", "EMail"]] },
  ServerTokens: { values: [["Full", "OS", "Minor", "Minimal", "Min", "Major", "Prod", "ProductOnly"]] },
  SSLProxyVerify: { values: [["none", "optional", "require", "optional_no_ca"]] },
  SSLVerifyClient: { values: [["none", "optional", "require", "optional_no_ca"]] },
  TraceEnable: { values: [["On", "Off", "Extended"]] },
  UseCanonicalName: { values: [["On", "Off", "DNS"]] },
  XBitHack: { values: [["On", "Off", "Full"]] },
};

const byFile = new Map(MODULES.map((m) => [m.file, m]));
const byName = new Map(MODULES.map((m) => [m.name, m]));

const root = mkdtempSync(join(tmpdir(), "apachelint-gen-"));
mkdirSync(join(root, "logs"));
mkdirSync(join(root, "run"));

function skeleton(mpm: string): string {
  return [
    "ServerName localhost",
    "PidFile run/httpd.pid",
    "DefaultRuntimeDir run",
    "ErrorLog logs/error.log",
    ...loadOrder(mpm).map((m) => `LoadModule ${m.id} ${DEBIAN_MODULE_DIR}/${m.file}`),
  ].join("\n");
}

interface Outcome {
  ok: boolean;
  /** Apache's message about the probed line, or "" */
  message: string;
  /** the error is about the probed line */
  onLine: boolean;
}

/** Runs `apache2 -t` on the skeleton followed by `body`; `line` is the body line being probed (1-based). */
async function probe(mpm: string, body: string[], line: number): Promise<Outcome> {
  const base = skeleton(mpm);
  const target = base.split("\n").length + line;
  const { code, stderr } = await apacheTest(root, `${base}\n${body.join("\n")}\n`);
  const lines = stderr.split("\n");
  const i = lines.findIndex((l) => /Syntax error on line \d+ of /.test(l));
  if (code === 0 || i < 0) return { ok: code === 0, message: "", onLine: false };
  const head = lines[i]!;
  const n = Number(/line (\d+) of/.exec(head)![1]);
  // one-line form "apache2: Syntax error on line N of F: MSG", or the two-line AH00526 form
  const one = /Syntax error on line \d+ of [^:]+: (.*)$/.exec(head);
  const message = one ? one[1]! : (lines[i + 1] ?? "");
  return { ok: false, message, onLine: n === target };
}


// 1. who defines what
function moduleOfSource(src: string): string {
  if (BUILTIN_MODULE_SOURCES.includes(src)) return "core";
  const mpm = /^(event|worker|prefork)\.c$/.exec(src);
  if (mpm) return `mpm_${mpm[1]}`;
  const m = byFile.get(src.replace(/\.c$/, ".so")) ?? (src === "util_ldap.c" ? byName.get("ldap") : undefined);
  if (!m) throw new Error(`no module for source file ${src}`);
  return m.name;
}

const defined = new Map<string, { modules: Set<string>; mpm: string }>();
for (const mpm of MPMS) {
  writeFileSync(join(root, "all.conf"), skeleton(mpm) + "\n");
  const out = execFileSync("apache2", ["-L", "-d", root, "-f", join(root, "all.conf")], { encoding: "utf8" });
  for (const line of out.split("\n")) {
    const m = /^(\S+) \((\S+\.c)\)$/.exec(line);
    if (!m) continue;
    const entry = defined.get(m[1]!) ?? { modules: new Set<string>(), mpm };
    entry.modules.add(moduleOfSource(m[2]!));
    defined.set(m[1]!, entry);
  }
}

// 2. arity
const ARITY: [RegExp, string][] = [
  [/ must be On or Off$/, "flag"],
  [/ takes no arguments$/, "no-args"],
  [/ takes one argument(,|$)/, "take1"],
  [/ takes two arguments(,|$)/, "take2"],
  [/ takes three arguments(,|$)/, "take3"],
  [/ takes 1-2 arguments(,|$)/, "take12"],
  [/ takes one, two or three arguments(,|$)/, "take123"],
  [/ takes one or three arguments(,|$)/, "take13"],
  [/ takes two or three arguments(,|$)/, "take23"],
  [/ requires at least one argument(,|$)/, "iterate"],
  [/ requires at least two arguments(,|$)/, "iterate2"],
];
const CONTEXTS: [string[], string[]][] = [
  [[], []],
  [['<Directory "/">'], ["</Directory>"]],
];

function classify(name: string, message: string): string | null {
  for (const [re, arity] of ARITY) if (message.startsWith(name) && re.test(message)) return arity;
  return null;
}

interface Probed {
  name: string;
  arity: string;
  context: number;
}

async function arityOf(name: string, mpm: string): Promise<Probed> {
  if (name.startsWith("<")) return { name, arity: "section", context: 0 };
  for (let c = 0; c < CONTEXTS.length; c++) {
    const [open, close] = CONTEXTS[c]!;
    const empty = await probe(mpm, [...open, name, ...close], open.length + 1);
    if (empty.onLine && /not allowed here|cannot occur within|not allowed in/.test(empty.message)) continue;
    if (empty.onLine) return { name, arity: classify(name, empty.message) ?? "raw", context: c };
    const one = await probe(mpm, [...open, `${name} x`, ...close], open.length + 1);
    return { name, arity: one.onLine && classify(name, one.message) === "no-args" ? "no-args" : "raw", context: c };
  }
  return { name, arity: "raw", context: 0 };
}

const names = [...defined.keys()].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
const probed = await pool(names, 4, (n) => arityOf(n, defined.get(n)!.mpm));
const probedBy = new Map(probed.map((p) => [p.name, p]));

// 3. check the hand-listed enumerations against apache2
const failures: string[] = [];
const wrap = (name: string, args: string[]) => {
  const p = probedBy.get(name)!;
  const [open, close] = CONTEXTS[p.context]!;
  const quoted = args.map((a) => (/[\s,]/.test(a) ? `"${a}"` : a));
  return { body: [...open, `${name} ${quoted.join(" ")}`, ...close], line: open.length + 1 };
};
const checks: { name: string; args: string[]; expectOk: boolean }[] = [];
// Apache spells a few directives in lower case ("order"): match names case-insensitively, as it does.
const probedName = new Map(probed.map((p) => [p.name.toLowerCase(), p.name]));
const enumOf = new Map(Object.entries(ENUMERATED).map(([k, e]) => [k.toLowerCase(), e]));
for (const [listed, e] of Object.entries(ENUMERATED)) {
  const name = probedName.get(listed.toLowerCase());
  if (!name) {
    failures.push(`${listed}: not a directive of this apache2`);
    continue;
  }
  if (e.each) {
    for (const v of e.each) checks.push({ name, args: [v], expectOk: true });
    checks.push({ name, args: ["bogus4167"], expectOk: false });
    if (e.signed) {
      const bare = e.bare ?? ["None"];
      for (const v of e.each.filter((x) => !bare.includes(x))) checks.push({ name, args: [`+${v}`], expectOk: true }, { name, args: [`-${v}`], expectOk: true });
      checks.push({ name, args: ["+bogus4167"], expectOk: false });
      for (const v of e.removable ?? []) checks.push({ name, args: [e.each[0]!, `-${v}`], expectOk: true });
      const [a, b] = e.each.filter((x) => !bare.includes(x));
      checks.push({ name, args: [a!, `+${b}`], expectOk: !e.unmixed });
    }
  }
  if (e.values) {
    const example = e.example ?? e.values.map((v) => v?.[0] ?? "x");
    e.values.forEach((set, i) => {
      if (!set) return;
      for (const v of set) checks.push({ name, args: example.map((x, j) => (j === i ? v : x)), expectOk: true });
      checks.push({ name, args: example.map((x, j) => (j === i ? "bogus4167" : x)), expectOk: false });
    });
  }
}
await pool(checks, 4, async (c) => {
  const { body, line } = wrap(c.name, c.args);
  const r = await probe(defined.get(c.name)!.mpm, body, line);
  const rejected = !r.ok && r.onLine;
  if (c.expectOk ? !r.ok : !rejected) failures.push(`${c.name} ${c.args.join(" ")}: expected ${c.expectOk ? "Syntax OK" : "an error"}, got ${r.ok ? "Syntax OK" : r.message}`);
});
rmSync(root, { recursive: true, force: true });
if (failures.length) {
  process.stderr.write(`gen-directive-table: the enumerations do not match apache2:\n${failures.join("\n")}\n`);
  process.exit(1);
}

let version = "unknown";
try {
  version = /Apache\/(\S+)/.exec(execFileSync("apache2", ["-v"], { encoding: "utf8" }))?.[1] ?? version;
} catch {
  /* reported by the runs above */
}

const j = JSON.stringify;
const rows = probed.map((p) => {
  const mods = [...defined.get(p.name)!.modules].sort();
  const e = enumOf.get(p.name.toLowerCase());
  let extra = "";
  if (p.arity === "flag") extra = `, values: [["On","Off"]]`;
  else if (e?.values) extra = `, values: ${j(e.values)}`;
  if (e?.each) extra += `, each: ${j([...e.each, ...(e.removable ?? [])])}`;
  if (e?.signed) extra += ", signed: true";
  if (e?.unmixed) extra += ", unmixed: true";
  return `  { name: ${j(p.name)}, modules: ${j(mods)}, arity: ${j(p.arity)}${extra} },`;
});

process.stdout.write(`// Generated by src/tools/gen-directive-table.ts from Debian's apache2 ${version}
// (\`apache2 -L\` and \`apache2 -t\` probes with every module loaded). Do not edit by hand: regenerate.

/**
 * How Apache counts a directive's arguments before its handler runs
 * (server/config.c): FLAG, NO_ARGS, TAKE1 … ITERATE2; "raw" is RAW_ARGS or
 * TAKE_ARGV (the handler parses the line itself); "section" is a <Container>.
 */
export type Arity =
  | "flag" | "no-args" | "take1" | "take2" | "take3" | "take12" | "take123" | "take13" | "take23"
  | "iterate" | "iterate2" | "raw" | "section";

export interface DirectiveInfo {
  /** as Apache spells it; sections start with "<" */
  readonly name: string;
  /** a2enmod names of the modules that define it (any one will do); "core" for the compiled-in ones */
  readonly modules: readonly string[];
  readonly arity: Arity;
  /** allowed values (case-insensitive) per argument position; null: any value */
  readonly values?: readonly (readonly string[] | null)[];
  /** allowed values (case-insensitive) for every argument */
  readonly each?: readonly string[];
  /** each value may also be written +value or -value */
  readonly signed?: true;
  /** a line may not mix +value/-value with bare values ("Either all Options must start with + or -, or no Option may.") */
  readonly unmixed?: true;
}

export const DIRECTIVES: readonly DirectiveInfo[] = [
${rows.join("\n")}
];
`);
