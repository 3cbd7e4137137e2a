// Words as Apache's ap_getword_conf splits them. Each expectation below was
// checked against Apache 2.4.71 with `ProxyPass /x WORD`, whose error message
// echoes WORD as Apache received it ("URL must be absolute!: …", with `\`
// printed as `\\`), or with a second word making it fail differently.
import { describe, expect, it } from "vitest";
import type { Directive } from "../../grammar/index.js";
import { parseChecked } from "./invariants.js";

/** The one directive of a one-directive text. */
function only(text: string): Directive {
  const f = parseChecked(text);
  const ds = f.children.filter((n) => n.kind === "directive");
  expect(ds).toHaveLength(1);
  return ds[0] as Directive;
}

const values = (text: string) => only(text).args.map((a) => a.value);

describe("ap_getword_conf semantics", () => {
  it('a `\\"` inside double quotes is a quote: "a\\"b" is a"b', () => {
    const d = only('ProxyPass /x "a\\"b"\n');
    expect(d.args[1]).toMatchObject({ raw: '"a\\"b"', value: 'a"b', quote: '"', unterminated: false });
  });

  it("`\\'` inside single quotes is a quote; the other quote kind is literal", () => {
    expect(values("X 'a\\'b' 'a\"b' \"a\\'b\"\n")).toEqual(["a'b", 'a"b', "a\\'b"]);
  });

  it("a closing quote ends the word even without a blank after it: 'x'y is two words", () => {
    const d = only("ProxyPass 'x'y\n");
    expect(d.args.map((a) => [a.raw, a.value, a.quote])).toEqual([
      ["'x'", "x", "'"],
      ["y", "y", null],
    ]);
    expect(values('X "a b"c\n')).toEqual(["a b", "c"]);
  });

  it("unquoted `\\\\` is one backslash; any other backslash stays", () => {
    expect(values("ProxyPass /x a\\\\b\n")).toEqual(["/x", "a\\b"]);
    expect(values('ProxyPass /x a\\"b\n')).toEqual(["/x", 'a\\"b']);
    expect(values('X "a\\\\b\\c"\n')).toEqual(["a\\b\\c"]);
  });

  it("a quote inside a word does not start a quoted word", () => {
    expect(values('X a"b c"\n')).toEqual(['a"b', 'c"']);
  });

  it("regexes full of `\\`, `$`, `[`, `{`, `#` are single words", () => {
    const d = only("RewriteRule ^/(\\w+)/\\d{2,}[#$]x$ ${VAR}/%{HTTP_HOST}/$1#frag [NE,L]\n");
    expect(d.args.map((a) => a.value)).toEqual(["^/(\\w+)/\\d{2,}[#$]x$", "${VAR}/%{HTTP_HOST}/$1#frag", "[NE,L]"]);
    expect(d.trailingCommentIndex).toBe(-1);
  });

  it("an unbalanced quote runs to the end of the line and is marked", () => {
    const f = parseChecked('ProxyPass "/ws/ ws://h/ws/\nNext line\n');
    const d = f.children[0] as Directive;
    expect(d.args).toHaveLength(1);
    expect(d.args[0]).toMatchObject({ value: "/ws/ ws://h/ws/", quote: '"', unterminated: true });
    expect(f.errors.map((e) => [e.code, f.position(e.start).line])).toEqual([["unbalanced-quote", 1]]);
    expect((f.children[1] as Directive).name).toBe("Next");
  });

  it("a blank after a word is skipped, whatever kind (tab, vertical tab, form feed, CR)", () => {
    expect(values("X a\tb\vc\fd\re\n")).toEqual(["a", "b", "c", "d", "e"]);
  });

  it("${VAR} and %{VAR} references stay inside their word", () => {
    expect(values('X "${A B}" %{HTTP:Upgrade} ws://${BACKEND}/x\n')).toEqual(["${A B}", "%{HTTP:Upgrade}", "ws://${BACKEND}/x"]);
  });
});

