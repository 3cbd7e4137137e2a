// Reading and writing config files without losing a byte. Text is decoded as
// UTF-8; bytes that are not valid UTF-8 are kept as lone surrogates
// U+DC80..U+DCFF (Python's "surrogateescape"), so a Latin-1 comment survives
// a fix exactly. A BOM stays in the text as U+FEFF: the parser reports it.
import { isAscii } from "node:buffer";
import { createRequire } from "node:module";
import {
  accessSync,
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  fstatSync,
  fsyncSync,
  lstatSync,
  openSync,
  readFileSync,
  readdirSync,
  readSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
  type Stats,
} from "node:fs";
import { basename, dirname, join } from "node:path";

// node:crypto is only needed to name a fixed file's temporary copy: loaded then, not at start-up
const lazyRequire = createRequire(import.meta.url);
const randomHex = (n: number): string => (lazyRequire("node:crypto") as typeof import("node:crypto")).randomBytes(n).toString("hex");

/**
 * Files above this size are refused without being read: no Apache config is
 * this large (a generated 3-million-line one is about 100 MiB), and reading,
 * decoding and parsing one would hold several times its size in memory.
 */
export const MAX_FILE_BYTES = 128 * 1024 * 1024;
/** A NUL byte this close to the start marks a binary file (what git and grep look at). */
export const BINARY_SNIFF_BYTES = 8192;

/** An input that cannot be linted; the message names the reason, the caller names the path. */
export class InputError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(reason);
  }
}

export interface Decoded {
  text: string;
  /** offset in `text` of the first byte that is not valid UTF-8, or -1 */
  firstInvalid: number;
  /** that byte's value */
  invalidByte: number;
}

const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const lenient = new TextDecoder("utf-8", { ignoreBOM: true });

