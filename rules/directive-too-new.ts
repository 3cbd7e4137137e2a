// A directive, worker parameter or RewriteRule flag that the targeted 2.4
// release does not have yet: that release refuses to start on it. The release
// that introduced each directive is the manual's Compatibility row
// (src/data/directive-docs.ts `since`); parameters and flags are the hand table
// src/data/version-facts.ts, each with its changelog source.
import type { Directive, Section } from "../grammar/index.js";
import { directiveDocTable } from "../src/apache/directive-docs.js";
import { parseFlags } from "../src/apache/rewrite.js";
import { atLeast, CURRENT_APACHE, formatVersion, parseVersion, type ApacheVersion } from "../src/apache/version.js";
import { defineRule } from "../src/core/rule.js";
import { ARGUMENT_FACTS, type ArgumentFact } from "../src/data/version-facts.js";

interface Since {
  name: string;
  since: ApacheVersion;
}

/** Directives and sections ("<ifdirective") the manual dates to a 2.4 release; a "2.5.1" row is trunk's numbering and 2.4.71 has them. */
let sinceTable: Map<string, Since> | undefined;
function introduced(): Map<string, Since> {
  if (sinceTable) return sinceTable;
  sinceTable = new Map();
  const docs = directiveDocTable();
  for (const key in docs) {
    const d = docs[key]!;
    const v = d.since ? parseVersion(d.since) : null;
    if (v && v.major === 2 && v.minor === 4 && v.patch > 0) sinceTable.set(key, { name: d.name, since: v });
  }
  return sinceTable;
}

const versionOf = (f: ArgumentFact) => parseVersion(f.since)!;
/** Facts no other rule reports, by directive key. */
const FACTS_BY_DIRECTIVE = new Map<string, ArgumentFact[]>();
for (const f of ARGUMENT_FACTS) {
  if (f.reportedBy) continue;
  for (const k of f.directives) FACTS_BY_DIRECTIVE.set(k, [...(FACTS_BY_DIRECTIVE.get(k) ?? []), f]);
}

/** The newest release any fact names: a target at or above it has everything. */
let newestRelease: ApacheVersion | undefined;
function newest(): ApacheVersion {
  if (newestRelease) return newestRelease;
  let max: ApacheVersion = { major: 2, minor: 4, patch: 0 };
  for (const s of introduced().values()) if (!atLeast(max, s.since)) max = s.since;
  for (const f of ARGUMENT_FACTS) if (!f.reportedBy && !atLeast(max, versionOf(f))) max = versionOf(f);
  return (newestRelease = max);
}

export default defineRule({
  id: "directive-too-new",
  severity: "error",
  category: "correctness",
  description: "A directive, parameter or flag newer than the targeted Apache release (--apache-version)",
  fixable: "none",
  doc: {
    problem:
      "The config uses a directive (`H2WebSockets`, 2.4.58), a section, or a RewriteRule flag (`UnsafeAllow3F`, 2.4.60) " +
      "that the Apache release it targets (`--apache-version`, `apacheVersion` in the config file) does not have yet.",
    bad: "H2WebSockets on",
    good: "<IfDirective H2WebSockets>\n    H2WebSockets on\n</IfDirective>",
    why:
      "A release that lacks a directive stops at it with `Invalid command 'H2WebSockets', perhaps misspelled or defined " +
      "by a module not included in the server configuration`, and a flag it does not know with `RewriteRule: unknown " +
      "flag 'UnsafeAllow3F'`: the config that passes `apache2 -t` on 2.4.71 does not start on the older server it is " +
      "deployed to. The release of each directive is the Compatibility row of Apache's manual (apache2-doc 2.4.71); flags " +
      "and parameters come from Apache's changelog (src/data/version-facts.ts). `upgrade=` below 2.4.47 is reported by " +
      "websocket-prefer-upgrade-param. Inside `<IfDirective>` or `<IfVersion>` nothing is reported: the config asks the release itself.",
    versions: "Targets below the release that introduced the word; silent with the default target 2.4.71.",
  },
  create(ctx) {
    const target = ctx.apacheVersion;
    // the manual and the changelog are 2.4.71's: nothing they date is newer (and the table need not be parsed)
    if (atLeast(target, CURRENT_APACHE) || atLeast(target, newest())) return {};
    const { facts } = ctx;
    const wanted = formatVersion(target);
    const GUARDS: ReadonlySet<string> = new Set(["ifdirective", "ifversion"]);
    const guarded = (row: number) => facts.enclosingRow(row, GUARDS) >= 0;
    const tooNew = (key: string) => {
      const s = introduced().get(key);
      return s && !atLeast(target, s.since) ? s : undefined;
    };
    const arguments_ = (d: Directive) => {
      const list = FACTS_BY_DIRECTIVE.get(d.key);
      if (!list) return;
      // the words of the facts do not occur on the line: no need to split it into words
      const line = ctx.file.text.slice(d.nameEnd, d.end).toLowerCase();
      if (!list.some((f) => line.includes(f.name))) return;
      for (const f of list) {
        if (atLeast(target, versionOf(f))) continue;
        if (f.kind === "rewrite-flag") {
          const flags = d.args[2];
          if (!flags) continue;
          for (const flag of parseFlags(flags, "rule").flags) {
            if (flag.canonical !== f.name) continue;
            ctx.report({ message: `The RewriteRule flag \`${flag.name}\` arrived in Apache ${f.since}: ${wanted} refuses to start ("RewriteRule: unknown flag '${flag.name}'").`, start: flag.start, end: flag.end });
          }
        } else {
          for (const a of d.args.slice(2)) {
            if (!a.value.toLowerCase().startsWith(`${f.name}=`)) continue;
            ctx.report({ message: `The worker parameter \`${f.spelling}\` arrived in Apache ${f.since}: ${wanted} refuses to start on it.`, start: a.start, end: a.end });
          }
        }
      }
    };
    // handlers for the names the target lacks only: a directive the target has costs nothing
    const handlers: Record<string, (d: Directive) => void> = {};
    const sections: Record<string, (s: Section) => void> = {};
    const directiveTooNew = (d: Directive) => {
      if (guarded(d.row)) return;
      const s = tooNew(d.key)!;
      ctx.report({
        message: `\`${s.name}\` arrived in Apache ${formatVersion(s.since)}: ${wanted} refuses to start ("Invalid command '${d.name}', perhaps misspelled or defined by a module not included in the server configuration").`,
        start: d.start,
        end: d.nameEnd,
      });
    };
    const sectionTooNew = (s: Section) => {
      if (guarded(s.row)) return;
      const found = tooNew(`<${s.key}`)!;
      const name = s.open.name;
      ctx.report({
        message: `\`<${name}>\` arrived in Apache ${formatVersion(found.since)}: ${wanted} refuses to start ("Invalid command '<${name}', perhaps misspelled or defined by a module not included in the server configuration").`,
        start: s.open.start,
        end: s.open.start + 1 + name.length,
      });
    };
    for (const key of introduced().keys()) {
      if (!tooNew(key)) continue;
      if (key.startsWith("<")) sections[key.slice(1)] = sectionTooNew;
      else handlers[key] = directiveTooNew;
    }
    for (const k of FACTS_BY_DIRECTIVE.keys()) {
      const own = handlers[k];
      handlers[k] = (d) => {
        own?.(d);
        if (!guarded(d.row)) arguments_(d);
      };
    }
    return { directive: handlers, enter: sections };
  },
});
