// Core's Define table as the config is read: core.c keeps one table for the
// whole server, `Define NAME value` sets an entry and `UnDefine NAME` removes
// it, in reading order, and ap_resolve_env replaces each `${NAME}` on a line
// (before the line is split into words) with the value the table holds at
// that moment, else with the environment's. Names are case-insensitive.
// Measured on 2.4.71 (test/apache/location-order.test.ts, variable-undefined):
// `Define VPATH /ws` then `ProxyPass ${VPATH} "ws://${BACKEND}/ws/"` proxies
// `/ws/chat` to `/ws//chat`, exactly as the literal line would.
//
// A value is known only when it is certain: the Define ran (it is in no
// conditional whose verdict is not true), nothing between it and the use may
// have changed it (an Include may Define anything, a Define in a <Macro> body
// runs at an unknown `Use`), and the value itself holds nothing that would
// change how the line splits into words. Anything else is "unknown", and the
// rules that see through variables then stay silent.
import type { ConfigFile, Directive, Parent } from "../../grammar/index.js";
import { Directive as DirectiveView } from "../../grammar/ast.js";
import { ConditionVerdicts, CONDITIONS_FACT, type ConditionKnowledge } from "./conditions.js";
import { CONDITIONAL_SECTIONS } from "./scope.js";

/** What the Define table needs of a file's facts (src/core/facts.ts FileFacts has it). */
export interface DefineFacts {
  readonly file: ConfigFile;
  readonly parentRows: Int32Array;
  directiveRows(key: string): Int32Array;
  sectionAt(row: number): Parent;
  shared<T>(key: string, compute: (facts: DefineFacts) => T): T;
}

/** Is the line at `row` read by Apache: certainly (true), certainly not (false), or it depends ("unknown")? */
export type ReadVerdict = (row: number) => boolean | "unknown";

/** A Define that holds a known value. */
export interface DefineValue {
  readonly value: string;
  /** the Define line */
  readonly directive: Directive;
}

/** One `${NAME}` of a text, with the value it stands for. */
export interface VariableUse {
  readonly name: string;
  /** the span of `${NAME}` in the text as written */
  readonly start: number;
  readonly end: number;
  readonly define: DefineValue;
}

/** A text with its `${NAME}` replaced by known values. */
export interface Expanded {
  readonly text: string;
  readonly uses: readonly VariableUse[];
  /**
   * The offset in the written text of offset `i` of the expanded text, when `i`
   * is in (or at either end of) literal text; null inside a variable's value.
   */
  sourceOffset(i: number): number | null;
}

type State = DefineValue | "unknown" | "undefined";

interface Event {
  row: number;
  /** lower-cased name; null: every name (an Include, a Define whose name is not known) */
  name: string | null;
  state: State;
}

