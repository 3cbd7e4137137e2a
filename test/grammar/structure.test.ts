// The tree the parser builds: sections, comments, continuations, line endings,
// BOM, odd bytes, and recovery from every structural mistake. Fixture inputs are
// in fixtures/grammar/; kitchen-sink.conf passes `apache2 -t` (2.4.71) with
// mod_proxy, mod_rewrite, mod_headers, mod_macro and mod_alias loaded.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse, type ConfigFile, type Directive, type Node, type Section } from "../../grammar/index.js";
import { parseChecked } from "./invariants.js";

const FIXTURES = join(import.meta.dirname, "..", "..", "fixtures", "grammar");
const fixture = (name: string) => readFileSync(join(FIXTURES, name), "utf8");

/** One line per node: kind, name, physical lines, argument values; children indented. */
function outline(file: ConfigFile): string[] {
  const out: string[] = [];
  const lines = (s: number, e: number) => {
    const a = file.position(s).line;
    const b = file.position(e).line;
    return a === b ? `${a}` : `${a}-${b}`;
  };
  const visit = (nodes: readonly Node[], depth: number) => {
    for (const n of nodes) {
      const pad = "  ".repeat(depth);
      if (n.kind === "section") {
        const args = n.args.map((a) => a.value).join(" | ");
        out.push(`${pad}<${n.name}> ${lines(n.start, n.end)}${args ? ` [${args}]` : ""}${n.close ? "" : " UNCLOSED"}`);
        visit(n.children, depth + 1);
      } else if (n.kind === "directive") {
        out.push(`${pad}${n.name} ${lines(n.start, n.end)} [${n.args.map((a) => a.value).join(" | ")}]`);
      } else if (n.kind === "close") {
        out.push(`${pad}</${n.name}> ${lines(n.start, n.end)} STRAY`);
      } else {
        out.push(`${pad}${n.kind} ${lines(n.from, n.to - 1 < n.from ? n.from : n.to - 1)}`);
      }
    }
  };
  visit(file.children, 0);
  return out;
}

function errors(file: ConfigFile): string[] {
  return file.errors.map((e) => {
    const s = file.position(e.start);
    const rel = (e.related ?? []).map((r) => ` (related ${file.position(r.start).line}:${file.position(r.start).column})`).join("");
    return `${e.code} ${s.line}:${s.column}${rel}`;
  });
}

describe("kitchen-sink.conf: every construct in one valid file", () => {
  const text = fixture("kitchen-sink.conf");
  const file = parseChecked(text);

  it("has no error", () => {
    expect(file.errors).toEqual([]);
  });

  it("builds the tree Apache would", () => {
    expect(outline(file)).toEqual([
      "comment 1",
      "ServerAdmin 2 [webmaster@example.test]",
      "Define 3 [BACKEND | 127.0.0.1:13001]",
      "blank 4",
      "comment 5",
      "<IfModule> 6-8 [!mod_rewrite.c]",
      "  Redirect 7 [404 | /]",
      "<IfModule> 9-25 [mod_proxy.c]",
      "  <virtualhost> 10-24 [*:80 | [::1]:80]",
      "    ServerName 12 [example.test]",
      "    RewriteRule 13 [^/(\\w+)/\\d{2,}[#$]x$ | ws://${BACKEND}/$1 | [P,L]]",
      "    RewriteCond 14 [%{HTTP:Upgrade} | websocket | [NC]]",
      `    <If> 15-17 [%{HTTP_HOST} == 'a>b']`,
      '      Header 16 [set | X-A | a "quoted" b]',
      "    <Macro> 18-20 [VHost | $name]",
      "      ServerAlias 19 [$name]",
      "    ProxyPass 21-23 [/ws/ | ws://127.0.0.1:13001/ws/ | upgrade=websocket]",
      "blank 26",
      "ProxyRequests 27 [Off | # | Apache | ignores | words | after | a | FLAG's | value]",
    ]);
  });

  it("matches section names whatever their case, and keeps both spellings", () => {
    const outer = file.children.find((n): n is Section => n.kind === "section" && n.args[0]?.value === "mod_proxy.c")!;
    expect(outer.close!.name).toBe("ifmodule");
    const vhost = outer.children.find((n): n is Section => n.kind === "section")!;
    expect([vhost.name, vhost.key, vhost.close!.name, vhost.close!.key]).toEqual(["virtualhost", "virtualhost", "VIRTUALHOST", "virtualhost"]);
  });

  it("reads a section tag split over a continuation, with its `>` on the second line", () => {
    const outer = file.children.find((n): n is Section => n.kind === "section" && n.args[0]?.value === "mod_proxy.c")!;
    const vhost = outer.children.find((n): n is Section => n.kind === "section")!;
    expect(file.position(vhost.open.gt)).toMatchObject({ line: 11, column: 24 });
    expect(vhost.args.map((a) => [a.value, file.position(a.start).line])).toEqual([
      ["*:80", 10],
      ["[::1]:80", 11],
    ]);
  });

  it("keeps `#` inside a word and in quotes as text, and marks the first bare `#` word", () => {
    const last = file.children[file.children.length - 1] as Directive;
    expect(last.trailingCommentIndex).toBe(1);
    const rule = [...file.text.matchAll(/RewriteRule/g)].length;
    expect(rule).toBe(1);
  });
});

