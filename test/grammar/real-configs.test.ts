// Configurations no one here wrote: Debian's stock /etc/apache2 and the h5bp
// .htaccess. They are valid for Apache, so they must parse with no error and
// print back byte for byte.
import { describe, expect, it } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { directives, sections } from "../../grammar/index.js";
import { DEBIAN, H5BP, debianConfigs } from "./corpus.js";
import { parseChecked } from "./invariants.js";

const haveDebian = existsSync(join(DEBIAN, "apache2.conf"));
if (!haveDebian) {
  const msg = `${DEBIAN} not found: Debian's apache2 package is not installed, its stock configs are not parsed`;
  // loud locally, fatal in CI, where .ci/run installs the package
  if (process.env.CI) throw new Error(msg);
  console.warn(`\n*** SKIPPED: ${msg} ***\n`);
}

describe.skipIf(!haveDebian)("Debian's stock /etc/apache2", () => {
  const files = debianConfigs();

  it("is the whole tree: main files, conf-available, mods-available, sites-available", () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files.filter((f) => f.endsWith(".load")).length).toBeGreaterThan(50);
    expect(files.some((f) => f.includes("sites-available/default-ssl.conf"))).toBe(true);
  });

  for (const path of files) {
    it(`${path.slice(DEBIAN.length + 1)}: no parse error, lossless`, () => {
      const text = readFileSync(path, "utf8");
      const file = parseChecked(text, path);
      expect(file.errors).toEqual([]);
      if (path.endsWith(".load")) {
        expect([...directives(file)].some((d) => d.key === "loadmodule"), "a .load file loads a module").toBe(true);
      }
    });
  }

  it("apache2.conf has the sections and directives Debian ships", () => {
    const file = parseChecked(readFileSync(join(DEBIAN, "apache2.conf"), "utf8"));
    const dirs = [...sections(file)].filter((s) => s.key === "directory").map((s) => s.args.map((a) => a.value).join(" "));
    expect(dirs).toEqual(expect.arrayContaining(["/", "/usr/share", "/var/www/"]));
    const keys = new Set([...directives(file)].map((d) => d.key));
    for (const k of ["includeoptional", "include", "logformat", "accessfilename", "errorlog"]) expect(keys).toContain(k);
    // `LogFormat "%h %l %u %t \"%r\" %>s %O \"%{Referer}i\" \"%{User-Agent}i\"" combined`
    const combined = [...directives(file)].find((d) => d.key === "logformat" && d.args[1]?.value === "combined");
    expect(combined?.args[0]?.value).toBe('%h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i"');
  });
});

describe("h5bp apache-server-configs .htaccess", () => {
  it("is installed", () => {
    expect(existsSync(H5BP)).toBe(true);
  });

  it("parses with no error, losslessly, with its many nested <IfModule> blocks", () => {
    const text = readFileSync(H5BP, "utf8");
    const file = parseChecked(text, H5BP);
    expect(file.errors).toEqual([]);
    // counted independently on the text: one section per open tag, each closed
    const ifModules = [...sections(file)].filter((s) => s.key === "ifmodule");
    expect(ifModules.length).toBe(text.match(/^[ \t]*<IfModule\b/gm)!.length);
    expect(ifModules.every((s) => s.close?.key === "ifmodule")).toBe(true);
    const directiveLines = text.split("\n").filter((l) => /^[ \t]*[^ \t#<]/.test(l) && !/\\$/.test(l));
    expect([...directives(file)].length).toBe(directiveLines.length);
  });
});
