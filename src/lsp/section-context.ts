// Which directives Apache accepts at a place in a file: the sections around
// it (conditional ones such as <IfModule> open no context of their own) judged
// against the context table generated from apache2 (src/data/directive-contexts.ts),
// the way the directive-context rule judges a directive that is already there.
// The top level of a server file is taken for the main server config: what a
// file Included inside a section may hold is not known from the file alone.
import type { ConfigFile } from "../../grammar/index.js";
import type { DirectiveContext, SectionKind } from "../data/directive-contexts.js";
import { CONDITIONAL_SECTIONS, SECTION_KINDS as KIND } from "../apache/scope.js";
import { FileFacts } from "../core/facts.js";


export interface Place {
  /** the kinds of the enclosing sections, outermost first; null under a section nothing is known about (<Macro> …) */
  kinds: SectionKind[] | null;
  htaccess: boolean;
  /** the innermost open section's name as written (conditional ones too), for its close tag; null at the top */
  innermost: string | null;
}

/** The place of row `row` (the sections that enclose it). */
export function placeOf(file: ConfigFile, row: number, htaccess: boolean): Place {
  const t = file.table;
  const parents = new FileFacts(file).parentRows;
  const chain: string[] = [];
  let innermost: string | null = null;
  for (let p = row >= 0 && row < t.count ? parents[row]! : -1; p >= 0; p = parents[p]!) {
    innermost ??= file.text.slice(t.start[p]! + 1, t.nameEnd[p]!).replace(/>$/, "");
    chain.push(t.names[t.key[p]!]!);
  }
  let kinds: SectionKind[] | null = [];
  for (const key of chain.reverse()) {
    if (CONDITIONAL_SECTIONS.has(key)) continue;
    const kind = KIND[key];
    if (!kind) {
      kinds = null;
      break;
    }
    kinds.push(kind);
  }
  return { kinds, htaccess, innermost };
}

/** Does Apache accept a directive (or section) with this context entry here? No entry: nothing is known against it. */
export function allowedAt(info: DirectiveContext | undefined, place: Place): boolean {
  const kinds = place.kinds;
  if (!info || kinds === null) return true;
  if (place.htaccess && info.htaccess === null) return false;
  if (info.notIn?.some((k) => kinds.includes(k))) return false;
  // .htaccess is a per-directory context of its own: the command-table class is its AllowOverride list
  if (place.htaccess) return true;
  const inner = kinds[kinds.length - 1] ?? "server";
  // server config and <VirtualHost> take RSRC_CONF directives, the other sections ACCESS_CONF ones
  const classOk = inner === "server" || inner === "virtualhost" ? info.where !== "directory" : info.where !== "server";
  if (!classOk && !info.alsoIn?.includes(inner)) return false;
  return !info.notDirectlyIn?.includes(inner);
}
