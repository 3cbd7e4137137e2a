// The directive-mutation corpus, shared by its generator (gen-differential.ts)
// and by the test that judges apachelint against it (test/apache/directive-differential.test.ts):
// what a case is, the config it becomes, and how Apache's answer is read.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEBIAN_MODULE_DIR } from "../data/modules.js";
import { loadOrder } from "./probe-support.js";

/** Stands for the ServerRoot in a case's lines (a sample may name it: `ServerRoot`, `Include …/empty.conf`). */
export const ROOT = "@ROOT@";

/** A private ServerRoot laid out as the cases expect: logs/, run/ and an empty empty.conf. */
export function makeServerRoot(): string {
  const root = mkdtempSync(join(tmpdir(), "apachelint-diff-"));
  mkdirSync(join(root, "logs"));
  mkdirSync(join(root, "run"));
  writeFileSync(join(root, "empty.conf"), "");
  return root;
}

/** What was done to the valid line ("base") to make the case. */
export type Mutation =
  | "base"
  | "name-misspelt"
  | "too-few"
  | "too-many"
  | `value-misspelt:${number}:${string}`
  | `number-word:${number}`
  | `url-placeholder-port:${number}`
  | `url-angle-placeholder:${number}`
  | `url-no-scheme:${number}`
  | `context:${ContextKind}`;

export const CONTEXT_KINDS = ["server", "virtualhost", "directory", "location", "files"] as const;
export type ContextKind = (typeof CONTEXT_KINDS)[number];

export interface ApacheVerdict {
  /** `apache2 -t` exited 0 */
  readonly ok: boolean;
  /** the body line Apache's "Syntax error on line N" names (1-based), or null: no line, or one outside the body */
  readonly line: number | null;
  /** Apache's complaint, verbatim but for the temporary file name; "" when ok */
  readonly message: string;
}

export interface DifferentialCase {
  /** `Directive/mutation`, unique */
  readonly id: string;
  readonly directive: string;
  readonly mutation: Mutation;
  /** the lines after the skeleton */
  readonly body: readonly string[];
  /** the body line that holds the directive (1-based) */
  readonly line: number;
  readonly apache: ApacheVerdict;
}

/** Every Debian module and mpm_event, each after the modules it needs: the server the cases run in. */
let skeletonLines: readonly string[] | undefined;
export function skeleton(): readonly string[] {
  return (skeletonLines ??= [
    "ServerName localhost",
    "PidFile run/httpd.pid",
    "DefaultRuntimeDir run",
    "ErrorLog logs/error.log",
    ...loadOrder("mpm_event").map((m) => `LoadModule ${m.id} ${DEBIAN_MODULE_DIR}/${m.file}`),
  ]);
}

/** The whole config of a case, in the ServerRoot `root`. */
export function caseText(body: readonly string[], root: string): string {
  return `${skeleton().join("\n")}\n${body.join("\n").replaceAll(ROOT, root)}\n`;
}

const OPEN: Record<ContextKind, readonly [string, string] | null> = {
  server: null,
  virtualhost: ["<VirtualHost *:80>", "</VirtualHost>"],
  directory: ['<Directory "/tmp">', "</Directory>"],
  location: ['<Location "/ctx">', "</Location>"],
  files: ['<Files "ctx">', "</Files>"],
};

/** `lines` (the directive, or a section's open and close tags) placed in a context: the body and the directive's line. */
export function inContext(kind: ContextKind, lines: readonly string[]): { body: string[]; line: number } {
  const around = OPEN[kind];
  return around ? { body: [around[0], ...lines, around[1]], line: 2 } : { body: [...lines], line: 1 };
}

/** Reads `apache2 -t`'s exit code and stderr for a case of `bodyLines` lines run in `root`. */
export function readVerdict(code: number | null, stderr: string, root: string, bodyLines: number): ApacheVerdict {
  if (code === 0) return { ok: true, line: null, message: "" };
  const skeletonLines = skeleton().length;
  const lines = stderr.replaceAll(root, ROOT).split("\n").filter((l) => l.trim() !== "");
  const i = lines.findIndex((l) => /Syntax error on line \d+ of /.test(l));
  if (i < 0) return { ok: false, line: null, message: (lines[0] ?? `exit ${code}`).replace(/\S*\/p\d+\.conf/g, "CASE") };
  const head = lines[i]!;
  const n = Number(/line (\d+) of/.exec(head)![1]) - skeletonLines;
  // one-line form "apache2: Syntax error on line N of F: MSG", or the two-line AH00526 form
  const one = /Syntax error on line \d+ of [^:]+: (.+)$/.exec(head);
  const message = one ? one[1]! : (lines[i + 1] ?? "");
  return { ok: false, line: n >= 1 && n <= bodyLines ? n : null, message: message.replace(/\S*\/p\d+\.conf/g, "CASE") };
}
