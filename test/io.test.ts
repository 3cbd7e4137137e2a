// Byte-exact decoding and encoding, input refusal, and atomic replacement.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import fc from "fast-check";
import { chmodSync, chownSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync, lstatSync, readlinkSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ChangedOnDiskError,
  InputError,
  decode,
  describeFsError,
  encode,
  lineColumn,
  readSource,
  writeAtomic,
} from "../src/server/io.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "apachelint-io-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("decode/encode", () => {
  it("decodes valid UTF-8 with the BOM kept as U+FEFF", () => {
    const bytes = Buffer.from("\uFEFFServerName é.example\r\n", "utf8");
    const d = decode(bytes);
    expect(d.firstInvalid).toBe(-1);
    expect(d.text.charCodeAt(0)).toBe(0xfeff);
    expect(encode(d.text).equals(bytes)).toBe(true);
  });

  it("keeps invalid bytes as U+DC80..U+DCFF and encodes them back exactly", () => {
    // "# caf\xE9\n" in Latin-1, then a valid "é"
    const bytes = Buffer.concat([Buffer.from("Listen 80\n# caf"), Buffer.of(0xe9), Buffer.from("\nX é\n")]);
    const d = decode(bytes);
    expect(d.text).toBe("Listen 80\n# caf\uDCE9\nX é\n");
    expect(d.firstInvalid).toBe(15);
    expect(d.invalidByte).toBe(0xe9);
    expect(lineColumn(d.text, d.firstInvalid)).toEqual({ line: 2, column: 6 });
    expect(encode(d.text).equals(bytes)).toBe(true);
  });

  it("treats overlong forms, encoded surrogates and truncated sequences as invalid bytes", () => {
    const cases = [
      [0xc0, 0xaf], // overlong "/"
      [0xed, 0xa0, 0x80], // encoded surrogate U+D800
      [0xe2, 0x82], // truncated €
      [0xf4, 0x90, 0x80, 0x80], // above U+10FFFF
      [0xff],
    ];
    for (const c of cases) {
      const bytes = Buffer.from([0x41, ...c, 0x42]);
      const d = decode(bytes);
      expect(d.firstInvalid).toBe(1);
      expect(d.text.length).toBe(c.length + 2);
      expect(encode(d.text).equals(bytes)).toBe(true);
    }
  });

  it("round-trips arbitrary bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (arr) => {
        const bytes = Buffer.from(arr);
        expect(encode(decode(bytes).text).equals(bytes)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("round-trips bytes with valid multi-byte text mixed in", () => {
    const piece = fc.oneof(fc.string({ unit: "grapheme" }).map((s) => Buffer.from(s, "utf8")), fc.uint8Array({ maxLength: 4 }).map((a) => Buffer.from(a)));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 20 }), (pieces) => {
        const bytes = Buffer.concat(pieces);
        const d = decode(bytes);
        expect(encode(d.text).equals(bytes)).toBe(true);
        // valid input decodes exactly like Node's own decoder
        if (d.firstInvalid === -1) expect(d.text).toBe(new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes));
      }),
      { numRuns: 1000 },
    );
  });
});

