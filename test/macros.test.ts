// mod_macro as apache2 -t reads it, and apachelint beside it. Each case in
// fixtures/apache-macro/ is a body placed in a whole server config (MPM, mod_macro,
// mod_proxy); `<name>.t.txt` is Apache's verbatim answer (time stamps, pids and
// the temporary ServerRoot taken out), checked live. apachelint must then
// report an error on the line Apache names when it refuses to start, no error
// when it starts, and a warning for each warning mod_macro prints.
// APACHELINT_UPDATE_FINDINGS=1 rewrites the answers from the live apache2.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "../grammar/index.js";
import { expandMacros, originOf } from "../src/apache/macro-expansion.js";
import { macroModel, readInOrder } from "../src/apache/macros.js";
import { lintText, type Finding } from "../src/index.js";
import { apacheOrSkip, makeServerRoot, PROJECT_ROOT, serverConfig, type ServerRoot } from "./apache/harness.js";

const CASES = join(PROJECT_ROOT, "fixtures", "apache-macro");
const names = readdirSync(CASES).filter((f) => f.endsWith(".conf")).map((f) => f.slice(0, -5)).sort();
const MODULES = ["macro", "proxy", "proxy_http", "proxy_wstunnel"];

/** mod_macro's warnings and the rule that reports each. AH02793/AH02795 (section nesting across macros): the expansion is linted instead. */
const WARNING_RULES: Readonly<Record<string, string>> = {
  AH02796: "macro-definition-invalid",
  AH02797: "macro-definition-invalid",
  AH02799: "macro-definition-invalid",
  AH02800: "macro-param-unused",
  AH02802: "macro-redefined",
};

/** Where apachelint knows less than Apache, with why; each is a case Apache rejects and apachelint stays silent on. */
const UNMODELLED: Readonly<Record<string, string>> = {
  inif: "a definition inside <IfModule> of a module not loaded: conditional sections are not evaluated for macros yet",
  innernouse: "a macro defined inside another macro's body exists once that one is used: apachelint does not track it",
};

function normalise(output: string, dir: string): string {
  return output
    .split(dir)
    .join("<sr>")
    .replace(/^\[[^\]]*\] \[([a-z_]+:[a-z]+)\] \[pid \d+:tid \d+\] /gm, "[$1] ")
    .trim();
}

/** The line of the config Apache names: the line itself, or the body line of the macro it was expanding. */
function apacheLine(answer: string): number | null {
  const inMacro = /Syntax error on line (\d+) of macro '[^']*' \(defined on line (\d+)/.exec(answer);
  if (inMacro) return Number(inMacro[2]) + Number(inMacro[1]);
  const m = /Syntax error on line (\d+) of /.exec(answer);
  return m ? Number(m[1]) : null;
}

describe.runIf(apacheOrSkip("test/macros.test.ts"))("mod_macro: apachelint beside apache2 -t", () => {
  let sr: ServerRoot;
  const live = new Map<string, { ok: boolean; answer: string; findings: Finding[] }>();

  beforeAll(async () => {
    sr = await makeServerRoot();
    for (const name of names) {
      const conf = serverConfig({ port: 18099, modules: MODULES, body: readFileSync(join(CASES, `${name}.conf`), "utf8") });
      const path = await sr.write(`${name}.conf`, conf);
      const r = await sr.test(path);
      const answer = `${normalise(r.output, sr.dir)}\n[exit ${r.ok ? 0 : 1}]\n`;
      if (process.env.APACHELINT_UPDATE_FINDINGS) writeFileSync(join(CASES, `${name}.t.txt`), answer);
      live.set(name, { ok: r.ok, answer, findings: lintText(conf, path).findings });
    }
  }, 60_000);

  afterAll(async () => {
    await sr?.remove();
  });

  it("has the cases, each with Apache's recorded answer", () => {
    expect(names.length).toBeGreaterThanOrEqual(45);
    expect(names.filter((n) => !existsSync(join(CASES, `${n}.t.txt`)))).toEqual([]);
  });

  it.for(names)("%s", (name) => {
    const c = live.get(name)!;
    expect(c.answer, "apache2 -t answers as recorded").toBe(readFileSync(join(CASES, `${name}.t.txt`), "utf8"));
    const errors = c.findings.filter((f) => f.severity === "error");
    const show = (fs: Finding[]) => fs.map((f) => `${f.line}: [${f.ruleId}] ${f.message}`).join("\n");
    if (!c.ok) {
      if (UNMODELLED[name]) return void expect(errors, `${name} is listed as unmodelled; apachelint now reports it: drop it from UNMODELLED`).toEqual([]);
      const line = apacheLine(c.answer);
      const where = line === null ? errors : errors.filter((f) => f.line === line);
      // `</Macro junk>`: Apache names the <Macro> line, apachelint the tag it cannot read
      const anywhere = name === "closeextra";
      expect((anywhere ? errors : where).length, `Apache refuses ${name} at line ${line}:\n${c.answer}\napachelint errors:\n${show(errors)}`).toBeGreaterThan(0);
    } else {
      expect(errors, `Apache accepts ${name}:\n${c.answer}`).toEqual([]);
      for (const code of c.answer.match(/AH0\d{4}/g) ?? []) {
        const rule = WARNING_RULES[code];
        if (!rule) continue;
        expect(c.findings.some((f) => f.ruleId === rule && f.severity === "warning"), `${code} in ${name}: a ${rule} warning\n${show(c.findings)}`).toBe(true);
      }
      const expected = new Set((c.answer.match(/AH0\d{4}/g) ?? []).map((code) => WARNING_RULES[code]).filter(Boolean));
      const macroWarnings = c.findings.filter((f) => f.ruleId.startsWith("macro-") && f.severity === "warning");
      expect(macroWarnings.filter((f) => !expected.has(f.ruleId)), `Apache prints no such warning for ${name}`).toEqual([]);
    }
  });
});

