// The performance benchmark (issue: lint ≤ half of apache2 -t). Generates the
// configs of gen.ts, then times each tool on them in fresh processes, from
// outside: whole-process wall time and peak RSS from /usr/bin/time -f %M.
// The runs of one file alternate between its tools (round-robin), so that a
// slow phase of the machine hits every tool alike. Tools:
//   apache  `apache2 -t -d <private ServerRoot> -f FILE`, the reference
//   lint    the CLI as a user runs it, all rules, JSON: `apachelint -f json FILE > /dev/null`
//   lint-q  the same with -q (errors only)
//   fix     `apachelint --fix --unsafe-fixes -f json COPY > /dev/null`, on a fresh copy every run
//   floor   `node -e "require('fs').readFileSync(F,'utf8').split('\n').length"`: reading the lines, no more
//   node0   `node -e 0`: a bare node process
//   parse   apachelint's parser alone, in-process (read + parse), not in the default set
//   api     lintText() in-process (read + parse + lint, no CLI), not in the default set
// then prints one table (median and min–max of the runs, ratios, the issue's
// targets, PASS/FAIL), the time per line from the vhosts files, and writes all
// of it as JSON.
//
//   npm run bench -- [--runs N] [--files vhost-1,vhosts-10000,…] [--tools lint,apache,…]
//                    [--timeout SECONDS] [--dir DIR] [--keep] [--json FILE] [--strict] [--help]
// --timeout bounds each run (default 90 s); a cell that exceeds it is reported
// as such and not run again, and an apachelint cell whose run took over a third
// of it gets no more runs (it is far off every target), so that a full run
// stays bounded (~15 minutes at worst on 2 cores, Apache itself ~2.5 of them). --strict exits 1 when a target is missed.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg, release, tmpdir, totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { ChildReport } from "./child.js";
import { measureLspLatency, SHAPE as SHAPE_LSP } from "./lsp-latency.js";
import { DEFAULT_SHAPES, generateOne, shapeSpec, type Generated, type ShapeKind, type ShapeSpec } from "./gen.js";
import { hasGnuTime, leastSquares, median, minMax, runOnce, type Sample } from "./measure.js";

const here = dirname(fileURLToPath(import.meta.url));
const APACHE = "/usr/sbin/apache2";
const DIST = join(here, "..", "..");
const BUNDLE = join(DIST, "apachelint.cjs");
const MAIN_JS = join(DIST, "src", "cli", "main.js");
/** The CLI a user runs: the bundle when the build made one, else the tsc output. */
const CLI = existsSync(BUNDLE) ? BUNDLE : MAIN_JS;

const TOOLS = ["apache", "lint", "lint-q", "fix", "floor", "node0", "parse", "api"] as const;
type Tool = (typeof TOOLS)[number];
/** The tools the others are compared with. */
const REFERENCE: ReadonlySet<Tool> = new Set(["apache", "floor", "node0"]);

/** What each kind of file is measured with when --tools is not given. */
const PLAN: Record<ShapeKind, Tool[]> = {
  vhost: ["lint", "node0"],
  vhosts: ["lint", "apache", "fix"],
  tree: ["lint", "apache"],
  flat: ["lint-q", "lint", "floor", "apache"],
  fix: ["fix", "apache"],
};

interface Options {
  runs: number;
  files: string[];
  tools: Tool[] | null;
  dir: string | null;
  keep: boolean;
  strict: boolean;
  timeoutMs: number;
  json: string | null;
}

const USAGE =
  "usage: npm run bench -- [--runs N] [--files " + DEFAULT_SHAPES.join(",") + "]\n" +
  "                        [--tools " + TOOLS.join(",") + "] [--timeout SECONDS] [--dir DIR] [--keep]\n" +
  "                        [--json FILE] [--strict]\n" +
  "files: vhost-1, vhosts-N, tree-N, fix-N, flat-N (N may end in k or m); see src/bench/gen.ts";

