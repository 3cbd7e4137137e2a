// --baseline FILE: the findings a tree had when it adopted apachelint, so a
// run fails only on new ones (Psalm's and SwiftLint's --baseline, PHPStan's
// baseline file). A finding is known by its file, its rule and the text of
// the line it starts on (whitespace collapsed), with a count for the same
// line text found more than once: lines inserted above it or an indentation
// change do not make it new; editing the offending line does. Line numbers
// are not part of it, as they change with every edit above.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, relative, sep } from "node:path";
import type { Finding } from "../core/engine.js";
import { describeFsError } from "../server/io.js";

const FORMAT = "apachelint-baseline";
const VERSION = 1;
/** Longer line texts are kept as a prefix and a hash: a 10 MB line does not go into the baseline whole. */
const MAX_TEXT = 200;

export interface BaselineEntry {
  rule: string;
  /** the finding's line, trimmed, runs of white space as one space */
  text: string;
  count: number;
}

/** A baseline file that cannot be used; the message is one line. */
export class BaselineError extends Error {}

/** The key text of the line `offset` is on. */
export function lineText(source: string, offset: number): string {
  const start = source.lastIndexOf("\n", offset - 1) + 1;
  let end = source.indexOf("\n", offset);
  if (end === -1) end = source.length;
  const text = source.slice(start, end).replace(/\s+/g, " ").trim();
  if (text.length <= MAX_TEXT) return text;
  return `${text.slice(0, MAX_TEXT - 20)}… sha256:${createHash("sha256").update(text).digest("hex").slice(0, 16)}`;
}

const keyOf = (rule: string, text: string) => `${rule}\u0000${text}`;

/** The baseline's name for a file: relative to the baseline's directory, /-separated; absolute when outside it. */
function fileKey(baseDir: string, absolutePath: string): string {
  const rel = relative(baseDir, absolutePath);
  if (rel === "" || rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return absolutePath.split(sep).join("/");
  return rel.split(sep).join("/");
}

function parseBaseline(text: string): Map<string, BaselineEntry[]> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new BaselineError(`invalid JSON: ${(e as Error).message}`);
  }
  const obj = data as { format?: unknown; version?: unknown; files?: unknown };
  if (typeof obj !== "object" || obj === null || obj.format !== FORMAT) throw new BaselineError(`not an apachelint baseline (no "format": "${FORMAT}")`);
  if (obj.version !== VERSION) throw new BaselineError(`baseline version ${JSON.stringify(obj.version)} is not ${VERSION}`);
  if (typeof obj.files !== "object" || obj.files === null || Array.isArray(obj.files)) throw new BaselineError(`"files" must be an object of file to entries`);
  const out = new Map<string, BaselineEntry[]>();
  for (const [file, entries] of Object.entries(obj.files as Record<string, unknown>)) {
    const ok =
      Array.isArray(entries) &&
      entries.every((e) => typeof e?.rule === "string" && typeof e?.text === "string" && Number.isInteger(e?.count) && e.count > 0);
    if (!ok) throw new BaselineError(`files.${JSON.stringify(file)}: each entry needs "rule", "text" and a positive "count"`);
    out.set(file, entries as BaselineEntry[]);
  }
  return out;
}

/** A run's baseline: what it hides, what no longer matches, and (with --update-baseline) what it records. */
export class Baseline {
  readonly #baseDir: string;
  readonly #files: Map<string, BaselineEntry[]>;
  /** entries of the files linted in this run, left unmatched */
  #stale = 0;
  #hidden = 0;
  readonly #recorded = new Map<string, BaselineEntry[]>();

  private constructor(
    readonly path: string,
    files: Map<string, BaselineEntry[]>,
  ) {
    this.#baseDir = dirname(path);
    this.#files = files;
  }

  /** Reads FILE; a missing one is empty when it is about to be written (`forUpdate`). Throws BaselineError. */
  static open(path: string, forUpdate: boolean): Baseline {
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (e) {
      if (forUpdate && (e as NodeJS.ErrnoException).code === "ENOENT") return new Baseline(path, new Map());
      const hint = (e as NodeJS.ErrnoException).code === "ENOENT" ? " (create it with --update-baseline)" : "";
      throw new BaselineError(`${describeFsError(e, path)}${hint}`);
    }
    return new Baseline(path, parseBaseline(text));
  }

  /** The findings of one file that the baseline does not know, in their order; counts the rest as hidden. */
  filter(absolutePath: string, findings: readonly Finding[], source: () => string): Finding[] {
    const file = fileKey(this.#baseDir, absolutePath);
    const known = this.#files.get(file);
    if (!known?.length) return [...findings];
    const left = new Map<string, number>();
    for (const e of known) left.set(keyOf(e.rule, e.text), (left.get(keyOf(e.rule, e.text)) ?? 0) + e.count);
    const text = findings.length ? source() : "";
    const fresh: Finding[] = [];
    for (const f of findings) {
      const k = keyOf(f.ruleId, lineText(text, f.start));
      const n = left.get(k) ?? 0;
      if (n > 0) {
        left.set(k, n - 1);
        this.#hidden++;
      } else fresh.push(f);
    }
    for (const n of left.values()) this.#stale += n;
    return fresh;
  }

  /** Records a file's findings for --update-baseline. */
  record(absolutePath: string, findings: readonly Finding[], source: () => string): void {
    const file = fileKey(this.#baseDir, absolutePath);
    const counts = new Map<string, BaselineEntry>();
    const text = findings.length ? source() : "";
    for (const f of findings) {
      const t = lineText(text, f.start);
      const k = keyOf(f.ruleId, t);
      const e = counts.get(k);
      if (e) e.count++;
      else counts.set(k, { rule: f.ruleId, text: t, count: 1 });
    }
    this.#recorded.set(file, [...counts.values()]);
  }

  get hidden(): number {
    return this.#hidden;
  }

  get stale(): number {
    return this.#stale;
  }

  /**
   * Writes the baseline: the files linted in this run as they are now, the
   * others as they were (a run over part of the tree keeps the rest). Returns
   * the number of findings recorded in it, or throws BaselineError.
   */
  write(): number {
    const files = new Map(this.#files);
    for (const [file, entries] of this.#recorded) {
      if (entries.length) files.set(file, entries);
      else files.delete(file);
    }
    const sorted: Record<string, BaselineEntry[]> = {};
    let total = 0;
    for (const file of [...files.keys()].sort()) {
      const entries = [...files.get(file)!].sort((a, b) => (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
      sorted[file] = entries;
      for (const e of entries) total += e.count;
    }
    const body = JSON.stringify({ format: FORMAT, version: VERSION, files: sorted }, null, 2) + "\n";
    const tmp = `${this.path}.${process.pid}.tmp`;
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      writeFileSync(tmp, body);
      renameSync(tmp, this.path);
    } catch (e) {
      throw new BaselineError(`cannot write: ${describeFsError(e)}`);
    }
    return total;
  }
}
