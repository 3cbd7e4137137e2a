// A directive's or section's entry in the knowledge tables, as Markdown for
// hover and completion: the manual's row (src/data/directive-docs.ts) and,
// for a name the manual does not list, the modules the generated directive
// table knows (src/data/directives.ts).
import { directiveDoc, sectionDoc, type DirectiveDoc } from "../apache/directive-docs.js";
import { directiveInfo, sectionInfo } from "../apache/directives.js";

/** Where the manual's mod/ pages are: DirectiveDoc.page is relative to it. */
export const MANUAL = "https://httpd.apache.org/docs/2.4/mod/";

/** The manual's fields shown, in order, with their labels; a field the entry lacks is left out. */
const FIELDS: readonly [string, (d: DirectiveDoc) => string | null][] = [
  ["Module", (d) => d.modules.join(", ")],
  ["Context", (d) => d.contexts.join(", ")],
  ["Default", (d) => (d.default === null ? null : `\`${d.default}\``)],
  ["Override", (d) => d.override],
  ["Status", (d) => d.status],
  ["Since", (d) => (d.since === null ? null : `Apache ${d.since}`)],
];

function docMarkdown(d: DirectiveDoc): string {
  const close = d.name.startsWith("<") ? ">" : "";
  const facts = FIELDS.flatMap(([label, get]) => {
    const v = get(d);
    return v ? [`- ${label}: ${v}`] : [];
  });
  return [`**${d.name}${close}**: ${d.description}`, "```apache\n" + d.syntax + "\n```", facts.join("\n"), `[Apache manual](${MANUAL}${d.page})`].join("\n\n");
}

/** The entry for a directive name, or for a section name when `section` (without `<`); null when neither table knows it. */
export function catalogMarkdown(name: string, section: boolean): string | null {
  const doc = section ? sectionDoc(name) : directiveDoc(name);
  if (doc) return docMarkdown(doc);
  const info = section ? sectionInfo(name) : directiveInfo(name);
  if (!info) return null;
  return `**${info.name}${section ? ">" : ""}**\n\n- Module: ${info.modules.join(", ")}`;
}