// A value holding any of these would split or quote the line differently once substituted.
const UNSAFE_VALUE = /[\s"'\\]|\$\{/;

/** The `${…}` of a text: the name runs to the first `}`, as core reads it. */
function usesOf(text: string): { name: string; start: number; end: number }[] {
  const out: { name: string; start: number; end: number }[] = [];
  for (let i = text.indexOf("${"); i !== -1; i = text.indexOf("${", i)) {
    const close = text.indexOf("}", i + 2);
    if (close === -1) break;
    out.push({ name: text.slice(i + 2, close), start: i, end: close + 1 });
    i = close + 1;
  }
  return out;
}

const INCLUDES = ["include", "includeoptional"];

export class DefineTable {
  private readonly byName = new Map<string, Event[]>();
  /** rows after which no earlier value can be trusted */
  private readonly barriers: number[] = [];

  constructor(facts: DefineFacts, read: ReadVerdict) {
    const t = facts.file.table;
    const parent = facts.parentRows;
    const inMacro = (row: number) => {
      for (let p = parent[row]!; p >= 0; p = parent[p]!) if (t.names[t.key[p]!] === "macro") return true;
      return false;
    };
    const rows = [...facts.directiveRows("define"), ...facts.directiveRows("undefine"), ...INCLUDES.flatMap((k) => [...facts.directiveRows(k)])].sort((a, b) => a - b);
    const macroNames = new Set<string>();
    for (const row of rows) {
      const verdict = read(row);
      if (verdict === false) continue;
      const key = t.names[t.key[row]!]!;
      if (INCLUDES.includes(key)) {
        this.barriers.push(row);
        continue;
      }
      const d = new DirectiveView(facts.file, row, facts.sectionAt(parent[row]!));
      const nameArg = d.args[0];
      if (!nameArg) continue;
      if (nameArg.value.includes("${")) {
        this.barriers.push(row);
        continue;
      }
      const name = nameArg.value.toLowerCase();
      if (inMacro(row)) {
        macroNames.add(name);
        continue;
      }
      let state: State;
      if (verdict === "unknown") state = "unknown";
      else if (key === "undefine") state = "undefined";
      else if (d.args.length !== 2) state = "undefined"; // a one-word Define is a parameter for <IfDefine>, not a variable
      else {
        // the Define line is expanded too, as it is read
        const v = this.expand(d.args[1]!.value, row);
        state = v && !UNSAFE_VALUE.test(v.text) ? { value: v.text, directive: d } : "unknown";
      }
      let list = this.byName.get(name);
      if (!list) this.byName.set(name, (list = []));
      list.push({ row, name, state });
    }
    for (const n of macroNames) this.byName.set(n, [{ row: -1, name: n, state: "unknown" }]);
  }

  /** The value `${name}` has on the line at `row`, when it is known. */
  valueAt(name: string, row: number): DefineValue | null {
    const list = this.byName.get(name.toLowerCase());
    if (!list) return null;
    let last: Event | undefined;
    for (const e of list) {
      if (e.row >= row) break;
      last = e;
    }
    if (!last || typeof last.state === "string") return null;
    for (const b of this.barriers) if (b > last.row && b < row) return null;
    return last.state;
  }

  /**
   * `text` (a word of the line at `row`) with every `${NAME}` replaced, or null
   * when one of them has no known value. A text without `${` comes back as is.
   */
  expand(text: string, row: number): Expanded | null {
    const found = usesOf(text);
    if (found.length === 0) return { text, uses: [], sourceOffset: (i) => i };
    const uses: VariableUse[] = [];
    // literal chunks: [expanded start, source start, length]
    const chunks: [number, number, number][] = [];
    let out = "";
    let at = 0;
    for (const u of found) {
      // core leaves names with a `:` alone (`${map:key}` is mod_rewrite's)
      if (u.name.includes(":")) return null;
      const define = this.valueAt(u.name, row);
      if (!define) return null;
      chunks.push([out.length, at, u.start - at]);
      out += text.slice(at, u.start) + define.value;
      uses.push({ name: u.name, start: u.start, end: u.end, define });
      at = u.end;
    }
    chunks.push([out.length, at, text.length - at]);
    out += text.slice(at);
    return {
      text: out,
      uses,
      sourceOffset(i) {
        for (const [e, s, n] of chunks) if (i >= e && i <= e + n) return s + (i - e);
        return null;
      },
    };
  }
}

/** The key under which rules share a file's Define table. */
export const DEFINES_FACT = "apache/defines";

/** The file's Define table, worked out once per lint; conditionals are judged with the shared verdicts. */
export function defineTable(facts: DefineFacts, knowledge: ConditionKnowledge): DefineTable {
  return facts.shared(DEFINES_FACT, (f) => {
    const verdicts = f.shared(CONDITIONS_FACT, (g) => new ConditionVerdicts(g, knowledge));
    return new DefineTable(f, readVerdict(f.file, f.parentRows, (r) => verdicts.verdictAt(r)));
  });
}

/** A read verdict from the conditional sections' verdicts: true only when every enclosing conditional is true. */
export function readVerdict(file: ConfigFile, parentRows: Int32Array, verdictAt: (row: number) => boolean | "unknown"): ReadVerdict {
  const t = file.table;
  return (row) => {
    let result: boolean | "unknown" = true;
    for (let p = parentRows[row]!; p >= 0; p = parentRows[p]!) {
      if (!CONDITIONAL_SECTIONS.has(t.names[t.key[p]!]!)) continue;
      const v = verdictAt(p);
      if (v === false) return false;
      if (v === "unknown") result = "unknown";
    }
    return result;
  };
}
