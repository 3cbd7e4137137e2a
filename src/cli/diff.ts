// Unified diffs of fixes, in the form `git apply` and `patch -p1` take from
// the repository root: a/<path> and b/<path>, `/` separators, 3 lines of context.
import { relative, sep } from "node:path";
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from "diff";

/** The path a patch names a file by: relative to `root`, `/`-separated. */
export function patchPath(absolutePath: string, root: string): string {
  return relative(root, absolutePath).split(sep).join("/");
}

/** The patch turning `before` into `after` for the file at `path` (as patchPath gives it); "" when equal. */
export function unifiedDiff(path: string, before: string, after: string): string {
  if (before === after) return "";
  const patch = createTwoFilesPatch(`a/${path}`, `b/${path}`, before, after, undefined, undefined, {
    context: 3,
    headerOptions: FILE_HEADERS_ONLY,
  });
  // jsdiff C-quotes names with quotes, backslashes, control or non-ASCII
  // characters, as git does; GNU patch also needs a name with a blank quoted.
  if (!/\s/.test(path) || patch.startsWith('--- "')) return patch;
  const nl = patch.indexOf("\n", patch.indexOf("\n") + 1) + 1;
  return `--- "a/${path}"\n+++ "b/${path}"\n${patch.slice(nl)}`;
}
