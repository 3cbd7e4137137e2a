// A minimal LSP client over a child process's stdio (vscode-jsonrpc), for the
// language server's latency benchmark and its tests: it starts `apachelint
// lsp`, keeps every diagnostics notification and log line, and waits for them
// with a deadline, so that nothing waits forever on a server that went quiet.
import { spawn, type ChildProcess } from "node:child_process";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from "vscode-jsonrpc/node";

export interface Diagnostics {
  uri: string;
  version?: number;
  diagnostics: {
    range: { start: { line: number; character: number }; end: { line: number; character: number } };
    severity?: number;
    code?: string | number;
    codeDescription?: { href: string };
    source?: string;
    message: string;
    tags?: number[];
    relatedInformation?: { location: { uri: string; range: unknown }; message: string }[];
  }[];
}

export interface LogLine {
  type: number;
  message: string;
}

interface Waiter {
  test: () => boolean;
  resolve: () => void;
}

export class LspClient {
  readonly connection: MessageConnection;
  /** every publishDiagnostics, in order */
  readonly published: Diagnostics[] = [];
  /** every window/logMessage */
  readonly logs: LogLine[] = [];
  readonly stderr: string[] = [];
  /** what the server asked to register (client/registerCapability) */
  readonly registrations: { method: string; registerOptions?: unknown }[] = [];
  /** the process's exit code once it has exited (null: killed by a signal) */
  exitCode: number | null | undefined = undefined;
  private readonly waiters = new Set<Waiter>();
  private readonly exited: Promise<void>;

  private constructor(readonly child: ChildProcess) {
    this.connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    this.connection.onNotification("textDocument/publishDiagnostics", (p: Diagnostics) => {
      this.published.push(p);
      this.wake();
    });
    this.connection.onNotification("window/logMessage", (p: LogLine) => {
      this.logs.push(p);
      this.wake();
    });
    // the server registers its file watcher with the client: accept it
    this.connection.onRequest("client/registerCapability", (p: { registrations: { method: string; registerOptions?: unknown }[] }) => {
      this.registrations.push(...p.registrations);
      return null;
    });
    this.connection.onRequest("window/workDoneProgress/create", () => null);
    child.stderr!.on("data", (d: Buffer) => this.stderr.push(d.toString()));
    this.exited = new Promise((resolve) =>
      child.on("exit", (code) => {
        this.exitCode = code;
        this.wake();
        resolve();
      }),
    );
    // a server that dies mid-message must not make the test process throw
    this.connection.onError(() => {});
    child.stdin!.on("error", () => {});
    this.connection.listen();
  }

  /** Starts `node <cli> lsp --stdio` (or the given arguments). */
  static start(cli: string, args: readonly string[] = ["lsp", "--stdio"], env: NodeJS.ProcessEnv = process.env, cwd?: string): LspClient {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ["pipe", "pipe", "pipe"], env, ...(cwd ? { cwd } : {}) });
    return new LspClient(child);
  }

  private wake(): void {
    for (const w of [...this.waiters]) {
      if (w.test()) {
        this.waiters.delete(w);
        w.resolve();
      }
    }
  }

  /** Resolves once `test` holds (checked on every notification), rejects after `ms`. */
  until(test: () => boolean, ms: number, what: string): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const w: Waiter = {
        test,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(w);
        reject(new Error(`timed out after ${ms} ms waiting for ${what}; logs: ${JSON.stringify(this.logs)}; stderr: ${this.stderr.join("")}`));
      }, ms);
      this.waiters.add(w);
    });
  }

  /** The first diagnostics for `uri` published after the first `after` notifications that `accept` takes. */
  async diagnostics(uri: string, accept: (d: Diagnostics) => boolean = () => true, ms = 20_000, after = 0): Promise<Diagnostics> {
    const find = () => this.published.slice(after).find((p) => p.uri === uri && accept(p));
    await this.until(() => find() !== undefined, ms, `diagnostics for ${uri}`);
    return find()!;
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  notify(method: string, params: unknown): void {
    void this.connection.sendNotification(method, params);
  }

  async initialize(rootUri: string | null, extra: { initializationOptions?: unknown; capabilities?: unknown } = {}): Promise<{ capabilities: Record<string, unknown>; serverInfo?: { name: string; version?: string } }> {
    const r = await this.request<{ capabilities: Record<string, unknown>; serverInfo?: { name: string; version?: string } }>("initialize", {
      processId: process.pid,
      rootUri,
      workspaceFolders: rootUri ? [{ uri: rootUri, name: "root" }] : null,
      capabilities: extra.capabilities ?? { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } } },
      initializationOptions: extra.initializationOptions,
    });
    this.notify("initialized", {});
    return r;
  }

  open(uri: string, text: string, version = 1): void {
    this.notify("textDocument/didOpen", { textDocument: { uri, languageId: "apache", version, text } });
  }

  /** Replaces the whole text (a full-document change, which an incremental server accepts too). */
  change(uri: string, text: string, version: number): void {
    this.notify("textDocument/didChange", { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  close(uri: string): void {
    this.notify("textDocument/didClose", { textDocument: { uri } });
  }

  /** shutdown, then exit; resolves to the exit code. Kills the process when it does not exit within `ms`. */
  async shutdown(ms = 10_000): Promise<number | null> {
    await this.request("shutdown", null);
    this.notify("exit", null);
    const timer = setTimeout(() => this.kill(), ms);
    await this.exited;
    clearTimeout(timer);
    this.connection.dispose();
    return this.exitCode ?? null;
  }

  /** Ends the process (only this client's own child). */
  kill(): void {
    if (this.exitCode === undefined) this.child.kill("SIGKILL");
    this.connection.dispose();
  }
}
