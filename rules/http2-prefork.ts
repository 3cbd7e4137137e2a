// `Protocols h2` with mpm_prefork: mod_http2 logs AH10034 at startup ("the
// HTTP/2 protocol will be inactive"), since 2.4.27 (CHANGES: "COMPATIBILITY:
// mod_http2: Disable and give warning when using Prefork").
import type { Directive } from "../grammar/index.js";
import { atLeast, parseVersion } from "../src/apache/version.js";
import { defineRule } from "../src/core/rule.js";
import { RELEASES } from "../src/data/version-facts.js";

const SINCE = parseVersion(RELEASES.http2PreforkDisabled)!;
const H2 = /^h2c?$/i;

export default defineRule({
  id: "http2-prefork",
  severity: "warning",
  category: "correctness",
  description: "`Protocols h2` with mpm_prefork loaded: mod_http2 warns that HTTP/2 is not supported (AH10034)",
  fixable: "none",
  doc: {
    problem:
      "`Protocols h2 http/1.1` on a server that runs mpm_prefork (the MPM Debian switches to for mod_php). mod_http2 " +
      "does not support prefork: it says so once at startup, in the error log only, and the config looks as if HTTP/2 were on.",
    bad: "LoadModule mpm_prefork_module /usr/lib/apache2/modules/mod_mpm_prefork.so\nLoadModule http2_module /usr/lib/apache2/modules/mod_http2.so\nProtocols h2 http/1.1",
    good: "LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so\nLoadModule http2_module /usr/lib/apache2/modules/mod_http2.so\nProtocols h2 http/1.1",
    why:
      "Measured on 2.4.71 (mod_http2 2.0.42), prefork + mod_http2 + `Protocols h2 h2c http/1.1`: `apache2 -t` says " +
      "`Syntax OK`, and the start logs `[http2:warn] AH10034: The mpm module (prefork.c) is not supported by mod_http2. " +
      "The mpm determines how things are processed in your server. HTTP/2 has more demands in this regard and the " +
      "currently selected mpm will just not do. This is an advisory warning. Your server will continue to work, but the " +
      "HTTP/2 protocol will be inactive.` On 2.4.71 an h2c prior-knowledge request was nevertheless answered over " +
      "HTTP/2 (test/apache/version-migration-live.test.ts measures both): the server runs an MPM its HTTP/2 module declares " +
      "unsupported and whose log says HTTP/2 is off, and what a client gets is not what the config promises. " +
      "Switch to mpm_event (with PHP-FPM instead of mod_php).",
    versions: "2.4.27 and later (before 2.4.27 mod_http2 ran under prefork without the warning).",
  },
  create(ctx) {
    const { server } = ctx;
    if (!server.managesModules || !server.isLoaded("mpm_prefork") || !server.isLoaded("http2")) return {};
    if (!atLeast(ctx.apacheVersion, SINCE)) return {};
    return {
      directive: {
        protocols(d: Directive) {
          const h2 = d.args.find((a) => H2.test(a.value));
          if (!h2) return;
          ctx.report({
            message: `\`${h2.value}\` with mpm_prefork loaded: mod_http2 does not support prefork and says so at startup only ("AH10034: The mpm module (prefork.c) is not supported by mod_http2 … the HTTP/2 protocol will be inactive"); use mpm_event.`,
            start: h2.start,
            end: h2.end,
          });
        },
      },
    };
  },
});
