import type { ConfigFile, ParseError, Section, SectionOpen } from "../grammar/index.js";
import { defineRule, type Report } from "../src/core/rule.js";
import type { FileFacts } from "../src/core/facts.js";
import { rowAt } from "../src/core/offset-row.js";
import { SECTIONS_NEEDING_ARGUMENTS } from "../src/apache/arity.js";
import { countArguments } from "../grammar/index.js";

/**
 * Sections whose handler reads its body with ap_build_cont_config: when the
 * condition is true it stops at the end of the file without complaint, when it
 * is false ap_soak_end_container fails with "Expected </X> before end of
 * configuration" (measured on 2.4.71 for each of them).
 */
export const CONDITIONAL: ReadonlySet<string> = new Set(["ifmodule", "ifdefine", "ifversion", "iffile", "ifdirective", "ifsection"]);

/** `<Proxy balancer://backend-cluster>` as written, blanks collapsed, cut when long. */
export function tagLabel(open: SectionOpen): string {
  const t = open.file.text;
  const raw = t.slice(open.start, open.gt === -1 ? open.end : open.gt + 1).replace(/\\\r?\n/g, " ").replace(/\s+/g, " ");
  return raw.length <= 60 ? raw : `${raw.slice(0, 56)} \u2026>`;
}

/**
 * The lines that close sections ending at one point, innermost first, placed
 * where the parser says the blocks end. Sections closed at the same point get
 * one edit, so nested blocks are closed in one pass and in the right order.
 */
function closeEdit(file: ConfigFile, insertAt: number, closing: readonly { indent: string; name: string }[]) {
  const t = file.text;
  const eol = file.eol;
  // Only the blanks after the last line break: an open tag reached through a continuation has more in its indent.
  const lines = closing.map(({ indent, name }) => `${indent.slice(indent.lastIndexOf("\n") + 1)}</${name}>`);
  if (insertAt < t.length || t.length === 0 || t.endsWith("\n")) return { start: insertAt, end: insertAt, text: lines.map((l) => l + eol).join("") };
  // The file ends inside the last line: start a line, and keep the file's "no newline at end".
  // After a dangling `\` a line break alone would continue onto the close tag, so an empty line ends it first.
  const lead = t.endsWith("\\") ? eol + eol : eol;
  return { start: insertAt, end: insertAt, text: lead + lines.join(eol) };
}

/**
 * What Apache does with a section still open at the end of the file. The
 * outermost open section decides: a true conditional reads its whole body itself
 * (ap_build_cont_config) and stops quietly at the end, with everything inside it;
 * anything else reaches the top-level check, which names each open section
 * down to the first conditional one.
 */
interface Ancestry {
  outer: Section;
  anyConditional: boolean;
}

/** The outermost enclosing section, and whether a conditional is on the way; cached per section so deep nesting stays linear. */
function ancestry(section: Section, cache: Map<Section, Ancestry>): Ancestry {
  const path: Section[] = [];
  let known: Ancestry | undefined;
  for (let s: Section | ConfigFile = section; s.kind === "section"; s = s.parent) {
    known = cache.get(s);
    if (known) break;
    path.push(s);
  }
  for (let i = path.length - 1; i >= 0; i--) {
    const s = path[i]!;
    known = known ? { outer: known.outer, anyConditional: known.anyConditional || CONDITIONAL.has(s.key) } : { outer: s, anyConditional: CONDITIONAL.has(s.key) };
    cache.set(s, known);
  }
  return known!;
}

function atEndBehaviour(section: Section, cache: Map<Section, Ancestry>): string {
  const { outer, anyConditional } = ancestry(section, cache);
  if (CONDITIONAL.has(outer.key)) {
    if (outer !== section) {
      return `Apache silently ends it at the end of the file when ${tagLabel(outer.open)}'s condition is true, and refuses to start when it is false`;
    }
    return `Apache silently ends it at the end of the file when its condition is true, and refuses to start ("Expected </${section.name}> before end of configuration") when it is false`;
  }
  const listed = anyConditional ? outer : section;
  return `Apache refuses to start ("<${listed.name}> was not closed.")`;
}

