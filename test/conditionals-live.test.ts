// <IfDefine>, <IfVersion>, compiled-in modules and <Else> as apache2 -t reads
// them, case by case (fixtures/conditionals/NAME.conf, Apache's verbatim answer
// in NAME.t.txt), and apachelint agreeing with each answer. A case's first line
// is `# apache2 -t [-D NAME]...`: the -D names it is run with, which apachelint
// is told as its startup (--define); a second `# apachelint: KIND` line says
// what is compared:
//   (none)       Apache refuses at line N: apachelint has an error at N quoting
//                Apache, and none elsewhere; Apache accepts: no error at all;
//   not-builtin  no finding calls the module compiled in;
//   body-first   an unpaired <Else> with a refused line in its body: Apache
//                parses the body before it checks the chain, so it names the
//                body's line; apachelint reports both, the <Else> first.
// The answers are re-judged live; APACHELINT_UPDATE_CONDITIONALS=1 writes them instead.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "../grammar/index.js";
import { lintText } from "../src/index.js";
import { parseVersion, type ApacheVersion } from "../src/apache/version.js";
import { IncludeResolver } from "../src/server/includes.js";
import { serverInfoFromFile, withIncludes, withStartup } from "../src/server/server-info.js";
import { APACHE, apacheOrSkip, PROJECT_ROOT } from "./apache/harness.js";

const DIR = join(PROJECT_ROOT, "fixtures", "conditionals");
const UPDATE = process.env.APACHELINT_UPDATE_CONDITIONALS === "1";
const SKELETON = [
  "ServerName localhost",
  "PidFile run/httpd.pid",
  "DefaultRuntimeDir run",
  "ErrorLog logs/error.log",
  "LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so",
  "LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so",
];

interface Case {
  name: string;
  text: string;
  defines: string[];
  kind: string;
}

const cases: Case[] = readdirSync(DIR)
  .filter((f) => f.endsWith(".conf"))
  .sort()
  .map((f) => {
    const text = readFileSync(join(DIR, f), "utf8");
    const [head, second] = text.split("\n");
    const defines = [...head!.matchAll(/-D (\S+)/g)].map((m) => m[1]!);
    const kind = /^# apachelint: (\S+)/.exec(second ?? "")?.[1] ?? "agree";
    return { name: f.slice(0, -".conf".length), text, defines, kind };
  });

/** Apache's answer as committed: the root and the run's time and pid stand as placeholders. */
const normalize = (out: string, root: string) =>
  out
    .replaceAll(root, "@ROOT@")
    .replace(/^\[[^\]]*\d{4}\] /gm, "[TIME] ")
    .replace(/pid \d+:tid \d+/g, "pid N");

interface Answer {
  ok: boolean;
  line: number | null;
  message: string;
}

function readAnswer(out: string): Answer {
  if (/^Syntax OK$/m.test(out)) return { ok: true, line: null, message: "" };
  const lines = out.split("\n");
  const i = lines.findIndex((l) => /Syntax error on line \d+ of /.test(l));
  const one = /Syntax error on line (\d+) of [^:]+: (.+)$/.exec(lines[i] ?? "");
  const line = Number(/line (\d+) of/.exec(lines[i] ?? "")?.[1] ?? NaN);
  return { ok: false, line: Number.isNaN(line) ? null : line, message: one ? one[2]! : (lines[i + 1] ?? "") };
}

const live = APACHE && apacheOrSkip("conditionals-live") ? APACHE : null;
const root = mkdtempSync(join(tmpdir(), "apachelint-cond-"));
mkdirSync(join(root, "logs"));
mkdirSync(join(root, "run"));
writeFileSync(join(root, "define-foo.conf"), "Define FOO\n");
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The release the cases were answered by (2.4.71), or the live binary's. */
function liveVersion(): ApacheVersion {
  if (!live) return { major: 2, minor: 4, patch: 71 };
  const v = /Apache\/(\d+\.\d+\.\d+)/.exec(spawnSync(live, ["-v"], { encoding: "utf8" }).stdout)?.[1];
  return parseVersion(v ?? "2.4.71")!;
}
const version = liveVersion();

const configOf = (c: Case) => `${SKELETON.join("\n")}\n${c.text.replaceAll("@ROOT@", root)}`;

function lint(c: Case) {
  const path = join(root, "httpd.conf");
  const text = configOf(c);
  const startup = { defines: new Set(c.defines), platform: "debian" as const, version };
  const file = parse(text, path);
  const server = withStartup(serverInfoFromFile(file), startup);
  const includes = new IncludeResolver().resolveFile(file, path, { serverRoot: root, chain: [] }, { server });
  return lintText(text, path, { server: withIncludes(server, includes), startup }).findings;
}

describe("conditional sections against apache2 -t (fixtures/conditionals)", () => {
  it("has cases of every kind", () => {
    expect(new Set(cases.map((c) => c.kind))).toEqual(new Set(["agree", "not-builtin", "body-first"]));
    expect(cases.length).toBeGreaterThan(80);
  });

  for (const c of cases) {
    describe(c.name, () => {
      const answerFile = join(DIR, `${c.name}.t.txt`);
      it.runIf(live)("apache2 -t answers as committed", () => {
        writeFileSync(join(root, "httpd.conf"), configOf(c));
        const r = spawnSync(live!, ["-t", "-d", root, "-f", join(root, "httpd.conf"), ...c.defines.flatMap((d) => ["-D", d])], { encoding: "utf8" });
        const out = normalize(`${r.stdout}${r.stderr}`, root);
        if (UPDATE) writeFileSync(answerFile, out);
        expect(out).toBe(readFileSync(answerFile, "utf8"));
      });

      it("apachelint agrees", () => {
        const answer = readAnswer(readFileSync(answerFile, "utf8"));
        const findings = lint(c);
        if (c.kind === "agree") {
          const errors = findings.filter((f) => f.severity === "error");
          expect(errors.map((f) => f.line)).toEqual(answer.ok ? [] : [answer.line]);
          // (module-not-loaded quotes "Invalid command 'X'" without the rest of Apache's sentence)
          if (!answer.ok) expect(errors[0]!.message).toContain(answer.message.replaceAll("@ROOT@", root).split(", perhaps")[0]);
        } else if (c.kind === "body-first") {
          expect(answer.ok).toBe(false);
          const elseLine = configOf(c).split("\n").findIndex((l) => /^\s*<Else>/i.test(l)) + 1;
          const errors = findings.filter((f) => f.severity === "error");
          expect(errors.map((f) => [f.line, f.ruleId])).toEqual([
            [elseLine, "conditional-invalid"],
            [answer.line, errors[1]?.ruleId],
          ]);
          expect(errors[1]!.message).toContain(answer.message.split(", perhaps")[0]);
        } else if (c.kind === "not-builtin") {
          expect(answer.ok).toBe(false);
          expect(answer.message).not.toContain("built-in");
          expect(findings.filter((f) => f.message.includes("built-in"))).toEqual([]);
        }
      });
    });
  }
});
