// Regenerates src/data/directive-contexts.ts by asking Debian's apache2 itself:
//   npx tsc -p . && node dist/src/tools/gen-context-table.js > src/data/directive-contexts.ts
//
// 1. Where a directive's command table allows it: `apache2 -L` with every module
//    loaded prints, per directive, "Allowed in *.conf only outside <Directory>,
//    <Files>, <Location>, or <If>" (RSRC_CONF), "only inside …" (ACCESS_CONF) or
//    "anywhere", and "and in .htaccess when AllowOverride includes X". This is
//    the data behind the manual's "Context:" line, and what server/config.c
//    checks before any handler runs ("X not allowed here").
// 2. What the handlers refuse on top of that (ap_check_cmd_context: "ProxyPass
//    cannot occur within <Directory> section", "Listen cannot occur within
//    <VirtualHost> section"): each directive is run with `apache2 -t` in every
//    kind of section, with sample arguments where a dummy word would fail first.
// 3. The model the rule applies is checked against nested probes (a <Directory>
//    in a <VirtualHost>, an <If> in a <Location>): generation stops if it would
//    predict a different answer than Apache gives.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { DEBIAN_MODULE_DIR } from "../data/modules.js";
import { apacheTest, loadOrder, MPMS, pool } from "./probe-support.js";
import { ARITY_ARGS, argumentSamples, SECTION_SAMPLES } from "./samples.js";
import { DIRECTIVES } from "../data/directives.js";
import type { SectionKind } from "../data/directive-contexts.js";


const root = mkdtempSync(join(tmpdir(), "apachelint-ctx-"));
mkdirSync(join(root, "logs"));
mkdirSync(join(root, "run"));
writeFileSync(join(root, "empty.conf"), "");

function skeleton(mpm: string): string {
  return [
    "ServerName localhost",
    "PidFile run/httpd.pid",
    "DefaultRuntimeDir run",
    "ErrorLog logs/error.log",
    ...loadOrder(mpm).map((m) => `LoadModule ${m.id} ${DEBIAN_MODULE_DIR}/${m.file}`),
  ].join("\n");
}

// ------------------------------------------------------------------ 1. apache2 -L

type Where = "server" | "directory" | "anywhere";

interface Listed {
  name: string;
  where: Where;
  htaccess: string[] | null;
}

function listed(mpm: string): Listed[] {
  writeFileSync(join(root, "all.conf"), `${skeleton(mpm)}\n`);
  const lines = execFileSync("apache2", ["-L", "-d", root, "-f", join(root, "all.conf")], { encoding: "utf8" }).split("\n");
  const out: Listed[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^(\S+) \(\S+\.c\)$/.exec(lines[i]!);
    if (!m) continue;
    let j = i + 1;
    while (j < lines.length && !lines[j]!.startsWith("\tAllowed in")) j++;
    const allowed = lines[j] ?? "";
    const where: Where = allowed.includes("only outside") ? "server" : allowed.includes("only inside") ? "directory" : "anywhere";
    let htaccess: string[] | null = null;
    if (allowed.includes("and in .htaccess")) {
      const when = lines[j + 1] ?? "";
      const inc = /when AllowOverride includes (.+)$/.exec(when);
      htaccess = inc ? inc[1]!.split(" or ").map((s) => s.trim()) : ["any"];
    }
    out.push({ name: m[1]!, where, htaccess });
  }
  return out;
}

// -------------------------------------------------------------------- 2. probes

