import type { Argument, ConfigFile } from "../grammar/index.js";
import { defineRule, type FixSafety, type RelatedLocation, type Report, type RuleContext, type TextEdit } from "../src/core/rule.js";
import { deleteLines, moveLines } from "../src/core/edits.js";
import { DEBIAN_MODULE_DIR } from "../src/data/modules.js";
import { compiledIn, PLATFORMS, ALWAYS_BUILTIN } from "../src/data/platforms.js";
import { ConditionVerdicts, CONDITIONS_FACT, platformOf } from "../src/apache/conditions.js";
import type { ModuleInfo } from "../src/apache/modules.js";
import { commonModuleDir, dirOf, fileNameOf, loadModuleLines, loadModuleRows, moduleDirFor, type LoadModuleLine } from "../src/server/module-lines.js";

const DEBIAN_DIR = `${DEBIAN_MODULE_DIR}/`;

/** Replaces an argument's value, keeping its quotes. */
function replaceArg(arg: Argument, value: string): TextEdit {
  const q = arg.quote ?? "";
  return { start: arg.start, end: arg.end, text: `${q}${value}${q}` };
}

/** The edits that move line `what` to just before line `before`: the deletion first, then the insertion. */
function moveLineBefore(file: ConfigFile, what: LoadModuleLine, before: LoadModuleLine): TextEdit[] {
  const w = what.directive;
  const [ins, del] = moveLines(file, w.from, w.to, before.directive.from);
  return [del!, ins!];
}

const looksLikeDirectory = (path: string) => {
  const name = fileNameOf(path);
  return name === "" || !name.includes(".");
};
const isRelative = (path: string) => !path.startsWith("/") && !/^[A-Za-z]:/.test(path);

function checkLine(ctx: RuleContext, lines: readonly LoadModuleLine[], i: number): Report | null {
  const { file, server } = ctx;
  const l = lines[i]!;
  const d = l.directive;
  const id = l.id;
  if (!id) {
    return { message: "LoadModule without a module identifier and a shared object file: Apache refuses to start.", start: d.start, end: d.end };
  }
  if (l.byId && l.byFile && l.byId !== l.byFile) {
    return {
      message: `LoadModule ${id.value}: ${fileNameOf(l.path!.value)} holds ${l.byFile.id}, not ${l.byId.id}, so Apache refuses to start ("Can't locate API module structure").`,
      start: id.start,
      end: l.path!.end,
    };
  }
  const m: ModuleInfo | undefined = l.module;
  const problems: string[] = [];
  const edits: TextEdit[] = [];
  const related: RelatedLocation[] = [];
  let safety: FixSafety = "safe";
  let fixable = true;

  if (m && id.value !== m.id) {
    problems.push(`the identifier must be ${m.id} (the symbol ${m.file} exports), not ${id.value}`);
    edits.push(replaceArg(id, m.id));
  }

  const path = l.path;
  if (!path) {
    problems.push("the shared object file is missing");
    if (m) edits.push({ start: id.end, end: id.end, text: ` ${moduleDirFor(file, lines, server)}${m.file}` });
    else fixable = false;
  } else if (path.value.includes("${")) {
    // a Define'd or environment variable: only Apache knows what it expands to
  } else if (looksLikeDirectory(path.value)) {
    problems.push(`${path.value} names a directory, not a shared object`);
    if (m) {
      const written = path.value.endsWith("/") ? path.value : `${path.value}/`;
      edits.push(replaceArg(path, `${moduleDirFor(file, lines, server, written)}${m.file}`));
    } else fixable = false;
  } else if (m && l.byFile === m && isRelative(path.value)) {
    // Apache resolves it against ServerRoot. Debian's ServerRoot (/etc/apache2)
    // has no modules/ directory: certain in a Debian tree, and likely when the
    // file's other lines load from Debian's absolute directory (case d6).
    const others = commonModuleDir(lines.filter((x) => x !== l));
    if (server.debianRoot || others === DEBIAN_DIR) {
      problems.push(`${path.value} is resolved against ServerRoot, which on Debian has no ${dirOf(path.value) || "such"} directory (modules are in ${DEBIAN_MODULE_DIR})`);
      edits.push(replaceArg(path, `${DEBIAN_DIR}${m.file}`));
      if (!server.debianRoot) safety = "unsafe";
    }
  }

  // A module that links against another one's symbols loads only after it (d7).
  if (m && !l.conditional) {
    for (const dep of m.loadAfter) {
      const first = lines.findIndex((x) => !x.conditional && x.module?.name === dep);
      if (first <= i) continue;
      const later = lines[first]!;
      problems.push(`${m.file} needs ${later.module!.id} loaded first, but that comes later (line ${file.position(later.directive.start).line}), so it fails with "undefined symbol"`);
      related.push({ start: later.directive.start, end: later.directive.end, message: `${later.module!.id} is loaded here` });
      if (later.directive.parent === d.parent) edits.push(...moveLineBefore(file, later, l));
      else fixable = false;
    }
  }

  if (problems.length === 0) return null;
  const report: Report = {
    message: `LoadModule ${id.value}: ${problems.join("; ")}; Apache refuses to start.`,
    start: id.start,
    end: path ? path.end : id.end,
  };
  if (related.length) report.related = related;
  if (fixable && edits.length) {
    report.fix = { safety, title: m ? `Load ${m.id} from ${m.file} in the right place` : "Repair the LoadModule line", edits };
  }
  return report;
}

