// Property tests: the parser never throws, always prints back its input, and
// keeps every invariant of invariants.ts, on (1) config-shaped text built from
// the grammar's pieces, (2) text with no shape at all, and (3) real configs
// with random edits. Well-formed generated configs must also parse to exactly
// the tree they were built from. FC_NUM_RUNS scales the runs; failures print a
// seed and a shrunk counterexample.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import type { ConfigFile, Node } from "../../grammar/index.js";
import { FIXTURES, debianConfigs, walk } from "./corpus.js";
import { parseChecked } from "./invariants.js";

const RUNS = Number(process.env.FC_NUM_RUNS ?? 300);

// ---------------------------------------------------------------- pieces

const DIRECTIVES = ["ProxyPass", "RewriteRule", "RewriteCond", "Header", "ServerName", "Require", "LoadModule", "Define", "ProxyRequests", "x"];
// <Macro> is not here: its body is a template whose tags are not structure (test/macros.test.ts)
const SECTIONS = ["VirtualHost", "IfModule", "Location", "Proxy", "Directory", "If", "IfDefine", "Files", "Limit"];
/** Word pieces with no quote at the start and no blank: regexes, variables, odd characters. */
const WORD_PIECES = [
  "a", "Z", "0", "/", "ws://127.0.0.1:13001/", "^/(.*)$", "\\w+", "\\\\", "\\d{2,}", "$1", "[P,L]", "[NC]", "{", "}", "[", "]",
  "#", "%{HTTP:Upgrade}", "${VAR}", "${HTTP:Upgrade}", "!", "=", ",", ">", "<", "é", "😀", "\u201c", "\ufeff", "\udce9", "\ud800", "\u0000",
  "a\"b", "x'y",
];
/** Quoted-word pieces: no bare quote, and a `\\` only as an escape pair, so the word closes where it should. */
const QUOTED_PIECES = ["a", " ", "\t", "\\\\", "#", "${X}", "%{Y}", "é", ">", "<", "\ud83d", " \\\n  "];
const BLANKS = [" ", "\t", "  ", " \t "];
/** What separates words: blanks, and continuations with and without indentation after them. */
const SEPS = [" ", "\t", "  ", " \\\n  ", "\\\n ", " \\\r\n\t"];
const EOLS = ["\n", "\r\n"];

const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs);
const joined = (piece: fc.Arbitrary<string>, min = 1, max = 5) => fc.array(piece, { minLength: min, maxLength: max }).map((p) => p.join(""));
/** a `\` at the very end of a line would continue it: keep generated lines whole */
const noTrailingBackslash = (s: string) => (s.endsWith("\\") ? s + "x" : s);

