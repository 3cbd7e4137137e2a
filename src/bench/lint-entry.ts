// Benchmark child (b): read a file, parse it and run every rule, as the CLI would.
import { lintText } from "../index.js";
import { runChild } from "./child.js";

runChild((text, path) => {
  const result = lintText(text, path);
  return { count: result.findings.length, parseErrors: result.file.errors.length, keep: result };
});
