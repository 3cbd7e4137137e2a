// Property-based fuzzing of the whole tool, shared by the CI-bounded tests
// (test/fuzz/*.test.ts) and the long run (`npm run fuzz -- --runs N`): the
// inputs (arbitrary text, and real configs mutated the ways people break them)
// and the properties parse, lint and fix must keep on every one of them.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { parse } from "../../grammar/index.js";
import { applyFixes, fixUntilStable, MAX_FIX_PASSES } from "../core/fixer.js";
import type { Fix, TextEdit } from "../core/rule.js";
import { lintText, type Finding } from "../index.js";

export const PROJECT_ROOT = join(import.meta.dirname, "..", "..");
// dist/src/tools → the repository root is one more level up when built
export const ROOT = statSafe(join(PROJECT_ROOT, "package.json")) ? PROJECT_ROOT : join(PROJECT_ROOT, "..");

function statSafe(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

/** Config files under `dir` (recursively), *.conf and .htaccess-like, smallest first capped at `max` bytes. */
function configsUnder(dir: string, max = 64 * 1024): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let names: string[];
    try {
      names = readdirSync(d).sort();
    } catch {
      return;
    }
    for (const n of names) {
      const p = join(d, n);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (/\.(conf|htaccess)$|^\.htaccess$/.test(n) && st.size <= max) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** The real configs mutations start from: the project's fixtures and examples, Apache-truth cases, h5bp's .htaccess. */
let seeds: readonly string[] | undefined;
export function seedConfigs(): readonly string[] {
  if (seeds) return seeds;
  const dirs = [
    join(ROOT, "fixtures"),
    // (fixtures/ holds the copy of the apache-truth cases: the same seeds in a clean clone)
    join(ROOT, "examples"),
    join(ROOT, "node_modules", "apache-server-configs", "dist"),
  ];
  const texts = new Set<string>();
  for (const d of dirs) for (const p of configsUnder(d)) texts.add(readFileSync(p, "utf8"));
  return (seeds = [...texts].filter((t) => t.length > 0));
}

/** The characters the issue names, and the tag pieces a hurried edit leaves behind. */
export const SPECIALS = ["<", ">", '"', "'", "\\", "#", "$", "%", "{", "}", "\n", "\r\n", " ", "\t"] as const;
const TAG_PIECES = [
  "</VirtualHost>", "<VirtualHost *:80>", "</V", "irtualHost>", "<Location>", "</Location>", "<Location /x>",
  "<Directory \"/tmp\">", "</Directory>", "<Files>", "</Files>", "<IfModule mod_rewrite.c>", "</IfModule>",
  "<If \"-T\">", "</If>", "<Proxy balancer://b>", "</Proxy>", "<Macro M $a>", "</Macro>", "Use M 1", "\\\n",
  "RewriteRule ^/(.*) http://h/$1 [P,L]", "ProxyPass / ws://127.0.0.1:1/", "${X}", "%{HTTP:Upgrade}",
] as const;

export type Mutation =
  | { op: "insert"; at: number; text: string }
  | { op: "delete"; at: number; length: number }
  | { op: "duplicate-special"; nth: number }
  | { op: "truncate"; at: number }
  | { op: "splice"; at: number; from: number; lines: number; source: number }
  | { op: "repeat-tag"; nth: number; times: number };

const pick = (n: number, length: number) => (length === 0 ? 0 : n % (length + 1));

/** Applies one mutation; positions are taken modulo the text's length so that any number is valid and shrinks well. */
export function mutate(text: string, m: Mutation, corpus: readonly string[] = seedConfigs()): string {
  switch (m.op) {
    case "insert": {
      const at = pick(m.at, text.length);
      return text.slice(0, at) + m.text + text.slice(at);
    }
    case "delete": {
      const at = pick(m.at, text.length);
      return text.slice(0, at) + text.slice(at + m.length);
    }
    case "duplicate-special": {
      const spots: number[] = [];
      for (let i = 0; i < text.length; i++) if ("<>\"'\\#$%{}\n".includes(text[i]!)) spots.push(i);
      if (spots.length === 0) return text;
      const i = spots[m.nth % spots.length]!;
      return text.slice(0, i + 1) + text[i] + text.slice(i + 1);
    }
    case "truncate":
      return text.slice(0, pick(m.at, text.length));
    case "splice": {
      // lines of another config (a section, often) dropped anywhere, even inside a line
      const src = corpus[m.source % corpus.length]!.split("\n");
      const from = m.from % src.length;
      const piece = src.slice(from, from + m.lines).join("\n");
      const at = pick(m.at, text.length);
      return text.slice(0, at) + piece + text.slice(at);
    }
    case "repeat-tag": {
      const lines = text.split("\n");
      const tags = lines.map((l, i) => [l, i] as const).filter(([l]) => /^\s*<\/?[A-Za-z]/.test(l));
      if (tags.length === 0) return text;
      const [line, i] = tags[m.nth % tags.length]!;
      lines.splice(i, 0, ...Array<string>(m.times).fill(line));
      return lines.join("\n");
    }
  }
}

const position = fc.nat({ max: 1 << 20 });
export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant("insert" as const), at: position, text: fc.oneof(fc.constantFrom(...SPECIALS), fc.constantFrom(...TAG_PIECES)) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("delete" as const), at: position, length: fc.integer({ min: 1, max: 40 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("duplicate-special" as const), nth: position }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("truncate" as const), at: position }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("splice" as const), at: position, from: position, lines: fc.integer({ min: 1, max: 12 }), source: position }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("repeat-tag" as const), nth: position, times: fc.integer({ min: 1, max: 3 }) }) },
);

