// The playground page: an editor whose text the worker lints as you type, the
// findings inline and in a list, the fixer of `--fix` behind two buttons, and
// share links that keep the text in the URL fragment. Nothing leaves the page.
import { lintGutter, setDiagnostics } from "@codemirror/lint";
import { Annotation, EditorState, type Text } from "@codemirror/state";
import { EditorView } from "@codemirror/view";
import { basicSetup } from "codemirror";
import example from "../../examples/websocket-tutorial.conf";
import { apacheSyntax } from "./apache-language.js";
import { toDiagnostics } from "./diagnostics.js";
import { FindingsList } from "./findings-list.js";
import { FixDiff } from "./fix-diff.js";
import { LintClient } from "./lint-client.js";
import type { PlainFinding, Settings } from "./protocol.js";
import { fillVersions, readSettings, sameSettings, writeSettings } from "./settings.js";
import { decodeShare, encodeShare } from "./share.js";

/** The pause in typing after which the text is linted. */
const LINT_DELAY_MS = 300;

// started by boot.js before this script was even parsed (else now): loading the engine overlaps building the page
const client = new LintClient((window as unknown as { apachelintWorker?: Worker }).apachelintWorker ?? new Worker("worker.js"));

const byId = <T extends HTMLElement>(id: string) => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return el as T;
};

const form = byId<HTMLFormElement>("settings");
const controls = { kinds: form.elements.namedItem("kind") as RadioNodeList, version: byId<HTMLSelectElement>("version") };
fillVersions(controls.version, CURRENT_APACHE_VERSION);
const safeButton = byId<HTMLButtonElement>("fix-safe");
const allButton = byId<HTMLButtonElement>("fix-all");
const fixStatus = byId("fix-status");
const shareStatus = byId("share-status");
const shareUrl = byId<HTMLInputElement>("share-url");
const findingsSection = byId("findings");

/** Changes the page makes itself (a share link, a fix) that are not to be linted again as edits. */
const own = Annotation.define<true>();

let lintTimer: ReturnType<typeof setTimeout> | undefined;
let shown = 0;

const view = new EditorView({
  parent: byId("editor"),
  state: EditorState.create({
    doc: "",
    extensions: [
      basicSetup,
      apacheSyntax,
      lintGutter(),
      EditorView.contentAttributes.of({ "aria-label": "Apache configuration", "aria-describedby": "editor-help" }),
      EditorView.updateListener.of((u) => {
        if (u.docChanged && !u.transactions.some((t) => t.annotation(own))) scheduleLint();
      }),
    ],
  }),
});

const list = new FindingsList(byId<HTMLOListElement>("findings-list"), byId("findings-status"), byId("findings-more"), (f) => goTo(f));
const diff = new FixDiff(byId("diff"), byId("diff-view"), byId("diff-unified"), byId("diff-summary"));

function goTo(f: PlainFinding): void {
  const max = view.state.doc.length;
  view.dispatch({
    selection: { anchor: Math.min(f.start, max), head: Math.min(f.end, max) },
    effects: EditorView.scrollIntoView(Math.min(f.start, max), { y: "center" }),
  });
  view.focus();
}

const settings = (): Settings => readSettings(controls);

/** Progress for people and for the tests: data-lint is "linting", "done" or "failed"; data-shown counts results shown. */
function setLintState(state: "linting" | "done" | "failed"): void {
  document.body.dataset.lint = state;
  findingsSection.setAttribute("aria-busy", String(state === "linting"));
}

function show(findings: readonly PlainFinding[], doc: Text): void {
  view.dispatch(setDiagnostics(view.state, toDiagnostics(findings, doc)));
  list.show(findings);
  document.body.dataset.shown = String(++shown);
  performance.mark("apachelint:findings-shown");
  setLintState("done");
}

function failed(message: string): void {
  list.showError(message);
  setLintState("failed");
}

function scheduleLint(delay = LINT_DELAY_MS): void {
  clearTimeout(lintTimer);
  setLintState("linting");
  lintTimer = setTimeout(() => void lintNow(), delay);
}

async function lintNow(): Promise<void> {
  setLintState("linting");
  const doc = view.state.doc;
  const asked = settings();
  performance.mark("apachelint:lint-sent");
  let reply;
  try {
    reply = await client.ask({ kind: "lint", text: doc.toString(), settings: asked });
  } catch (e) {
    return failed((e as Error).message);
  }
  // superseded, or the text or settings changed meanwhile: a newer lint is on its way
  if (!reply || view.state.doc !== doc || !sameSettings(asked, settings())) return;
  if (reply.kind === "failed") return failed(reply.message);
  if (reply.kind === "lint") show(reply.findings, doc);
}

