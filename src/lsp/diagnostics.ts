// Findings as LSP diagnostics: the rule id is the code, its docs page (the
// same URL the SARIF report's helpUri gives) the code's description, related
// spans become related information, and rules whose findings mark text that
// does nothing get the tag editors draw faded (or struck through).
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from "vscode-languageserver/node";
import type { TextDocument } from "vscode-languageserver-textdocument";
import type { Finding } from "../core/engine.js";
import type { Severity } from "../core/rule.js";
import { ruleDocUri } from "../cli/rule-docs.js";

export const SOURCE = "apachelint";

const SEVERITY: Readonly<Record<Severity, DiagnosticSeverity>> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/**
 * Tags by rule id. Unnecessary: the text has no effect, removing it changes
 * nothing (a suppression that suppresses nothing, a ProxyPass that can never
 * match, a RewriteCond Apache drops). Deprecated belongs to a rule about
 * deprecated directives; there is none yet, its id goes here when there is.
 */
const TAGS: Readonly<Record<string, readonly DiagnosticTag[]>> = {
  "suppression-unused": [DiagnosticTag.Unnecessary],
  "proxypass-shadowed": [DiagnosticTag.Unnecessary],
  "rewritecond-dangling": [DiagnosticTag.Unnecessary],
};

export function toDiagnostic(f: Finding, doc: TextDocument): Diagnostic {
  const d: Diagnostic = {
    range: { start: doc.positionAt(f.start), end: doc.positionAt(f.end) },
    severity: SEVERITY[f.severity],
    code: f.ruleId,
    codeDescription: { href: ruleDocUri(f.ruleId) },
    source: SOURCE,
    message: f.message,
  };
  if (f.related.length) {
    d.relatedInformation = f.related.map((r) => ({ location: { uri: doc.uri, range: { start: doc.positionAt(r.start), end: doc.positionAt(r.end) } }, message: r.message }));
  }
  const tags = TAGS[f.ruleId];
  if (tags) d.tags = [...tags];
  return d;
}

/** A problem that is not a finding (a broken config file), shown at the top of the document. */
export function noticeDiagnostic(message: string, code: string): Diagnostic {
  return { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: DiagnosticSeverity.Error, code, source: SOURCE, message };
}
