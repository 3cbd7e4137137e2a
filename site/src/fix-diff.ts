// What "Apply … fixes" changed: the text before and after side by side
// (@codemirror/merge), and the same change as a unified diff, which screen
// readers read line by line and which `git apply` takes.
import { MergeView } from "@codemirror/merge";
import { EditorState } from "@codemirror/state";
import { EditorView, lineNumbers } from "@codemirror/view";
import { apacheSyntax } from "./apache-language.js";

const readOnly = (label: string) => [
  lineNumbers(),
  apacheSyntax,
  EditorState.readOnly.of(true),
  EditorView.editable.of(false),
  EditorView.contentAttributes.of({ "aria-label": label }),
];

export class FixDiff {
  private merge: MergeView | null = null;

  constructor(
    private readonly section: HTMLElement,
    private readonly sideBySide: HTMLElement,
    private readonly unified: HTMLElement,
    private readonly summary: HTMLElement,
  ) {}

  /** After a new text is loaded: the last fixes' diff no longer describes it. */
  hide(): void {
    this.merge?.destroy();
    this.merge = null;
    this.section.hidden = true;
  }

  show(before: string, after: string, patch: string, summary: string): void {
    this.section.hidden = false;
    this.summary.textContent = summary;
    this.merge?.destroy();
    this.merge = null;
    this.unified.textContent = patch || "(no change)";
    if (before === after) {
      this.sideBySide.replaceChildren();
      return;
    }
    this.merge = new MergeView({
      a: { doc: before, extensions: readOnly("the text before the fixes") },
      b: { doc: after, extensions: readOnly("the text after the fixes") },
      parent: this.sideBySide,
      collapseUnchanged: { margin: 2, minSize: 4 },
      gutter: true,
    });
  }
}
