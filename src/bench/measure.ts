// Runs one command in a fresh process and measures it from outside: wall time
// of the whole process (startup included, as perf.md measured Apache) and
// peak RSS from /usr/bin/time when it exists. A run that exceeds its time
// limit is killed with its whole process group, so /usr/bin/time cannot leave
// the measured process behind.
import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

const GNU_TIME = "/usr/bin/time";
export const hasGnuTime = existsSync(GNU_TIME);

export interface Sample {
  wallMs: number;
  /** peak RSS in bytes, or null when it could not be measured */
  rssBytes: number | null;
  status: number | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** "ignore" sends the child's stdout to /dev/null, as `> /dev/null` would (default: collect it) */
  stdout?: "pipe" | "ignore";
  cwd?: string;
}

export function runOnce(cmd: string, args: readonly string[], scratch: string, timeoutMs: number, opts: RunOptions = {}): Promise<Sample> {
  const rssFile = join(scratch, "rss.txt");
  rmSync(rssFile, { force: true });
  const [file, argv] = hasGnuTime ? [GNU_TIME, ["-f", "%M", "-o", rssFile, cmd, ...args]] : [cmd, [...args]];
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(file, argv, { detached: true, cwd: opts.cwd, stdio: ["ignore", opts.stdout ?? "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on("data", (b: Buffer) => out.push(b));
    child.stderr?.on("data", (b: Buffer) => err.push(b));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    }, timeoutMs);
    const finish = (status: number | null, spawnError?: Error) => {
      const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
      clearTimeout(timer);
      let rssBytes: number | null = null;
      if (hasGnuTime && existsSync(rssFile)) {
        // GNU time prefixes "Command exited with non-zero status N" on failure; %M is the last line
        const kb = Number(readFileSync(rssFile, "utf8").trim().split("\n").pop());
        if (Number.isFinite(kb)) rssBytes = kb * 1024;
      }
      resolve({
        wallMs,
        rssBytes,
        status,
        timedOut,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8") + (spawnError ? String(spawnError) : ""),
      });
    };
    child.on("error", (e) => finish(null, e));
    child.on("close", (code) => finish(code));
  });
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function minMax(xs: readonly number[]): [number, number] {
  return [Math.min(...xs), Math.max(...xs)];
}

/** Least-squares line y = intercept + slope·x. */
export function leastSquares(xs: readonly number[], ys: readonly number[]): { slope: number; intercept: number; r2: number } {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
    syy += (ys[i]! - my) ** 2;
  }
  const slope = sxx === 0 ? NaN : sxy / sxx;
  return { slope, intercept: my - slope * mx, r2: sxx === 0 || syy === 0 ? 1 : (sxy * sxy) / (sxx * syy) };
}
