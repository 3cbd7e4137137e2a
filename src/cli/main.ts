#!/usr/bin/env node
// The apachelint command. Parsing is in cli-options.ts, the work in run.ts;
// this file only connects them to the process.
// Modules are loaded inside main() so that even a broken installation ends in
// one line and exit code 2 rather than a stack trace.
import type { Output } from "./run.js";

async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function main(argv: readonly string[]): Promise<number> {
  const [{ allRules, ruleById }, { parseCommandLine }, { listRules }, { formatFor, formatNames }, { packageVersion: version }, { renderRuleText }, { run }] =
    await Promise.all([
      import("../../rules/index.js"),
      import("./options.js"),
      import("./explain.js"),
      import("../formatters/lazy.js"),
      import("./package-info.js"),
      import("./rule-docs.js"),
      import("./run.js"),
    ]);
  const out = (s: string) => void process.stdout.write(s);
  const err = (s: string) => void process.stderr.write(s);
  const action = parseCommandLine(argv, version, formatNames, { writeOut: out, writeErr: err });
  switch (action.kind) {
    case "exit":
      return action.code;
    case "list-rules":
      out(listRules(allRules));
      return 0;
    case "explain": {
      const rule = ruleById(action.ruleId);
      if (!rule) {
        err(`apachelint: --explain: unknown rule "${action.ruleId}" (see --list-rules)\n`);
        return 2;
      }
      out(renderRuleText(rule));
      return 0;
    }
    case "lsp": {
      // loaded only here: a lint run does not load vscode-languageserver
      const { serveStdio } = await import("../lsp/server.js");
      return serveStdio();
    }
    case "lint":
      return run(action.options, {
        cwd: process.cwd(),
        env: process.env,
        stdout: process.stdout as Output,
        stderr: process.stderr as Output,
        readStdin,
        formatFor,
        formatNames,
        toolVersion: version,
      });
  }
}

// A reader that goes away (`apachelint … | head`) is not an error.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw e;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    // a bug, not a usage error: one line unless asked for the stack
    const detail = process.env.APACHELINT_DEBUG ? ((e as Error)?.stack ?? String(e)) : ((e as Error)?.message ?? String(e));
    process.stderr.write(`apachelint: internal error: ${detail}\n`);
    process.exitCode = 2;
  },
);