/** The section an "unclosed-section" error is about: its canonical view, from the row of its open tag (the error's start). */
function sectionOf(file: ConfigFile, facts: FileFacts, e: ParseError): Section {
  return facts.sectionAt(rowAt(file.table, e.start)) as Section;
}

/**
 * Rows of the sections a close tag must not be guessed for: an open tag that
 * Apache refuses for want of an argument (`<Location>`, often a `</Location>`
 * missing its slash: directive-arity's business) and every section around it,
 * whose close tag would otherwise be taken by it, pass after pass.
 */
function unguessable(file: ConfigFile, sections: readonly Section[]): Set<number> {
  const out = new Set<number>();
  for (const s of sections) {
    const open = s.open;
    const to = open.gt === -1 ? open.end : open.gt;
    // <Macro> is refused in words of its own ("empty name") but just as surely
    const bare = (SECTIONS_NEEDING_ARGUMENTS.has(s.key) || s.key === "macro") && countArguments(file.text, open.nameEnd, to) === 0;
    if (!bare) continue;
    for (let p: Section | ConfigFile = s; p.kind === "section" && !out.has(p.row); p = p.parent) out.add(p.row);
  }
  return out;
}

/**
 * The sections closed at one point, and their one edit and title, built once
 * for the point: 5000 nested sections left open at the end share them.
 */
class Closing {
  private _edit: { start: number; end: number; text: string } | undefined;
  private _title: string | undefined;
  constructor(readonly list: { indent: string; name: string; start: number }[]) {}
  edit(file: ConfigFile, insertAt: number) {
    return (this._edit ??= closeEdit(file, insertAt, this.list));
  }
  title(): string {
    return (this._title ??= `Insert ${this.list.map((c) => `</${c.name}>`).join(" ")}`);
  }
}

function report(
  file: ConfigFile,
  e: ParseError,
  section: Section,
  cache: Map<Section, Ancestry>,
  closing: Closing,
  fixable: boolean,
  insertAt: number,
): Report | null {
  if (e.data?.kind !== "unclosed") return null;
  const tag = tagLabel(section.open);
  const seen = e.related?.[0];
  const atEnd = !seen || seen.start >= file.text.length;
  let message: string;
  let related;
  if (atEnd) {
    message = `${tag} is never closed: ${atEndBehaviour(section, cache)}.`;
    related = [{ start: file.text.length, end: file.text.length, message: `the file ends here with <${section.name}> still open` }];
  } else {
    const closeText = file.text.slice(seen.start, seen.end);
    const line = file.position(seen.start).line;
    message = CONDITIONAL.has(section.key)
      ? `${tag} is not closed before the ${closeText} on line ${line}: Apache refuses to start.`
      : `${tag} is not closed before the ${closeText} on line ${line}: Apache refuses to start ("Expected </${section.name}> but saw ${closeText}").`;
    related = [{ start: seen.start, end: seen.end, message: `${closeText} is reached while <${section.name}> is still open` }];
  }
  return {
    message,
    start: e.start,
    end: e.end,
    related,
    ...(fixable && {
      fix: {
        safety: "safe" as const,
        title: closing.list.length === 1 ? `Insert </${section.name}>` : closing.title(),
        edits: [{ ...closing.edit(file, insertAt) }],
      },
    }),
  };
}