describe("comments", () => {
  it("start only at the first non-blank character of a line", () => {
    const f = parseChecked("  # c1\n\t#c2\nX a # b\n#\n");
    expect(f.children.map((n) => n.kind)).toEqual(["comment", "comment", "directive", "comment"]);
    expect((f.children[0] as { body: string } & Node).body).toBe(" c1");
  });

  it("continue onto the next line when they end in `\\` (Apache joins first, then sees `#`)", () => {
    const f = parseChecked("# a comment \\\nProxyPass /x ab\nServerName b\n");
    expect(outline(f)).toEqual(["comment 1-2", "ServerName 3 [b]"]);
  });

  it("can be reached through a continuation at the start of a line", () => {
    const f = parseChecked("\\\n# hidden comment\nX\n");
    expect(f.children.map((n) => n.kind)).toEqual(["comment", "directive"]);
    expect(f.position(f.children[0]!.start).line).toBe(2);
  });
});

describe("line endings, blanks, BOM, odd text", () => {
  it("CRLF: content excludes the CR, nodes include it, positions count lines by LF", () => {
    const text = fixture("crlf.conf");
    const f = parseChecked(text);
    expect(f.errors).toEqual([]);
    expect(f.eol).toBe("\r\n");
    expect(outline(f)).toEqual(["ServerName 1 [localhost]", "blank 2", "<VirtualHost> 3-6 [*:80]", "  ProxyPass 4-5 [/ws/ | ws://h/ws/]"]);
    const d = f.children[0] as Directive;
    expect([d.start, d.end, d.to]).toEqual([0, 20, 22]);
    expect(f.range(d.start, d.end)).toEqual({ start: { offset: 0, line: 1, column: 1 }, end: { offset: 20, line: 1, column: 21 } });
    const pp = (f.children[2] as Section).children[0] as Directive;
    expect(pp.args[1]!.raw).toBe("ws://h/ws/");
    expect(f.position(pp.args[1]!.start)).toMatchObject({ line: 5, column: 9 });
    // the CR before a continued line's LF belongs to the continuation, not to a word
    expect(pp.args[0]!.raw).toBe("/ws/");
  });

  it("LF files say LF", () => {
    expect(parse("A\nB\r\nC\n").eol).toBe("\n");
  });

  it("a UTF-8 BOM is kept in the text, reported, and not part of the first line's node", () => {
    const text = fixture("bom.conf");
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const f = parseChecked(text);
    expect(f.bom).toBe(true);
    expect(errors(f)).toEqual(["byte-order-mark 1:1"]);
    expect(f.errors[0]!.end).toBe(1);
    expect(outline(f)).toEqual(["<VirtualHost> 1-3 [*:80]", "  ServerName 2 [x]"]);
    expect(f.children[0]!.from).toBe(1);
  });

  it("tabs, blank lines, whitespace-only lines and trailing blanks without a newline", () => {
    const f = parseChecked("\tX\t a\t\n\n \t \n\v\f\nY b   ");
    expect(outline(f)).toEqual(["X 1 [a]", "blank 2", "blank 3", "blank 4", "Y 5 [b]"]);
    expect(parseChecked("X\n   ").children.map((n) => n.kind)).toEqual(["directive", "blank"]);
  });

  it("a line of 200,000 characters", () => {
    const word = "a".repeat(100_000);
    const text = `# ${"c".repeat(200_000)}\nRewriteCond ${word} ${word}x [NC]\nServerName z\n`;
    const f = parseChecked(text);
    expect(outline(f)).toEqual(["comment 1", `RewriteCond 2 [${word} | ${word}x | [NC]]`, "ServerName 3 [z]"]);
    expect(f.position((f.children[1] as Directive).args[2]!.start).column).toBe(200_016);
  });

  it("a directive continued over 1,000 lines", () => {
    const text = "Header set X \\\n" + "  a \\\n".repeat(1000) + "  end\n";
    const f = parseChecked(text);
    const d = f.children[0] as Directive;
    expect(d.args).toHaveLength(1003);
    expect(f.position(d.args[1002]!.start).line).toBe(1002);
  });

  it("Latin-1 bytes decoded as lone surrogates (U+DC80–U+DCFF), as the CLI does", () => {
    const bytes = readFileSync(join(FIXTURES, "latin1.conf"));
    // surrogateescape: every byte that is not valid UTF-8 becomes U+DC00 + byte
    const text = [...bytes].map((b) => String.fromCharCode(b < 0x80 ? b : 0xdc00 + b)).join("");
    expect(text).toMatch(/[\udc80-\udcff]/);
    const f = parseChecked(text);
    expect(f.errors).toEqual([]);
    expect(outline(f)).toEqual(["comment 1", "ServerAdmin 2 [webmaster@example.test]", "Header 3 [set | X-Caf\udce9 | caf\udce9 cr\udce8me]"]);
  });

  it("non-BMP characters, NUL, and lone surrogates anywhere", () => {
    const f = parseChecked("X 😀 \u0000 \ud800 a\udfffb\n<\ud83d>\n</\ud83d>\n");
    expect(outline(f)).toEqual(["X 1 [😀 | \u0000 | \ud800 | a\udfffb]", "<\ud83d> 2-3"]);
  });

  it("a `\\` that does not continue belongs to the directive name, as in Apache's Invalid command '\\'", () => {
    expect(outline(parseChecked("\\ \n  \\\t\nA\\b c\n"))).toEqual(["\\ 1 []", "\\ 2 []", "A\\b 3 [c]"]);
    // a continuation does end it: the rest of the name is on the next line
    expect(outline(parseChecked("\\\n  \\ \n"))).toEqual(["\\ 2 []"]);
  });

  it("never throws, and covers the text, on degenerate inputs", () => {
    for (const t of ["", "\n", "\r\n", "\r", "\\", "\\\n", "\\\r\n", "<", ">", "</", "</>", "<>", "<\n>", "#", "\ufeff", "\ufeff\ufeff", '"', "'", "\t", "\\\\\\", "<a\\\n", "</a\\\n>", "\ud800", "x\\"]) {
      expect(() => parseChecked(t), JSON.stringify(t)).not.toThrow();
    }
  });
});

