// Completion at the cursor, by what the line holds before it:
//   `  Prox|`            directive names Apache accepts here (section-context.ts)
//   `  <Loc|`            section names Apache accepts here
//   `  </|`              the close tag of the innermost open section
//   `  SSLEngine o|`     the values the directive table lists for that argument
// The file is parsed with the cursor's line blanked: a half-typed `<Virt`
// would otherwise open a section and change how the lines around it nest.
import { CompletionItemKind, MarkupKind, type CompletionItem } from "vscode-languageserver/node";
import type { TextDocument } from "vscode-languageserver-textdocument";
import { parse } from "../../grammar/index.js";
import { DIRECTIVE_CONTEXTS } from "../data/directive-contexts.js";
import { allowedValues, directiveInfo, DIRECTIVES, type DirectiveInfo } from "../apache/directives.js";
import { fileKindOf } from "../apache/file-kind.js";
import { rowAt } from "../core/offset-row.js";
import { catalogMarkdown } from "./catalog.js";
import { allowedAt, placeOf, type Place } from "./section-context.js";

/** What completionItem/resolve needs to add the documentation. */
interface ItemData {
  name: string;
  section: boolean;
}

type Maker = (m: RegExpExecArray, place: Place, edit: (from: number, text: string) => CompletionItem["textEdit"]) => CompletionItem[];

const modulesOf = (d: DirectiveInfo) => d.modules.join(", ");

const names = (section: boolean): Maker => (m, place, edit) => {
  const out: CompletionItem[] = [];
  const from = m.index + m[0].length - m[1]!.length;
  for (const d of DIRECTIVES) {
    if (d.name.startsWith("<") !== section) continue;
    const key = d.name.toLowerCase();
    if (!allowedAt(DIRECTIVE_CONTEXTS[key], place)) continue;
    const label = section ? d.name.slice(1) : d.name;
    const data: ItemData = { name: label, section };
    out.push({ label, kind: section ? CompletionItemKind.Struct : CompletionItemKind.Keyword, detail: modulesOf(d), data, textEdit: edit(from, label) });
  }
  return out;
};

/** By what precedes the cursor on its line; the first pattern that matches decides. */
const MAKERS: readonly [RegExp, Maker][] = [
  [
    /^\s*(<\/[\w-]*)$/,
    (m, place, edit) => {
      if (!place.innermost) return [];
      const tag = `</${place.innermost}>`;
      return [{ label: tag, kind: CompletionItemKind.Struct, textEdit: edit(m.index + m[0].length - m[1]!.length, tag) }];
    },
  ],
  [/^\s*<([\w-]*)$/, names(true)],
  [/^\s*([\w-]*)$/, names(false)],
  [
    /^\s*([A-Za-z][\w-]*)((?:\s+[^\s"']+)*)\s+([^\s"']*)$/,
    (m, _place, edit) => {
      const info = directiveInfo(m[1]!);
      if (!info) return [];
      const index = m[2]!.trim() === "" ? 0 : m[2]!.trim().split(/\s+/).length;
      const values = allowedValues(info, index) ?? [];
      const from = m.index + m[0].length - m[3]!.length;
      return values.map((v) => ({ label: v, kind: CompletionItemKind.EnumMember, detail: info.name, textEdit: edit(from, v) }));
    },
  ],
];

/** The completion items at `offset` of the document (a file at `path`, which says whether it is .htaccess). */
export function completionsAt(doc: TextDocument, offset: number, path: string): CompletionItem[] {
  const text = doc.getText();
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  const made = MAKERS.map(([re, make]) => [re.exec(before), make] as const).find(([m]) => m !== null);
  if (!made) return [];
  let lineEnd = text.indexOf("\n", offset);
  if (lineEnd === -1) lineEnd = text.length;
  const blanked = text.slice(0, lineStart) + " ".repeat(lineEnd - lineStart) + text.slice(lineEnd);
  const file = parse(blanked, path);
  const place = placeOf(file, rowAt(file.table, lineStart), fileKindOf(path) === "htaccess");
  const edit = (from: number, newText: string) => ({ range: { start: doc.positionAt(lineStart + from), end: doc.positionAt(offset) }, newText });
  return made[1](made[0]!, place, edit);
}

/** completionItem/resolve: the catalog entry as the item's documentation. */
export function resolveCompletion(item: CompletionItem): CompletionItem {
  const data = item.data as ItemData | undefined;
  const md = data && catalogMarkdown(data.name, data.section);
  return md ? { ...item, documentation: { kind: MarkupKind.Markdown, value: md } } : item;
}
