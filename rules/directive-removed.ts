// Directives of Apache 2.2 that 2.4 removed or keeps only as deprecated
// leftovers (src/data/removed-directives.ts, measured with apache2 -t on
// 2.4.71). Refused ones are errors; accepted ones are warnings, because the
// line does nothing or is read under another name. It supersedes
// directive-unknown's "Invalid command" on the same line.
import type { Directive } from "../grammar/index.js";
import { defineRule, handlersFor, type Report } from "../src/core/rule.js";
import { REMOVED_DIRECTIVES, removedDirective } from "../src/data/removed-directives.js";

const REMOVED_KEYS: ReadonlySet<string> = new Set(REMOVED_DIRECTIVES.map((r) => r.name.toLowerCase()));

export default defineRule({
  id: "directive-removed",
  severity: "error",
  severities: ["error", "warning"],
  category: "migration",
  supersedes: ["directive-unknown"],
  description: "A 2.2 directive that Apache 2.4 removed or deprecated (NameVirtualHost, RewriteLog, MaxClients …)",
  fixable: "safe",
  doc: {
    problem:
      "Configs upgraded from 2.2 keep directives that 2.4 removed (`RewriteLog`, `RewriteLogLevel`, `AcceptMutex`, " +
      "`LockFile`: Apache refuses to start) or still reads with a warning or under a new name (`NameVirtualHost`, " +
      "`DefaultType`, `MaxClients`, `SSLCertificateChainFile`).",
    bad: "NameVirtualHost *:80\nMaxClients 150\nRewriteLogLevel 3",
    good: "MaxRequestWorkers 150\nLogLevel rewrite:trace3",
    why:
      "Measured with `apache2 -t` on 2.4.71, every module loaded: `RewriteLog`, `RewriteLogLevel`, `AcceptMutex` and " +
      "`LockFile` stop the server with `Invalid command '…', perhaps misspelled or defined by a module not included in the " +
      "server configuration` (error). `NameVirtualHost *:80` is accepted with `AH00548: NameVirtualHost has no effect and " +
      "will be removed in the next release`, `DefaultType text/html` with `AH00117: Ignoring deprecated use of DefaultType " +
      "in line …` (`DefaultType None` silently); `MaxClients 150` and `SSLCertificateChainFile` are accepted silently " +
      "(MaxClients is read as MaxRequestWorkers; the chain file has been deprecated since 2.4.8, and its AH02559 warning " +
      "was removed in 2.4.16 — CHANGES: \"mod_ssl: Remove deprecated SSLCertificateChainFile warning\"): warnings.",
    versions: "Every 2.4 release.",
    fix:
      "Safe, where the successor is one line: `NameVirtualHost` and `DefaultType` lines are deleted (Apache ignores them), " +
      "`MaxClients N` becomes `MaxRequestWorkers N`, `RewriteLogLevel N` (1–9) becomes `LogLevel rewrite:traceN` (at most " +
      "trace8). Each fixed text passes `apache2 -t` (test/apache/version-migration-live.test.ts).",
  },
  create(ctx) {
    const visit = (d: Directive) => {
      const r = removedDirective(d.key)!;
      const refused = r.apache === "refused";
      const said = r.says ? ` ("${r.says}")` : "";
      const what = refused ? `Apache 2.4 refuses to start${said}` : `Apache 2.4 accepts it${said ? ` with a warning${said}` : ""}`;
      const report: Report = {
        message: `\`${d.name}\` is a 2.2 directive: ${what}; ${r.instead}.`,
        start: d.start,
        end: d.nameEnd,
        severity: refused ? "error" : "warning",
      };
      const line = r.fix?.(d.args.map((a) => a.value));
      if (line === "") report.fix = { safety: "safe", title: `Delete the \`${d.name}\` line`, edits: [{ start: d.from, end: d.to, text: "" }] };
      else if (line) report.fix = { safety: "safe", title: `Replace with \`${line}\``, edits: [{ start: d.start, end: d.end, text: line }] };
      ctx.report(report);
    };
    return { directive: handlersFor(ctx.file, REMOVED_KEYS, visit) };
  },
});
