// <IfModule name> is true when `name` is exactly (strcmp: case counts) the
// source file name a module was built from ("mod_proxy.c") or its module
// identifier ("proxy_module"), as core.c's find_module looks them up. Nothing
// else matches: `mod_proxy`, `proxy`, `mod_proxy.so`, `MOD_PROXY.C` are all
// silently false (measured on 2.4.71). Third-party modules are legion, so only
// a name that is a near miss of a module Apache ships is reported.
import type { ConfigFile, Section } from "../grammar/index.js";
import { DIRECTIVE, OPEN } from "../grammar/line-table.js";
import { directiveInfo, sectionInfo } from "../src/apache/directives.js";
import { coreOf, ifModuleName, isOtherModuleName, moduleNameSuggestions, moduleSpelling, type ModuleSpelling } from "../src/apache/conditions.js";
import { defineRule, type Report } from "../src/core/rule.js";

function problemWith(name: string, target: ModuleSpelling): string {
  if (name.toLowerCase() === target.name.toLowerCase()) return "Apache compares module names case-sensitively";
  if (coreOf(name).toLowerCase() === target.core.toLowerCase() || coreOf(name).toLowerCase() === target.module)
    return "Apache accepts only the source file name or the module identifier";
  return "no module has that name";
}

/** Every directive and section in the block is one Apache knows: turning the block on cannot add "Invalid command". */
function bodyIsKnown(file: ConfigFile, block: Section): boolean {
  const t = file.table;
  const last = t.pair[block.row]! >= 0 ? t.pair[block.row]! : t.extent[block.row]!;
  for (let r = block.row + 1; r < last; r++) {
    const k = t.kind[r];
    if (k === DIRECTIVE && directiveInfo(t.names[t.key[r]!]!) === undefined) return false;
    if (k === OPEN && sectionInfo(t.names[t.key[r]!]!) === undefined) return false;
  }
  return true;
}

export default defineRule({
  id: "ifmodule-unknown",
  severity: "warning",
  category: "correctness",
  description: "An `<IfModule>` naming a module that does not exist, whose block is then silently skipped",
  fixable: "unsafe",
  doc: {
    problem:
      "`<IfModule name>` tests whether a module is loaded, and `name` must be written exactly as Apache knows the module: " +
      "its source file name (`mod_proxy_wstunnel.c`) or its module identifier (`proxy_wstunnel_module`). A misspelt name " +
      "(`mod_proxy_wstunel.c`), another case (`MOD_PROXY.C`) or another form (`mod_proxy`, `proxy`, `mod_proxy.so`) names no " +
      "module, so the test is always false (and `<IfModule !name>` always true) whatever is loaded. Only names that are a " +
      "near miss of a module Debian's apache2 ships or has compiled in are reported; third-party modules (`mod_php7.c`, " +
      "`mod_wsgi.c`, `mod_security2.c`, `mod_fcgid.c` \u2026) and 2.2-era names are left alone.",
    bad: "<IfModule mod_proxy_wstunel.c>\n    ProxyPass /ws/ ws://127.0.0.1:13001/ws/\n</IfModule>",
    good: "<IfModule mod_proxy_wstunnel.c>\n    ProxyPass /ws/ ws://127.0.0.1:13001/ws/\n</IfModule>",
    why:
      "core.c's find_module compares the name with strcmp against each module's source file name and identifier. A " +
      "name that matches nothing makes the block false, and the body of a false `<IfModule>` is skipped without being " +
      "parsed: case m17 has garbage inside `<IfModule mod_proxy_wstunel.c>` and `apache2 -t` still says Syntax OK. The " +
      "directives meant to apply never do, and nothing is logged. Measured on 2.4.71: `mod_proxy.c` and `proxy_module` " +
      "make the block true; `mod_proxy`, `proxy`, `mod_proxy.so`, `MOD_PROXY.C`, `Mod_Proxy.c` and `PROXY_MODULE` do not. " +
      "Some source names are not `mod_<name>.c`: `util_ldap.c` (mod_ldap), `event.c`, `worker.c`, `prefork.c` (the MPMs), " +
      "and the compiled-in `core.c` / `http_core.c` (`core_module`, `http_module`). Quotes around the name and a space " +
      "after `!` are accepted by Apache and by this rule.",
    versions: "All 2.4 releases (measured on 2.4.71).",
    fix:
      "Unsafe, when exactly one module is a likely match: replaces the name with that module's spelling in the same form " +
      "(`mod_proxy_wstunel.c` \u2192 `mod_proxy_wstunnel.c`, `proxy_wstunel_module` \u2192 `proxy_wstunnel_module`, " +
      "`mod_proxy` \u2192 `mod_proxy.c`). Unsafe because the block then takes effect: directives that never applied " +
      "start to. The fix is not offered when the block holds a line that is not a directive Apache knows: Apache never " +
      "parsed the false block, and would refuse to start once it is true (m17's body is such text). With several " +
      "candidates the finding lists them and there is no fix.",
    cases: ["m17"],
  },
  create({ file, report }) {
    return {
      enter: {
        ifmodule(s) {
          const n = ifModuleName(s);
          if (!n || moduleSpelling(n.name) || isOtherModuleName(n.name)) return;
          const found = moduleNameSuggestions(n.name);
          if (found.length === 0) return;
          const effect = n.negated
            ? `so \`<IfModule !${n.name}>\` is always true and its body always applies`
            : "so the block is always false and Apache skips its body without parsing it";
          const [only] = found;
          if (found.length === 1 && only) {
            const r: Report = {
              message: `\`${n.name}\` is not a module name (did you mean \`${only.name}\`?): ${problemWith(n.name, only)}, ${effect}.`,
              start: n.start,
              end: n.end,
            };
            if (bodyIsKnown(file, s)) r.fix = { safety: "unsafe", title: `Replace \`${n.name}\` with \`${only.name}\``, edits: [{ start: n.start, end: n.end, text: only.name }] };
            report(r);
          } else {
            const list = found.map((f) => `\`${f.name}\``).join(", ");
            report({
              message: `\`${n.name}\` is not a module name (did you mean one of ${list}?): no module has that name, ${effect}.`,
              start: n.start,
              end: n.end,
            });
          }
        },
      },
    };
  },
});
