// The page's settings as the engine's options, the way the command line makes
// them: `--apache-version X` sets the release the rules target and the one
// <IfVersion> compares with; without it the rules target CURRENT_APACHE and
// <IfVersion> is left open (src/cli/run.ts, src/server/startup.ts).
import { parseVersion } from "../../src/apache/version.js";
import type { Options } from "../../src/index.js";
import type { Settings } from "./protocol.js";

/** The name findings are reported under; the kind is also given explicitly. */
export const PATHS = { server: "playground.conf", htaccess: ".htaccess" } as const;

export function lintOptions(settings: Settings): Options {
  const version = settings.apacheVersion === "" ? null : parseVersion(settings.apacheVersion);
  if (settings.apacheVersion !== "" && (!version || version.major !== 2 || version.minor !== 4)) {
    throw new Error(`${settings.apacheVersion} is not a 2.4.x release`);
  }
  return {
    fileKind: settings.fileKind,
    ...(version ? { apacheVersion: version, startup: { version } } : {}),
  };
}
