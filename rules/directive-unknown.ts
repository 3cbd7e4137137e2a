import type { Directive, Section } from "../grammar/index.js";
import { ConditionVerdicts, CONDITIONS_FACT, ifModuleName, moduleSpelling } from "../src/apache/conditions.js";
import { directiveInfo, directiveSuggestions, otherModuleOf, sectionInfo, sectionSuggestions } from "../src/apache/directives.js";
import { refusalIn } from "../src/apache/file-kind.js";
import { defineRule, type Report } from "../src/core/rule.js";

/** A macro body is a template: its lines are directives only where a `Use` expands it. */
const MACRO: ReadonlySet<string> = new Set(["macro"]);

const quoted = (names: readonly string[]) => names.map((n) => `\`${n}\``).join(", ");

export default defineRule({
  id: "directive-unknown",
  severity: "error",
  category: "correctness",
  severities: ["error", "warning"],
  description: "A directive or section that no module of Apache 2.4 defines",
  fixable: "unsafe",
  doc: {
    problem:
      "A line whose first word is not a directive of Apache 2.4 or of any module it ships: a misspelling " +
      "(`ProxyPassReverese`), a word from another server or another Apache line (`RewriteCondition`, nginx's `proxy_pass`), " +
      "or a section that does not exist (`<VirtualHosts>`). Apache refuses to start (in `.htaccess`, every request it " +
      "applies to answers 500). The finding names the nearest known directives. Directives of well-known third-party " +
      "modules (mod_wsgi, mod_php, mod_security, Passenger \u2026) are recognised by name and never reported.",
    bad: "<VirtualHost *:18080>\n    ProxyPass /ws/ ws://127.0.0.1:13001/ws/\n    ProxyPassReverese /ws/ ws://127.0.0.1:13001/ws/\n</VirtualHost>",
    good: "<VirtualHost *:18080>\n    ProxyPass /ws/ ws://127.0.0.1:13001/ws/\n    ProxyPassReverse /ws/ ws://127.0.0.1:13001/ws/\n</VirtualHost>",
    why:
      "Apache looks each directive up, case-insensitively, in the command tables of the modules loaded so far; a name " +
      "no table has stops the configuration with `Invalid command 'ProxyPassReverese', perhaps misspelled or defined by a " +
      "module not included in the server configuration` (the same words for a section: `Invalid command '<Foo'`). " +
      "`apache2 -t` says so too, so the mistake is caught before a restart, but only on the server: this rule says it in " +
      "the editor and in CI. Apache never parses the body of a false `<IfModule>`: an unknown word there is reported as " +
      "a warning, since it fails the day the module is loaded, and a directive inside `<IfModule>` of a module apachelint " +
      "does not know is not reported unless it is a near miss of a known one. The body of a `<Macro>` is a template and " +
      "is not checked where it stands; a name built from `${VAR}` or a macro parameter is not judged.",
    versions: "All 2.4 releases; the directive table is probed from Debian's apache2 2.4.71 with every module loaded.",
    fix:
      "Unsafe, when exactly one known directive is closest: replaces the name with it (`ProxyPassReverese` \u2192 " +
      "`ProxyPassReverse`). Unsafe because the line then takes effect, with arguments written for what was meant.",
  },
  create(ctx) {
    const { facts, report } = ctx;
    const verdicts = () => facts.shared(CONDITIONS_FACT, (f) => new ConditionVerdicts(f, { server: ctx.server }));
    const refusal = refusalIn(ctx.fileKind);

    /** Is the row inside `<IfModule name>` of a module apachelint does not know: read only where that module is loaded? */
    const otherModuleBlock = (row: number): boolean => {
      const t = ctx.file.table;
      for (let r = facts.parentRows[row]!; r >= 0; r = facts.parentRows[r]!) {
        if (t.names[t.key[r]!] !== "ifmodule") continue;
        const n = ifModuleName(facts.sectionAt(r) as Section);
        if (n && !n.negated && !moduleSpelling(n.name)) return true;
      }
      return false;
    };

    /** The close tag's name of the section opened at `row`, when it spells the same word: a section fix renames both. */
    const closeName = (row: number, word: string): { start: number; end: number } | null => {
      const t = ctx.file.table;
      const close = t.pair[row]!;
      if (close < 0) return null;
      const start = t.start[close]! + 2;
      const end = start + word.length;
      return ctx.file.text.slice(start, end).toLowerCase() === word.toLowerCase() ? { start, end } : null;
    };

    const check = (row: number, word: string, start: number, end: number, section: boolean) => {
      // ${VAR} and macro parameters make the name only where Apache expands them
      if (word.includes("$")) return;
      if (facts.enclosingRow(row, MACRO) >= 0) return;
      const key = word.toLowerCase();
      if (!section && otherModuleOf(key)) return;
      const near = section ? sectionSuggestions(word) : directiveSuggestions(word);
      const skippedBy = verdicts().skippedBy(row);
      // read only when a module apachelint does not know is loaded: probably that module's own directive
      if (skippedBy < 0 && near.length === 0 && otherModuleBlock(row)) return;
      const shown = section ? `<${word}` : word;
      const hint = near.length === 1 ? ` (did you mean \`${section ? "<" : ""}${near[0]}\`?)` : near.length ? ` (did you mean one of ${quoted(near.map((n) => (section ? `<${n}` : n)))}?)` : "";
      const what = `\`${shown}\` is not a ${section ? "section" : "directive"} of Apache 2.4 or of any module it ships${hint}`;
      let r: Report;
      if (skippedBy >= 0) {
        const tag = ctx.file.text.slice(ctx.file.table.start[skippedBy]!, ctx.file.table.end[skippedBy]!);
        r = {
          severity: "warning",
          message: `${what}: Apache skips it today because \`${tag}\` is false here, and stops with "Invalid command '${shown}'" the day it is true.`,
          start,
          end,
        };
      } else {
        r = { message: `${what}: ${refusal} ("Invalid command '${shown}', perhaps misspelled or defined by a module not included in the server configuration").`, start, end };
      }
      if (near.length === 1) {
        const edits = [{ start, end, text: near[0]! }];
        const close = section ? closeName(row, word) : null;
        if (close) edits.push({ ...close, text: near[0]! });
        r.fix = { safety: "unsafe", title: `Replace \`${word}\` with \`${near[0]}\``, edits };
      }
      report(r);
    };

    return {
      directive: {
        "*"(d: Directive) {
          if (directiveInfo(d.key)) return;
          check(d.row, d.name, d.start, d.nameEnd, false);
        },
      },
      enter: {
        "*"(s: Section) {
          if (sectionInfo(s.key)) return;
          const open = s.open;
          const name = open.name;
          check(s.row, name, open.start + 1, open.start + 1 + name.length, true);
        },
      },
    };
  },
});