export default defineRule({
  id: "loadmodule-invalid",
  severity: "error",
  category: "correctness",
  severities: ["error", "warning"],
  description: "A LoadModule line with a wrong identifier, a path with no file, a duplicate or a wrong order",
  fixable: "unsafe",
  doc: {
    problem:
      "A LoadModule line Apache cannot execute: the module identifier is not the one the shared object exports (`proxy_wstunnel` instead of `proxy_wstunnel_module`), the path names a directory (`modules/`) or a directory that does not exist on this layout, a submodule is loaded before the module it links against (mod_proxy_wstunnel before mod_proxy), the module is compiled into this platform's Apache (`LoadModule log_config_module …` on Debian, where `apache2 -l` lists mod_log_config.c), or the same module is loaded twice.",
    bad: "LoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so\nLoadModule proxy_http_module modules/\nLoadModule proxy_wstunnel modules/",
    good: "LoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so\nLoadModule proxy_http_module /usr/lib/apache2/modules/mod_proxy_http.so\nLoadModule proxy_wstunnel_module /usr/lib/apache2/modules/mod_proxy_wstunnel.so",
    why:
      "Apache refuses to start, and `apache2 -t` names only one problem per run: `Cannot load modules/ into server: …/modules/: cannot open shared object file` (d3, d4, d6), then `Can't locate API module structure 'proxy_wstunnel'` once the path is right (d5), or `undefined symbol: ap_proxy_pass_brigade` for the wrong order (d7). The identifier is looked up with dlsym, so it is case-sensitive. A duplicate only draws the warning AH01574 (no file or line) and is skipped (d8), so it is reported as a warning. A compiled-in module is refused before the file is even opened: `module log_config_module is built-in and can't be loaded` (mod_so.c compares the identifier with every compiled-in `mod_*.c`; fixtures/conditionals/). Which modules are compiled in depends on the platform: Debian builds mod_log_config, mod_logio, mod_version, mod_unixd and mod_watchdog into apache2, RHEL and a default source build load them with LoadModule (src/data/platforms.ts). So this is said only where the platform is known (a Debian tree, conf.modules.d/, or --platform), and of mod_so (compiled in everywhere) always; not in a block Apache skips (`<IfModule !mod_version.c>`), and as a warning in one it may skip.",
    versions: "All 2.4 releases. The identifier/file table is Debian's apache2 2.4.71 (src/data/modules.ts); unknown third-party modules are checked only for a missing file name. Compiled-in modules: per platform (--platform debian|rhel|upstream).",
    fix:
      "Safe where the module is known: sets the identifier from the module table, appends the shared object's file name, moves the prerequisite LoadModule line above the submodule, deletes a duplicate line, and the line of a compiled-in module (it is there without it). A missing file name is completed with the directory the file's other LoadModule lines use; without any, Debian's absolute `/usr/lib/apache2/modules/` (it works whatever ServerRoot is), except in a RHEL-style tree (/etc/httpd, conf.modules.d), where the written `modules/` is kept. A relative path in a Debian layout is made absolute (safe in a Debian tree, unsafe when only inferred from the other lines).",
    cases: ["d3", "d4", "d5", "d6", "d7", "d8"],
  },
  create(ctx) {
    const { facts } = ctx;
    // a row scan of the line table, not the file's name index: most files have a handful of LoadModule lines or none
    const rows = loadModuleRows(ctx.file);
    if (rows.length === 0) return {};
    return { end: () => check(ctx, facts.shared("server/loadmodule-lines", () => loadModuleLines(ctx.file, rows))) };
  },
});

