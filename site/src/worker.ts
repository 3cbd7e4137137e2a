// The lint worker: the real engine, rules and fixer, off the page's main
// thread so that a 20,000-line config does not freeze typing. One request at a
// time, answered in order; the page drops answers it no longer needs.
import { lintText, type Finding } from "../../src/index.js";
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from "diff";
import { fixUntilStable } from "../../src/core/fixer.js";
import type { Fix } from "../../src/core/rule.js";
import { lintOptions, PATHS } from "./lint-options.js";
import type { PlainFinding, Settings, WorkerReply, WorkerRequest } from "./protocol.js";

/** The part of a dedicated worker's global scope this file uses (the DOM lib types `self` as a window). */
interface WorkerScope {
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(reply: WorkerReply): void;
}

const scope = self as unknown as WorkerScope;

function plain(f: Finding): PlainFinding {
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    message: f.message,
    start: f.start,
    end: f.end,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
    related: f.related.map((r) => ({ message: r.message, line: r.line, column: r.column })),
    ...(f.fix ? { fix: { safety: f.fix.safety, title: f.fix.title, edits: f.fix.edits.map((e) => ({ ...e })) } } : {}),
  };
}

const linter = (settings: Settings) => {
  const options = lintOptions(settings);
  const path = PATHS[settings.fileKind];
  return (text: string): Finding[] => lintText(text, path, options).findings;
};

/** The patch as `apachelint --diff` writes it (src/cli/diff.ts): a/ and b/ names, 3 lines of context. */
function patchOf(path: string, before: string, after: string): string {
  if (before === after) return "";
  return createTwoFilesPatch(`a/${path}`, `b/${path}`, before, after, undefined, undefined, { context: 3, headerOptions: FILE_HEADERS_ONLY });
}

function answer(request: WorkerRequest): WorkerReply {
  const t0 = performance.now();
  const lint = linter(request.settings);
  if (request.kind === "lint") {
    const findings = lint(request.text).map(plain);
    return { id: request.id, kind: "lint", findings, ms: performance.now() - t0 };
  }
  // what `--fix` accepts, and `--fix --unsafe-fixes`
  const accept = (fix: Fix) => request.unsafe || fix.safety === "safe";
  const result = fixUntilStable(request.text, lint, accept);
  return {
    id: request.id,
    kind: "fix",
    output: result.output,
    applied: result.applied.length,
    passes: result.passes,
    findings: result.findings.map(plain),
    patch: patchOf(PATHS[request.settings.fileKind], request.text, result.output),
    ms: performance.now() - t0,
  };
}

scope.onmessage = (event) => {
  const request = event.data;
  try {
    scope.postMessage(answer(request));
  } catch (e) {
    scope.postMessage({ id: request.id, kind: "failed", message: e instanceof Error ? e.message : String(e) });
  }
};