/** A real config with 1–6 mutations applied in turn. */
export function mutatedConfigArb(corpus: readonly string[] = seedConfigs()): fc.Arbitrary<string> {
  return fc
    .tuple(fc.nat({ max: corpus.length - 1 }), fc.array(mutationArb, { minLength: 1, maxLength: 6 }))
    .map(([i, ms]) => ms.reduce((t, m) => mutate(t, m, corpus), corpus[i]!));
}

/** Text made of config-ish pieces and arbitrary characters, so that it reaches the parser's corners. */
export const arbitraryTextArb: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...SPECIALS) },
      { weight: 3, arbitrary: fc.constantFrom(...TAG_PIECES) },
      { weight: 2, arbitrary: fc.constantFrom("ServerName", "Listen", "RewriteEngine", "On", "Require", "all", "granted", "Include", "x", "80", "/") },
      { weight: 1, arbitrary: fc.string({ maxLength: 6, unit: "binary" }) },
    ),
    { maxLength: 60 },
  )
  .map((parts) => parts.join(""));

/** Every input the properties run over: half arbitrary text, half mutated configs. */
export function inputArb(): fc.Arbitrary<string> {
  return fc.oneof(arbitraryTextArb, mutatedConfigArb());
}

// ------------------------------------------------------------------ properties

const PATH = "/fuzz/site.conf";
const lint = (text: string): Finding[] => lintText(text, PATH).findings;
const all = () => true;
const safeOnly = (f: Fix) => f.safety === "safe";

/**
 * Where an offset of a pass's output was in its input. In text a fix inserted it is
 * the place of the edit, unless the line is one of the input's, moved (proxypass-shadowed
 * moves lines): then it is there.
 */
function mapBack(pos: number, pass: Pass): number {
  let delta = 0;
  for (const e of pass.edits) {
    const outStart = e.start + delta;
    if (pos < outStart) break;
    if (pos < outStart + e.text.length) {
      const line = lineAround(pass.output, pos);
      const at = line.trim() === "" ? -1 : pass.input.indexOf(line);
      return at === -1 ? e.start : at + (pos - (pass.output.lastIndexOf("\n", pos - 1) + 1));
    }
    delta += e.text.length - (e.end - e.start);
  }
  return pos - delta;
}

interface Pass {
  input: string;
  output: string;
  edits: TextEdit[];
}

const lineAround = (text: string, at: number) => {
  const nl = text.indexOf("\n", at);
  return text.slice(text.lastIndexOf("\n", at - 1) + 1, nl === -1 ? text.length : nl);
};

/**
 * A parse error of the fixed text on a line of the input that had none: a fix
 * may change what is wrong with a broken line (`</` becoming a stray `</>`),
 * never break a line that was fine. Positions are mapped back pass by pass.
 */
function newParseError(input: string, output: string, passes: readonly Pass[]): string | null {
  const before = parse(input, PATH);
  const lines = (start: number, end: number): [number, number] => {
    const nl = input.indexOf("\n", Math.max(end - 1, start));
    return [input.lastIndexOf("\n", start - 1) + 1, nl === -1 ? input.length : nl];
  };
  // an error's lines, and its related ones (the open tag a wrong close tag leaves open)
  const broken = before.errors.flatMap((e) => [lines(e.start, e.end), ...(e.related ?? []).map((r) => lines(r.start, r.end))]);
  for (const e of parse(output, PATH).errors) {
    let pos = e.start;
    for (let k = passes.length - 1; k >= 0; k--) pos = mapBack(pos, passes[k]!);
    if (!broken.some(([a, b]) => pos >= a && pos <= b)) {
      const line = input.slice(0, pos).split("\n").length;
      return `the fixed text has a new parse error: ${e.code} (${e.message}) on input line ${line}, which had none`;
    }
  }
  return null;
}