const bareWord = joined(pick(WORD_PIECES)).map(noTrailingBackslash).filter((w) => w[0] !== '"' && w[0] !== "'" && w[0] !== "#");
/** plus the escaped quote and the other kind of quote, which is literal */
const quotedWord = pick(['"', "'"]).chain((q) =>
  joined(fc.oneof(pick(QUOTED_PIECES), pick([`\\${q}`, q === '"' ? "'" : '"'])), 0, 4).map((body) => q + body + q),
);
const word = fc.oneof({ weight: 3, arbitrary: bareWord }, { weight: 1, arbitrary: quotedWord });
const words = fc.array(fc.tuple(pick(SEPS), word), { maxLength: 5 }).map((ws) => ws.map(([s, w]) => s + w).join(""));
const indent = fc.oneof(fc.constant(""), pick(BLANKS));
const commentText = fc.string({ maxLength: 20, unit: "binary" }).map((s) => noTrailingBackslash(s.replace(/[\r\n]/g, "")));
/** after a directive's arguments `#` starts more arguments, so a quote there would open a quoted word */
const trailingText = commentText.map((s) => s.replace(/["']/g, ""));

// ---------------------------------------------------------------- well-formed trees

type GenNode =
  | { kind: "directive"; key: string; text: string }
  | { kind: "comment" | "blank"; text: string }
  | { kind: "section"; key: string; open: string; close: string; children: GenNode[]; dropClose: boolean };

const directive: fc.Arbitrary<GenNode> = fc
  .tuple(indent, fc.mixedCase(pick(DIRECTIVES)), words, fc.option(trailingText, { nil: undefined }))
  .map(([ind, name, ws, trailing]) => ({
    kind: "directive" as const,
    key: name.toLowerCase(),
    text: `${ind}${name}${ws}${trailing === undefined ? "" : ` #${trailing}`}`,
  }));
const comment: fc.Arbitrary<GenNode> = fc.tuple(indent, commentText).map(([ind, t]) => ({ kind: "comment" as const, text: `${ind}#${t}` }));
const blank: fc.Arbitrary<GenNode> = fc.oneof(fc.constant(""), pick(BLANKS)).map((t) => ({ kind: "blank" as const, text: t }));

const { tree } = fc.letrec<{ tree: GenNode[]; node: GenNode }>((tie) => ({
  tree: fc.array(tie("node"), { maxLength: 6 }),
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    { weight: 4, arbitrary: directive },
    { weight: 1, arbitrary: comment },
    { weight: 1, arbitrary: blank },
    {
      weight: 2,
      arbitrary: fc
        .tuple(indent, pick(SECTIONS), words, tie("tree"), fc.boolean(), fc.boolean())
        .chain(([ind, name, ws, children, split, dropClose]) =>
          fc.tuple(fc.mixedCase(fc.constant(name)), fc.mixedCase(fc.constant(name))).map(([openName, closeName]) => ({
            kind: "section" as const,
            key: name.toLowerCase(),
            // a tag may be split over a continuation before its `>`
            open: `${ind}<${openName}${ws}${split ? " \\\n  " : ""}>`,
            close: `${ind}</${closeName}>`,
            children,
            dropClose,
          })),
        ),
    },
  ),
}));

interface Built {
  text: string;
  /** depth:kind:key for every node, in document order */
  outline: string[];
  dropped: number;
}

function build(nodes: GenNode[], eols: string[], bom: boolean, finalEol: boolean, allowDrop: boolean): Built {
  const lines: string[] = [];
  const outline: string[] = [];
  let dropped = 0;
  const visit = (ns: GenNode[], depth: number) => {
    for (const n of ns) {
      if (n.kind === "section") {
        lines.push(n.open);
        outline.push(`${depth}:section:${n.key}`);
        visit(n.children, depth + 1);
        if (allowDrop && n.dropClose) dropped++;
        else lines.push(n.close);
      } else {
        lines.push(n.text);
        outline.push(`${depth}:${n.kind}${n.kind === "directive" ? `:${n.key}` : ""}`);
      }
    }
  };
  visit(nodes, 0);
  let text = lines.map((l, i) => l + (i < lines.length - 1 || finalEol ? eols[i % eols.length]! : "")).join("");
  // an empty last line with no line break is no line at all
  if (!finalEol && lines.length && lines[lines.length - 1] === "") outline.pop();
  if (bom) text = "\ufeff" + text;
  return { text, outline, dropped };
}

function outlineOf(file: ConfigFile): string[] {
  const out: string[] = [];
  const visit = (ns: readonly Node[], depth: number) => {
    for (const n of ns) {
      if (n.kind === "section") {
        out.push(`${depth}:section:${n.key}`);
        visit(n.children, depth + 1);
      } else out.push(`${depth}:${n.kind}${n.kind === "directive" ? `:${n.key}` : ""}`);
    }
  };
  visit(file.children, 0);
  return out;
}

const wellFormed = fc.record({
  nodes: tree,
  eols: fc.array(pick(EOLS), { minLength: 1, maxLength: 3 }),
  bom: fc.boolean(),
  finalEol: fc.boolean(),
});

describe("well-formed generated configs", () => {
  it("parse to exactly the tree they were built from, with no error but the BOM", () => {
    fc.assert(
      fc.property(wellFormed, ({ nodes, eols, bom, finalEol }) => {
        const b = build(nodes, eols, bom, finalEol, false);
        const file = parseChecked(b.text);
        expect(file.errors.map((e) => e.code)).toEqual(bom ? ["byte-order-mark"] : []);
        expect(outlineOf(file)).toEqual(b.outline);
      }),
      { numRuns: RUNS },
    );
  });

  it("with close tags left out: one unclosed-section per missing tag, nothing else, invariants hold", () => {
    fc.assert(
      fc.property(wellFormed, ({ nodes, eols, finalEol }) => {
        const b = build(nodes, eols, false, finalEol, true);
        const file = parseChecked(b.text);
        expect(file.errors.map((e) => e.code)).toEqual(Array(b.dropped).fill("unclosed-section"));
      }),
      { numRuns: RUNS },
    );
  });
});

// ---------------------------------------------------------------- anything

/** Lines of config-ish fragments glued together in any order: tags with no `>`, stray closes, open quotes, lone `\`. */
const FRAGMENTS = [
  "<", "</", ">", "<VirtualHost *:80>", "</VirtualHost>", "<virtualhost", "</VIRTUALHOST", "<If \"%{X} > 1\">", "</If>", "<IfModule !x>",
  "#", " # ", "\\", "\\\n", "\\\r\n", "\\ \n", "\n", "\r\n", "\r", "\t", " ", "\"", "'", "\\\"", "ProxyPass", "RewriteRule", " /ws/ ",
  "ws://h/", "${A}", "%{B}", "\ufeff", "\ud800", "\udfff", "\udce9", "😀", "\u0000", "\u2028", "é",
];
const anything = fc.array(fc.oneof({ weight: 4, arbitrary: pick(FRAGMENTS) }, { weight: 1, arbitrary: fc.string({ maxLength: 8, unit: "binary" }) }), {
  maxLength: 60,
}).map((p) => p.join(""));

describe("arbitrary text", () => {
  it("config fragments in any order: never throws, always lossless, invariants hold", () => {
    fc.assert(
      fc.property(anything, (text) => {
        parseChecked(text);
      }),
      { numRuns: RUNS * 3 },
    );
  });

  it("any UTF-16 string, lone surrogates included", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 200 }), (text) => {
        parseChecked(text);
      }),
      { numRuns: RUNS },
    );
  });

  it("well-formed configs spliced into each other", () => {
    fc.assert(
      fc.property(wellFormed, wellFormed, fc.nat(), ({ nodes, eols }, other, cut) => {
        const a = build(nodes, eols, false, true, true).text;
        const b = build(other.nodes, other.eols, other.bom, other.finalEol, true).text;
        const at = a.length ? cut % (a.length + 1) : 0;
        parseChecked(a.slice(0, at) + b + a.slice(at));
      }),
      { numRuns: RUNS },
    );
  });
});