/** The section kinds probed, each as the lines that open and close it. */
const CONTEXTS: Record<string, [string[], string[]]> = {
  server: [[], []],
  virtualhost: [["<VirtualHost *:80>"], ["</VirtualHost>"]],
  directory: [['<Directory "/tmp">'], ["</Directory>"]],
  directorymatch: [['<DirectoryMatch "^/tmp">'], ["</DirectoryMatch>"]],
  files: [['<Files "x">'], ["</Files>"]],
  filesmatch: [['<FilesMatch "x">'], ["</FilesMatch>"]],
  location: [['<Location "/x">'], ["</Location>"]],
  locationmatch: [['<LocationMatch "^/x">'], ["</LocationMatch>"]],
  proxy: [['<Proxy "http://y/">'], ["</Proxy>"]],
  proxymatch: [['<ProxyMatch "^http://y">'], ["</ProxyMatch>"]],
  if: [['<If "true">'], ["</If>"]],
  limit: [['<Directory "/tmp">', "<Limit GET>"], ["</Limit>", "</Directory>"]],
  // nested: only used to check the model
  "virtualhost/directory": [["<VirtualHost *:80>", '<Directory "/tmp">'], ["</Directory>", "</VirtualHost>"]],
  "location/if": [['<Location "/x">', '<If "true">'], ["</If>", "</Location>"]],
  "virtualhost/location": [["<VirtualHost *:80>", '<Location "/x">'], ["</Location>", "</VirtualHost>"]],
};

const KIND_OF_CONTEXT: Record<string, SectionKind> = {
  server: "server",
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
  limit: "limit",
};

/** Sections named in "X cannot occur within <Name> section", by their kind. */
const KIND_OF_SECTION: Record<string, SectionKind> = {
  VirtualHost: "virtualhost",
  Directory: "directory",
  DirectoryMatch: "directory",
  Files: "files",
  FilesMatch: "files",
  Location: "location",
  LocationMatch: "location",
  Proxy: "proxy",
  ProxyMatch: "proxy",
  If: "if",
  ElseIf: "if",
  Else: "if",
  Limit: "limit",
};

const SAMPLES = argumentSamples(root);

const arityOf = new Map(DIRECTIVES.map((d) => [d.name.toLowerCase(), d.arity]));

type Outcome =
  | { kind: "ok" }
  /** the command table refuses it here ("not allowed here", "not allowed in <X> context") */
  | { kind: "class" }
  /** a handler refuses it within a kind of section, named in its message */
  | { kind: "handler"; section: SectionKind }
  /** a handler refuses it directly here ("only used in <VirtualHost>", "only valid in per-directory config files") */
  | { kind: "here" }
  | { kind: "error"; message: string };

async function probe(mpm: string, lines: string[], target: number): Promise<Outcome> {
  const base = skeleton(mpm);
  const first = base.split("\n").length + 1;
  const { code, stderr: err } = await apacheTest(root, `${base}\n${lines.join("\n")}\n`);
  if (code === 0) return { kind: "ok" };
  const ls = err.split("\n");
  const i = ls.findIndex((l) => /Syntax error on line \d+ of /.test(l));
  if (i < 0) return { kind: "error", message: err.trim() };
  const line = Number(/line (\d+) of/.exec(ls[i]!)![1]);
  const one = /Syntax error on line \d+ of [^:]+: (.*)$/.exec(ls[i]!);
  const message = one ? one[1]! : (ls[i + 1] ?? "");
  if (line !== first + target) return { kind: "error", message: `(line ${line - first}) ${message}` };
  if (/ not allowed here$| not allowed in <\w+> context$/.test(message)) return { kind: "class" };
  const within = /cannot occur within <(\w+)>/.exec(message);
  if (within && KIND_OF_SECTION[within[1]!]) return { kind: "handler", section: KIND_OF_SECTION[within[1]!]! };
  if (/ only used in <VirtualHost>$|only valid in per-directory config files$|is only valid inside a '<\w+' context, not here$/.test(message)) {
    return { kind: "here" };
  }
  return { kind: "error", message };
}


/** The directive's lines and the index of the one Apache must answer about. */
function bodies(name: string): { lines: string[]; target: number }[] {
  if (name.startsWith("<")) {
    const s = SECTION_SAMPLES[name] ?? { open: `${name} x>` };
    const before = s.before ?? [];
    return [{ lines: [...before, s.open, ...(s.body ?? []), `</${name.slice(1)}>`], target: before.length }];
  }
  const samples = SAMPLES[name] ?? [ARITY_ARGS[arityOf.get(name.toLowerCase()) ?? "raw"] ?? "x"];
  return samples.map((a) => ({ lines: [`${name} ${a}`.trimEnd()], target: 0 }));
}