describe("continuations inside and between words", () => {
  it("a continuation inside a word joins it with the next line (Apache: ab\\\\\\ncd → abcd with CRLF)", () => {
    expect(values("ProxyPass /x ab\\\r\ncd\n")).toEqual(["/x", "abcd"]);
    expect(values("ProxyPass /x ab\\\ncd\n")).toEqual(["/x", "abcd"]);
  });

  it("the next line's indentation is kept, so it splits the word (Apache: 3 words, parameter error)", () => {
    expect(values("ProxyPass /x ab\\\n  cd\n")).toEqual(["/x", "ab", "cd"]);
  });

  it("a continuation inside quotes joins the quoted word", () => {
    const d = only('X "a \\\nb"\n');
    expect(d.args[0]).toMatchObject({ raw: '"a \\\nb"', value: "a b" });
  });

  it("`\\\\` before a line break is a literal `\\` followed by a continuation (Apache: ab\\\\\\\\\\ncd → ab\\\\cd)", () => {
    // cfg_getline removes the last `\` and the newline first; ap_getword_conf then sees `ab\cd`
    expect(values("ProxyPass /x ab\\\\\ncd\n")).toEqual(["/x", "ab\\cd"]);
    expect(values('X "a\\\\\nb"\n')).toEqual(["a\\b"]);
    expect(values("ProxyPass /x a\\\\\\\ncd\n")).toEqual(["/x", "a\\cd"]);
    // the joined `\"` escapes the quote, which then never closes (Apache: a"b)
    expect(values('X "a\\\\\n"b\n')).toEqual(['a"b']);
  });

  it("`\\` followed by blanks does not continue: it is a word (m05, Apache: URL must be absolute!: \\\\)", () => {
    const f = parseChecked("ProxyPass /x ab\\ \ncd\n");
    expect(f.children.map((n) => n.kind)).toEqual(["directive", "directive"]);
    expect((f.children[0] as Directive).args.map((a) => a.value)).toEqual(["/x", "ab\\"]);
    expect(values("ProxyPass /ws/ \\ \t\n")).toEqual(["/ws/", "\\"]);
  });

  it("`\\` at the very end of the text is a character, not a continuation", () => {
    expect(values("ProxyPass /x ab\\")).toEqual(["/x", "ab\\"]);
  });

  it("a `#` line after a continuation is part of the directive (Apache: parameter error on `#`)", () => {
    const d = only("ProxyPass /x \\\n# cd\n");
    expect(d.args.map((a) => a.value)).toEqual(["/x", "#", "cd"]);
    expect(d.trailingCommentIndex).toBe(1);
  });

  it("argument ranges point at the physical line the word is on", () => {
    const f = parseChecked("ProxyPass /app/ \\\n    http://h/ \\\n    timeout=abc\n");
    const d = f.children[0] as Directive;
    expect(d.args.map((a) => [f.position(a.start).line, f.position(a.start).column, f.position(a.end).column])).toEqual([
      [1, 11, 16],
      [2, 5, 14],
      [3, 5, 16],
    ]);
    // the directive ends where its last word does, on the last physical line
    expect(f.range(d.start, d.end).end).toMatchObject({ line: 3, column: 16 });
  });
});

describe("trailingCommentIndex", () => {
  const tci = (t: string) => only(t).trailingCommentIndex;
  it("marks the first unquoted word that starts with #", () => {
    expect(tci("ProxyRequests Off # no forward proxy\n")).toBe(1);
    expect(tci("ProxyRequests Off #no-space\n")).toBe(1);
    expect(tci("RewriteRule ^/(.*) ws://h/$1 [P,L] # websocket # more\n")).toBe(3);
  });
  it("is -1 for a `#` inside a word or inside quotes", () => {
    expect(tci("Header set X a#b\n")).toBe(-1);
    expect(tci('Header set X "# not a comment"\n')).toBe(-1);
    expect(tci("RewriteRule ^/a#b$ /c [NE]\n")).toBe(-1);
    expect(tci("ServerName localhost\n")).toBe(-1);
  });
  it("keeps the comment words as arguments", () => {
    expect(values("ProxyTimeout 60 # seconds\n")).toEqual(["60", "#", "seconds"]);
  });
});