describe("readSource", () => {
  it("reads a file and remembers its stat", () => {
    const p = join(dir, "a.conf");
    writeFileSync(p, "Listen 80\n");
    const s = readSource(p);
    expect(s.bytes.toString()).toBe("Listen 80\n");
    expect(s.stat.size).toBe(10);
  });

  const refusal = (p: string, max?: number) => {
    try {
      readSource(p, max);
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      return (e as Error).message;
    }
    throw new Error("expected an InputError");
  };

  it("refuses a file with a NUL byte in its first 8 KiB, naming the offset", () => {
    const p = join(dir, "bin.conf");
    writeFileSync(p, Buffer.concat([Buffer.from("Listen 80\n"), Buffer.of(0), Buffer.from("x")]));
    expect(refusal(p)).toBe("binary file (NUL byte at offset 10)");
  });

  it("accepts a NUL byte after the first 8 KiB (not sniffed)", () => {
    const p = join(dir, "late.conf");
    writeFileSync(p, Buffer.concat([Buffer.alloc(9000, 0x23), Buffer.of(0)]));
    expect(readSource(p).bytes.length).toBe(9001);
  });

  it("refuses a file over the size limit without reading it", () => {
    const p = join(dir, "big.conf");
    writeFileSync(p, "x".repeat(100));
    expect(refusal(p, 99)).toMatch(/^file too large/);
  });

  it("refuses a directory, a FIFO, a missing file and a dangling link", () => {
    expect(refusal(dir)).toBe("is a directory");
    const fifo = join(dir, "fifo.conf");
    execFileSync("mkfifo", [fifo]);
    expect(refusal(fifo)).toBe("not a regular file");
    expect(refusal(join(dir, "nope.conf"))).toBe("no such file or directory");
    const link = join(dir, "dangling.conf");
    symlinkSync(join(dir, "gone.conf"), link);
    expect(refusal(link)).toBe("dangling symbolic link (its target does not exist)");
  });

  it("describes errno codes in words and unknown errors by their message", () => {
    expect(describeFsError(Object.assign(new Error("x"), { code: "EACCES" }))).toBe("permission denied");
    expect(describeFsError(new Error("boom"))).toBe("boom");
  });
});

describe("writeAtomic", () => {
  it("replaces the content and keeps the mode, leaving no temporary file", () => {
    const p = join(dir, "site.conf");
    writeFileSync(p, "old\r\n");
    chmodSync(p, 0o640);
    const src = readSource(p);
    writeAtomic(p, Buffer.from("new\r\n"), src);
    expect(readFileSync(p, "utf8")).toBe("new\r\n");
    expect(statSync(p).mode & 0o7777).toBe(0o640);
    expect(readdirSync(dir)).toEqual(["site.conf"]);
  });

  it("keeps unusual modes exactly (setgid, no read for others)", () => {
    const p = join(dir, "odd.conf");
    writeFileSync(p, "old\n");
    chmodSync(p, 0o2604);
    writeAtomic(p, Buffer.from("new\n"), readSource(p));
    expect(statSync(p).mode & 0o7777).toBe(0o2604);
  });

  it.runIf(process.getuid?.() === 0)("keeps the owner and group of a file root fixes for someone else", () => {
    const p = join(dir, "www.conf");
    writeFileSync(p, "old\n");
    chownSync(p, 65534, 65534);
    chmodSync(p, 0o640);
    writeAtomic(p, Buffer.from("new\n"), readSource(p));
    const st = statSync(p);
    expect([st.uid, st.gid, st.mode & 0o7777]).toEqual([65534, 65534, 0o640]);
  });

  it("refuses to overwrite a file changed since it was read, and cleans up", () => {
    const p = join(dir, "site.conf");
    writeFileSync(p, "old\n");
    const src = readSource(p);
    expect(() =>
      writeAtomic(p, Buffer.from("new\n"), src, {
        beforeReplace: () => writeFileSync(p, "someone else\n"),
      }),
    ).toThrow(ChangedOnDiskError);
    expect(readFileSync(p, "utf8")).toBe("someone else\n");
    expect(readdirSync(dir)).toEqual(["site.conf"]);
  });

  it("notices a same-size change too", () => {
    const p = join(dir, "site.conf");
    writeFileSync(p, "aaaa\n");
    const src = readSource(p);
    expect(() => writeAtomic(p, Buffer.from("cccc\n"), src, { beforeReplace: () => writeFileSync(p, "bbbb\n") })).toThrow(ChangedOnDiskError);
    expect(readFileSync(p, "utf8")).toBe("bbbb\n");
  });

  it("writes through a symbolic link, keeping the link", () => {
    const real = join(dir, "available.conf");
    const link = join(dir, "enabled.conf");
    writeFileSync(real, "old\n");
    symlinkSync("available.conf", link);
    writeAtomic(link, Buffer.from("new\n"), readSource(link));
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe("available.conf");
    expect(readFileSync(real, "utf8")).toBe("new\n");
  });
});