// ---------------------------------------------------------------- real configs, mutated

const corpus = [...debianConfigs(), ...walk(FIXTURES).filter((p) => !p.endsWith(".t.txt") && !p.endsWith(".md"))].map((p) => ({
  path: p,
  text: readFileSync(p, "utf8"),
}));

const EDIT_TEXT = ["", "\\", "\n", "\r\n", "#", "<", ">", "</", "\"", "'", " ", "\t", "\\\n", "\ufeff", "\udce9", "\ud800", "<IfModule x>", "</IfModule>", "😀"];
const edit = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  remove: fc.nat(6),
  insert: fc.oneof({ weight: 3, arbitrary: pick(EDIT_TEXT) }, { weight: 1, arbitrary: fc.string({ maxLength: 4, unit: "binary" }) }),
});

function mutate(text: string, edits: { at: number; remove: number; insert: string }[]): string {
  for (const e of edits) {
    const i = Math.min(text.length, Math.floor(e.at * (text.length + 1)));
    text = text.slice(0, i) + e.insert + text.slice(i + e.remove);
  }
  return text;
}

describe("real configs with random edits", () => {
  it("has a corpus: the Debian tree (when installed) and every fixture", () => {
    expect(corpus.length).toBeGreaterThan(100);
  });

  it("inserting, deleting and replacing characters: never throws, always lossless, invariants hold", () => {
    fc.assert(
      fc.property(fc.nat(corpus.length - 1), fc.array(edit, { minLength: 1, maxLength: 8 }), (index, edits) => {
        parseChecked(mutate(corpus[index]!.text, edits), corpus[index]!.path);
      }),
      { numRuns: RUNS },
    );
  });

  it("the untouched corpus itself", () => {
    for (const { path, text } of corpus) parseChecked(text, path);
  });
});