export default defineRule({
  id: "section-unclosed",
  severity: "error",
  category: "correctness",
  description: "A section (`<VirtualHost>`, `<Proxy>`, `<IfModule>` \u2026) that is never closed",
  fixable: "safe",
  doc: {
    problem:
      "A section opened with `<Name …>` has no `</Name>`. The lines after it all belong to it as far as Apache is concerned, " +
      "up to the close tag of an enclosing section or the end of the file. The finding points at the open tag; the place " +
      "where the problem shows (the enclosing close tag, or the end of the file) is its related location.",
    bad:
      "<VirtualHost *:443>\n" +
      "  <Proxy balancer://backend-cluster>\n" +
      "    BalancerMember http://server01:3000\n" +
      "    BalancerMember http://server02:3000\n" +
      "\n" +
      "  ProxyPass / balancer://backend-cluster/\n" +
      "  ProxyPassReverse / balancer://backend-cluster/",
    good:
      "<VirtualHost *:443>\n" +
      "  <Proxy balancer://backend-cluster>\n" +
      "    BalancerMember http://server01:3000\n" +
      "    BalancerMember http://server02:3000\n" +
      "  </Proxy>\n" +
      "\n" +
      "  ProxyPass / balancer://backend-cluster/\n" +
      "  ProxyPassReverse / balancer://backend-cluster/\n" +
      "</VirtualHost>",
    why:
      "An unclosed `<VirtualHost>`, `<Proxy>`, `<Location>`, `<Directory>` \u2026 stops Apache: at the end of the file it says " +
      "`<VirtualHost> was not closed.` (on the open tag's line), and inside another section it says " +
      "`Expected </Proxy> but saw </VirtualHost>` on the line of the close tag that exposed it, not on the open tag. " +
      "Conditional sections are worse: an unclosed `<IfModule>`, `<IfDefine>`, `<IfVersion>`, `<IfFile>`, `<IfDirective>` " +
      "or `<IfSection>` whose condition is true is accepted silently at the end of a file (also at the end of an Included " +
      "file), so the config works until the day the condition turns false, or until someone appends a line that was meant " +
      "to be outside the block. `apache2 -t` reports only the first problem it finds; this rule reports every unclosed section.",
    versions: "All 2.4 releases (measured on 2.4.71).",
    fix:
      "Safe: inserts `</Name>` (the open tag's spelling) at the open tag's indentation where the indentation shows the block " +
      "ends: before the first line that is indented no deeper than the open tag, after the last line that belongs to the " +
      "block (blank lines and comments between them stay outside). A block that is not indented is closed after its last " +
      "line. When the file does not end with a line break, the close tag goes on a new last line and the file still does " +
      "not end with one. Several sections that end at the same point are closed by one edit, innermost before " +
      "outermost. The fix is safe because it only changes configs Apache refuses to " +
      "load, or conditional sections that are true (whose body applies the same inside or outside the block).",
    cases: ["c1", "c2", "c6", "c7", "c8", "c9", "c10", "m36"],
  },
  create({ file, facts, report: add }) {
    return {
      end() {
        const cache = new Map<Section, Ancestry>();
        const unclosed = file.errors.filter((e) => e.code === "unclosed-section" && e.data?.kind === "unclosed");
        if (unclosed.length === 0) return;
        const sections = unclosed.map((e) => sectionOf(file, facts, e));
        // mod_macro takes every line up to a `</Macro>` as the body, tags and all: an unclosed <Macro>
        // (and what encloses it) is closed at the end of the file, or a tag of the body would be left outside
        const toEnd = new Set<number>();
        for (const s of sections) {
          if (s.key !== "macro") continue;
          for (let p: Section | ConfigFile = s; p.kind === "section" && !toEnd.has(p.row); p = p.parent) toEnd.add(p.row);
        }
        const insertAt = (e: ParseError, i: number) => (toEnd.has(sections[i]!.row) ? file.text.length : (e.data as { insertAt: number }).insertAt);
        // sections that end at one point, innermost (latest open tag) first
        const byPoint = new Map<number, Closing>();
        unclosed.forEach((e, i) => {
          if (e.data?.kind !== "unclosed") return;
          let c = byPoint.get(insertAt(e, i));
          if (!c) byPoint.set(insertAt(e, i), (c = new Closing([])));
          c.list.push({ indent: e.data.indent, name: sections[i]!.name, start: e.start });
        });
        for (const c of byPoint.values()) c.list.sort((a, b) => b.start - a.start);
        const blocked = unguessable(file, sections);
        const blockedPoints = new Set<number>();
        unclosed.forEach((e, i) => {
          if (e.data?.kind === "unclosed" && blocked.has(sections[i]!.row)) blockedPoints.add(insertAt(e, i));
        });
        unclosed.forEach((e, i) => {
          if (e.data?.kind !== "unclosed") return;
          const at = insertAt(e, i);
          // a file ending in `\` and blanks: any line break after it makes a broken continuation
          const danglingBlanks = at === file.text.length && /\\[ \t\v\f]+$/.test(file.text);
          const fixable = !blocked.has(sections[i]!.row) && !blockedPoints.has(at) && !danglingBlanks;
          const r = report(file, e, sections[i]!, cache, byPoint.get(at)!, fixable, at);
          if (r) add(r);
        });
      },
    };
  },
});
