// Findings as CodeMirror diagnostics: inline marks, gutter markers and
// tooltips with the severity, the message, the rule's page and its fix.
import type { Diagnostic } from "@codemirror/lint";
import type { Text } from "@codemirror/state";
import type { EditorView } from "@codemirror/view";
import type { PlainFinding, PlainFix } from "./protocol.js";
import { richText } from "./rich-text.js";
import { ruleLink } from "./rule-docs.js";

/** The edits of one fix as a CodeMirror transaction, if the text is still the one they were made for. */
export function applyOneFix(view: EditorView, fix: PlainFix, doc: Text): boolean {
  if (view.state.doc !== doc) return false;
  view.dispatch({ changes: fix.edits.map((e) => ({ from: e.start, to: e.end, insert: e.text })), userEvent: "input.fix" });
  return true;
}

function message(f: PlainFinding): () => Node {
  return () => {
    const box = document.createElement("div");
    box.className = "diagnostic";
    const text = document.createElement("span");
    text.append(...richText(f.message));
    const meta = document.createElement("div");
    meta.className = "diagnostic-meta";
    meta.append(`${f.severity} · `, ruleLink(f.ruleId));
    if (f.fix) meta.append(` · ${f.fix.safety} fix: `, ...richText(f.fix.title));
    box.append(text, meta);
    return box;
  };
}

export function toDiagnostics(findings: readonly PlainFinding[], doc: Text): Diagnostic[] {
  const clamp = (n: number) => Math.max(0, Math.min(n, doc.length));
  return findings.map((f) => {
    const fix = f.fix;
    const d: Diagnostic = {
      from: clamp(f.start),
      to: clamp(f.end),
      severity: f.severity,
      // (no `source`: the rendered message names the rule, with its link)
      message: f.message,
      renderMessage: message(f),
    };
    if (fix) d.actions = [{ name: fix.safety === "safe" ? "Fix" : "Fix (unsafe)", apply: (view) => void applyOneFix(view, fix, doc) }];
    return d;
  });
}