function parseArgs(argv: string[]): Options {
  const o: Options = { runs: 3, files: [...DEFAULT_SHAPES], tools: null, dir: null, keep: false, strict: false, timeoutMs: 90_000, json: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === "--runs") o.runs = Math.max(1, Number.parseInt(value(), 10) || 1);
    else if (a === "--files") o.files = value().split(",").filter(Boolean);
    else if (a === "--dir") o.dir = value();
    else if (a === "--timeout") o.timeoutMs = Math.max(1, Number(value()) || 1) * 1000;
    else if (a === "--tools") o.tools = value().split(",").filter(Boolean) as Tool[];
    else if (a === "--json") o.json = value();
    else if (a === "--keep") o.keep = true;
    else if (a === "--strict") o.strict = true;
    else if (a === "--help" || a === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown option ${a}\n${USAGE}`);
  }
  for (const t of o.tools ?? []) if (!TOOLS.includes(t)) throw new Error(`unknown tool ${t}; known: ${TOOLS.join(", ")}`);
  for (const f of o.files) shapeSpec(f); // throws on an unknown name
  return o;
}

/** The tools a file is measured with: the plan, or --tools where it applies (no fix on a tree: it would need a copy of the tree). */
function toolsFor(spec: ShapeSpec, opts: Options, haveApache: boolean): Tool[] {
  const wanted = opts.tools ?? PLAN[spec.kind];
  return wanted.filter((t) => (t !== "apache" || haveApache) && !(t === "fix" && spec.kind === "tree"));
}

// ------------------------------------------------------------------ targets

type Metric = "wall" | "rss";
type Ref = "apache" | "floor" | "node0";
interface Target {
  metric: Metric;
  ref: Ref;
  max: number;
  /** false: this size is not one the issue names; shown, but not part of the verdict */
  binding: boolean;
}

const REF_LABEL: Record<Ref, string> = { apache: "apache", floor: "floor", node0: "node -e 0" };
const t = (metric: Metric, ref: Ref, max: number, binding: boolean): Target => ({ metric, ref, max, binding });

/** The issue's targets for one cell. Smaller instances of the same shapes show them too, non-binding. */
function targetsFor(spec: ShapeSpec, tool: Tool): Target[] {
  switch (spec.kind) {
    case "vhosts":
    case "tree": {
      const binding = spec.count >= 10_000;
      if (tool === "lint") return [t("wall", "apache", 0.5, binding), t("rss", "apache", 0.5, binding)];
      if (tool === "fix" && spec.kind === "vhosts") return [t("wall", "apache", 1, spec.count >= 50_000)];
      return [];
    }
    case "flat": {
      const binding = spec.statedLines >= 1_000_000;
      if (tool === "lint-q") return [t("wall", "apache", 0.5, binding), t("rss", "apache", 0.5, binding), t("wall", "floor", 2.5, binding)];
      if (tool === "lint") return [t("wall", "apache", 1, binding), t("rss", "apache", 1, binding)];
      return [];
    }
    case "fix":
      return tool === "fix" ? [t("wall", "apache", 1, spec.count >= 130_000)] : [];
    case "vhost":
      return tool === "lint" ? [t("wall", "node0", 1.5, true)] : [];
  }
}

// ------------------------------------------------------------------ running

interface Cell {
  shape: Generated;
  tool: Tool;
  command: string[];
  samples: Sample[];
  failure: string | null;
}

interface Prepared {
  cmd: string;
  args: string[];
  stdout: "pipe" | "ignore";
  /** untimed, before every run */
  before?: () => void;
  /** untimed, after every run: a failure, or null */
  after?: () => string | null;
}

function prepare(tool: Tool, f: Generated, serverRoot: string, scratch: string): Prepared {
  const node = process.execPath;
  switch (tool) {
    case "apache":
      return { cmd: APACHE, args: ["-t", "-d", serverRoot, "-f", f.apacheConf], stdout: "pipe" };
    case "lint":
      return { cmd: node, args: [CLI, "-f", "json", f.path], stdout: "ignore" };
    case "lint-q":
      return { cmd: node, args: [CLI, "-q", "-f", "json", f.path], stdout: "ignore" };
    case "fix": {
      const copy = join(scratch, `fix-${f.name}.conf`);
      return {
        cmd: node,
        args: [CLI, "--fix", "--unsafe-fixes", "-f", "json", copy],
        stdout: "ignore",
        before: () => copyFileSync(f.path, copy),
        after: () => {
          // the fix-N files have findings to fix in every vhost: an unchanged copy means --fix did nothing
          const same = existsSync(copy) && statSync(copy).size === f.bytes;
          rmSync(copy, { force: true });
          return f.kind === "fix" && same ? "--fix --unsafe-fixes left the file unchanged" : null;
        },
      };
    }
    case "floor":
      return { cmd: node, args: ["-e", `require('fs').readFileSync(${JSON.stringify(f.path)},'utf8').split('\\n').length`], stdout: "ignore" };
    case "node0":
      return { cmd: node, args: ["-e", "0"], stdout: "ignore" };
    case "parse":
      return { cmd: node, args: [join(here, "parse-entry.js"), f.path], stdout: "pipe" };
    case "api":
      return { cmd: node, args: [join(here, "lint-entry.js"), f.path], stdout: "pipe" };
  }
}

function check(tool: Tool, s: Sample, timeoutMs: number): string | null {
  if (s.timedOut) return `TIMEOUT: killed after ${timeoutMs / 1000} s`;
  const err = s.stderr.trim().slice(0, 500);
  if (tool === "apache") return s.status === 0 && /Syntax OK/.test(s.stderr) ? null : `apache2 -t exited ${s.status}: ${err}`;
  if (tool === "lint" || tool === "lint-q" || tool === "fix") {
    // 0: clean, 1: findings; 2 is a usage or I/O error
    if (/internal error/i.test(s.stderr)) return `internal error (exit ${s.status}): ${err}`;
    return s.status === 0 || s.status === 1 ? null : `exited ${s.status}: ${err}`;
  }
  return s.status === 0 ? null : `exited ${s.status}: ${err}`;
}

async function measureShape(f: Generated, tools: Tool[], opts: Options, serverRoot: string, scratch: string): Promise<Cell[]> {
  const cells = tools.map((tool): Cell & { p: Prepared; slow: boolean } => {
    const p = prepare(tool, f, serverRoot, scratch);
    return { shape: f, tool, command: [p.cmd, ...p.args], samples: [], failure: null, p, slow: false };
  });
  for (let r = 0; r < opts.runs; r++) {
    for (const cell of cells) {
      if (cell.failure || cell.slow) continue;
      const { p } = cell;
      p.before?.();
      const s = await runOnce(p.cmd, p.args, scratch, opts.timeoutMs, { stdout: p.stdout, cwd: scratch });
      const afterFailure = p.after?.() ?? null;
      cell.failure = check(cell.tool, s, opts.timeoutMs) ?? (s.timedOut ? null : afterFailure);
      const rss = s.rssBytes === null ? "" : `, ${fmtMiB(s.rssBytes)} MiB`;
      process.stderr.write(`  ${f.name} ${cell.tool} run ${r + 1}/${opts.runs}: ${cell.failure ? cell.failure.split("\n")[0] : `${fmtInt(s.wallMs)} ms${rss}`}\n`);
      if (cell.failure) continue;
      if ((cell.tool === "parse" || cell.tool === "api") && s.rssBytes === null) {
        // no GNU time: the in-process child reports its own peak RSS
        const rep = JSON.parse(s.stdout.trim().split("\n").pop()!) as ChildReport;
        s.rssBytes = rep.maxRssBytes;
      }
      cell.samples.push({ ...s, stdout: "", stderr: "" });
      // keeps a full run bounded: an apachelint run over a third of the timeout is far off every
      // target anyway (the references, apache and the node floors, always get all their runs)
      if (!REFERENCE.has(cell.tool) && s.wallMs > opts.timeoutMs / 3 && r + 1 < opts.runs) {
        cell.slow = true;
        process.stderr.write(`  ${f.name} ${cell.tool}: over a third of the timeout, no more runs\n`);
      }
    }
  }
  return cells.map(({ p: _p, slow: _s, ...c }) => c);
}

// ---------------------------------------------------------------- reporting

interface Summary {
  runs: number;
  wallMs: number;
  wallMinMs: number;
  wallMaxMs: number;
  rssBytes: number | null;
  rssMinBytes: number | null;
  rssMaxBytes: number | null;
}

function summarize(cell: Cell): Summary | null {
  if (cell.failure || cell.samples.length === 0) return null;
  const walls = cell.samples.map((s) => s.wallMs);
  const rss = cell.samples.map((s) => s.rssBytes);
  const haveRss = rss.every((x) => x !== null);
  const [wmin, wmax] = minMax(walls);
  const [rmin, rmax] = haveRss ? minMax(rss as number[]) : [null, null];
  return {
    runs: walls.length,
    wallMs: median(walls),
    wallMinMs: wmin,
    wallMaxMs: wmax,
    rssBytes: haveRss ? median(rss as number[]) : null,
    rssMinBytes: rmin,
    rssMaxBytes: rmax,
  };
}

const MiB = 1024 * 1024;
const fmtInt = (n: number) => Math.round(n).toLocaleString("en-US");
const fmtMiB = (n: number | null) => (n === null ? "n/a" : fmtInt(n / MiB));
const fmtRatio = (n: number | null | undefined) => (n === null || n === undefined || !Number.isFinite(n) ? "n/a" : n.toFixed(2));

/** A Markdown table; `align` has one letter per column, l or r. */
function table(rows: string[][], align: string): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const left = (c: number) => align[c] !== "r";
  const line = (r: string[]) => "| " + r.map((x, c) => (left(c) ? x.padEnd(widths[c]!) : x.padStart(widths[c]!))).join(" | ") + " |";
  const rule = "|" + widths.map((w, c) => (left(c) ? "-".repeat(w + 2) : "-".repeat(w + 1) + ":")).join("|") + "|";
  return [line(rows[0]!), rule, ...rows.slice(1).map(line)].join("\n");
}

interface TargetResult extends Target {
  ratio: number | null;
  pass: boolean;
}

interface CellResult {
  shape: string;
  lines: number;
  files: number;
  bytes: number;
  tool: Tool;
  command: string[];
  samples: { wallMs: number; rssBytes: number | null; status: number | null }[];
  failure: string | null;
  summary: Summary | null;
  /** ratios of this cell's medians to another cell's of the same file */
  ratios: Partial<Record<Ref, { wall: number | null; rss: number | null }>>;
  targets: TargetResult[];
}

function ratioOf(a: Summary | null, b: Summary | null, metric: Metric): number | null {
  if (!a || !b) return null;
  if (metric === "wall") return a.wallMs / b.wallMs;
  return a.rssBytes !== null && b.rssBytes !== null ? a.rssBytes / b.rssBytes : null;
}

function evaluate(cells: Cell[]): CellResult[] {
  const byTool = new Map(cells.map((c) => [c.tool, summarize(c)]));
  return cells.map((c) => {
    const s = byTool.get(c.tool) ?? null;
    const ratios: CellResult["ratios"] = {};
    const refs: Ref[] = c.tool === "apache" || c.tool === "floor" || c.tool === "node0" ? [] : ["apache", "floor", "node0"];
    for (const ref of refs) {
      const r = byTool.get(ref);
      if (r) ratios[ref] = { wall: ratioOf(s, r, "wall"), rss: ratioOf(s, r, "rss") };
    }
    const targets = targetsFor(c.shape, c.tool).map((tg): TargetResult => {
      const ratio = ratios[tg.ref]?.[tg.metric] ?? null;
      // a failed run (timeout, error) misses every target; a missing reference decides nothing
      return { ...tg, ratio, pass: ratio !== null && ratio <= tg.max && !c.failure };
    });
    return {
      shape: c.shape.name,
      lines: c.shape.lines,
      files: c.shape.files,
      bytes: c.shape.bytes,
      tool: c.tool,
      command: c.command,
      samples: c.samples.map((x) => ({ wallMs: x.wallMs, rssBytes: x.rssBytes, status: x.status })),
      failure: c.failure,
      summary: s,
      ratios,
      targets,
    };
  });
}

const targetText = (tg: Target) => `${tg.metric === "wall" ? "wall" : "RSS"} ≤ ${tg.max}× ${REF_LABEL[tg.ref]}`;

function verdictText(r: CellResult): string {
  if (r.targets.length === 0) return r.failure ? "ERROR" : "";
  const binding = r.targets.filter((x) => x.binding);
  const shown = binding.length ? binding : r.targets;
  const failed = shown.filter((x) => !x.pass || x.ratio === null);
  const star = binding.length ? "" : "*";
  if (failed.length === 0) return `PASS${star}`;
  const why = r.failure ? (r.failure.startsWith("TIMEOUT") ? "timeout" : "error") : failed.map((x) => `${x.metric === "wall" ? "wall" : "RSS"} ${fmtRatio(x.ratio)}× ${REF_LABEL[x.ref]}`).join(", ");
  return `FAIL${star} (${why})`;
}

function rowsFor(results: CellResult[], timeoutMs: number, runs: number): string[][] {
  const rows: string[][] = [["shape", "lines", "tool", "wall ms: median (min–max)", "RSS MiB", "÷ apache: wall, RSS", "÷ floor / node -e 0: wall, RSS", "target", "result"]];
  for (const r of results) {
    const s = r.summary;
    const wall = s
      ? `${fmtInt(s.wallMs)} (${fmtInt(s.wallMinMs)}–${fmtInt(s.wallMaxMs)}${s.runs < runs ? `; ${s.runs} of ${runs} runs` : ""})`
      : r.failure?.startsWith("TIMEOUT")
        ? `> ${fmtInt(timeoutMs)} (timeout)`
        : "ERROR";
    const a = r.ratios.apache;
    const other = r.ratios.floor ? (["floor", r.ratios.floor] as const) : r.ratios.node0 ? (["node -e 0", r.ratios.node0] as const) : null;
    rows.push([
      r.shape,
      fmtInt(r.lines),
      r.tool,
      wall,
      s ? fmtMiB(s.rssBytes) : "",
      a ? `${fmtRatio(a.wall)}, ${fmtRatio(a.rss)}` : "",
      other ? `${other[0]} ${fmtRatio(other[1].wall)}, ${fmtRatio(other[1].rss)}` : "",
      r.targets.map(targetText).join("; "),
      verdictText(r),
    ]);
  }
  return rows;
}

interface Slope {
  points: { shape: string; lines: number; wallMs: number; usPerLine: number }[];
  /** per-line time of the largest file ÷ that of the smallest */
  perLineRatio: number | null;
  /** least-squares wall = intercept + slope·lines */
  lsqUsPerLine: number | null;
  lsqInterceptMs: number | null;
  r2: number | null;
  /** marginal µs/line between the two largest files ÷ between the two smallest (≥ 3 files) */
  marginalRatio: number | null;
  targets: { what: string; value: number | null; max: number; pass: boolean }[];
  binding: boolean;
}

/** Time per line of lint over the vhosts-N files: flat means no super-linear cost. */
function slopeOf(results: CellResult[]): Slope | null {
  const pts = results
    .filter((r) => r.tool === "lint" && r.summary && shapeSpec(r.shape).kind === "vhosts")
    .map((r) => ({ shape: r.shape, lines: r.lines, wallMs: r.summary!.wallMs, usPerLine: (r.summary!.wallMs * 1000) / r.lines }))
    .sort((a, b) => a.lines - b.lines);
  if (pts.length < 2) return null;
  const first = pts[0]!;
  const last = pts[pts.length - 1]!;
  const fit = leastSquares(pts.map((p) => p.lines), pts.map((p) => p.wallMs));
  const seg = (a: (typeof pts)[0], b: (typeof pts)[0]) => (b.wallMs - a.wallMs) / (b.lines - a.lines);
  const marginal = pts.length >= 3 ? seg(pts[pts.length - 2]!, last) / seg(first, pts[1]!) : null;
  const perLineRatio = last.usPerLine / first.usPerLine;
  const targets = [
    { what: `µs/line ${last.shape} ÷ ${first.shape}`, value: perLineRatio, max: 1.25, pass: perLineRatio <= 1.25 },
    ...(marginal === null ? [] : [{ what: `marginal µs/line, ${pts[pts.length - 2]!.shape}→${last.shape} ÷ ${first.shape}→${pts[1]!.shape}`, value: marginal, max: 1.5, pass: marginal > 0 && marginal <= 1.5 }]),
  ];
  const names = new Set(pts.map((p) => p.shape));
  return {
    points: pts,
    perLineRatio,
    lsqUsPerLine: fit.slope * 1000,
    lsqInterceptMs: fit.intercept,
    r2: fit.r2,
    marginalRatio: marginal,
    targets,
    binding: names.has("vhosts-1000") && names.has("vhosts-50000"),
  };
}

/** Other work on the machine skews every timing: say how busy it was. */
const load = () => loadavg().map((x) => x.toFixed(2)).join(" ");

function machine(): Record<string, string> {
  const pkg = JSON.parse(readFileSync(join(here, "..", "..", "..", "package.json"), "utf8")) as { version: string };
  let apache = "not installed";
  if (existsSync(APACHE)) {
    try {
      apache = /Server version:\s*(.*)/.exec(execFileSync(APACHE, ["-v"], { encoding: "utf8" }))?.[1] ?? "unknown";
    } catch {
      apache = "apache2 -v failed";
    }
  }
  const cpu = cpus();
  let commit = "";
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: here, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    // not a checkout
  }
  return {
    apachelint: `${pkg.version}${commit ? ` (${commit})` : ""}`,
    cli: CLI === BUNDLE ? `${CLI} (bundle)` : `${CLI} (no bundle at ${BUNDLE})`,
    node: process.version,
    apache,
    cpu: `${cpu.length} × ${cpu[0]?.model ?? "unknown CPU"}`,
    memory: `${fmtInt(totalmem() / MiB)} MiB`,
    os: `${process.platform} ${release()}`,
    rss: hasGnuTime ? "/usr/bin/time -f %M (peak RSS of the whole process)" : "not measured (/usr/bin/time missing)",
    loadStart: load(),
  };
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const haveApache = existsSync(APACHE);
  const root = resolve(opts.dir ?? mkdtempSync(join(tmpdir(), "apachelint-bench-")));
  const serverRoot = join(root, "sr");
  const scratch = join(root, "scratch");
  const confDir = join(root, "conf");
  for (const d of [join(serverRoot, "run"), join(serverRoot, "logs"), scratch]) mkdirSync(d, { recursive: true });
  const jsonPath = resolve(opts.json ?? join(root, "bench-results.json"));

  const info = machine();
  for (const [k, v] of Object.entries(info)) console.log(`${k.padEnd(10)} ${v}`);
  if (!haveApache) console.log(`${APACHE} not found: the apache cells are skipped and no ratio to Apache can be checked`);
  console.log(`runs per cell: ${opts.runs}, alternating between tools; timeout per run ${opts.timeoutMs / 1000} s; files in ${confDir}`);

  const results: CellResult[] = [];
  const shapes: Generated[] = [];
  try {
    for (const name of opts.files) {
      process.stderr.write(`generating ${name}…\n`);
      const f = generateOne(confDir, name);
      shapes.push(f);
      const tools = toolsFor(f, opts, haveApache);
      results.push(...evaluate(await measureShape(f, tools, opts, serverRoot, scratch)));
      // the largest files are ~50 MB each: drop each one when done unless asked to keep them
      if (!opts.keep && !opts.dir) rmSync(f.kind === "tree" ? dirname(f.path) : f.path, { recursive: true, force: true });
    }

    console.log("\n" + table(rowsFor(results, opts.timeoutMs, opts.runs), "lrlrrrrll") + "\n");
    console.log(`tools: lint = ${CLI === BUNDLE ? "dist/apachelint.cjs" : "dist/src/cli/main.js"} -f json FILE > /dev/null (all rules, includes followed); lint-q = the same with -q;`);
    console.log("       fix = --fix --unsafe-fixes -f json on a fresh copy; apache = apache2 -t -d <private ServerRoot> -f FILE;");
    console.log("       floor = node -e \"require('fs').readFileSync(F,'utf8').split('\\n').length\"; node0 = node -e 0");
    console.log("wall = whole process (startup included), median of the runs (min–max); RSS = median peak RSS of the process");
    if (results.some((r) => r.targets.length && !r.targets.some((x) => x.binding))) {
      console.log("* not a size the issue names: shown for information, not part of the verdict");
    }
    for (const r of results) if (r.failure) console.log(`${r.shape} ${r.tool}: ${r.failure}`);

    const slope = slopeOf(results);
    if (slope) {
      console.log("\ntime per line, lint, whole process:");
      console.log(table([["shape", "lines", "wall ms", "µs/line"], ...slope.points.map((p) => [p.shape, fmtInt(p.lines), fmtInt(p.wallMs), p.usPerLine.toFixed(2)])], "lrrr"));
      console.log(
        `least squares: wall = ${fmtInt(slope.lsqInterceptMs!)} ms + ${slope.lsqUsPerLine!.toFixed(2)} µs × lines (r² ${slope.r2!.toFixed(4)})` +
          (slope.marginalRatio === null ? "" : `; marginal cost per line, last step ÷ first step: ${fmtRatio(slope.marginalRatio)}`),
      );
      for (const x of slope.targets) {
        console.log(`${x.pass ? "PASS" : "FAIL"}${slope.binding ? "" : "*"}: ${x.what} = ${fmtRatio(x.value)} (target ≤ ${x.max})`);
      }
    }

    // the editor's wait: issue 9 asks for the number, with no target
    const lsp = await measureLspLatency({ runs: Math.max(3, opts.runs), cli: BUNDLE }).catch((e: unknown) => ({ failure: String((e as Error)?.message ?? e) }));
    if ("failure" in lsp) console.log(`\nlanguage server: ${lsp.failure}`);
    else {
      console.log(
        `\nlanguage server, ${SHAPE_LSP} (${fmtInt(lsp.lines)} lines, ${lsp.diagnostics} diagnostics): didOpen → first diagnostics ` +
          `${lsp.coldMedianMs.toFixed(1)} ms in a fresh server, ${lsp.warmMedianMs.toFixed(1)} ms reopened (medians of ${lsp.coldMs.length})`,
      );
    }

    const binding = results.flatMap((r) => r.targets.filter((x) => x.binding));
    const slopeFail = slope?.binding ? slope.targets.some((x) => !x.pass) : false;
    const errors = results.filter((r) => r.failure);
    const failed = binding.some((x) => !x.pass) || slopeFail || errors.length > 0;
    const checked = binding.length + (slope?.binding ? slope.targets.length : 0);
    const missing = DEFAULT_SHAPES.filter((s) => !opts.files.includes(s));
    const elapsed = (performance.now() - started) / 1000;
    console.log(
      `\n${checked === 0 ? "no issue target checked" : failed ? "FAIL" : "PASS"}: ${binding.filter((x) => x.pass).length + (slope?.binding ? slope.targets.filter((x) => x.pass).length : 0)} of ${checked} targets met` +
        (errors.length ? `, ${errors.length} cells failed` : "") +
        (missing.length ? `; not measured: ${missing.join(", ")}` : ""),
    );
    console.log(`load average at the end: ${load()}; ${elapsed.toFixed(0)} s in all`);

    const out = {
      date: new Date().toISOString(),
      machine: { ...info, loadEnd: load() },
      options: { runs: opts.runs, files: opts.files, tools: opts.tools, timeoutMs: opts.timeoutMs },
      shapes: shapes.map(({ path: _p, apacheConf: _a, ...s }) => s),
      cells: results,
      slope,
      lsp,
      verdict: checked === 0 ? "unchecked" : failed ? "FAIL" : "PASS",
      elapsedSeconds: elapsed,
    };
    mkdirSync(dirname(jsonPath), { recursive: true });
    writeFileSync(jsonPath, JSON.stringify(out, null, 2) + "\n");
    console.log(`results: ${jsonPath}`);
    if (opts.strict && failed) process.exitCode = 1;
  } finally {
    if (opts.keep || opts.dir) console.log(`kept ${root}`);
    else for (const d of [confDir, serverRoot, scratch]) rmSync(d, { recursive: true, force: true });
  }
}

try {
  await main();
} catch (err) {
  // usage mistakes and missing tools are one line, as everywhere in apachelint
  console.error(`bench: ${(err as Error).message}`);
  process.exitCode = 2;
}
