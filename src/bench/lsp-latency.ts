// How long an editor waits for apachelint's first diagnostics: a fresh
// `apachelint lsp` (the bundled CLI, dist/apachelint.cjs) is initialized, then
// a generated ~1,000-line config (gen.ts's vhosts shape) is opened, and the
// time from didOpen to its publishDiagnostics is taken. Each run starts its own
// server (cold: the lint's code is not warm yet); within the last server the
// same file is then opened again a few times (warm). Medians of the runs.
//
//   node dist/src/bench/lsp-latency.js [--runs N]
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { generateOne } from "./gen.js";
import { LspClient } from "./lsp-client.js";

export interface LspLatency {
  /** lines of the file opened */
  lines: number;
  /** didOpen → first publishDiagnostics, one fresh server per run (ms) */
  coldMs: number[];
  coldMedianMs: number;
  /** the same in the last server, the file opened again (ms) */
  warmMs: number[];
  warmMedianMs: number;
  /** diagnostics the file got (the same every run) */
  diagnostics: number;
}

/** vhosts-47: the prologue (18 lines) and 47 virtual hosts of 21 lines, 1,005 lines. */
export const SHAPE = "vhosts-47";

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const DEFAULT_CLI = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "apachelint.cjs");

export async function measureLspLatency(options: { runs?: number; cli?: string; timeoutMs?: number } = {}): Promise<LspLatency> {
  const runs = options.runs ?? 5;
  const cli = options.cli ?? DEFAULT_CLI;
  const timeout = options.timeoutMs ?? 30_000;
  const dir = mkdtempSync(join(tmpdir(), "apachelint-lsp-bench-"));
  try {
    const generated = generateOne(dir, SHAPE);
    const text = readFileSync(generated.path, "utf8");
    const uri = pathToFileURL(generated.path).href;
    const coldMs: number[] = [];
    const warmMs: number[] = [];
    let diagnostics = 0;
    for (let i = 0; i < runs; i++) {
      const client = LspClient.start(cli);
      try {
        await client.initialize(pathToFileURL(dir).href);
        const t0 = performance.now();
        client.open(uri, text, 1);
        diagnostics = (await client.diagnostics(uri, () => true, timeout)).diagnostics.length;
        coldMs.push(performance.now() - t0);
        if (i === runs - 1) {
          for (let j = 0; j < runs; j++) {
            client.close(uri);
            const seen = client.published.length;
            const t1 = performance.now();
            client.open(uri, text, j + 2);
            await client.diagnostics(uri, (d) => d.version === j + 2, timeout, seen);
            warmMs.push(performance.now() - t1);
          }
        }
        await client.shutdown();
      } finally {
        client.kill();
      }
    }
    return { lines: generated.lines, coldMs, coldMedianMs: median(coldMs), warmMs, warmMedianMs: median(warmMs), diagnostics };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const i = process.argv.indexOf("--runs");
  const runs = i > 0 ? Number(process.argv[i + 1]) : 5;
  if (!Number.isInteger(runs) || runs < 1) {
    process.stderr.write("lsp-latency: --runs needs a whole number of 1 or more\n");
    process.exit(2);
  }
  measureLspLatency({ runs }).then(
    (r) => {
      const f = (xs: number[]) => xs.map((x) => x.toFixed(1)).join(", ");
      process.stdout.write(
        `apachelint lsp: didOpen -> first publishDiagnostics, ${SHAPE} (${r.lines} lines, ${r.diagnostics} diagnostics)\n` +
          `  cold (new server each run): median ${r.coldMedianMs.toFixed(1)} ms  [${f(r.coldMs)}]\n` +
          `  warm (same server, reopened): median ${r.warmMedianMs.toFixed(1)} ms  [${f(r.warmMs)}]\n`,
      );
    },
    (e: unknown) => {
      process.stderr.write(`lsp-latency: ${(e as Error)?.message ?? String(e)}\n`);
      process.exit(2);
    },
  );
}
