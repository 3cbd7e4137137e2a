// The open documents' lints and what they publish: a lint when a document
// opens, another 150 ms after its last change; the files its Includes lead to
// published under their own URIs, and cleared once no open document includes
// them; a lint that throws is logged and the server goes on.
import { TextDocument } from "vscode-languageserver-textdocument";
import type { Diagnostic } from "vscode-languageserver/node";
import type { ConfigFile } from "../../grammar/index.js";
import type { Finding } from "../core/engine.js";
import { Debouncer } from "./debounce.js";
import { noticeDiagnostic, toDiagnostic } from "./diagnostics.js";
import type { LintSession, Skipped } from "./lint-session.js";

/** Where diagnostics and log lines go (the LSP connection). */
export interface Sink {
  publish(uri: string, version: number | undefined, diagnostics: Diagnostic[]): void;
  error(message: string): void;
  warn(message: string): void;
}

/** A document's last lint. */
export interface DocumentState {
  version: number;
  /** the text that was linted, as it was: the editor's document changes under it */
  doc: TextDocument;
  /** null when nothing was linted (a broken config, an ignored file, a lint that failed) */
  file: ConfigFile | null;
  findings: Finding[];
  diagnostics: Diagnostic[];
  /** the text with every safe fix applied, once asked for */
  fixed?: string;
}

export const LINT_DELAY_MS = 150;

/** An error as one line, with the stack under APACHELINT_DEBUG (as the CLI does). */
export function describeError(e: unknown): string {
  return process.env.APACHELINT_DEBUG ? ((e as Error)?.stack ?? String(e)) : ((e as Error)?.message ?? String(e));
}

export class DocumentLinter {
  private readonly states = new Map<string, DocumentState>();
  /** an included file's URI → the open documents whose lint published it */
  private readonly owners = new Map<string, Set<string>>();
  /** an open document's URI → the included files its last lint published */
  private readonly included = new Map<string, Set<string>>();
  private readonly debounce: Debouncer<string>;

  constructor(
    private readonly session: LintSession,
    /** the editor's open document at a URI */
    private readonly openDocument: (uri: string) => TextDocument | undefined,
    private readonly sink: Sink,
    delayMs = LINT_DELAY_MS,
  ) {
    this.debounce = new Debouncer(delayMs);
  }

  opened(uri: string): void {
    this.lintNow(uri);
  }

  changed(uri: string): void {
    // (the open notification reports a change as well: that text is linted already)
    if (this.states.get(uri)?.version === this.openDocument(uri)?.version) return;
    this.debounce.schedule(uri, () => this.lintNow(uri));
  }

  closed(uri: string): void {
    this.debounce.cancel(uri);
    this.states.delete(uri);
    this.sink.publish(uri, undefined, []);
    this.publishedIncludes(uri, new Set());
  }

  /** Lints every open document again (a config file changed). */
  relintAll(): void {
    for (const uri of [...this.states.keys()]) this.lintNow(uri);
  }

  stop(): void {
    this.debounce.cancelAll();
  }

  /** The document's lint of its current version: linted now if a change is still waiting for its lint. */
  current(uri: string): DocumentState | undefined {
    const doc = this.openDocument(uri);
    if (!doc) return undefined;
    if (this.states.get(uri)?.version !== doc.version) {
      this.debounce.cancel(uri);
      this.lintNow(uri);
    }
    return this.states.get(uri);
  }

  /** The text of the document's current version with every safe fix applied (computed once per version). */
  fixedText(state: DocumentState): string {
    return (state.fixed ??= this.session.fixSafe(state.doc.uri, state.doc.getText()));
  }

  lintNow(uri: string): void {
    const open = this.openDocument(uri);
    if (!open) return;
    const version = open.version;
    const text = open.getText();
    const doc = TextDocument.create(uri, open.languageId, version, text);
    const nothing = (diagnostics: Diagnostic[]): void => {
      this.states.set(uri, { version, doc, file: null, findings: [], diagnostics });
      this.sink.publish(uri, version, diagnostics);
      this.publishedIncludes(uri, new Set());
    };
    const skipped: Skipped[] = [];
    let result;
    try {
      result = this.session.lintTree(uri, text, (u) => u !== uri && this.openDocument(u) !== undefined, skipped);
    } catch (e) {
      this.sink.error(`apachelint: linting ${uri} failed: ${describeError(e)}`);
      nothing([]);
      return;
    }
    for (const s of skipped) this.sink.warn(`apachelint: ${s.path}: ${s.reason} (not linted)`);
    switch (result.kind) {
      case "config-error":
        this.sink.error(`apachelint: ${result.config}: ${result.message}`);
        nothing([noticeDiagnostic(`${result.config}: ${result.message}`, "config-invalid")]);
        return;
      case "ignored":
        nothing([]);
        return;
      case "linted": {
        const [self, ...rest] = result.files;
        const diagnostics = self!.findings.map((f) => toDiagnostic(f, doc));
        this.states.set(uri, { version, doc, file: self!.file, findings: self!.findings, diagnostics });
        this.sink.publish(uri, version, diagnostics);
        for (const f of rest) {
          const d = TextDocument.create(f.uri, "apache", 0, f.text);
          this.sink.publish(f.uri, undefined, f.findings.map((x) => toDiagnostic(x, d)));
        }
        this.publishedIncludes(uri, new Set(rest.map((f) => f.uri)));
      }
    }
  }

  /** Records what `root` published for its Includes now; clears what no open document publishes any more. */
  private publishedIncludes(root: string, now: Set<string>): void {
    for (const u of this.included.get(root) ?? []) {
      if (now.has(u)) continue;
      const owners = this.owners.get(u);
      owners?.delete(root);
      if (owners && owners.size > 0) continue;
      this.owners.delete(u);
      if (!this.openDocument(u)) this.sink.publish(u, undefined, []);
    }
    for (const u of now) {
      let owners = this.owners.get(u);
      if (!owners) this.owners.set(u, (owners = new Set()));
      owners.add(root);
    }
    if (now.size) this.included.set(root, now);
    else this.included.delete(root);
  }
}
