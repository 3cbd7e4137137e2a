// The parser benchmark (issue 2): generates the large configs of
// shared/apache-truth/perf.md, then times, each in a fresh process,
//   parse  apachelint's parser alone (read + parse)
//   lint   apachelint with every rule (read + parse + lint)
//   apache `apache2 -t` on the same file
// and checks the target: parsing flat-1m takes less than half of Apache's wall
// time and less than half of its peak memory.
//
//   npm run bench -- [--runs N] [--files flat-1m,vhosts-10000] [--tools parse,lint,apache]
//                    [--timeout SECONDS] [--dir DIR] [--keep] [--strict] [--help]
// --timeout bounds each run (default 120 s); a cell that exceeds it is reported
// as such and not run again. --strict exits 1 when the target is missed.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ChildReport } from "./child.js";
import { generate, SHAPES, type Generated, type ShapeName } from "./gen.js";
import { hasGnuTime, median, runOnce, type Sample } from "./measure.js";

const here = dirname(fileURLToPath(import.meta.url));
const APACHE = "/usr/sbin/apache2";
const TARGET_FILE = "flat-1m";
const TARGET_RATIO = 0.5;

interface Options {
  runs: number;
  files: ShapeName[];
  dir: string | null;
  keep: boolean;
  strict: boolean;
  timeoutMs: number;
  tools: Tool[];
}

function parseArgs(argv: string[]): Options {
  const o: Options = { runs: 3, files: ["flat-1m", "vhosts-10000", "vhosts-50000"], dir: null, keep: false, strict: false, timeoutMs: 120_000, tools: ["parse", "lint", "apache"] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === "--runs") o.runs = Math.max(1, Number.parseInt(value(), 10) || 1);
    else if (a === "--files") o.files = value().split(",") as ShapeName[];
    else if (a === "--dir") o.dir = value();
    else if (a === "--timeout") o.timeoutMs = Math.max(1, Number(value())) * 1000;
    else if (a === "--tools") o.tools = value().split(",") as Tool[];
    else if (a === "--keep") o.keep = true;
    else if (a === "--strict") o.strict = true;
    else if (a === "--help") {
      console.log("usage: npm run bench -- [--runs N] [--files flat-1m,vhosts-10000,vhosts-50000] [--tools parse,lint,apache] [--timeout SECONDS] [--dir DIR] [--keep] [--strict]");
      process.exit(0);
    }
    else throw new Error(`unknown option ${a}`);
  }
  for (const t of o.tools) if (!["parse", "lint", "apache"].includes(t)) throw new Error(`unknown tool ${t}; known: parse, lint, apache`);
  for (const f of o.files) if (!(f in SHAPES)) throw new Error(`unknown file ${f}; known: ${Object.keys(SHAPES).join(", ")}`);
  return o;
}

type Tool = "parse" | "lint" | "apache";

interface Cell {
  tool: Tool;
  samples: Sample[];
  reports: ChildReport[];
  failure: string | null;
}

function command(tool: Tool, file: string, serverRoot: string): [string, string[]] {
  if (tool === "apache") return [APACHE, ["-t", "-d", serverRoot, "-f", file]];
  const entry = join(here, tool === "parse" ? "parse-entry.js" : "lint-entry.js");
  return [process.execPath, [entry, file]];
}

function check(tool: Tool, s: Sample, timeoutMs: number): string | null {
  if (s.timedOut) return `TIMEOUT: killed after ${timeoutMs / 1000} s`;
  if (tool === "apache") {
    return s.status === 0 && /Syntax OK/.test(s.stderr) ? null : `apache2 -t exited ${s.status}: ${s.stderr.trim().slice(0, 500)}`;
  }
  return s.status === 0 ? null : `exited ${s.status}: ${s.stderr.trim().slice(0, 500)}`;
}

