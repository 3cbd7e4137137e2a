// The committed docs are the rendering of the rule modules: regenerate with `npm run docs`.
import { describe, expect, it } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { allRules } from "../rules/index.js";
import { renderRuleIndex, renderRuleMarkdown, renderRuleText, terminalWidth, withReadmeRules } from "../src/cli/rule-docs.js";
import { links, packageLinks, repositoryWebUrl } from "../src/cli/package-info.js";
import { displayWidth } from "../src/formatters/text-width.js";
import { sarifLog } from "../src/formatters/sarif.js";
import { spawnSync } from "node:child_process";
import { CLI, ensureBuiltCli } from "./helpers/built-cli.js";

const docs = join(import.meta.dirname, "..", "docs", "rules");

describe("rule docs", () => {
  for (const rule of allRules) {
    it(`docs/rules/${rule.id}.md is up to date`, () => {
      const path = join(docs, `${rule.id}.md`);
      expect(existsSync(path), `${path} missing: run npm run docs`).toBe(true);
      expect(readFileSync(path, "utf8")).toBe(renderRuleMarkdown(rule));
    });
  }
  it("the index lists every rule", () => {
    expect(readFileSync(join(docs, "README.md"), "utf8")).toBe(renderRuleIndex(allRules));
  });
  it("README.md lists every rule with a link to its page", () => {
    const readme = readFileSync(join(docs, "..", "..", "README.md"), "utf8");
    expect(readme).toBe(withReadmeRules(readme, allRules));
    for (const rule of allRules) expect(readme).toContain(`](docs/rules/${rule.id}.md)`);
  });
  it("rule ids are unique", () => {
    expect(new Set(allRules.map((r) => r.id)).size).toBe(allRules.length);
  });
});

// ---------------------------------------------------------------------------
// --explain and the SARIF rule help: the same prose, for readers without the repository
// ---------------------------------------------------------------------------

/** Does `text` name one of the rule's ground-truth cases as a word? */
const namesCase = (text: string, ids: readonly string[]) => ids.filter((id) => new RegExp(`(?<![\\w\`/.-])${id}(?![\\w\`/-])`).test(text));
/** The lines of --explain that are prose (the examples are indented by four). */
const proseLines = (text: string) => text.split("\n").filter((l) => !l.startsWith("    "));

describe("--explain", () => {
  for (const rule of allRules) {
    it(`${rule.id}: no case ids, paragraphs wrapped to the width, the docs page's URL`, () => {
      for (const width of [80, 50]) {
        const text = renderRuleText(rule, width);
        expect(namesCase(proseLines(text).join("\n"), rule.doc.cases ?? [])).toEqual([]);
        expect(text).not.toMatch(/apache-truth|Evidence/);
        for (const line of proseLines(text)) {
          if (line.startsWith("Docs: ")) continue;
          // a line may pass the width only when it is one word too long to break
          if (displayWidth(line) > width) expect(line, line).not.toMatch(/\s/);
        }
        expect(text.trimEnd().split("\n").at(-1)).toBe(`Docs: https://github.com/apachelint/apachelint/blob/main/docs/rules/${rule.id}.md`);
      }
      // the words are all still there, only the lines differ
      const words = (s: string) => s.split(/\s+/).filter(Boolean);
      expect(words(renderRuleText(rule, 50))).toEqual(words(renderRuleText(rule, 200)));
    });
  }

  it("says in words what the case ids said", () => {
    const text = renderRuleText(allRules.find((r) => r.id === "proxy-url-malformed")!, 1000);
    expect(text).toContain("where it gets a 404 (the WebSocket client never sees a 101)");
    // h2 is a protocol here, not a case of this rule: it stays
    expect(text).toContain("https, h2, h2c, ldap");
    const sigil = renderRuleText(allRules.find((r) => r.id === "rewrite-var-sigil")!, 1000);
    expect(sigil).toContain("What Apache does (measured on Apache 2.4.71):");
    expect(sigil).toContain("or a 200 from a fallback `ProxyPass /`. `apache2 -t` stays silent");
  });

  it("names the installed page when package.json names no repository", () => {
    const rule = allRules[0]!;
    const links = packageLinks({ version: "1.0.0" }, "/opt/apachelint");
    expect(links).toEqual({ docsUrl: "file:///opt/apachelint/docs/" });
    expect(renderRuleText(rule, 80, links.docsUrl)).toContain(`Docs: /opt/apachelint/docs/rules/${rule.id}.md\n`);
  });

  it("wraps to the terminal's width, or 80 when it is not one", () => {
    expect(terminalWidth({ isTTY: true, columns: 123 })).toBe(123);
    expect(terminalWidth({ isTTY: false, columns: 123 })).toBe(80);
    expect(terminalWidth({})).toBe(80);
  });
});

