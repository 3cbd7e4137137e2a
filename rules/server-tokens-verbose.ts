// What Apache tells every client about itself: the Server header (ServerTokens,
// default Full), the footer of its error pages (ServerSignature, default Off)
// and whether it echoes TRACE requests back (TraceEnable, default On). Measured
// on 2.4.71: unset, `Server: Apache/2.4.71 (Debian)` and TRACE answers 200;
// `ServerSignature On` adds `<address>Apache/2.4.71 (Debian) Server at … Port
// …</address>` to a 404; `ServerTokens Prod`, `ServerSignature Off`,
// `TraceEnable Off` give `Server: Apache`, no footer and 405.
import type { Directive } from "../grammar/index.js";
import { DIRECTIVE, OPEN } from "../grammar/line-table.js";
import { defineRule, type RuleContext } from "../src/core/rule.js";
import { setInIncludes } from "../src/server/server-settings.js";

interface Setting {
  /** the value that says least, which the fix writes */
  quiet: string;
  /** lower-cased values that say too much */
  verbose: ReadonlySet<string>;
  /** what the verbose value gives away */
  leaks: string;
  /** the default says too much: report it unset in a whole server config (core.c defaults, measured) */
  unsetLeaks?: string;
}

const SETTINGS: ReadonlyMap<string, Setting> = new Map([
  [
    "servertokens",
    {
      quiet: "Prod",
      verbose: new Set(["full", "os", "minimal", "min", "minor", "major"]),
      leaks: "puts Apache's version (with OS or Full also the platform: `Apache/2.4.71 (Debian)`) in every response's Server header",
      unsetLeaks: "ServerTokens is not set: the default, Full, sends `Server: Apache/2.4.71 (Debian)` with every response",
    },
  ],
  ["serversignature", { quiet: "Off", verbose: new Set(["on", "email"]), leaks: "adds the server's version, name and port to every error page" }],
  [
    "traceenable",
    {
      quiet: "Off",
      verbose: new Set(["on", "extended"]),
      leaks: "makes Apache echo TRACE requests back (200), headers included",
      unsetLeaks: "TraceEnable is not set: the default, On, answers TRACE requests with 200 and echoes them back",
    },
  ],
]);

const lineOf = (name: string) => new RegExp(`^[ \\t]*${name}[ \\t]`, "im");

export default defineRule({
  id: "server-tokens-verbose",
  severity: "info",
  category: "security",
  description: "`ServerTokens` Full/OS (or unset), `ServerSignature On`, `TraceEnable` not Off",
  fixable: "safe",
  doc: {
    problem:
      "`ServerTokens` other than Prod, `ServerSignature On` or `EMail`, and `TraceEnable` On or extended tell every " +
      "client which Apache version runs on which platform, or echo requests back. A whole server config " +
      "(httpd.conf, apache2.conf, or one that loads an MPM) that sets neither ServerTokens nor TraceEnable in itself " +
      "or the files it includes gets the defaults, Full and On, and is told so; a fragment or .htaccess is never " +
      "told about a setting it does not contain (the main config may set it).",
    bad: "ServerTokens OS\nServerSignature On\nTraceEnable On\n",
    good: "ServerTokens Prod\nServerSignature Off\nTraceEnable Off\n",
    why:
      "Measured on 2.4.71 (fixtures/rules/server-tokens-verbose/measured.json): with nothing set, `Server: " +
      "Apache/2.4.71 (Debian)`, no signature on a 404, and TRACE answers 200; with `ServerTokens OS`, `ServerSignature " +
      "On`, `TraceEnable On`, the same header, the 404 ends with `<address>Apache/2.4.71 (Debian) Server at 127.0.0.1 " +
      "Port N</address>`, and TRACE answers 200; with `ServerTokens Prod`, `ServerSignature Off`, `TraceEnable Off`: " +
      "`Server: Apache`, no footer, TRACE 405. A version string lets scanners pick exploits for that release. " +
      "Debian's conf-available/security.conf has `ServerTokens OS` and `ServerSignature On`: both are reported (info).",
    versions: "All Apache 2.4 versions.",
    fix: "Safe: writes `ServerTokens Prod`, `ServerSignature Off`, `TraceEnable Off` in place of the value.",
  },
  create(ctx: RuleContext) {
    const { file, fileKind, server } = ctx;
    const seen = new Set<string>();
    const check = (d: Directive) => {
      seen.add(d.key);
      const s = SETTINGS.get(d.key)!;
      const arg = d.args[0];
      if (!arg || !s.verbose.has(arg.value.toLowerCase())) return;
      ctx.report({
        message: `\`${d.name} ${arg.value}\` ${s.leaks}. Use \`${d.name} ${s.quiet}\`.`,
        start: arg.start,
        end: arg.end,
        fix: { safety: "safe", title: `Set \`${d.name} ${s.quiet}\``, edits: [{ start: arg.start, end: arg.end, text: s.quiet }] },
      });
    };
    return {
      directive: { servertokens: check, serversignature: check, traceenable: check },
      end() {
        if (fileKind === "htaccess") return;
        const missing = [...SETTINGS].filter(([key, s]) => s.unsetLeaks && !seen.has(key));
        if (!missing.length) return;
        const t = file.table;
        let first = 0;
        while (first < t.count && t.kind[first] !== DIRECTIVE && t.kind[first] !== OPEN) first++;
        if (first >= t.count) return;
        for (const [key, s] of missing) {
          if (setInIncludes(file, server, lineOf(key)) !== "absent") continue;
          ctx.report({ message: `${s.unsetLeaks}. Add \`${key === "servertokens" ? "ServerTokens" : "TraceEnable"} ${s.quiet}\`.`, start: t.start[first]!, end: t.end[first]! });
        }
      },
    };
  },
});
