// The formatters by name, each module loaded only when its format is asked
// for: the command line needs one of them per run. formatters/index.ts holds
// the same table loaded eagerly, for library use; a test keeps the two equal.
import type { Formatter } from "./report.js";

const loaders: Record<string, () => Promise<Formatter>> = {
  stylish: async () => (await import("./stylish.js")).stylish,
  compact: async () => (await import("./compact.js")).compact,
  unix: async () => (await import("./unix.js")).unix,
  json: async () => (await import("./json.js")).json,
  github: async () => (await import("./github.js")).github,
  gitlab: async () => (await import("./gitlab.js")).gitlab,
  sarif: async () => (await import("./sarif.js")).sarif,
  checkstyle: async () => (await import("./checkstyle.js")).checkstyle,
};

export const formatNames: readonly string[] = Object.keys(loaders);

/** The formatter called `name`; an unknown name is an Error naming the valid ones. */
export async function formatFor(name: string): Promise<Formatter> {
  if (!Object.hasOwn(loaders, name)) {
    throw new Error(`Unknown format '${name}'. Valid formats: ${formatNames.join(", ")}.`);
  }
  return loaders[name]!();
}