/** Several samples: allowed if any passes; else the first refusal about context; else the first error. */
function combine(outcomes: Outcome[]): Outcome {
  return outcomes.find((o) => o.kind === "ok") ?? outcomes.find((o) => o.kind !== "error") ?? outcomes[0]!;
}

// ---------------------------------------------------------------------- 3. model

interface Entry extends Listed {
  notIn: Set<SectionKind>;
  /** kinds of innermost section (or the top level, "server") its handler refuses */
  notDirectlyIn: Set<SectionKind>;
  /** kinds of section Apache accepts it in although its command table says otherwise */
  alsoIn: Set<SectionKind>;
  outcomes: Record<string, Outcome>;
}

/** Does the command table's class allow the directive in this kind of section? */
function classAllows(e: Listed, kind: SectionKind): boolean {
  const serverLevel = kind === "server" || kind === "virtualhost";
  return serverLevel ? e.where !== "directory" : e.where !== "server";
}

/** What the rule predicts for a directive in a chain of sections (outermost first). */
function predict(e: Entry, chain: SectionKind[]): "ok" | "refused" {
  const innermost = chain[chain.length - 1] ?? "server";
  if (!classAllows(e, innermost) && !e.alsoIn.has(innermost)) return "refused";
  if (e.notDirectlyIn.has(innermost)) return "refused";
  return chain.some((k) => e.notIn.has(k)) ? "refused" : "ok";
}

