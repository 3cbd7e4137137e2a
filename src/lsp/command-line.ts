// `apachelint lsp [--stdio]`: the language server's own arguments. The server
// speaks LSP over standard input and output, the one transport; `--stdio` is
// accepted because editors' clients pass it (VS Code's vscode-languageclient
// does for a stdio server), and `--clientProcessId` because some pass that too
// (vscode-languageserver reads it from process.argv itself).

export type LspAction = { kind: "lsp" } | { kind: "exit"; code: number };

/** Where help and errors go (the CLI's streams; not imported from options.ts, which imports this). */
export interface LspStreams {
  writeOut(text: string): void;
  writeErr(text: string): void;
}

const USAGE = `Usage: apachelint lsp [--stdio]

Start the language server: LSP (JSON-RPC) over standard input and output, for
editors (diagnostics, quick fixes, hover, completion). It reads the same
.apachelintrc.json files as the command line.

Options:
  --stdio                 talk over stdin/stdout (the default and only transport)
  --clientProcessId <pid> exit when this process (the editor) is gone
  -h, --help              show this help
`;

/** Parses the arguments after `lsp`. */
export function parseLspArguments(args: readonly string[], streams: LspStreams): LspAction {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "-h" || a === "--help") {
      streams.writeOut(USAGE);
      return { kind: "exit", code: 0 };
    }
    if (a === "--stdio" || /^--clientProcessId=\d+$/.test(a)) continue;
    if (a === "--clientProcessId" && /^\d+$/.test(args[i + 1] ?? "")) {
      i++;
      continue;
    }
    streams.writeErr(`apachelint: lsp: unknown argument '${a}' (the server talks over stdin/stdout; see apachelint lsp --help)\n`);
    return { kind: "exit", code: 2 };
  }
  return { kind: "lsp" };
}
