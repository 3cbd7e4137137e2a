// Facts about one parsed file that several rules need, computed once, lazily,
// from the line table (grammar/line-table.ts): the rows of each directive
// name, each row's enclosing section, and canonical section views. Rules read
// them through their context instead of re-deriving them per rule.
import type { ConfigFile, Directive, Parent, Section } from "../../grammar/index.js";
import { CLOSE, DIRECTIVE, OPEN } from "../../grammar/line-table.js";
import { Directive as DirectiveView, Section as SectionView } from "../../grammar/ast.js";
import { isConditionalKey } from "../apache/scope.js";
import { macroModel, readInOrder, type MacroModel, type MacroReading } from "../apache/macros.js";

const NONE = new Int32Array(0);

export class FileFacts {
  private _parent: Int32Array | undefined;
  private _byKey: Int32Array[] | undefined;
  private readonly sectionViews = new Map<number, Section>();
  private readonly memo = new Map<string, unknown>();

  constructor(readonly file: ConfigFile) {}

  /**
   * Row → row of the open tag of the enclosing section, -1 at the top. A close
   * tag belongs to its section. Rows after an unclosed section's guessed extent
   * belong to the enclosing parent, as in the tree.
   */
  get parentRows(): Int32Array {
    if (this._parent) return this._parent;
    const t = this.file.table;
    const n = t.count;
    const parent = new Int32Array(n);
    const stack: number[] = [];
    for (let r = 0; r < n; r++) {
      while (stack.length) {
        const top = stack[stack.length - 1]!;
        if (t.pair[top]! < 0 && r >= t.extent[top]!) stack.pop();
        else break;
      }
      const top = stack.length ? stack[stack.length - 1]! : -1;
      parent[r] = top;
      const k = t.kind[r];
      if (k === OPEN) stack.push(r);
      else if (k === CLOSE && top >= 0 && t.pair[r] === top) stack.pop();
    }
    return (this._parent = parent);
  }

  /** Rows of the directives named `key` (lower-case), in order. */
  directiveRows(key: string): Int32Array {
    // bucket first: it adds the `<name` keys of sections to the name table, which keyId reads
    const buckets = this.byKey();
    const id = this.keyId(key);
    return id === -1 ? NONE : (buckets[id] ?? NONE);
  }

  /** Rows of the sections named `key` (lower-case), in order. */
  sectionRows(key: string): Int32Array {
    return this.directiveRows(`<${key}`);
  }

  private keyId(key: string): number {
    const names = this.file.table.names;
    const i = names.indexOf(key);
    return i;
  }

  /** Rows of every directive and open tag, bucketed by name id (open tags under `<name`). */
  private byKey(): Int32Array[] {
    if (this._byKey) return this._byKey;
    const t = this.file.table;
    const names = t.names;
    // section names share the directive table's ids: bucket them apart as `<name`
    const sectionId = new Map<number, number>();
    const counts: number[] = new Array(names.length).fill(0);
    const slot = (r: number): number => {
      const k = t.key[r]!;
      if (t.kind[r] === DIRECTIVE) return k;
      let s = sectionId.get(k);
      if (s === undefined) {
        s = t.keyId(`<${names[k]!}`);
        sectionId.set(k, s);
        counts[s] ??= 0;
      }
      return s;
    };
    const slots = new Int32Array(t.count).fill(-1);
    for (let r = 0; r < t.count; r++) {
      const k = t.kind[r];
      if (k !== DIRECTIVE && k !== OPEN) continue;
      const s = slot(r);
      slots[r] = s;
      counts[s] = (counts[s] ?? 0) + 1;
    }
    const out: Int32Array[] = counts.map((c) => new Int32Array(c ?? 0));
    const fill = new Int32Array(out.length);
    for (let r = 0; r < t.count; r++) {
      const s = slots[r]!;
      if (s >= 0) out[s]![fill[s]!++] = r;
    }
    return (this._byKey = out);
  }

  /** The one view of the section opened at `row` (-1: the file) for this lint. */
  sectionAt(row: number): Parent {
    if (row < 0) return this.file;
    let s = this.sectionViews.get(row);
    if (!s) {
      s = new SectionView(this.file, row, this.sectionAt(this.parentRows[row]!));
      this.sectionViews.set(row, s);
    }
    return s as Section;
  }

  /** A view of the directive at `row`, with its real parents. Views are cheap and not kept. */
  directiveAt(row: number): Directive {
    return new DirectiveView(this.file, row, this.sectionAt(this.parentRows[row]!));
  }

  /** Views of the directives named `key`, in order. */
  directivesNamed(key: string): Directive[] {
    const rows = this.directiveRows(key);
    const out: Directive[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = this.directiveAt(rows[i]!);
    return out;
  }

  /** Is any directive named `key` in the file? */
  has(key: string): boolean {
    // a name the file never uses is answered from its name table, without bucketing every row
    if (!key.startsWith("<") && this.file.table.keyOfName(key) === undefined) return false;
    return this.directiveRows(key).length > 0;
  }

  /** The row of the innermost enclosing section named one of `keys`, or -1. */
  enclosingRow(row: number, keys: ReadonlySet<string>): number {
    const t = this.file.table;
    const parent = this.parentRows;
    for (let p = parent[row]!; p >= 0; p = parent[p]!) if (keys.has(t.names[t.key[p]!]!)) return p;
    return -1;
  }

  /** The innermost enclosing section that is not a conditional (<IfModule> …), -1 for the file. */
  scopeRow(row: number): number {
    const t = this.file.table;
    const parent = this.parentRows;
    let p = parent[row]!;
    while (p >= 0 && isConditionalKey(t.names[t.key[p]!]!)) p = parent[p]!;
    return p;
  }

  /** mod_macro's definitions, uses and removals in this file (src/apache/macros.ts). */
  get macros(): MacroModel {
    return this.shared("macros", (f) => macroModel(f.file));
  }

  /** The same replayed in reading order: the definition each Use expands, redefinitions, removals. */
  get macroReading(): MacroReading {
    return this.shared("macro-reading", (f) => readInOrder(f.macros));
  }

  /**
   * A per-file value computed once and shared by every rule that asks with the
   * same key: rules use it for facts of their own domain (rewrite rule sets,
   * proxy mappings) so that two rules never derive them twice.
   */
  shared<T>(key: string, compute: (facts: FileFacts) => T): T {
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const v = compute(this);
    this.memo.set(key, v);
    return v;
  }
}
