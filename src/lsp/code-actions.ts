// Code actions for the findings under the cursor: each finding's own fix
// (safe or unsafe, the title says which), "Disable <rule> for this line", and
// "Fix all safe problems in this file", which is also the source.fixAll
// action editors run on save (VS Code's editor.codeActionsOnSave).
import { CodeActionKind, type CodeAction, type Diagnostic, type Range, type TextEdit, type WorkspaceEdit } from "vscode-languageserver/node";
import type { TextDocument } from "vscode-languageserver-textdocument";
import type { ConfigFile } from "../../grammar/index.js";
import type { Finding } from "../core/engine.js";
import type { TextEdit as OffsetEdit } from "../core/rule.js";
import { disableLineEdit } from "./suppression-edit.js";

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.apachelint`;
export const FIX_ALL_TITLE = "Fix all safe problems in this file";

export interface ActionRequest {
  /** the text the findings are of */
  doc: TextDocument;
  file: ConfigFile;
  findings: readonly Finding[];
  /** the diagnostic of each finding, in the same order */
  diagnostics: readonly Diagnostic[];
  range: Range;
  /** CodeActionContext.only */
  only?: readonly string[] | undefined;
  /** the text with every safe fix applied; called only when an action needs it */
  fixedText: () => string;
}

/** Does the client's `only` filter let this kind through? (No filter: quick fixes; source actions only when asked for.) */
function wanted(only: readonly string[] | undefined, kind: string): boolean {
  if (!only) return kind === CodeActionKind.QuickFix;
  return only.some((o) => kind === o || kind.startsWith(`${o}.`));
}

function workspaceEdit(doc: TextDocument, edits: readonly OffsetEdit[]): WorkspaceEdit {
  const changes: TextEdit[] = edits.map((e) => ({ range: { start: doc.positionAt(e.start), end: doc.positionAt(e.end) }, newText: e.text }));
  return { changes: { [doc.uri]: changes } };
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/**
 * One edit from `before` to `after`: the part between their common prefix and
 * suffix, so that the editor keeps the cursor and folds outside it. It never
 * starts or ends inside a surrogate pair or a CRLF, which LSP positions cannot name.
 */
export function changedRegion(before: string, after: string): OffsetEdit | null {
  if (before === after) return null;
  const max = Math.min(before.length, after.length);
  let p = 0;
  while (p < max && before.charCodeAt(p) === after.charCodeAt(p)) p++;
  while (p > 0 && (isHigh(before.charCodeAt(p - 1)) || before.charCodeAt(p - 1) === 13)) p--;
  let s = 0;
  while (s < max - p && before.charCodeAt(before.length - 1 - s) === after.charCodeAt(after.length - 1 - s)) s++;
  while (s > 0 && (isLow(before.charCodeAt(before.length - s)) || before.charCodeAt(before.length - s) === 10)) s--;
  return { start: p, end: before.length - s, text: after.slice(p, after.length - s) };
}

export function codeActions(req: ActionRequest): CodeAction[] {
  const { doc, findings, diagnostics, only } = req;
  const out: CodeAction[] = [];
  const fixAll = (kind: string): CodeAction | null => {
    const e = changedRegion(doc.getText(), req.fixedText());
    return e ? { title: FIX_ALL_TITLE, kind, edit: workspaceEdit(doc, [e]) } : null;
  };
  if (wanted(only, CodeActionKind.QuickFix)) {
    const from = doc.offsetAt(req.range.start);
    const to = doc.offsetAt(req.range.end);
    let here = false;
    for (let i = 0; i < findings.length; i++) {
      const f = findings[i]!;
      if (f.end < from || f.start > to) continue;
      here = true;
      const diagnostic = diagnostics[i]!;
      if (f.fix) {
        const safe = f.fix.safety === "safe";
        out.push({ title: `Fix: ${f.fix.title}${safe ? "" : " (unsafe)"}`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: safe, edit: workspaceEdit(doc, f.fix.edits) });
      }
      const disable = disableLineEdit(req.file, f);
      if (disable) out.push({ title: `Disable ${f.ruleId} for this line`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: workspaceEdit(doc, [disable]) });
    }
    if (here && findings.some((f) => f.fix?.safety === "safe")) {
      const a = fixAll(CodeActionKind.QuickFix);
      if (a) out.push(a);
    }
  }
  if (only && wanted(only, FIX_ALL_KIND)) {
    const a = fixAll(FIX_ALL_KIND);
    if (a) out.push(a);
  }
  return out;
}
