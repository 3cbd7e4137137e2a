// `apachelint lsp`: the language server. This module only connects the LSP
// connection to the parts that do the work: documents.ts (lint and publish),
// code-actions.ts, hover.ts, completion.ts. A request that throws is logged
// and answered with nothing; the server keeps serving the other documents.
import { basename, resolve } from "node:path";
import {
  CodeActionKind,
  createConnection,
  DidChangeWatchedFilesNotification,
  MarkupKind,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { parse } from "../../grammar/index.js";
import { ruleById } from "../../rules/index.js";
import { CONFIG_FILE_NAME, parseApacheVersion, parseDefines } from "../cli/config.js";
import { isPlatform, PLATFORM_NAMES } from "../data/platforms.js";
import { packageVersion } from "../cli/package-info.js";
import { lintFile } from "../core/engine.js";
import { codeActions, FIX_ALL_KIND } from "./code-actions.js";
import { completionsAt, resolveCompletion } from "./completion.js";
import { describeError, DocumentLinter } from "./documents.js";
import { hoverMarkdown } from "./hover.js";
import { LintSession, pathOfUri, type LintFunction, type SessionOptions } from "./lint-session.js";

export interface ServerOptions {
  /** the lint of one parsed file (default: the engine's); see failingOn */
  lint?: LintFunction;
  /** how long after a change a document is linted (default 150 ms) */
  delayMs?: number;
}

/**
 * The initializationOptions a client may send, the command line's options of
 * the same names: { serverRoot, followIncludes, allowOutside, apacheVersion,
 * define (an array of -D names), platform }.
 * A value of the wrong type is ignored with a warning.
 */
function sessionOptions(params: InitializeParams, warn: (m: string) => void): SessionOptions {
  const roots = (params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri }] : []))
    .map((f) => pathOfUri(f.uri))
    .filter((p): p is string => p !== null);
  const out: SessionOptions = { roots };
  const init = (params.initializationOptions ?? {}) as Record<string, unknown>;
  /** init[key] when `ok` accepts it; otherwise a warning, and undefined */
  const take = <T>(key: string, want: string, ok: (v: unknown) => T | null): T | undefined => {
    if (init[key] === undefined) return undefined;
    const v = ok(init[key]);
    if (v === null) warn(`apachelint: initializationOptions.${key}: expected ${want}; ignored`);
    return v ?? undefined;
  };
  // relative directories start from the first workspace folder, as the command line's start from its working directory
  const dir = (v: unknown) => (typeof v === "string" ? resolve(roots[0] ?? process.cwd(), v) : null);
  const serverRoot = take("serverRoot", "a directory", dir);
  const followIncludes = take("followIncludes", "true or false", (v) => (typeof v === "boolean" ? v : null));
  const allowOutside = take("allowOutside", "an array of directories", (v) => (Array.isArray(v) && v.every((d) => typeof d === "string") ? v.map((d) => dir(d)!) : null));
  const apacheVersion = take("apacheVersion", 'a 2.4.x version such as "2.4.62"', (v) => (typeof v === "string" ? parseApacheVersion(v) : null));
  const defines = take("define", "an array of -D names, one word each", (v) => {
    if (!Array.isArray(v) || !v.every((d) => typeof d === "string")) return null;
    const parsed = parseDefines(v);
    return typeof parsed === "string" ? null : parsed;
  });
  const platform = take("platform", PLATFORM_NAMES.join(", "), (v) => (isPlatform(v) ? v : null));
  if (defines !== undefined) out.defines = defines;
  if (platform !== undefined) out.platform = platform;
  if (serverRoot !== undefined) out.serverRoot = serverRoot;
  if (followIncludes !== undefined) out.followIncludes = followIncludes;
  if (allowOutside !== undefined) out.allowOutside = allowOutside;
  if (apacheVersion !== undefined) out.apacheVersion = apacheVersion;
  return out;
}