async function measure(files: Generated[], tools: Tool[], opts: Options, serverRoot: string, scratch: string): Promise<Map<string, Cell>> {
  const runs = opts.runs;
  const cells = new Map<string, Cell>();
  for (const f of files) {
    for (const tool of tools) cells.set(`${f.name}/${tool}`, { tool, samples: [], reports: [], failure: null });
    // round-robin, so that a slow phase of the machine hits every tool alike
    for (let r = 0; r < runs; r++) {
      for (const tool of tools) {
        const cell = cells.get(`${f.name}/${tool}`)!;
        if (cell.failure) continue;
        const [cmd, args] = command(tool, f.path, serverRoot);
        const s = await runOnce(cmd, args, scratch, opts.timeoutMs);
        cell.failure = check(tool, s, opts.timeoutMs);
        if (cell.failure) {
          process.stderr.write(`  ${f.name} ${tool} run ${r + 1}/${runs}: ${cell.failure.split("\n")[0]}\n`);
          continue;
        }
        cell.samples.push(s);
        if (tool !== "apache") cell.reports.push(JSON.parse(s.stdout.trim().split("\n").pop()!) as ChildReport);
        process.stderr.write(`  ${f.name} ${tool} run ${r + 1}/${runs}: ${s.wallMs.toFixed(0)} ms\n`);
      }
    }
  }
  return cells;
}

/** One untimed parse per file with a forced GC: how much heap the AST keeps. */
function retainedHeap(file: Generated, timeoutMs: number): number | null {
  const entry = join(here, "parse-entry.js");
  try {
    const out = execFileSync(process.execPath, ["--expose-gc", entry, file.path], {
      encoding: "utf8",
      env: { ...process.env, APACHELINT_BENCH_RETAINED: "1" },
      timeout: timeoutMs,
    });
    return (JSON.parse(out.trim()) as ChildReport).retainedHeapBytes;
  } catch {
    return null;
  }
}

const MiB = 1024 * 1024;
const fmtInt = (n: number) => Math.round(n).toLocaleString("en-US");
const fmtMs = (n: number) => fmtInt(n);
const fmtMiB = (n: number | null) => (n === null ? "n/a" : fmtInt(n / MiB));
const fmtRatio = (n: number | null) => (n === null || !Number.isFinite(n) ? "n/a" : n.toFixed(2));

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => "| " + r.map((x, c) => (c === 0 ? x.padEnd(widths[c]!) : x.padStart(widths[c]!))).join(" | ") + " |";
  return [line(rows[0]!), "|" + widths.map((w, c) => (c === 0 ? "-".repeat(w + 2) : "-".repeat(w + 1) + ":")).join("|") + "|", ...rows.slice(1).map(line)].join("\n");
}

interface Summary {
  wallMs: number;
  rssBytes: number | null;
  inProcessMs: number | null;
}

function summarize(cell: Cell): Summary | null {
  if (cell.failure || cell.samples.length === 0) return null;
  const rss = cell.samples.map((s, i) => s.rssBytes ?? cell.reports[i]?.maxRssBytes ?? null);
  return {
    wallMs: median(cell.samples.map((s) => s.wallMs)),
    rssBytes: rss.every((x) => x !== null) ? median(rss as number[]) : null,
    inProcessMs: cell.reports.length ? median(cell.reports.map((r) => r.readMs + r.workMs)) : null,
  };
}

/** Other work on the machine skews every timing: say how busy it was. */
const load = () => loadavg().map((x) => x.toFixed(2)).join(" ");

