// The text Apache reads once mod_macro has expanded each `Use`: the macro's
// body with every parameter replaced by its argument, read where the `Use`
// stands (so one macro may open a `<Location>` that another closes). The
// expanded text keeps every original line, the `Use` lines included, and puts
// each expansion right after its `Use`; a map leads offsets back to the file.
import type { ConfigFile } from "../../grammar/index.js";
import type { MacroDefinition, MacroReading, MacroUse } from "./macros.js";

/** One physical line of an expansion and the body line it came from. */
interface ExpandedLine {
  /** offsets in the expanded text */
  readonly from: number;
  readonly to: number;
  /** offset of the body line in the original text, and its length without the line break */
  readonly origin: number;
  readonly originLength: number;
  /** chars from the line start that are the body's own text (before the first substitution) */
  readonly verbatim: number;
}

export interface Expansion {
  readonly use: MacroUse;
  readonly def: MacroDefinition;
  /** the expansion's span in the expanded text */
  readonly from: number;
  readonly to: number;
  readonly lines: readonly ExpandedLine[];
}

export interface ExpandedText {
  readonly text: string;
  readonly expansions: readonly Expansion[];
  /** offsets of the original text where each expansion was inserted, with the total length inserted before and at it */
  readonly inserts: readonly { readonly at: number; readonly shift: number }[];
}

/** Where an offset of the expanded text comes from. */
export type Origin = { kind: "file"; offset: number } | { kind: "macro"; expansion: Expansion; offset: number; exact: boolean };

/**
 * mod_macro's substitution on one line: at each position the first parameter
 * (in definition order) whose name is there is replaced, which is why it warns
 * about names that are prefixes of one another.
 */
function substitute(line: string, names: readonly string[], values: readonly string[]): { text: string; verbatim: number } {
  let out = "";
  let verbatim = -1;
  let i = 0;
  while (i < line.length) {
    let hit = -1;
    for (let k = 0; k < names.length; k++) {
      const n = names[k]!;
      if (n !== "" && line.startsWith(n, i)) {
        hit = k;
        break;
      }
    }
    if (hit === -1) {
      out += line[i];
      i++;
      continue;
    }
    if (verbatim === -1) verbatim = out.length;
    out += values[hit]!;
    i += names[hit]!.length;
  }
  return { text: out, verbatim: verbatim === -1 ? out.length : verbatim };
}

/**
 * The expanded text, or null when no `Use` of the file expands (no macro, or none defined where used).
 * `reading` is the file's macros replayed in order (readInOrder), as the rules share it.
 */
export function expandMacros(file: ConfigFile, reading: MacroReading): ExpandedText | null {
  const uses = reading.uses.filter((u) => u.def && u.use.args.length === u.def.parameters.length && u.def.name !== "");
  if (uses.length === 0) return null;
  const src = file.text;
  const t = file.table;
  let text = "";
  let copied = 0;
  const expansions: Expansion[] = [];
  const inserts: { at: number; shift: number }[] = [];
  for (const { use, def: d } of uses) {
    const def = d!;
    const at = use.directive.to;
    text += src.slice(copied, at);
    copied = at;
    // a Use on the last line without a line break: the expansion starts on a line of its own
    const lastBreak = at > 0 && src.charCodeAt(at - 1) === 10 ? "" : "\n";
    text += lastBreak;
    const from = text.length;
    const bodyFrom = t.to[def.section.row]!;
    const bodyTo = def.section.close ? t.from(def.section.close.row) : t.to[t.extent[def.section.row]! - 1]!;
    const names = def.parameters.map((p) => p.name);
    const values = use.args.map((a) => a.value);
    const lines: ExpandedLine[] = [];
    for (let s = bodyFrom; s < bodyTo; ) {
      const nl = src.indexOf("\n", s);
      const e = nl === -1 || nl >= bodyTo ? bodyTo : nl + 1;
      const body = src.slice(s, e);
      const sub = substitute(body, names, values);
      const lineFrom = text.length;
      text += sub.text;
      const bare = body.endsWith("\n") ? body.length - (body.endsWith("\r\n") ? 2 : 1) : body.length;
      lines.push({ from: lineFrom, to: text.length, origin: s, originLength: bare, verbatim: sub.verbatim });
      s = e;
    }
    if (!text.endsWith("\n")) text += "\n";
    expansions.push({ use, def, from, to: text.length, lines });
    inserts.push({ at, shift: text.length - copied });
  }
  text += src.slice(copied);
  return { text, expansions, inserts };
}

/** The original offset (or macro body line) an offset of the expanded text comes from. */
export function originOf(x: ExpandedText, offset: number): Origin {
  const exps = x.expansions;
  let lo = 0;
  let hi = exps.length - 1;
  let before = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (exps[mid]!.from <= offset) {
      before = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (before >= 0) {
    const e = exps[before]!;
    if (offset < e.to || (offset === e.to && offset === e.from)) {
      const line = e.lines.find((l) => offset >= l.from && offset < l.to) ?? e.lines[e.lines.length - 1];
      if (!line) return { kind: "macro", expansion: e, offset: e.def.section.open.start, exact: false };
      const o = offset - line.from;
      // up to the first substitution the text is the body's own; an argument starts where its parameter did
      if (o <= line.verbatim) return { kind: "macro", expansion: e, offset: line.origin + Math.min(o, line.originLength), exact: o < line.verbatim };
      return { kind: "macro", expansion: e, offset: line.origin + line.originLength, exact: false };
    }
    return { kind: "file", offset: offset - x.inserts[before]!.shift };
  }
  return { kind: "file", offset };
}

/** The offset in the expanded text of an original offset outside the expansions. */
export function expandedOffset(x: ExpandedText, offset: number): number {
  let shift = 0;
  for (const i of x.inserts) {
    if (i.at > offset) break;
    shift = i.shift;
  }
  return offset + shift;
}
