// The output formats, by the name `-f` takes. Each formatter is a pure
// function of the reports; its string is written to stdout as is (it ends with
// a newline when it is not empty).
import type { Formatter } from "./report.js";
import { checkstyle } from "./checkstyle.js";
import { compact } from "./compact.js";
import { github } from "./github.js";
import { gitlab } from "./gitlab.js";
import { json } from "./json.js";
import { sarif } from "./sarif.js";
import { stylish } from "./stylish.js";
import { unix } from "./unix.js";

export const formatters: Record<string, Formatter> = {
  stylish,
  compact,
  unix,
  json,
  github,
  gitlab,
  sarif,
  checkstyle,
};

export const formatNames: readonly string[] = Object.keys(formatters);

export const DEFAULT_FORMAT = "stylish";

/** The formatter called `name`; an unknown name is an Error naming the valid ones. */
export function formatFor(name: string): Formatter {
  if (!Object.hasOwn(formatters, name)) {
    throw new Error(`Unknown format '${name}'. Valid formats: ${formatNames.join(", ")}.`);
  }
  return formatters[name]!;
}
