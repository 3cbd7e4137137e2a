// Benchmark child (a): read a file and call parse(), nothing else. Walking the
// tree here would build node objects a rule may never ask for, so the proof of
// work is the line count and the errors.
import { parse } from "../../grammar/parser.js";
import { runChild } from "./child.js";

runChild((text, path) => {
  const file = parse(text, path);
  return { count: file.lines.count, parseErrors: file.errors.length, keep: file };
});