describe("error recovery: every mistake reported, parsing goes on", () => {
  const f = parseChecked(fixture("broken.conf"));

  it("reports each problem once, in order, at its line (Apache would stop at line 7)", () => {
    expect(errors(f)).toEqual([
      "unclosed-section 4:5 (related 7:1)",
      "stray-close 8:1",
      "missing-gt 9:1",
      "unbalanced-quote 13:15",
      "wrong-close 14:1 (related 12:1)",
      "unclosed-section 16:1 (related 18:1)",
    ]);
  });

  it("error ranges cover the offending tag or word", () => {
    const text = f.text;
    const at = (code: string, line: number) => f.errors.find((e) => e.code === code && f.position(e.start).line === line)!;
    expect(text.slice(at("unclosed-section", 4).start, at("unclosed-section", 4).end)).toBe("<Proxy balancer://cluster>");
    expect(text.slice(at("stray-close", 8).start, at("stray-close", 8).end)).toBe("</Location>");
    expect(text.slice(at("missing-gt", 9).start, at("missing-gt", 9).end)).toBe("<Directory /var/www");
    expect(text.slice(at("unbalanced-quote", 13).start, at("unbalanced-quote", 13).end)).toBe('"/ws/ ws://127.0.0.1:13001/ws/');
  });

  it("keeps building a sensible tree around the mistakes", () => {
    expect(outline(f)).toEqual([
      "comment 1",
      "<VirtualHost> 2-7 [*:80]",
      "  ServerName 3 [a.test]",
      // the unclosed <Proxy> ends where its indented block does
      "  <Proxy> 4-5 [balancer://cluster] UNCLOSED",
      "    BalancerMember 5 [ws://127.0.0.1:13001]",
      "  ProxyPass 6 [/ws/ | balancer://cluster/ws/]",
      "</Location> 8 STRAY",
      "<Directory> 9-11 [/var/www]",
      "  Require 10 [all | granted]",
      "<VirtualHost> 12-14 [*:81]",
      "  ProxyPass 13 [/ws/ ws://127.0.0.1:13001/ws/]",
      "ServerName 15 [after.test]",
      "<IfModule> 16-17 [mod_headers.c] UNCLOSED",
      '  Header 17 [set | X-Last | 1]',
    ]);
  });

  it("an open tag missing `>` still opens its section", () => {
    const dir = f.children.find((n): n is Section => n.kind === "section" && n.key === "directory")!;
    expect(dir.open.gt).toBe(-1);
    expect(dir.close?.name).toBe("Directory");
  });

  it("mismatched close tags are kept in the tree and name both tags", () => {
    const vh = f.children.filter((n): n is Section => n.kind === "section" && n.key === "virtualhost")[1]!;
    expect(vh.close?.name).toBe("Proxy");
    const e = f.errors.find((x) => x.code === "wrong-close" && x.start === vh.close!.start)!;
    expect(e.message).toContain("</VirtualHost>");
    expect(e.message).toContain("</Proxy>");
  });

  it("nested unclosed sections are all reported, innermost detected first", () => {
    const g = parseChecked("<A>\n<B>\n<C>\nx\n</A>\n");
    expect(errors(g)).toEqual(["unclosed-section 2:1 (related 5:1)", "unclosed-section 3:1 (related 5:1)"]);
  });

  it("sections nest at any depth", () => {
    const depth = 300;
    const text = Array.from({ length: depth }, (_, i) => `${" ".repeat(i)}<S${i} a>\n`).join("") + "X\n" + Array.from({ length: depth }, (_, i) => `</s${depth - 1 - i}>\n`).join("");
    const g = parseChecked(text);
    expect(g.errors).toEqual([]);
    let n: Node = g.children[0]!;
    let d = 0;
    while (n.kind === "section") {
      d++;
      n = n.children[0]!;
    }
    expect(d).toBe(depth);
  });
});