/**
 * mod_so.c refuses, before it opens any file, an identifier `X_module` when a
 * `mod_X.c` is compiled in ("module X_module is built-in and can't be loaded"):
 * which ones are depends on the platform (src/data/platforms.ts). Only said
 * where the platform is known, or of mod_so itself, compiled in everywhere;
 * not for a line in a block Apache skips.
 */
function builtinReport(ctx: RuleContext, l: LoadModuleLine): Report | null | undefined {
  const id = l.id;
  if (!id || id.value.length <= "_module".length || !id.value.endsWith("_module")) return undefined;
  const source = `mod_${id.value.slice(0, -"_module".length)}.c`;
  const platform = platformOf(ctx.server);
  if (compiledIn(source, platform) !== true) return undefined;
  const verdicts = ctx.facts.shared(CONDITIONS_FACT, (f) => new ConditionVerdicts(f, { server: ctx.server }));
  const row = l.directive.row;
  const reading = verdicts.reading(row);
  if (reading === false) return null;
  const build = ALWAYS_BUILTIN.has(source) ? "every build of Apache" : `${PLATFORMS[platform!].label}`;
  let when = "";
  if (reading === "unknown") {
    const t = ctx.file.table;
    let p = ctx.facts.parentRows[row]!;
    while (p >= 0 && verdicts.verdictAt(p) !== "unknown") p = ctx.facts.parentRows[p]!;
    if (p >= 0) when = ` when \`${ctx.file.text.slice(t.start[p]!, t.end[p]!)}\` is true`;
  }
  const d = l.directive;
  return {
    message: `LoadModule ${id.value}: ${source} is compiled into ${build}, so Apache refuses to start${when} ("module ${id.value} is built-in and can't be loaded"); the module is there without this line.`,
    ...(when ? { severity: "warning" as const } : {}),
    start: id.start,
    end: id.end,
    fix: { safety: "safe", title: "Delete the LoadModule line of a compiled-in module", edits: [deleteLines(ctx.file.text, d.from, d.to)] },
  };
}

function check(ctx: RuleContext, lines: readonly LoadModuleLine[]): void {
  const firstOf = new Map<string, LoadModuleLine>();
  lines.forEach((l, i) => {
    const builtin = builtinReport(ctx, l);
    if (builtin !== undefined) {
      // refused before the duplicate check and the file matter; skipped, it is nothing
      if (builtin) ctx.report(builtin);
      return;
    }
    const key = l.module?.name ?? l.id?.value;
    // Guarded lines (`<IfModule !mod_dav.c> LoadModule …`) may legitimately repeat a module.
    if (key !== undefined && !l.conditional) {
      const first = firstOf.get(key);
      if (first) {
        const line = ctx.file.position(first.directive.start).line;
        ctx.report({
          message: `${l.module?.id ?? key} is already loaded on line ${line}: Apache skips this LoadModule with warning AH01574.`,
          severity: "warning",
          start: l.directive.start,
          end: l.directive.end,
          related: [{ start: first.directive.start, end: first.directive.end, message: "first loaded here" }],
          fix: { safety: "safe", title: "Delete the duplicate LoadModule line", edits: [deleteLines(ctx.file.text, l.directive.from, l.directive.to)] },
        });
        return;
      }
      firstOf.set(key, l);
    }
    const r = checkLine(ctx, lines, i);
    if (r) ctx.report(r);
  });
}
