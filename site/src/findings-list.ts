// The list of findings below the editor, and the one-line summary screen
// readers hear (a polite live region: announced when it changes, not on every
// keystroke, since linting waits for a pause in typing).
import type { PlainFinding, Severity } from "./protocol.js";
import { richText } from "./rich-text.js";
import { ruleLink } from "./rule-docs.js";

/** Enough to read; the editor's gutter and F8 reach every finding of a huge file. */
const LIST_LIMIT = 500;

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;

export function summaryOf(findings: readonly PlainFinding[]): string {
  if (findings.length === 0) return "No problems found.";
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  const parts = [plural(count("error"), "error"), plural(count("warning"), "warning"), plural(count("info"), "info", "infos")];
  const safe = findings.filter((f) => f.fix?.safety === "safe").length;
  const unsafe = findings.filter((f) => f.fix?.safety === "unsafe").length;
  return `${plural(findings.length, "problem")}: ${parts.join(", ")}. ${plural(safe, "safe fix", "safe fixes")}, ${plural(unsafe, "unsafe fix", "unsafe fixes")}.`;
}

export class FindingsList {
  constructor(
    private readonly list: HTMLOListElement,
    private readonly status: HTMLElement,
    private readonly more: HTMLElement,
    private readonly goTo: (f: PlainFinding) => void,
  ) {}

  show(findings: readonly PlainFinding[]): void {
    const summary = summaryOf(findings);
    // an unchanged summary is not announced again
    if (this.status.textContent !== summary) this.status.textContent = summary;
    const items = findings.slice(0, LIST_LIMIT).map((f) => this.item(f));
    this.list.replaceChildren(...items);
    this.more.hidden = findings.length <= LIST_LIMIT;
    this.more.textContent = this.more.hidden ? "" : `Showing the first ${LIST_LIMIT} of ${plural(findings.length, "problem")}; press F8 in the editor to step through all of them.`;
  }

  /** A problem of the page itself (the worker failed), in the same live region. */
  showError(message: string): void {
    this.status.textContent = `Linting failed: ${message}`;
    this.list.replaceChildren();
    this.more.hidden = true;
  }

  private item(f: PlainFinding): HTMLLIElement {
    const li = document.createElement("li");
    li.className = `finding severity-${f.severity}`;
    Object.assign(li.dataset, { rule: f.ruleId, severity: f.severity, line: String(f.line), column: String(f.column) });
    const badge = document.createElement("span");
    badge.className = "badge";
    badge.textContent = f.severity;
    const at = document.createElement("button");
    at.type = "button";
    at.className = "goto";
    at.textContent = `${f.line}:${f.column}`;
    at.setAttribute("aria-label", `line ${f.line}, column ${f.column}: go to it in the editor`);
    at.addEventListener("click", () => this.goTo(f));
    const message = document.createElement("span");
    message.className = "message";
    message.append(...richText(f.message));
    const meta = document.createElement("span");
    meta.className = "meta";
    meta.append(ruleLink(f.ruleId));
    if (f.fix) {
      const fix = document.createElement("span");
      fix.className = `fix fix-${f.fix.safety}`;
      fix.append(`${f.fix.safety} fix: `, ...richText(f.fix.title));
      meta.append(fix);
    }
    li.append(badge, at, message, meta);
    if (f.related.length) {
      const related = document.createElement("ul");
      related.className = "related";
      for (const r of f.related) {
        const ri = document.createElement("li");
        ri.append(`${r.line}:${r.column} `, ...richText(r.message));
        related.append(ri);
      }
      li.append(related);
    }
    return li;
  }
}
