// Lookups over the directive knowledge taken from Apache's manual (src/data/directive-docs.ts).
import { directiveDocTable, type DirectiveDoc, type DirectiveStatus } from "../data/directive-docs.js";

// the table has no prototype: a name such as "constructor" finds nothing
const doc = (key: string): DirectiveDoc | undefined => directiveDocTable()[key];

/** The manual's entry for a directive, case-insensitively as Apache matches it ("proxypass"); sections: sectionDoc(). */
export function directiveDoc(name: string): DirectiveDoc | undefined {
  return name.startsWith("<") ? undefined : doc(name.toLowerCase());
}

/** The manual's entry for a section, named with or without its "<" ("Proxy", "<virtualhost"). */
export function sectionDoc(name: string): DirectiveDoc | undefined {
  return doc(`<${name.replace(/^</, "").toLowerCase()}`);
}

export { directiveDocTable, type DirectiveDoc, type DirectiveStatus };