/** Replaces only what differs, so the cursor and the undo history keep their place. */
function replaceText(text: string, annotate: boolean): void {
  const old = view.state.doc.toString();
  let from = 0;
  const shorter = Math.min(old.length, text.length);
  while (from < shorter && old.charCodeAt(from) === text.charCodeAt(from)) from++;
  let tail = 0;
  while (tail < shorter - from && old.charCodeAt(old.length - 1 - tail) === text.charCodeAt(text.length - 1 - tail)) tail++;
  view.dispatch({
    changes: { from, to: old.length - tail, insert: text.slice(from, text.length - tail) },
    ...(annotate ? { annotations: own.of(true) } : {}),
  });
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;

async function applyFixes(unsafe: boolean): Promise<void> {
  const doc = view.state.doc;
  const before = doc.toString();
  const asked = settings();
  safeButton.disabled = allButton.disabled = true;
  fixStatus.textContent = "Fixing…";
  try {
    const reply = await client.ask({ kind: "fix", text: before, settings: asked, unsafe });
    if (!reply) return;
    if (reply.kind === "failed") {
      fixStatus.textContent = `Fixing failed: ${reply.message}`;
      return;
    }
    if (reply.kind !== "fix") return;
    if (view.state.doc !== doc || !sameSettings(asked, settings())) {
      fixStatus.textContent = "The text changed while it was being fixed: nothing was applied. Try again.";
      return;
    }
    clearTimeout(lintTimer);
    if (reply.output !== before) replaceText(reply.output, true);
    show(reply.findings, view.state.doc);
    const left = reply.findings.filter((f) => f.fix?.safety === "unsafe").length;
    const what = unsafe ? "fix" : "safe fix";
    const done = reply.applied === 0 ? `No ${what} to apply.` : `Applied ${plural(reply.applied, what, `${what}es`)} (${plural(reply.passes, "pass", "passes")}); undo with Ctrl+Z.`;
    const more = !unsafe && left > 0 ? ` ${plural(left, "more fix", "more fixes")} with “Apply all fixes”.` : "";
    fixStatus.textContent = `${done}${more} ${plural(reply.findings.length, "problem")} left.`;
    if (reply.applied > 0) diff.show(before, reply.output, reply.patch, `${done.replace(/; undo.*/, ".")}`);
  } catch (e) {
    fixStatus.textContent = `Fixing failed: ${(e as Error).message}`;
  } finally {
    safeButton.disabled = allButton.disabled = false;
  }
}

async function share(): Promise<void> {
  const fragment = await encodeShare({ text: view.state.doc.toString(), settings: settings() });
  const url = `${location.href.split("#")[0]}#${fragment}`;
  // the address bar keeps the text too: a reload does not lose it
  history.replaceState(null, "", url);
  shareUrl.value = url;
  shareUrl.hidden = false;
  shareUrl.select();
  let copied = false;
  try {
    await navigator.clipboard.writeText(url);
    copied = true;
  } catch {
    // no clipboard permission (or no secure context): the box holds the link
  }
  shareStatus.textContent = `${copied ? "Link copied to the clipboard" : "Copy the link from the box"} (${plural(url.length, "character")}); the text is in the part after #, which browsers do not send to servers.`;
}

function load(text: string, s: Settings): void {
  writeSettings(controls, s);
  diff.hide();
  fixStatus.textContent = "";
  replaceText(text, true);
  view.dispatch({ selection: { anchor: 0 } });
  clearTimeout(lintTimer);
  void lintNow();
}

/** The text a share link carries; else, on first load or for a damaged link, the example. */
async function loadFromLocation(initial: boolean): Promise<void> {
  let shared = null;
  let damaged = false;
  try {
    shared = await decodeShare(location.hash);
  } catch (e) {
    damaged = true;
    shareStatus.textContent = `${(e as Error).message}: the example is shown instead.`;
  }
  if (shared) load(shared.text, shared.settings);
  else if (initial || damaged) load(example, { fileKind: "server", apacheVersion: "" });
}

function openFile(input: HTMLInputElement): void {
  const file = input.files?.[0];
  if (!file) return;
  void file.text().then((text) => load(text, { ...settings(), fileKind: /(^|\.)htaccess$/.test(file.name) ? "htaccess" : "server" }));
  input.value = "";
}

form.addEventListener("change", (e) => {
  if (e.target === controls.version || (e.target as HTMLInputElement).name === "kind") scheduleLint(0);
});
form.addEventListener("submit", (e) => e.preventDefault());
safeButton.addEventListener("click", () => void applyFixes(false));
allButton.addEventListener("click", () => void applyFixes(true));
byId("share").addEventListener("click", () => void share());
byId("load-example").addEventListener("click", () => {
  history.replaceState(null, "", location.href.split("#")[0]);
  load(example, { fileKind: "server", apacheVersion: "" });
});
byId<HTMLInputElement>("open-file").addEventListener("change", (e) => openFile(e.target as HTMLInputElement));
window.addEventListener("hashchange", () => void loadFromLocation(false));

// for tests and the curious: the editor's text (the DOM shows only the lines on screen)
(window as unknown as { apachelintPlayground: object }).apachelintPlayground = { text: () => view.state.doc.toString() };

void loadFromLocation(true);
