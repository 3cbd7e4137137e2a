// `AddType application/x-httpd-php .php`: the 2.2-era way to wire a handler
// through a content type. 2.4.60 stopped honouring it in some cases (CHANGES
// 2.4.60: "Some legacy uses of the 'AddType' directive to connect a request to
// a handler must be ported to 'AddHandler'"); 2.4.61 and 2.4.62 then fixed
// source disclosures it caused (CVE-2024-39884, CVE-2024-40725).
import type { Directive } from "../grammar/index.js";
import { atLeast, compareVersions, formatVersion, parseVersion } from "../src/apache/version.js";
import { defineRule } from "../src/core/rule.js";
import { RELEASES } from "../src/data/version-facts.js";

/**
 * Media types that modules read as a handler name (mod_cgi's CGI_MAGIC_TYPE
 * "application/x-httpd-cgi", mod_negotiation's "application/x-type-map",
 * mod_php's "application/x-httpd-php" and its -source variant, and the other
 * application/x-httpd-* names of PHP and Python packages).
 */
const HANDLER_TYPE = /^application\/(x-httpd-[a-z0-9.+-]+|x-type-map)$/i;
const BROKEN_FROM = parseVersion(RELEASES.addTypeHandler)!;
/** CVE-2024-40725: 2.4.62 restored the legacy behaviour that 2.4.60 and 2.4.61 broke. */
const RESTORED_IN = parseVersion("2.4.62")!;

export default defineRule({
  id: "addtype-handler",
  severity: "warning",
  category: "correctness",
  description: "`AddType application/x-httpd-php .php` used to wire a handler: use AddHandler",
  fixable: "safe",
  doc: {
    problem:
      "`AddType application/x-httpd-php .php` (or `application/x-httpd-cgi`) gives files a content type that a module " +
      "happens to read as its handler name. Apache 2.4.60 stopped running handlers chosen this way in some requests, " +
      "and 2.4.61 and 2.4.62 fixed the PHP source disclosures that followed. `AddHandler` says what is meant.",
    bad: "AddType application/x-httpd-php .php",
    good: "AddHandler application/x-httpd-php .php",
    why:
      "CHANGES 2.4.60 (CVE-2024-38476): \"Some legacy uses of the 'AddType' directive to connect a request to a handler " +
      "must be ported to 'AddHandler' after this fix\"; 2.4.61 (CVE-2024-39884) and 2.4.62 (CVE-2024-40725): \"'AddType' " +
      "and similar configuration, under some circumstances where files are requested indirectly, result in source code " +
      "disclosure of local content. For example, PHP scripts may be served instead of interpreted.\" Measured on 2.4.71 " +
      "(mod_cgid, `Options +ExecCGI`): `AddType application/x-httpd-cgi .cgi` and `AddHandler application/x-httpd-cgi .cgi` " +
      "both ran the script, requested directly and through `DirectoryIndex` (200, the script's output), so the AddHandler " +
      "line is a drop-in replacement that does not depend on the legacy path.",
    versions: "Every 2.4 release; on targets 2.4.60 and 2.4.61 the handler may not run at all.",
    fix: "Safe: `AddType` becomes `AddHandler`, the arguments unchanged; the fixed text passes `apache2 -t` and runs the handler (measured).",
  },
  create(ctx) {
    const v = ctx.apacheVersion;
    const broken = atLeast(v, BROKEN_FROM) && compareVersions(v, RESTORED_IN) < 0;
    const consequence = broken
      ? `on ${formatVersion(v)} the handler is not run for some requests and the file may be served as it is (CVE-2024-39884)`
      : "from 2.4.60 Apache treats handlers wired through a content type as legacy (CVE-2024-38476, CVE-2024-40725)";
    return {
      directive: {
        addtype(d: Directive) {
          const type = d.args[0];
          if (!type || d.args.length < 2 || !HANDLER_TYPE.test(type.value)) return;
          ctx.report({
            message: `\`AddType ${type.value}\` wires a handler through a content type: ${consequence}; write \`AddHandler ${type.value}\`.`,
            start: d.start,
            end: d.nameEnd,
            fix: { safety: "safe", title: "Replace `AddType` with `AddHandler`", edits: [{ start: d.start, end: d.nameEnd, text: "AddHandler" }] },
          });
        },
      },
    };
  },
});