/** The bytes outside the edits of one pass are the input's, in order: checked independently of the fixer's splicing. */
function outsideEditsKept(before: string, after: string, fixes: readonly Fix[]): string | null {
  const edits = fixes.flatMap((f) => f.edits).sort((a, b) => a.start - b.start || a.end - b.end);
  let i = 0; // in before
  let j = 0; // in after
  for (const e of edits) {
    const kept = before.slice(i, e.start);
    if (after.slice(j, j + kept.length) !== kept) return `bytes ${i}..${e.start} before an edit changed`;
    j += kept.length;
    if (after.slice(j, j + e.text.length) !== e.text) return `edit at ${e.start} not applied as written`;
    j += e.text.length;
    i = e.end;
  }
  if (after.slice(j) !== before.slice(i)) return `bytes after offset ${i} changed`;
  return null;
}

/**
 * What fixing one text did, pass by pass, with every property the issue asks
 * of a fix checked: the first violated is returned (null when all hold).
 */
export function fixProblems(text: string, accept: (f: Fix) => boolean = all): string | null {
  let current = text;
  let passes = 0;
  const edits: Pass[] = [];
  for (;;) {
    const findings = lint(current);
    const internal = findings.find((f) => f.message.startsWith("internal error in rule"));
    if (internal) return `${internal.message} (pass ${passes})`;
    const fixes = findings.filter((f) => f.fix && accept(f.fix)).sort((a, b) => a.start - b.start).map((f) => f.fix!);
    if (fixes.length === 0) break;
    const r = applyFixes(current, fixes);
    if (r.applied.length === 0 || r.text === current) break;
    const kept = outsideEditsKept(current, r.text, r.applied);
    if (kept) return `pass ${passes + 1}: ${kept}`;
    edits.push({ input: current, output: r.text, edits: r.applied.flatMap((f) => f.edits).sort((a, b) => a.start - b.start || a.end - b.end) });
    current = r.text;
    passes++;
    if (passes >= MAX_FIX_PASSES) return `no fixed point within ${MAX_FIX_PASSES} passes (fixes still pending: ${lint(current).filter((f) => f.fix && accept(f.fix)).map((f) => f.ruleId).join(", ")})`;
    // output no bigger than a constant factor of the input: a fix loop that grows the text is the hang of tomorrow
    if (current.length > 4 * text.length + 4096) return `the text grew to ${current.length} bytes from ${text.length}`;
  }
  const loop = fixUntilStable(text, lint, accept);
  if (loop.output !== current) return "fixUntilStable's output differs from pass-by-pass fixing";
  const again = fixUntilStable(current, lint, accept);
  if (again.output !== current) return `not idempotent: a second fix changes the output (rules: ${again.applied.map((f) => f.title).join("; ")})`;
  return newParseError(text, current, edits);
}

/** Both modes of the CLI: --fix, and --fix --unsafe-fixes. */
export function allFixProblems(text: string): string | null {
  const safe = fixProblems(text, safeOnly);
  if (safe) return `--fix: ${safe}`;
  const unsafe = fixProblems(text, all);
  return unsafe ? `--fix --unsafe-fixes: ${unsafe}` : null;
}

/** CPU time of this process (user + system), in ms: what a lint costs, not what the other jobs on the machine take. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function costOf(text: string): number {
  let best = Infinity;
  for (let k = 0; k < 3; k++) {
    const t0 = cpuMs();
    fixUntilStable(text, lint, all);
    best = Math.min(best, cpuMs() - t0);
  }
  return best;
}

/**
 * How much more a fix of the text repeated 8× costs than of it repeated `base`×,
 * in CPU time, the best of three each (scheduling noise only adds): about 8 when
 * linear, 64 when quadratic. Repetition nests what the text leaves open.
 * Null when the smaller run is too quick to measure (under `minMs`).
 */
export function growthRatio(text: string, base = 4, minMs = 8): number | null {
  const unit = text.endsWith("\n") ? text : text + "\n";
  let small = unit.repeat(base);
  let cost = costOf(small);
  // grow the base until its cost is measurable, so that the ratio is not one of rounding errors
  while (cost < minMs && small.length < 256_000) {
    small += small;
    cost = costOf(small);
  }
  if (cost < minMs) return null;
  return costOf(small.repeat(8)) / cost;
}

/** The kind of a failure, without its numbers and names: the same bug found twice has one kind. */
export const failureKind = (problem: string) => problem.replace(/\(.*$/, "").replace(/\d+/g, "N").trim();

/**
 * A smaller input that fails the same way: chunks removed, halving their size
 * down to one character, while `fails` still holds (a greedy ddmin; deterministic).
 */
export function minimize(text: string, fails: (t: string) => boolean): string {
  let best = text;
  for (let size = Math.max(1, best.length >> 1); size >= 1; size = size === 1 ? 0 : Math.max(1, size >> 1)) {
    for (let i = 0; i < best.length; ) {
      const candidate = best.slice(0, i) + best.slice(i + size);
      if (candidate !== best && fails(candidate)) best = candidate;
      else i += size;
    }
  }
  return best;
}

/** The problem of an input (a throw is one too), for minimizing and for reports. */
export function problemOf(text: string): string | null {
  try {
    return allFixProblems(text);
  } catch (e) {
    return `threw: ${(e as Error)?.message ?? String(e)}`;
  }
}