describe("macro bodies and expansions", () => {
  const lint = (text: string) => lintText(text, "site.conf").findings;

  it("parses tags inside a macro body as template text: no structural error for a section one macro opens and another closes", () => {
    const text = "<Macro Open $p>\n<Location $p>\n</Macro>\n<Macro Close>\n</Location>\n</Macro>\n";
    const file = parse(text, "x.conf");
    expect(file.errors).toEqual([]);
    expect(file.children.filter((n) => n.kind === "section").map((s) => s.kind === "section" && s.key)).toEqual(["macro", "macro"]);
  });

  it("lints the expansion where the Use stands: a directive between two macros is inside the section they open and close", () => {
    const text = "<Macro Open $p>\n<Location $p>\n</Macro>\n<Macro Close>\n</Location>\n</Macro>\nUse Open /x\nRequire all granted\nUse Close\n";
    expect(lint(text).filter((f) => f.severity === "error")).toEqual([]);
    // without the closing macro, the Location the expansion opens is never closed: reported on the body's line
    const open = lint("<Macro Open $p>\n<Location $p>\n</Macro>\nUse Open /x\nRequire all granted\n").filter((f) => f.ruleId === "section-unclosed");
    expect(open.map((f) => [f.line, f.column, f.related[0]?.line])).toEqual([[2, 1, 4]]);
  });

  it("reports a finding of the expansion on the body's line and column, with the Use as related location, and no fix", () => {
    const text = "<Macro Site $host>\n    ServerName $host\n    ProxyPass /ws/ wss:/127.0.0.1:3000/ws/\n</Macro>\nUse Site a.example\nUse Site b.example\n";
    const url = lint(text).filter((f) => f.ruleId === "proxy-url-malformed");
    // one finding for the body line, related to the first Use that shows it
    expect(url).toHaveLength(1);
    expect([url[0]!.line, url[0]!.column]).toEqual([3, 20]);
    expect(text.slice(url[0]!.start, url[0]!.end)).toBe("wss:/127.0.0.1:3000/ws/");
    expect(url[0]!.related[0]).toMatchObject({ line: 5, message: "in the expansion of `Use Site` here" });
    expect(url[0]!.fix).toBeUndefined();
  });

  it("sees a placeholder an argument puts into the body", () => {
    const text = "<Macro B $port>\nProxyPass /app/ http://127.0.0.1:$port/\n</Macro>\nUse B APP_PORT\n";
    const found = lint(text).filter((f) => f.severity === "error");
    expect(found.map((f) => [f.ruleId, f.line])).toEqual([["proxy-url-malformed", 2]]);
    expect(found[0]!.related.map((r) => r.line)).toEqual([4]);
  });

  it("keeps the findings and fixes outside macros exactly as without them", () => {
    const plain = "<VirtualHost *:80>\n    RewriteCond ${HTTP:Upgrade} websocket [NC]\n    RewriteRule ^/ws/(.*) ws://127.0.0.1:3000/ws/$1 [P,L]\n</VirtualHost>\n";
    const macro = "<Macro M $x>\nServerAlias $x\n</Macro>\nUse M a.example\n";
    const alone = lint(plain);
    const both = lint(macro + plain);
    const shift = macro.length;
    const moved = (f: Finding, by: number, lines: number) => ({ ...f, start: f.start - by, end: f.end - by, line: f.line - lines, endLine: f.endLine - lines, related: [], fix: f.fix?.edits.map((e) => [e.start - by, e.end - by, e.text]) });
    expect(both.filter((f) => f.start >= shift).map((f) => moved(f, shift, 4))).toEqual(alone.map((f) => moved(f, 0, 0)));
    const fixes = both.filter((f) => f.fix).map((f) => f.fix!.edits.map((e) => (macro + plain).slice(e.start, e.end)));
    expect(fixes).toEqual(alone.filter((f) => f.fix).map((f) => f.fix!.edits.map((e) => plain.slice(e.start, e.end))));
  });

  it("maps every offset of the expanded text back: outside expansions to the same text, inside to the body", () => {
    const text = "Define X 1\n<Macro M $a $b>\n  ServerAlias $a.$b\n</Macro>\nUse M one two\nServerName x\nUse M three four";
    const file = parse(text, "m.conf");
    const x = expandMacros(file, readInOrder(macroModel(file)))!;
    expect(x.text).toBe("Define X 1\n<Macro M $a $b>\n  ServerAlias $a.$b\n</Macro>\nUse M one two\n  ServerAlias one.two\nServerName x\nUse M three four\n  ServerAlias three.four\n");
    for (let i = 0; i <= x.text.length; i++) {
      const o = originOf(x, i);
      // (the line break put after a last line that had none maps to the end of the file)
      if (o.kind === "file") expect(o.offset === text.length || text[o.offset] === x.text[i], `offset ${i}`).toBe(true);
      else if (o.exact && i < x.text.length && x.text[i] !== "\n") expect(text[o.offset], `offset ${i}`).toBe(x.text[i]);
    }
  });
});
