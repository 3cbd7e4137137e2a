// Regenerates fixtures/differential/cases.jsonl, the directive-mutation corpus,
// by asking Debian's apache2 about every case (offline; a few minutes):
//   npm run build && node dist/src/tools/gen-differential.js > fixtures/differential/cases.jsonl
//
// For every directive of src/data/directives.ts that mpm_event's server knows:
// 1. a valid line: candidates from the samples the context generator uses, the
//    manual's examples and Default row (apache2-doc), the Syntax row with its
//    placeholders filled in, and a dummy word per arity class, each tried where
//    the directive may stand until apache2 -t accepts one ("base");
// 2. mutations of that line: the name misspelt, one argument too few and one too
//    many, each enumerated value misspelt, a number given as a word, a URL with a
//    placeholder for its port or host or without its scheme, and the line in each
//    kind of context;
// 3. apache2 -t's verdict on each case (every Debian module loaded, a private
//    ServerRoot), verbatim: exit status, the line it names, its message.
// test/apache/directive-differential.test.ts lints each case and re-judges it live.
import { readdirSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { scanArguments } from "../../grammar/index.js";
import { allowedValues, directiveInfo } from "../apache/directives.js";
import { ARITY_BOUNDS, isCounted } from "../apache/arity.js";
import { DIRECTIVES, type DirectiveInfo } from "../data/directives.js";
import { DIRECTIVE_CONTEXTS } from "../data/directive-contexts.js";
import { directiveDocTable } from "../data/directive-docs.js";
import { apacheTest, pool } from "./probe-support.js";
import { ARITY_ARGS, argumentSamples, SECTION_SAMPLES } from "./samples.js";
import {
  caseText, CONTEXT_KINDS, inContext, makeServerRoot, readVerdict, ROOT,
  type ApacheVerdict, type ContextKind, type DifferentialCase, type Mutation,
} from "./differential.js";

const MANUAL = "/usr/share/doc/apache2-doc/manual/en/mod";
const SAMPLES = argumentSamples(ROOT);
const root = makeServerRoot();

async function judge(body: readonly string[]): Promise<ApacheVerdict> {
  const { code, stderr } = await apacheTest(root, caseText(body, root));
  return readVerdict(code, stderr, root, body.length);
}

// ------------------------------------------------------------ candidate lines

const decode = (s: string) =>
  s.replace(/<[^>]*>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");

/** The manual's example lines per directive (lower-cased name): lines of its section's config examples that start with it. */
function manualExamples(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let pages: string[] = [];
  try {
    pages = readdirSync(MANUAL).filter((f) => f.endsWith(".html"));
  } catch {
    process.stderr.write(`gen-differential: no manual under ${MANUAL} (apache2-doc): candidates from the syntax rows only\n`);
  }
  for (const page of pages) {
    const html = readFileSync(join(MANUAL, page), "utf8");
    for (const chunk of html.split('<div class="directive-section">').slice(1)) {
      const head = /^<h2 id="[^"]+"><span id="[^"]*">([^<]+)<\/span> Directive /.exec(chunk);
      if (!head) continue;
      const name = decode(head[1]!).replace(/>$/, "");
      const lines: string[] = [];
      for (const pre of chunk.matchAll(/<pre class="prettyprint lang-config">([\s\S]*?)<\/pre>/g)) {
        for (const raw of decode(pre[1]!).split("\n")) {
          const line = raw.trim();
          const first = line.split(/\s/, 1)[0]!.toLowerCase();
          if (first === name.toLowerCase() && !line.includes("#") && !line.endsWith("\\")) lines.push(line);
        }
      }
      out.set(name.toLowerCase(), lines);
    }
  }
  return out;
}

// A placeholder word of a Syntax row, and a value Apache's handler would take for it.
const PLACEHOLDERS: [RegExp, string][] = [
  [/regex|pattern/i, "^/x"],
  [/url-path|urlpath|url_path|uri/i, "/x"],
  [/url/i, "http://127.0.0.1:8080/"],
  [/file|path/i, "/dev/null"],
  [/dir/i, "/tmp"],
  [/second|number|num|bytes|size|max|min|limit|count|time|interval|level|percent|^n$|amount|length|depth|kbytes|ms/i, "10"],
  [/ip|addr/i, "127.0.0.1"],
  [/port/i, "8080"],
  [/host|domain|server/i, "localhost"],
  [/mime|media-type|type/i, "text/plain"],
  [/extension/i, ".txt"],
  [/charset/i, "UTF-8"],
  [/lang/i, "en"],
  [/header/i, "X-Foo"],
  [/expr/i, "true"],
  [/method/i, "GET"],
  [/mail/i, "a@example.com"],
  [/env|var|name|key|label|id/i, "FOO"],
];

/** The Syntax row with placeholders filled in: optional parts dropped (`full`: kept), the first alternative taken. */
function fromSyntax(syntax: string, full: boolean): string | null {
  let s = syntax.replace(/\s*\.\.\.\s*/g, " ");
  for (let prev = ""; prev !== s; ) {
    prev = s;
    s = s.replace(/\[([^[\]]*)\]/g, (_m, inner: string) => (full ? inner : ""));
  }
  const words = s.trim().split(/\s+/);
  if (words.length === 0 || words[0]!.startsWith("<")) return null;
  const args = words.slice(1).map((w) => {
    const alts = w.split("|").filter((a) => a !== "" && a !== "!" && a !== "-");
    const a = alts[0] ?? w;
    const placeholder = PLACEHOLDERS.find(([re]) => re.test(a) && a === a.toLowerCase());
    return placeholder ? placeholder[1] : a.replace(/[^\w./:%*@=-]/g, "") || "x";
  });
  return [words[0], ...args].join(" ");
}

function candidates(info: DirectiveInfo, examples: Map<string, string[]>): string[] {
  const key = info.name.toLowerCase();
  const doc = directiveDocTable()[key];
  const lines = [
    ...(SAMPLES[info.name] ?? []).map((a) => `${info.name} ${a}`),
    ...(examples.get(key) ?? []).slice(0, 4),
    ...(doc?.default && doc.default.split(/\s/, 1)[0]!.toLowerCase() === key ? [doc.default] : []),
    ...(doc ? [fromSyntax(doc.syntax, false), fromSyntax(doc.syntax, true)] : []),
    `${info.name} ${ARITY_ARGS[info.arity] ?? "x"}`,
  ];
  return [...new Set(lines.filter((l): l is string => l !== null).map((l) => l.trimEnd()))];
}

/** Where to look for a valid line first: the kinds of context the directive may stand in. */
function homes(info: DirectiveInfo): ContextKind[] {
  const where = DIRECTIVE_CONTEXTS[info.name.toLowerCase()]?.where ?? "anywhere";
  if (where === "directory") return ["directory", "location"];
  if (where === "server") return ["server", "virtualhost"];
  return ["server", "directory"];
}

// ----------------------------------------------------------------- mutations

/** The name with two neighbouring letters swapped, so that no directive has it. */
function misspelt(name: string): string {
  const start = name.startsWith("<") ? 2 : 1;
  for (let i = start; i + 1 < name.length; i++) {
    if (name[i]!.toLowerCase() === name[i + 1]!.toLowerCase()) continue;
    const m = name.slice(0, i) + name[i + 1] + name[i] + name.slice(i + 2);
    if (!directiveInfo(m.replace(/^</, "")) && !DIRECTIVES.some((d) => d.name.toLowerCase() === m.toLowerCase())) return m;
  }
  return `${name}x`;
}

const URL_RE = /^([a-z][a-z0-9+.-]*:\/\/)([^/:\s]+)(:\d+)?(.*)$/i;

/** A directive line's mutations, each as the new line. */
function lineMutations(info: DirectiveInfo, line: string): [Mutation, string][] {
  const nameEnd = line.search(/\s|$/);
  const name = line.slice(0, nameEnd);
  const args = scanArguments(line, nameEnd, line.length).map((a) => a.raw);
  const out: [Mutation, string][] = [];
  const join_ = (words: string[]) => [name, ...words].join(" ");
  out.push(["name-misspelt", [misspelt(name), ...args].join(" ")]);
  if (isCounted(info.arity)) {
    const [min, max] = ARITY_BOUNDS[info.arity];
    if (min >= 1) out.push(["too-few", join_(args.slice(0, min - 1))]);
    if (info.arity === "flag") out.push(["too-many", join_([...args, "extra"])]);
    else if (Number.isFinite(max)) {
      const more = [...args];
      while (more.length <= max) more.push(`extra${more.length}`);
      out.push(["too-many", join_(more)]);
    }
  } else {
    if (args.length > 0) out.push(["too-few", join_(args.slice(0, -1))]);
    out.push(["too-many", join_([...args, "extra"])]);
  }
  args.forEach((arg, i) => {
    const allowed = allowedValues(info, i);
    for (const v of allowed ?? []) {
      const wrong = v + v.slice(-1);
      out.push([`value-misspelt:${i}:${v}`, join_(args.map((a, j) => (j === i ? wrong : a)))]);
    }
    const value = arg.replace(/^["']|["']$/g, "");
    const swap = (text: string) => join_(args.map((a, j) => (j === i ? text : a)));
    if (/^\d+$/.test(value)) out.push([`number-word:${i}`, swap("ten")]);
    const url = URL_RE.exec(value);
    if (url) {
      out.push([`url-placeholder-port:${i}`, swap(`${url[1]}${url[2]}:APP_PORT${url[4]}`)]);
      out.push([`url-angle-placeholder:${i}`, swap(`${url[1]}<your-domain>${url[3] ?? ""}${url[4]}`)]);
      out.push([`url-no-scheme:${i}`, swap(`${url[2]}${url[3] ?? ""}${url[4]}`)]);
    }
  });
  return out;
}

// ---------------------------------------------------------------------- main

interface Found {
  info: DirectiveInfo;
  /** the directive's lines: one, or a section's open and close tags */
  lines: string[];
  home: ContextKind;
}

async function findBase(info: DirectiveInfo, examples: Map<string, string[]>): Promise<Found | null> {
  if (info.arity === "section") {
    const s = SECTION_SAMPLES[info.name];
    if (!s || s.before || s.body) return null;
    const lines = [s.open, `</${info.name.slice(1)}>`];
    for (const home of homes(info)) if ((await judge(inContext(home, lines).body)).ok) return { info, lines, home };
    return null;
  }
  for (const line of candidates(info, examples)) {
    for (const home of homes(info)) {
      if ((await judge(inContext(home, [line]).body)).ok) return { info, lines: [line], home };
    }
  }
  return null;
}

function mutations(f: Found): { mutation: Mutation; lines: string[]; kind: ContextKind }[] {
  const out: { mutation: Mutation; lines: string[]; kind: ContextKind }[] = [{ mutation: "base", lines: f.lines, kind: f.home }];
  if (f.info.arity === "section") {
    const [open, close] = f.lines as [string, string];
    const inner = open.slice(0, -1);
    const nameEnd = inner.search(/\s|$/);
    const args = scanArguments(inner, nameEnd, inner.length).map((a) => a.raw);
    const name = inner.slice(0, nameEnd);
    // open and close tag alike: a misspelt open tag alone is answered about the close tag ("Expected </Lcoation>")
    const wrong = misspelt(name);
    out.push({ mutation: "name-misspelt", lines: [`${[wrong, ...args].join(" ")}>`, `</${wrong.slice(1)}>`], kind: f.home });
    if (args.length > 0) out.push({ mutation: "too-few", lines: [`${name}>`, close], kind: f.home });
    out.push({ mutation: "too-many", lines: [`${[name, ...args, "extra"].join(" ")}>`, close], kind: f.home });
  } else {
    for (const [mutation, line] of lineMutations(f.info, f.lines[0]!)) out.push({ mutation, lines: [line], kind: f.home });
  }
  for (const kind of CONTEXT_KINDS) if (kind !== f.home) out.push({ mutation: `context:${kind}`, lines: f.lines, kind });
  return out;
}

async function main(): Promise<void> {
  const examples = manualExamples();
  // GEN_DIFFERENTIAL_ONLY=regex: a subset, while working on the generator
  const only = new RegExp(process.env.GEN_DIFFERENTIAL_ONLY ?? "", "i");
  const wanted = DIRECTIVES.filter((d) => d.modules.some((m) => m !== "mpm_prefork" && m !== "mpm_worker") && only.test(d.name));
  const n = availableParallelism();
  const found = await pool(wanted, n, (d) => findBase(d, examples));
  const missing = wanted.filter((_d, i) => !found[i]).map((d) => d.name);
  process.stderr.write(`gen-differential: a valid line for ${wanted.length - missing.length} of ${wanted.length} directives; none for: ${missing.join(" ")}\n`);
  const todo = found.flatMap((f) => (f ? mutations(f).map((m) => ({ f, ...m })) : []));
  const cases = await pool(todo, n, async (t): Promise<DifferentialCase> => {
    const { body, line } = inContext(t.kind, t.lines);
    return { id: `${t.f.info.name}/${t.mutation}`, directive: t.f.info.name, mutation: t.mutation, body, line, apache: await judge(body) };
  });
  const ids = new Set<string>();
  for (const c of cases) {
    if (ids.has(c.id)) throw new Error(`duplicate case id ${c.id}`);
    ids.add(c.id);
    process.stdout.write(`${JSON.stringify(c)}\n`);
  }
  const rejected = cases.filter((c) => !c.apache.ok).length;
  process.stderr.write(`gen-differential: ${cases.length} cases, ${rejected} rejected by apache2 -t\n`);
}

await main();
