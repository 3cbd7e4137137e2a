// The parser's own error vocabulary, the one map from joined continuation
// lines to file offsets, row lookup by offset, and the shared line edits.
import { describe, expect, it } from "vitest";
import { parse } from "../grammar/index.js";
import { continuationAt, joinedLine } from "../grammar/arguments.js";
import { rowAt } from "../src/core/offset-row.js";
import { deleteLines, moveLines } from "../src/core/edits.js";

const codes = (text: string) => parse(text).errors.map((e) => e.code);

describe("parse error codes are the grammar's, not rule ids", () => {
  it("names each structural problem", () => {
    expect(codes("<VirtualHost *:80>\n")).toEqual(["unclosed-section"]);
    expect(codes("<VirtualHost *:80>\n</Proxy>\n")).toEqual(["wrong-close"]);
    expect(codes("</Proxy>\n")).toEqual(["stray-close"]);
    expect(codes("<Directory /x\n</Directory>\n")).toEqual(["missing-gt"]);
    expect(codes('ServerName "a b\n')).toEqual(["unbalanced-quote"]);
    expect(codes("ProxyPass /a \\ \n  http://b/\n")).toEqual(["broken-continuation"]);
  });
  it("no code is a rule id", async () => {
    const { allRules } = await import("../rules/index.js");
    const ids = new Set(allRules.map((r) => r.id));
    const text = "<A>\n</B>\n</C>\n<D x\n</D>\nX \"y\nP \\ \n q\n";
    for (const c of codes(text)) expect(ids.has(c), c).toBe(false);
  });
});

/** The character loop the three call sites used. */
function naive(text: string, from: number, to: number): { text: string; at: number[] } {
  let joined = "";
  const at: number[] = [];
  for (let i = from; i < to; ) {
    const k = continuationAt(text, i);
    if (k) {
      i += k;
      continue;
    }
    joined += text[i];
    at.push(i++);
  }
  return { text: joined, at };
}

describe("joinedLine", () => {
  const cases = ["Foo bar baz", "Foo a\\\n  b\\\r\n c", "X \\\\\ny", "X \\\n\\\nz", "a\\\r\r\nb", "Q \\ \nr", "\\\n"];
  for (const text of cases) {
    it(JSON.stringify(text), () => {
      for (let from = 0; from <= text.length; from++) {
        for (let to = from; to <= text.length; to++) {
          const want = naive(text, from, to);
          const got = joinedLine(text, from, to);
          expect(got.text).toBe(want.text);
          for (let i = 0; i < want.at.length; i++) expect(got.offsetAt(i)).toBe(want.at[i]);
          expect(got.offsetAt(want.text.length)).toBe(to);
        }
      }
    });
  }
});

describe("rowAt", () => {
  it("finds the row holding an offset, from any earlier row", () => {
    const f = parse("a 1\n\n# c\n<S>\n  b 2 \\\n  3\n</S>\nlast");
    const t = f.table;
    for (let off = 0; off < f.text.length; off++) {
      let want = 0;
      while (t.to[want]! <= off) want++;
      for (let lo = 0; lo <= want; lo++) expect(rowAt(t, off, lo)).toBe(want);
    }
  });
});

describe("line edits", () => {
  const apply = (text: string, edits: { start: number; end: number; text: string }[]) =>
    [...edits].sort((a, b) => b.start - a.start).reduce((s, e) => s.slice(0, e.start) + e.text + s.slice(e.end), text);
  it("deletes a line, and at the end of a file without a final line break the one before it too", () => {
    expect(apply("a\nb\nc\n", [deleteLines("a\nb\nc\n", 2, 4)])).toBe("a\nc\n");
    expect(apply("a\r\nb", [deleteLines("a\r\nb", 3, 4)])).toBe("a");
  });
  it("moves a line block above another line", () => {
    const text = "a\nb\n# about c\nc\n";
    const f = parse(text);
    expect(apply(text, moveLines(f, 4, text.length, 2))).toBe("a\n# about c\nc\nb\n");
    const last = "a\r\nb\r\nc";
    expect(apply(last, moveLines(parse(last), 6, 7, 0))).toBe("c\r\na\r\nb");
  });
});
