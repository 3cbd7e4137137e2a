// Lookups over the directive knowledge taken from Apache's manual (src/data/directive-docs.ts).
import { DIRECTIVE_DOCS, type DirectiveDoc, type DirectiveStatus } from "../data/directive-docs.js";

// Object.hasOwn: a name such as "constructor" must not find Object.prototype's.
const doc = (key: string): DirectiveDoc | undefined => (Object.hasOwn(DIRECTIVE_DOCS, key) ? DIRECTIVE_DOCS[key] : undefined);

/** The manual's entry for a directive, case-insensitively as Apache matches it ("proxypass"); sections: sectionDoc(). */
export function directiveDoc(name: string): DirectiveDoc | undefined {
  return name.startsWith("<") ? undefined : doc(name.toLowerCase());
}

/** The manual's entry for a section, named with or without its "<" ("Proxy", "<virtualhost"). */
export function sectionDoc(name: string): DirectiveDoc | undefined {
  return doc(`<${name.replace(/^</, "").toLowerCase()}`);
}

export { DIRECTIVE_DOCS, type DirectiveDoc, type DirectiveStatus };