describe("the package's links", () => {
  it("come from package.json's homepage and repository", () => {
    const pkg = JSON.parse(readFileSync(join(docs, "..", "..", "package.json"), "utf8"));
    expect(packageLinks(pkg, "/x")).toEqual({
      homepage: "https://github.com/apachelint/apachelint#readme",
      docsUrl: "https://github.com/apachelint/apachelint/blob/main/docs/",
    });
    expect(links).toEqual(packageLinks(pkg, "/x"));
  });

  it("read npm's forms of a repository, and only https ones of known forges", () => {
    for (const form of ["git+https://github.com/o/n.git", "https://github.com/o/n", "github:o/n", "o/n", { url: "git://github.com/o/n.git" }]) {
      expect(repositoryWebUrl(form), JSON.stringify(form)).toBe("https://github.com/o/n");
    }
    expect(repositoryWebUrl("gitlab:g/p")).toBe("https://gitlab.com/g/p");
    expect(packageLinks({ version: "1", repository: "gitlab:g/p" }, "/x").docsUrl).toBe("https://gitlab.com/g/p/-/blob/main/docs/");
    expect(repositoryWebUrl("git+ssh://git@example.org/o/n.git")).toBeUndefined();
    expect(packageLinks({ version: "1", repository: "https://example.org/o/n" }, "/x").docsUrl).toBe("file:///x/docs/");
  });
});

describe("SARIF rule help", () => {
  it("has no case ids either", () => {
    const log = sarifLog([], { cwd: "/", color: false, rules: allRules, toolVersion: "0", hiddenUnsafeFixes: 0 }) as any;
    for (const d of log.runs[0].tool.driver.rules) {
      const rule = allRules.find((r) => r.id === d.id)!;
      expect(namesCase(`${d.fullDescription.text}\n${d.help.text}`, rule.doc.cases ?? []), rule.id).toEqual([]);
    }
  });
});

describe("--explain from the command line", () => {
  const haveScript = spawnSync("script", ["--version"]).status === 0;
  if (!haveScript && process.env.CI) throw new Error("test/rule-docs: util-linux `script` is missing, and CI must run the terminal check");
  if (!haveScript) console.warn("test/rule-docs: util-linux `script` not found, the --explain terminal check is SKIPPED");
  const longest = (text: string) => Math.max(...proseLines(text).filter((l) => !l.startsWith("Docs: ")).map((l) => [...l].length));

  (haveScript ? it : it.skip)("wraps to a 60-column terminal, and to 80 through a pipe", () => {
    ensureBuiltCli();
    const cmd = `'${process.execPath}' '${CLI}' --explain rewrite-var-sigil`;
    const tty = spawnSync("script", ["-qec", `stty cols 60 rows 50; ${cmd}`, "/dev/null"], { encoding: "utf8", input: "" }).stdout.replace(/\r/g, "");
    expect(tty).toContain("rewrite-var-sigil (correctness, error");
    expect(longest(tty)).toBeLessThanOrEqual(60);
    expect(longest(tty)).toBeGreaterThan(50);
    const piped = spawnSync(process.execPath, [CLI, "--explain", "rewrite-var-sigil"], { encoding: "utf8" }).stdout;
    expect(longest(piped)).toBeLessThanOrEqual(80);
    expect(longest(piped)).toBeGreaterThan(70);
    expect(piped).toContain("Docs: https://github.com/apachelint/apachelint/blob/main/docs/rules/rewrite-var-sigil.md\n");
  }, 60_000);
});