function versions(): string[] {
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
    commit = ` (${execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: here, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim()})`;
  } catch {
    // not a checkout
  }
  return [
    `apachelint ${pkg.version}${commit}`,
    `node ${process.version}`,
    `apache ${apache}`,
    `${cpu.length} × ${cpu[0]?.model ?? "unknown CPU"}, load average ${load()}`,
    `peak RSS from ${hasGnuTime ? "/usr/bin/time -f %M" : "process.resourceUsage() inside the child (apache: not measured)"}`,
  ];
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const haveApache = existsSync(APACHE);
  const tools = opts.tools.filter((t) => t !== "apache" || haveApache);
  const root = opts.dir ?? mkdtempSync(join(tmpdir(), "apachelint-bench-"));
  const serverRoot = join(root, "sr");
  const scratch = join(root, "scratch");
  for (const d of [join(serverRoot, "run"), join(serverRoot, "logs"), scratch]) mkdirSync(d, { recursive: true });

  try {
    console.log(versions().join("\n"));
    if (!haveApache) console.log(`${APACHE} not found: Apache columns are skipped and the target cannot be checked`);
    console.log(`runs per cell: ${opts.runs} (median); files in ${root}`);
    process.stderr.write("generating…\n");
    const files = generate(join(root, "conf"), opts.files);
    const cells = await measure(files, tools, opts, serverRoot, scratch);

    const rows: string[][] = [["file", "lines", "MiB", "tool", "wall ms", "in-process ms", "peak RSS MiB", "lines/s", "MiB/s", "time ÷ apache", "RSS ÷ apache"]];
    const verdicts: string[] = [];
    let failed = false;
    for (const f of files) {
      const apacheCell = cells.get(`${f.name}/apache`);
      const apache = apacheCell ? summarize(apacheCell) : null;
      for (const tool of tools) {
        const cell = cells.get(`${f.name}/${tool}`)!;
        const s = summarize(cell);
        if (!s) {
          const timedOut = cell.failure?.startsWith("TIMEOUT") ?? false;
          rows.push([f.name, fmtInt(f.lines), (f.bytes / MiB).toFixed(1), tool, timedOut ? `> ${fmtInt(opts.timeoutMs)}` : "FAILED", "", "", "", "", "", ""]);
          console.error(`${f.name} ${tool}: ${cell.failure}`);
          failed = true;
          continue;
        }
        const secs = s.wallMs / 1000;
        const vs = tool !== "apache" && apache;
        rows.push([
          f.name,
          fmtInt(f.lines),
          (f.bytes / MiB).toFixed(1),
          tool,
          fmtMs(s.wallMs),
          s.inProcessMs === null ? "" : fmtMs(s.inProcessMs),
          fmtMiB(s.rssBytes),
          fmtInt(f.lines / secs),
          (f.bytes / MiB / secs).toFixed(1),
          vs ? fmtRatio(s.wallMs / apache.wallMs) : "",
          vs ? fmtRatio(s.rssBytes !== null && apache.rssBytes !== null ? s.rssBytes / apache.rssBytes : null) : "",
        ]);
      }
      const parseCell = cells.get(`${f.name}/parse`);
      const parse = parseCell ? summarize(parseCell) : null;
      if (f.name === TARGET_FILE && parse && apache) {
        const t = parse.wallMs / apache.wallMs;
        const m = parse.rssBytes !== null && apache.rssBytes !== null ? parse.rssBytes / apache.rssBytes : null;
        const pass = t < TARGET_RATIO && m !== null && m < TARGET_RATIO;
        if (!pass) failed = true;
        verdicts.push(
          `${pass ? "PASS" : "FAIL"}: parsing ${f.name} takes ${fmtRatio(t)}× Apache's wall time (target < ${TARGET_RATIO}) ` +
            `and ${fmtRatio(m)}× its peak memory (target < ${TARGET_RATIO})`,
        );
        const heap = retainedHeap(f, opts.timeoutMs);
        if (heap !== null) verdicts.push(`retained JS heap after parsing ${f.name} (AST + text, after a full GC): ${fmtMiB(heap)} MiB`);
      }
    }
    console.log("\n" + table(rows) + "\n");
    console.log("wall = whole process, node startup included (as perf.md measured apache2 -t); in-process = read + work inside the child");
    if (!opts.files.includes(TARGET_FILE)) verdicts.push(`target not checked: ${TARGET_FILE} was not benchmarked`);
    else if (!haveApache) verdicts.push("target not checked: apache2 is not installed");
    else if (!tools.includes("parse") || !tools.includes("apache")) verdicts.push("target not checked: it needs the parse and apache tools");
    for (const v of verdicts) console.log(v);
    console.log(`load average at the end: ${load()}`);
    if (opts.strict && failed) process.exitCode = 1;
  } finally {
    if (opts.keep || opts.dir) console.log(`kept ${root}`);
    else rmSync(root, { recursive: true, force: true });
  }
}

try {
  await main();
} catch (err) {
  // usage mistakes and missing tools are one line, as everywhere in apachelint
  console.error(`bench: ${(err as Error).message}`);
  process.exitCode = 2;
}
