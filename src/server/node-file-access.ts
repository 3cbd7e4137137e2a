// The file system as the rules may see it (FileAccess), for the CLI and the
// language server: reads that fail answer null, never throw.
import { readdirSync, readFileSync, realpathSync } from "node:fs";
import type { FileAccess } from "./server-info.js";

export const NODE_FILE_ACCESS: FileAccess = {
  readText(path) {
    try {
      return readFileSync(path, "utf8");
    } catch {
      return null;
    }
  },
  realPath(path) {
    try {
      return realpathSync.native(path);
    } catch {
      return null;
    }
  },
  list(dir) {
    try {
      return readdirSync(dir, { withFileTypes: true }).map((e) => ({ name: e.name, directory: e.isDirectory() }));
    } catch {
      return null;
    }
  },
};
