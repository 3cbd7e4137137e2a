// A fresh directory per test (real path: no /tmp symlink in the way) and a writer of files under it.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach } from "vitest";

export interface TempTree {
  /** the current test's directory */
  readonly dir: string;
  /** writes `text` to `rel` under it, making the directories; returns the absolute path */
  write(rel: string, text: string): string;
}

export function useTempTree(prefix: string): TempTree {
  let dir = "";
  beforeEach(() => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    get dir() {
      return dir;
    },
    write(rel, text) {
      const p = join(dir, rel);
      mkdirSync(join(p, ".."), { recursive: true });
      writeFileSync(p, text);
      return p;
    },
  };
}
