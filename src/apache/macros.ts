// mod_macro as Apache reads it (mod_macro.c, and probed with apache2 -t on
// 2.4.71: test/data/macro-cases): `<Macro name $a $b>` … `</Macro>` stores its
// lines as a template when the definition is read, `Use name x y` expands them
// where it stands, `UndefMacro name` forgets one. Names are case-insensitive
// (Apache lower-cases them: "macro 'm2' …"). The model is what the macro rules
// share: definitions, uses and removals of one file, in reading order.
import type { Argument, ConfigFile, Directive, Section } from "../../grammar/index.js";
import { Directive as DirectiveView, Section as SectionView } from "../../grammar/ast.js";
import { COMMENT, DIRECTIVE, OPEN } from "../../grammar/line-table.js";

/** mod_macro's advice: parameter names start with one of these, so that they stand out in the body (AH02796). */
export const PARAMETER_SIGILS = "$%@";

export interface MacroParameter {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

export interface MacroDefinition {
  /** lower-cased name, as Apache keys it */
  readonly key: string;
  /** the name as written; empty when the tag names none */
  readonly name: string;
  readonly section: Section;
  readonly parameters: readonly MacroParameter[];
  /** defined inside another macro's body: it exists only once that macro is used */
  readonly nested: boolean;
  /** the body's lines that are not comments or blank (what mod_macro substitutes and checks) */
  readonly bodyRows: readonly number[];
}

export interface MacroUse {
  readonly key: string;
  readonly directive: Directive;
  /** the arguments after the name */
  readonly args: readonly Argument[];
  /** the macro whose body holds this Use, or null at the top level */
  readonly inside: MacroDefinition | null;
}

export interface MacroUndef {
  readonly key: string;
  readonly directive: Directive;
}

export type MacroEvent = { kind: "define"; def: MacroDefinition } | { kind: "use"; use: MacroUse } | { kind: "undef"; undef: MacroUndef };

export interface MacroModel {
  readonly definitions: readonly MacroDefinition[];
  /** what Apache does as it reads the file, outside macro bodies, in order */
  readonly events: readonly MacroEvent[];
  /** the Uses inside macro bodies, which run only when their macro is used */
  readonly bodyUses: readonly MacroUse[];
}

const EMPTY: MacroModel = { definitions: [], events: [], bodyUses: [] };

/** The macro facts of a file; a file with no `<Macro`, `Use` or `UndefMacro` costs one scan of its name table. */
export function macroModel(file: ConfigFile): MacroModel {
  const t = file.table;
  const macroKey = t.names.indexOf("macro");
  const useKey = t.names.indexOf("use");
  const undefKey = t.names.indexOf("undefmacro");
  if (macroKey === -1 && useKey === -1 && undefKey === -1) return EMPTY;
  const definitions: MacroDefinition[] = [];
  const events: MacroEvent[] = [];
  const bodyUses: MacroUse[] = [];
  /** open macro definitions around the current row, innermost last, with the row their body ends */
  const open: { def: MacroDefinition; end: number }[] = [];
  const sections = new Map<number, Section>();
  const sectionAt = (row: number): Section | ConfigFile => {
    if (row < 0) return file;
    let s = sections.get(row);
    if (!s) sections.set(row, (s = new SectionView(file, row, file)));
    return s;
  };
  for (let r = 0; r < t.count; r++) {
    while (open.length && r >= open[open.length - 1]!.end) open.pop();
    const kind = t.kind[r];
    const key = t.key[r];
    const inside = open.length ? open[open.length - 1]!.def : null;
    if (kind === OPEN && key === macroKey) {
      const section = sectionAt(r) as Section;
      const [name, ...params] = section.open.args;
      const end = t.pair[r]! >= 0 ? t.pair[r]! : t.extent[r]!;
      const bodyRows: number[] = [];
      for (let b = r + 1; b < end; b++) if (t.kind[b] !== COMMENT && t.start[b]! < t.end[b]!) bodyRows.push(b);
      const def: MacroDefinition = {
        key: (name?.value ?? "").toLowerCase(),
        name: name?.value ?? "",
        section,
        parameters: params.map((p) => ({ name: p.value, start: p.start, end: p.end })),
        nested: inside !== null,
        bodyRows,
      };
      definitions.push(def);
      if (!inside) events.push({ kind: "define", def });
      open.push({ def, end });
    } else if (kind === DIRECTIVE && (key === useKey || key === undefKey)) {
      const directive = new DirectiveView(file, r, inside ? inside.section : file);
      const [name, ...args] = directive.args;
      const k = (name?.value ?? "").toLowerCase();
      if (key === useKey) {
        const use: MacroUse = { key: k, directive, args, inside };
        if (inside) bodyUses.push(use);
        else events.push({ kind: "use", use });
      } else if (!inside) {
        events.push({ kind: "undef", undef: { key: k, directive } });
      }
    }
  }
  return { definitions, events, bodyUses };
}

/** "line 9": where a definition is, as Apache's messages say it. */
export function definedAt(file: ConfigFile, def: MacroDefinition): string {
  return `line ${file.position(def.section.open.start).line}`;
}

/** Does the body use this parameter? mod_macro looks for its name in every body line but comments. */
export function bodyUses(file: ConfigFile, def: MacroDefinition, parameter: string): boolean {
  const t = file.table;
  for (const r of def.bodyRows) {
    const i = file.text.indexOf(parameter, t.start[r]!);
    if (i !== -1 && i < t.end[r]!) return true;
  }
  return false;
}

export interface UseReading {
  readonly use: MacroUse;
  /** the definition this Use expands, or null when Apache has none at this point */
  readonly def: MacroDefinition | null;
  /** had any macro been defined before it? (Apache: "no macro defined before Use" if not) */
  readonly anyBefore: boolean;
  /** with no definition: one later in the file */
  readonly later?: MacroDefinition;
  /** with no definition: the UndefMacro that removed it */
  readonly removedBy?: MacroUndef;
}

export interface UndefReading {
  readonly undef: MacroUndef;
  readonly def: MacroDefinition | null;
  readonly anyBefore: boolean;
  readonly later?: MacroDefinition;
}

export interface MacroReading {
  readonly uses: readonly UseReading[];
  readonly undefs: readonly UndefReading[];
  /** a definition of a name already defined (AH02802), with the one it replaces */
  readonly redefinitions: readonly { def: MacroDefinition; previous: MacroDefinition }[];
  /** names defined inside another macro's body: whether they exist at a point depends on what was used */
  readonly nestedNames: ReadonlySet<string>;
}

/** Replays the file's definitions, uses and removals in order, as Apache keeps its table of macros. */
export function readInOrder(model: MacroModel): MacroReading {
  const defined = new Map<string, MacroDefinition>();
  const removed = new Map<string, MacroUndef>();
  let anyBefore = false;
  const uses: UseReading[] = [];
  const undefs: UndefReading[] = [];
  const redefinitions: { def: MacroDefinition; previous: MacroDefinition }[] = [];
  const later = (key: string, from: number) => model.definitions.find((d) => !d.nested && d.key === key && d.section.row > from);
  for (const e of model.events) {
    if (e.kind === "define") {
      const previous = defined.get(e.def.key);
      if (previous) redefinitions.push({ def: e.def, previous });
      defined.set(e.def.key, e.def);
      removed.delete(e.def.key);
      anyBefore = true;
    } else if (e.kind === "use") {
      const def = defined.get(e.use.key) ?? null;
      const reading: UseReading = def
        ? { use: e.use, def, anyBefore }
        : { use: e.use, def, anyBefore, ...optional("later", later(e.use.key, e.use.directive.row)), ...optional("removedBy", removed.get(e.use.key)) };
      uses.push(reading);
    } else {
      const def = defined.get(e.undef.key) ?? null;
      undefs.push(def ? { undef: e.undef, def, anyBefore } : { undef: e.undef, def, anyBefore, ...optional("later", later(e.undef.key, e.undef.directive.row)) });
      if (def) {
        defined.delete(e.undef.key);
        removed.set(e.undef.key, e.undef);
      }
    }
  }
  return { uses, undefs, redefinitions, nestedNames: new Set(model.definitions.filter((d) => d.nested).map((d) => d.key)) };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/**
 * mod_macro's empty-contents test (AH02799): no line but comments between the
 * tags; a blank line is a line. Apache checks nothing else of an empty body.
 */
export function hasNoContents(file: ConfigFile, def: MacroDefinition): boolean {
  const t = file.table;
  const end = def.section.close ? def.section.close.row : t.extent[def.section.row]!;
  for (let r = def.section.row + 1; r < end; r++) if (t.kind[r] !== COMMENT) return false;
  return true;
}
