/**
 * Reading the file system, for the few facts that need more than the linted
 * file and its resolved Includes (the text of an included file, the .htaccess
 * files under a directory). The CLI and the language server give one
 * (IncludeResolver.files, through the run's read cache); the playground has none, and a rule then
 * answers "unknown" rather than guess.
 */
export interface FileAccess {
  /** the file's text, or null when it cannot be read */
  readText(path: string): string | null;
  /** the canonical path, or null when there is no such file */
  realPath(path: string): string | null;
  /** a directory's entries, or null when it cannot be listed */
  list(dir: string): readonly { readonly name: string; readonly directory: boolean }[] | null;
}
