// What the argument checks of handlers that parse their own line (Header,
// Require, AllowOverride, IndexOptions …) find: the first word Apache stops
// at, as Apache stops at the first error of a line.

export interface LineProblem {
  /** index of the word Apache refuses in the line's words, or -1 for the line as a whole (a word is missing) */
  readonly word: number;
  /** what is wrong and what to write instead, one clause without a final period */
  readonly what: string;
  /** Apache's refusal, verbatim */
  readonly apache: string;
  /** a replacement for the word, when the intent is clear: "safe" when only the spelling changes */
  readonly replacement?: { readonly text: string; readonly safety: "safe" | "unsafe" };
  /** a rearrangement of the words that says what was meant (always unsafe): words from..to as one quoted word, or a word moved before another */
  readonly rearrange?: { readonly kind: "quote"; readonly from: number; readonly to: number } | { readonly kind: "move"; readonly word: number; readonly before: number };
}

/** `a, b or c` */
export function listOf(values: readonly string[], last = "or"): string {
  return values.length <= 2 ? values.join(` ${last} `) : `${values.slice(0, -1).join(", ")} ${last} ${values[values.length - 1]}`;
}

/** The entry of `list` equal to `word` ignoring ASCII case (strcasecmp), or undefined. */
export function caseless(list: readonly string[], word: string): string | undefined {
  const w = word.toLowerCase();
  return list.find((k) => k.toLowerCase() === w);
}
