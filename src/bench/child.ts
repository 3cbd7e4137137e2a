// What a benchmark child reports to the parent on stdout: one JSON line.
import { decode, readSource } from "../server/io.js";

export interface ChildReport {
  /** reading and decoding the file, in-process */
  readMs: number;
  /** the measured work (parse, or parse + lint), in-process */
  workMs: number;
  /** peak resident set size as the process itself saw it, bytes */
  maxRssBytes: number;
  /** JS heap still in use after a full GC with the result alive, bytes (untimed runs only, needs --expose-gc) */
  retainedHeapBytes: number | null;
  /** a count that proves the work was done (lines, findings) */
  count: number;
  parseErrors: number;
}

/** Reads argv[2], runs `work` on its text and prints the report. */
export function runChild(work: (text: string, path: string) => { count: number; parseErrors: number; keep: unknown }): void {
  const path = process.argv[2];
  if (!path) {
    process.stderr.write("usage: node <entry> FILE\n");
    process.exit(2);
  }
  const t0 = performance.now();
  // read and decoded as the CLI does it
  const text = decode(readSource(path).bytes).text;
  const t1 = performance.now();
  const result = work(text, path);
  const t2 = performance.now();
  // A full GC on a large heap costs real time, so only an untimed run asks for it.
  const gc = process.env.APACHELINT_BENCH_RETAINED === "1" ? (globalThis as { gc?: () => void }).gc : undefined;
  let retained: number | null = null;
  if (gc) {
    gc();
    retained = process.memoryUsage().heapUsed;
  }
  const report: ChildReport = {
    readMs: t1 - t0,
    workMs: t2 - t1,
    // resourceUsage reports kilobytes
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    retainedHeapBytes: retained,
    count: result.count,
    parseErrors: result.parseErrors,
  };
  // the result must stay reachable until here, or the GC figure means nothing
  if (result.keep === undefined) process.exitCode = 3;
  process.stdout.write(JSON.stringify(report) + "\n");
}
