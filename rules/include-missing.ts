import { defineRule } from "../src/core/rule.js";
import type { IncludeResult } from "../src/server/includes.js";

function describeCycle(inc: IncludeResult): string {
  const steps = inc.problem?.cycle ?? [];
  if (steps.length === 0) return "";
  const hops = steps.map((s) => `${s.path}:${s.line}`);
  return ` closes an include cycle (${hops.join(" → ")} → ${steps[0]!.path})`;
}

function message(inc: IncludeResult): string {
  const p = inc.problem!;
  const what = `${inc.name} ${inc.pattern}`;
  const when = inc.conditional ? `when ${inc.conditional} is true, ` : "";
  if (p.kind === "cycle" || p.kind === "too-deep") {
    return `${what}${describeCycle(inc)}: ${when}Apache reads it again and again until "${p.apacheMessage}" and refuses to start.`;
  }
  const relative = inc.path !== null && inc.serverRoot !== null && !inc.pattern.startsWith("/");
  const hints: string[] = [];
  if (relative) hints.push(`relative paths are resolved against ServerRoot ${inc.serverRoot}, not the including file`);
  if (!inc.optional && p.kind !== "unreadable") hints.push(`IncludeOptional would skip it`);
  const tail = hints.length ? ` (${hints.join("; ")})` : "";
  return `${what}: ${when}Apache refuses to start with "${p.apacheMessage}"${tail}.`;
}

/** The one info finding of a file whose Includes lead outside the linted tree (src/server/linted-tree.ts). */
function outsideMessage(incs: readonly IncludeResult[]): string {
  const first = incs[0]!;
  const out = first.outside!;
  // the path itself, or the directory its wildcard would list: all of it is outside
  const whole = first.files.length === 0 && out.paths.length === 1 && (first.path === out.paths[0] || first.path!.startsWith(`${out.paths[0]!.replace(/\/$/, "")}/`));
  const what = whole
    ? `${first.name} ${first.pattern} leads outside the linted tree`
    : `${first.name} ${first.pattern} leads to ${out.paths.length === 1 ? `${out.paths[0]}, which is` : `${out.paths.length} paths (${out.paths[0]} …) that are`} outside the linted tree`;
  const more = incs.length > 1 ? `, nor ${incs.length - 1} more Include${incs.length > 2 ? "s" : ""} of this file that lead outside it` : "";
  return `${what} (${out.tree.join(", ")}): apachelint did not read or check ${whole || out.paths.length === 1 ? "it" : "them"}${more}. Pass --allow-outside DIR to check what lies under DIR.`;
}

export default defineRule({
  id: "include-missing",
  severity: "error",
  category: "correctness",
  severities: ["error", "warning", "info"],
  description: "An `Include` Apache cannot complete: a missing file or directory, a wildcard that matches nothing, or an include cycle",
  fixable: "none",
  doc: {
    problem:
      "An `Include` names a file that does not exist, a directory that cannot be opened, or a wildcard that matches " +
      "nothing; or a chain of `Include`s leads back to a file that is already being read. The path is resolved as " +
      "Apache resolves it: a relative path is joined to the ServerRoot (the last `ServerRoot` line read so far, else " +
      "`--server-root`, else the root of a Debian tree such as /etc/apache2), not to the directory of the including file.",
    bad: "ServerRoot /etc/apache2\nInclude sites-enabled/*.conf\nInclude conf/ssl-params.conf",
    good: "ServerRoot /etc/apache2\nIncludeOptional sites-enabled/*.conf\nInclude conf-available/security.conf",
    why:
      "Apache stops at the first failing `Include` and refuses to start: `Could not open configuration file " +
      "/etc/apache2/conf/ssl-params.conf: No such file or directory`, `Include/IncludeOptional: Could not open " +
      "directory …`, or `Include/IncludeOptional: No matches for the wildcard '*.conf' in '…', failing`. " +
      "`IncludeOptional` is silent about what does not exist and about a wildcard with no match. An include cycle " +
      "makes Apache read the same files 128 levels deep before it gives up with `Exceeded maximum include depth of " +
      "128, There appears to be a recursion.`. Apache names only the line of the outermost `Include`; apachelint " +
      "reports the `Include` that fails, with its file and line. An `Include` inside `<IfModule>`, `<IfDefine>` and " +
      "the like is reported as a warning: Apache reads it only when the condition is true. When no ServerRoot is " +
      "known (a lone file, outside a Debian tree, without a `ServerRoot` line or `--server-root`), relative paths " +
      "are not checked, and neither is a path that uses `${VAR}`: the answer depends on the server. Paths inside the " +
      "linted tree (the directories named on the command line, the file's own directory, `--server-root`, the Debian " +
      "tree's root) are checked on the machine that runs apachelint. An `Include` that leads outside it is neither " +
      "read nor reported as missing (a config under review in CI must not be able to read `/etc/shadow` into a log): " +
      "one info finding per file says it was not checked, and `--allow-outside DIR` lets apachelint read what lies " +
      "under DIR. Symbolic links are resolved before the decision; a `ServerRoot` line in the config never widens the tree.",
    versions: "All 2.4 releases (measured on 2.4.71).",
    cases: ["m12", "m13", "m14", "m14b"],
  },
  create({ server, report, wants }) {
    // what the Includes lead to was worked out on disk before the lint (src/server/includes.ts)
    const outside = (server.includes ?? []).filter((inc) => inc.outside);
    if (outside.length > 0 && wants("info")) {
      const [first, ...rest] = outside;
      report({
        message: outsideMessage(outside),
        start: first!.start,
        end: first!.end,
        severity: "info",
        ...(rest.length ? { related: rest.map((inc) => ({ start: inc.start, end: inc.end, message: `${inc.name} ${inc.pattern}: outside the linted tree, not checked` })) } : {}),
      });
    }
    for (const inc of server.includes ?? []) {
      if (!inc.problem) continue;
      report({
        message: message(inc),
        start: inc.start,
        end: inc.end,
        ...(inc.conditional ? { severity: "warning" as const } : {}),
      });
    }
    return {};
  },
});