/** Length of the valid UTF-8 sequence starting at i, or 0 (Unicode Table 3-7). */
function sequenceLength(b: Uint8Array, i: number): number {
  const c = b[i]!;
  if (c < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < b.length && b[i + k]! >= lo && b[i + k]! <= hi;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    const [lo, hi] = c === 0xe0 ? [0xa0, 0xbf] : c === 0xed ? [0x80, 0x9f] : [0x80, 0xbf];
    return cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    const [lo, hi] = c === 0xf0 ? [0x90, 0xbf] : c === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

export function decode(bytes: Uint8Array): Decoded {
  // Most configs are pure ASCII: a byte copy is half the cost of validating UTF-8.
  if (isAscii(bytes)) return { text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1"), firstInvalid: -1, invalidByte: -1 };
  try {
    return { text: strict.decode(bytes), firstInvalid: -1, invalidByte: -1 };
  } catch {
    // fall through to the byte-preserving decoder
  }
  const parts: string[] = [];
  let length = 0;
  let firstInvalid = -1;
  let invalidByte = -1;
  let run = 0;
  let i = 0;
  const flush = (to: number) => {
    if (to > run) {
      const s = lenient.decode(bytes.subarray(run, to));
      parts.push(s);
      length += s.length;
    }
  };
  while (i < bytes.length) {
    const n = sequenceLength(bytes, i);
    if (n > 0) {
      i += n;
      continue;
    }
    flush(i);
    if (firstInvalid === -1) {
      firstInvalid = length;
      invalidByte = bytes[i]!;
    }
    parts.push(String.fromCharCode(0xdc00 + bytes[i]!));
    length++;
    i++;
    run = i;
  }
  flush(i);
  return { text: parts.join(""), firstInvalid, invalidByte };
}

/** An escaped byte: a low surrogate in U+DC80..U+DCFF that is not the second half of a pair. */
const ESCAPED = /(?<![\uD800-\uDBFF])[\uDC80-\uDCFF]/g;

/** The exact inverse of decode: escaped bytes go back as themselves, the rest as UTF-8. */
export function encode(text: string): Buffer {
  // well-formed UTF-16 has no lone surrogate, so no escaped byte: the common case
  if ((text as { isWellFormed?(): boolean }).isWellFormed?.()) return Buffer.from(text, "utf8");
  ESCAPED.lastIndex = 0;
  if (!ESCAPED.test(text)) return Buffer.from(text, "utf8");
  const chunks: Buffer[] = [];
  let at = 0;
  ESCAPED.lastIndex = 0;
  for (let m = ESCAPED.exec(text); m; m = ESCAPED.exec(text)) {
    if (m.index > at) chunks.push(Buffer.from(text.slice(at, m.index), "utf8"));
    chunks.push(Buffer.of(text.charCodeAt(m.index) - 0xdc00));
    at = m.index + 1;
  }
  if (at < text.length) chunks.push(Buffer.from(text.slice(at), "utf8"));
  return Buffer.concat(chunks);
}

/** 1-based line and column (UTF-16 units) of an offset, lines ending at LF. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** Index of a NUL byte in the first BINARY_SNIFF_BYTES bytes, or -1. */
export function findNul(bytes: Uint8Array): number {
  return bytes.subarray(0, BINARY_SNIFF_BYTES).indexOf(0);
}

const REASONS: Record<string, string> = {
  ENOENT: "no such file or directory",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EISDIR: "is a directory",
  ENOTDIR: "a component of the path is not a directory",
  ELOOP: "too many levels of symbolic links",
  EMFILE: "too many open files",
  ENAMETOOLONG: "file name too long",
  EIO: "input/output error",
  EROFS: "read-only file system",
  ENOSPC: "no space left on device",
};

/** A one-line reason for a file system error, without Node's syscall decoration. */
export function describeFsError(err: unknown, path?: string): string {
  const e = err as NodeJS.ErrnoException;
  const code = e?.code;
  if (code === "ENOENT" && path !== undefined) {
    try {
      if (lstatSync(path).isSymbolicLink()) return "dangling symbolic link (its target does not exist)";
    } catch {
      // not a link: plain ENOENT
    }
  }
  if (code && REASONS[code]) return REASONS[code]!;
  return code ? `${code.toLowerCase()}: ${e.message}` : String(e?.message ?? err);
}

export interface SourceFile {
  bytes: Buffer;
  /** what the file looked like when read, to detect a change before overwriting it */
  stat: Stats;
}

function formatSize(n: number): string {
  return `${(n / (1024 * 1024)).toFixed(n < 1024 * 1024 ? 2 : 0)} MiB`;
}

/** Reads a file for linting; anything that cannot be linted throws an InputError. */
export function readSource(path: string, maxBytes = MAX_FILE_BYTES): SourceFile {
  let fd: number;
  try {
    // O_NONBLOCK so that a FIFO is refused instead of waiting for a writer
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw new InputError(path, describeFsError(err, path));
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new InputError(path, "is a directory");
    if (!stat.isFile()) throw new InputError(path, "not a regular file");
    if (stat.size > maxBytes) {
      throw new InputError(path, `file too large (${formatSize(stat.size)}; the limit is ${formatSize(maxBytes)})`);
    }
    const bytes = Buffer.allocUnsafe(stat.size);
    let got = 0;
    while (got < bytes.length) {
      const n = readSync(fd, bytes, got, bytes.length - got, null);
      if (n === 0) break;
      got += n;
    }
    const data = got === bytes.length ? bytes : bytes.subarray(0, got);
    const nul = findNul(data);
    if (nul !== -1) throw new InputError(path, `binary file (NUL byte at offset ${nul})`);
    return { bytes: data, stat };
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(path, describeFsError(err, path));
  } finally {
    closeSync(fd);
  }
}

/** A fixed file that was not written, on purpose: the message says why. */
export class WriteRefusedError extends Error {}

/** The file was modified by someone else between reading and writing. */
export class ChangedOnDiskError extends WriteRefusedError {}

/**
 * Test seam: with APACHELINT_TEST_PAUSE_BEFORE_RENAME=FILE, the temporary
 * copy's path is written to FILE once it is complete, and the writer waits
 * (up to a minute) before renaming it into place, so a test can kill the
 * process at the worst moment.
 */
function pauseBeforeRename(tmp: string): void {
  const file = process.env.APACHELINT_TEST_PAUSE_BEFORE_RENAME;
  if (!file) return;
  writeFileSync(file, `${tmp}\n`);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
}

const TMP_SUFFIX = ".apachelint-tmp";
/** directories already cleared of temporary copies that killed runs left */
const swept = new Set<string>();

/**
 * Removes `.NAME.PID.HEX.apachelint-tmp` files of processes that no longer
 * run: a run killed (SIGKILL, power loss) between writing its copy and
 * renaming it cannot remove it itself; the next --fix in that directory does.
 */
function sweepStaleCopies(dir: string): void {
  if (swept.has(dir)) return;
  swept.add(dir);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = /^\..+\.(\d+)\.[0-9a-f]{8}\.apachelint-tmp$/.exec(name);
    if (!m || !name.endsWith(TMP_SUFFIX)) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || isRunning(pid)) continue;
    try {
      unlinkSync(join(dir, name));
    } catch {
      // gone already, or not ours to remove
    }
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Why a file must not be replaced even though its directory allows it, or null. */
function readOnlyReason(target: string, stat: Stats): string | null {
  // (root may write anything: the mode still says the owner wants it left alone)
  if ((stat.mode & 0o222) === 0) return `read-only file (mode ${(stat.mode & 0o7777).toString(8).padStart(4, "0")}); not fixed`;
  try {
    accessSync(target, constants.W_OK);
  } catch (e) {
    return `not writable (${describeFsError(e)}); not fixed`;
  }
  return null;
}

export interface WriteOptions {
  /** called after the temporary file is written, before the on-disk check (tests change the file here) */
  beforeReplace?: (path: string) => void;
}

/**
 * Replaces a file atomically: the new content goes to a temporary file in the
 * same directory (same file system, so rename is atomic), which gets the
 * original's mode and owner, and is renamed over the original only if the
 * original still holds the bytes that were read. A symbolic link is followed:
 * its target is replaced, the link stays.
 */
export function writeAtomic(path: string, data: Uint8Array, original: SourceFile, options: WriteOptions = {}): void {
  const target = realpathSync(path);
  // renaming over a file its owner made read-only would succeed: the directory allows it
  const readOnly = readOnlyReason(target, original.stat);
  if (readOnly) throw new WriteRefusedError(readOnly);
  sweepStaleCopies(dirname(target));
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomHex(4)}${TMP_SUFFIX}`);
  const fd = openSync(tmp, "wx", 0o600);
  let renamed = false;
  try {
    try {
      let off = 0;
      while (off < data.length) off += writeSync(fd, data, off, data.length - off);
      if (original.stat.uid !== process.getuid?.() || original.stat.gid !== process.getgid?.()) {
        try {
          fchownSync(fd, original.stat.uid, original.stat.gid);
        } catch {
          // only root may give a file away; the content matters more than the owner
        }
      }
      // after chown, which clears set-id bits
      fchmodSync(fd, original.stat.mode & 0o7777);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    options.beforeReplace?.(path);
    pauseBeforeRename(tmp);
    const now = statSync(target);
    if (now.size !== original.stat.size || !readFileSync(target).equals(original.bytes)) {
      throw new ChangedOnDiskError("changed on disk since it was read; not overwritten");
    }
    renameSync(tmp, target);
    renamed = true;
  } finally {
    if (!renamed) {
      try {
        unlinkSync(tmp);
      } catch {
        // already gone
      }
    }
  }
}