async function main(): Promise<void> {
  const mpm = "mpm_event";
  // MPM directives differ per MPM; the other MPMs only add names.
  const all = new Map<string, Listed>();
  for (const m of [mpm, ...MPMS.filter((x) => x !== mpm)]) for (const l of listed(m)) if (!all.has(l.name)) all.set(l.name, l);
  const entries: Entry[] = [...all.values()].map((l) => ({ ...l, notIn: new Set(), notDirectlyIn: new Set(), alsoIn: new Set(), outcomes: {} }));
  const jobs = entries.flatMap((e) => Object.keys(CONTEXTS).map((ctx) => ({ e, ctx })));
  await pool(jobs, 4, async ({ e, ctx }) => {
    const [open, close] = CONTEXTS[ctx]!;
    const results = await Promise.all(bodies(e.name).map((b) => probe(mpm, [...open, ...b.lines, ...close], open.length + b.target)));
    e.outcomes[ctx] = combine(results);
  });
  const problems: string[] = [];
  for (const e of entries) {
    for (const [ctx, o] of Object.entries(e.outcomes)) {
      const kind = KIND_OF_CONTEXT[ctx];
      if (o.kind === "handler" && kind) e.notIn.add(o.section);
      if (o.kind === "here" && kind) e.notDirectlyIn.add(kind);
      // The class is checked before anything else (invoke_cmd), so any other answer means it passed:
      // EXEC_ON_READ directives (LoadModule, ServerRoot) anywhere, mod_ssl's SSLProxy* in <Proxy>.
      const passedClass = o.kind !== "class" && !(o.kind === "error" && /^\(line|^Invalid command/.test(o.message));
      if (passedClass && kind && !classAllows(e, kind)) e.alsoIn.add(kind);
      // The command table's answer must match apache2 -L's.
      if (o.kind === "class" && kind) {
        const serverLevel = kind === "server" || kind === "virtualhost";
        const expected = serverLevel ? e.where === "directory" : e.where === "server";
        if (!expected) problems.push(`${e.name} in ${ctx}: "not allowed" but apache2 -L says ${e.where}`);
      }
    }
    for (const [ctx, o] of Object.entries(e.outcomes)) {
      if (o.kind === "error") continue; // a refusal for another reason: nothing to compare
      const chain = ctx.split("/").filter((c) => c !== "server").map((c) => KIND_OF_CONTEXT[c]!);
      if (ctx === "limit") chain.unshift("directory");
      const actual = o.kind === "ok" ? "ok" : "refused";
      if (predict(e, chain) !== actual) problems.push(`${e.name} in ${ctx}: Apache ${actual}, the model says ${predict(e, chain)}`);
    }
  }
  rmSync(root, { recursive: true, force: true });
  if (problems.length) {
    process.stderr.write(`The context model disagrees with apache2:\n${problems.join("\n")}\n`);
    process.exit(1);
  }
  const unknown = entries.filter((e) => Object.values(e.outcomes).every((o) => o.kind === "error")).map((e) => e.name);
  process.stderr.write(`${entries.length} directives; ${unknown.length} refused everywhere for other reasons (their handler checks are unknown)\n`);

  const version = /Apache\/(\S+)/.exec(execFileSync("apache2", ["-v"], { encoding: "utf8" }))?.[1] ?? "?";
  const out: string[] = [
    `// Generated by src/tools/gen-context-table.ts from Debian's apache2 ${version}`,
    "// (`apache2 -L` and `apache2 -t` probes in every kind of section). Do not edit by hand: regenerate.",
    "",
    "/** Kinds of section a directive can stand in; \"server\" is the top level of the main config. */",
    "export type SectionKind = \"server\" | \"virtualhost\" | \"directory\" | \"files\" | \"location\" | \"proxy\" | \"if\" | \"limit\";",
    "",
    "export interface DirectiveContext {",
    "  /**",
    "   * Where the command table allows it (the manual's \"Context:\" line): \"server\" is server config and",
    "   * <VirtualHost> only (RSRC_CONF); \"directory\" is only inside <Directory>, <Location>, <Files>, <Proxy>,",
    "   * <If> (ACCESS_CONF); \"anywhere\" is both.",
    "   */",
    "  readonly where: \"server\" | \"directory\" | \"anywhere\";",
    "  /** the AllowOverride classes that allow it in .htaccess (\"any\": any but None); null: never in .htaccess */",
    "  readonly htaccess: readonly string[] | null;",
    "  /** sections its handler refuses to stand in, at any depth */",
    "  readonly notIn?: readonly SectionKind[];",
    "  /** where its handler refuses it as the innermost section (\"server\": the top level of the main server) */",
    "  readonly notDirectlyIn?: readonly SectionKind[];",
    "  /** innermost sections Apache accepts it in although `where` says no (read before sections apply; SSLProxy* in <Proxy>) */",
    "  readonly alsoIn?: readonly SectionKind[];",
    "}",
    "",
    "/** By lower-cased name; sections start with \"<\". */",
    "export const DIRECTIVE_CONTEXTS: Readonly<Record<string, DirectiveContext>> = {",
  ];
  const order: SectionKind[] = ["server", "virtualhost", "directory", "files", "location", "proxy", "if", "limit"];
  for (const e of entries.sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()))) {
    const notIn = order.filter((k) => e.notIn.has(k));
    const parts = [`where: "${e.where}"`, `htaccess: ${e.htaccess ? JSON.stringify(e.htaccess) : "null"}`];
    if (notIn.length) parts.push(`notIn: ${JSON.stringify(notIn)}`);
    const notDirectlyIn = order.filter((k) => e.notDirectlyIn.has(k));
    if (notDirectlyIn.length) parts.push(`notDirectlyIn: ${JSON.stringify(notDirectlyIn)}`);
    const alsoIn = order.filter((k) => e.alsoIn.has(k));
    if (alsoIn.length) parts.push(`alsoIn: ${JSON.stringify(alsoIn)}`);
    out.push(`  ${JSON.stringify(e.name.toLowerCase())}: { ${parts.join(", ")} },`);
  }
  out.push("};", "");
  process.stdout.write(out.join("\n"));
}

await main();