/** Serves `connection` until the client says exit (vscode-languageserver then ends the process). */
export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const documents = new TextDocuments(TextDocument);
  let linter: DocumentLinter | undefined;
  let session: LintSession | undefined;
  let watchFiles = false;
  const log = connection.console;
  const guard = <T>(what: string, fallback: T, f: () => T): T => {
    try {
      return f();
    } catch (e) {
      log.error(`apachelint: ${what} failed: ${describeError(e)}`);
      return fallback;
    }
  };

  connection.onInitialize((params): InitializeResult => {
    session = new LintSession({ ...sessionOptions(params, (m) => log.warn(m)), ...(options.lint ? { lint: options.lint } : {}) });
    linter = new DocumentLinter(
      session,
      (uri) => documents.get(uri),
      {
        publish: (uri, version, diagnostics) => void connection.sendDiagnostics({ uri, ...(version === undefined ? {} : { version }), diagnostics }),
        error: (m) => log.error(m),
        warn: (m) => log.warn(m),
      },
      options.delayMs,
    );
    watchFiles = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
        hoverProvider: true,
        completionProvider: { triggerCharacters: ["<", "/"], resolveProvider: true },
      },
      serverInfo: { name: "apachelint", version: packageVersion },
    };
  });

  connection.onInitialized(() => {
    // the config files: a change re-lints the open documents (ConfigCache also notices one on the next lint)
    if (watchFiles) void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: `**/${CONFIG_FILE_NAME}` }] });
  });

  connection.onDidChangeWatchedFiles(() =>
    guard("re-linting after a file change", undefined, () => {
      session?.configs.invalidate();
      linter?.relintAll();
    }),
  );

  documents.onDidOpen((e) => guard("linting", undefined, () => linter?.opened(e.document.uri)));
  documents.onDidChangeContent((e) => guard("linting", undefined, () => linter?.changed(e.document.uri)));
  documents.onDidClose((e) => guard("closing", undefined, () => linter?.closed(e.document.uri)));

  connection.onCodeAction((params) =>
    guard("code actions", [], () => {
      const state = linter?.current(params.textDocument.uri);
      if (!linter || !state?.file) return [];
      const l = linter;
      return codeActions({ ...state, file: state.file, range: params.range, only: params.context.only, fixedText: () => l.fixedText(state) });
    }),
  );

  connection.onHover((params) =>
    guard("hover", null, () => {
      const state = linter?.current(params.textDocument.uri);
      if (!state) return null;
      // a document that was not linted (a broken config) still has directives to explain
      const file = state.file ?? parse(state.doc.getText(), state.doc.uri);
      const value = hoverMarkdown(file, state.findings, state.doc.offsetAt(params.position), ruleById);
      return value ? { contents: { kind: MarkupKind.Markdown, value } } : null;
    }),
  );

  connection.onCompletion((params) =>
    guard("completion", [], () => {
      const doc = documents.get(params.textDocument.uri);
      if (!doc) return [];
      return completionsAt(doc, doc.offsetAt(params.position), pathOfUri(doc.uri) ?? doc.uri);
    }),
  );
  connection.onCompletionResolve((item) => guard("completion details", item, () => resolveCompletion(item)));

  connection.onShutdown(() => linter?.stop());

  documents.listen(connection);
  connection.listen();
}

/**
 * APACHELINT_LSP_FAIL_ON=NAME: the lint of every file named NAME throws. It is
 * how a test shows, from outside the process, that a document whose lint fails
 * is logged and leaves the server serving the others; it changes nothing else.
 */
export function failingOn(name: string): LintFunction {
  return (file, options) => {
    if (basename(file.path) === name) throw new Error(`APACHELINT_LSP_FAIL_ON=${name}: this lint fails on purpose`);
    return lintFile(file, options);
  };
}

/** The server on standard input and output; the returned promise never settles (the client's exit ends the process). */
export function serveStdio(): Promise<number> {
  const connection = createConnection(ProposedFeatures.all, process.stdin, process.stdout);
  // stdout is the protocol's: anything printed there by mistake would corrupt it
  for (const k of ["log", "info", "warn", "debug"] as const) console[k] = console.error;
  process.on("uncaughtException", (e) => connection.console.error(`apachelint: internal error: ${describeError(e)}`));
  const failOn = process.env.APACHELINT_LSP_FAIL_ON;
  startServer(connection, failOn ? { lint: failingOn(failOn) } : {});
  return new Promise(() => {});
}
