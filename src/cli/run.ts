// One lint run: expand paths, find each file's config, read, lint, fix,
// report; returns the exit code. Everything it touches outside the file
// system comes in through RunEnvironment, so it runs the same from the CLI,
// from tests, or from another program.
import { closeSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { parse, type ConfigFile } from "../../grammar/index.js";
import { allRuleAliases, allRules } from "../../rules/index.js";
import { ConfigError, ConfigFinder, findRepoRoot, loadConfig, type Config } from "./config.js";
import { fileKindOf, lintFile, type Finding, type LintOptions, type SeverityOverrides } from "../core/engine.js";
import { expandPaths, type Target } from "./files.js";
import { fixUntilStable } from "../core/fixer.js";
import {
  InputError,
  MAX_FILE_BYTES,
  decode,
  describeFsError,
  encode,
  findNul,
  lineColumn,
  readSource,
  writeAtomic,
  WriteRefusedError,
  type SourceFile,
} from "../server/io.js";
import type { FileReport, FormatContext, Formatter } from "../formatters/report.js";
import { ruleAliases, type Fix, type Rule, type Severity } from "../core/rule.js";
import { DebianTrees } from "../server/debian-tree.js";
import { IncludeResolver, type IncludeContext, type IncludeResult } from "../server/includes.js";
import { commandLineBase, LintedTrees, type LintedTree } from "../server/linted-tree.js";
import { withIncludes, withStartup } from "../server/server-info.js";
import { Startups, startupKey } from "../server/startup.js";
import type { Platform } from "../data/platforms.js";
import { CURRENT_APACHE, type ApacheVersion } from "../apache/version.js";
import { links } from "./package-info.js";
import { didYouMean } from "./rule-suggestion.js";
import type { LintCache } from "./cache.js";
import { effectiveSeverities, selectorProblem } from "./selection.js";
import { Baseline, BaselineError } from "./baseline.js";

export interface RunOptions {
  /** files, directories, globs; empty = the working directory */
  paths: readonly string[];
  /** lint standard input instead of paths */
  stdin: boolean;
  /** the name standard input is linted under (config lookup, .htaccess kind, output) */
  stdinFilename?: string | undefined;
  fix: boolean;
  unsafeFixes: boolean;
  /** print fixes as a unified diff instead of writing them */
  diff: boolean;
  /** a formatter name; default: stylish on a terminal, unix otherwise, github under GitHub Actions */
  format?: string | undefined;
  outputFile?: string | undefined;
  maxWarnings?: number | undefined;
  /** report errors only */
  quiet: boolean;
  /** --rule overrides, applied over the config file's */
  rules: Readonly<Record<string, Severity | "off">>;
  /** --select / --ignore: rule ids or categories, applied after the config file's (src/cli/selection.ts) */
  select?: readonly string[] | undefined;
  ignore?: readonly string[] | undefined;
  /** --min-severity: the lowest severity that fails the run (default: error) */
  minSeverity?: Severity | undefined;
  /** --baseline FILE: findings recorded there are hidden and do not fail the run (src/cli/baseline.ts) */
  baseline?: string | undefined;
  /** --update-baseline: write this run's findings to the baseline file */
  updateBaseline?: boolean | undefined;
  /** a config file for every input; false: none; undefined: look up .apachelintrc.json per file */
  config?: string | false | undefined;
  apacheVersion?: ApacheVersion | undefined;
  /** --define: the -D names Apache is started with, all of them */
  defines?: ReadonlySet<string> | undefined;
  /** --platform: whose build Apache is (which modules are compiled in) */
  platform?: Platform | undefined;
  /** undefined: on for a terminal unless NO_COLOR is set */
  color?: boolean | undefined;
  /** the ServerRoot relative Include paths start from when the config sets none (like `apache2 -d`) */
  serverRoot?: string | undefined;
  /** lint the files Include/IncludeOptional lines lead to (default true; never for standard input) */
  followIncludes?: boolean | undefined;
  /** directories outside the linted tree whose files Includes may still read (--allow-outside) */
  allowOutside?: readonly string[] | undefined;
  /** --cache: reuse the results of files that did not change (src/cli/cache.ts; never for standard input) */
  cache?: boolean | undefined;
  /** the cache file, or a directory for .apachelintcache (default: .apachelintcache in cwd) */
  cacheLocation?: string | undefined;
}

export interface Output {
  write(data: string | Uint8Array): unknown;
  isTTY?: boolean;
  /** a terminal's width (Node's tty.WriteStream has it) */
  columns?: number;
}

export interface RunEnvironment {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  stdout: Output;
  stderr: Output;
  readStdin(): Promise<Uint8Array>;
  /** the formatter called `name` (the CLI loads it on demand, so it may come as a promise) */
  formatFor(name: string): Formatter | Promise<Formatter>;
  formatNames: readonly string[];
  toolVersion: string;
  rules?: readonly Rule[];
  maxFileBytes?: number;
  /** called just before a file is read (tests remove it here: a path that disappears after it was listed) */
  beforeRead?: (path: string) => void;
  /** called after a fixed file's replacement is ready and before it is checked and renamed into place */
  beforeReplace?: (path: string) => void;
}

export const EXIT_OK = 0;
export const EXIT_PROBLEMS = 1;
export const EXIT_FAILURE = 2;

/** `path` relative to cwd when inside it, else absolute; `/`-separated either way. */
export function displayPath(absolutePath: string, cwd: string): string {
  const rel = relative(cwd, absolutePath);
  const shown = rel === "" ? "." : isOutside(rel) ? absolutePath : rel;
  return shown.split(sep).join("/");
}

/** Is a path.relative() result outside its base? */
export function isOutside(rel: string): boolean {
  return rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel);
}

export function defaultFormat(env: RunEnvironment["env"], terminal: boolean, names: readonly string[]): string {
  if (env.GITHUB_ACTIONS === "true" && names.includes("github")) return "github";
  return terminal ? "stylish" : "unix";
}

/**
 * The width the stylish rows are cut to: the terminal's, else COLUMNS; none
 * (nothing is cut) for a pipe or a file without COLUMNS, or with -o.
 */
export function reportColumns(destination: Output | undefined, env: RunEnvironment["env"]): number | undefined {
  if (!destination) return undefined;
  if (destination.isTTY && destination.columns && destination.columns > 0) return destination.columns;
  const n = Number(env.COLUMNS);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

const withColumns = (columns: number | undefined) => (columns === undefined ? {} : { columns });

/** --color / --no-color win; then NO_COLOR (any non-empty value); then: is the report going to a terminal? */
export function useColor(option: boolean | undefined, env: RunEnvironment["env"], terminal: boolean): boolean {
  if (option !== undefined) return option;
  if (env.NO_COLOR) return false;
  return terminal;
}


interface Input {
  absolutePath: string;
  display: string;
  explicit: boolean;
  config: Config | null;
  /** how an Include reached it; undefined for a file linted on its own */
  include?: IncludeContext;
}


export async function run(options: RunOptions, env: RunEnvironment): Promise<number> {
  const err = (line: string) => env.stderr.write(encode(`apachelint: ${line}\n`));
  const rules = env.rules ?? allRules;
  // a former id (websocket-module-missing) is still a rule's name in --rule and in configs
  const aliases = env.rules ? ruleAliases(rules) : allRuleAliases;
  const known = new Set([...rules.map((r) => r.id), ...aliases.keys()]);
  for (const id of Object.keys(options.rules)) {
    if (!known.has(id)) {
      err(`--rule: unknown rule "${id}"${didYouMean(id, known)} (see --list-rules)`);
      return EXIT_FAILURE;
    }
  }
  for (const [flag, list] of [["--select", options.select], ["--ignore", options.ignore]] as const) {
    for (const s of list ?? []) {
      const problem = selectorProblem(s, known);
      if (problem) {
        err(`${flag}: ${problem}`);
        return EXIT_FAILURE;
      }
    }
  }
  if (options.format !== undefined && !env.formatNames.includes(options.format)) {
    err(`--format: unknown format "${options.format}" (one of: ${env.formatNames.join(", ")})`);
    return EXIT_FAILURE;
  }
  const cwd = env.cwd;
  let serverRoot: string | null = null;
  if (options.serverRoot !== undefined) {
    serverRoot = resolve(cwd, options.serverRoot);
    if (!isDirectory(serverRoot)) {
      err(`--server-root: ${options.serverRoot}: not a directory`);
      return EXIT_FAILURE;
    }
  }
  const allowOutside: string[] = [];
  for (const d of options.allowOutside ?? []) {
    const abs = resolve(cwd, d);
    if (!isDirectory(abs)) {
      err(`--allow-outside: ${d}: not a directory`);
      return EXIT_FAILURE;
    }
    allowOutside.push(abs);
  }
  let baseline: Baseline | undefined;
  if (options.baseline !== undefined) {
    try {
      baseline = Baseline.open(resolve(cwd, options.baseline), options.updateBaseline === true);
    } catch (e) {
      if (!(e instanceof BaselineError)) throw e;
      err(`--baseline: ${options.baseline}: ${e.message}`);
      return EXIT_FAILURE;
    }
  }
  let inputFailures = 0;
  const fail = (path: string, reason: string) => {
    inputFailures++;
    err(`${path}: ${reason}`);
  };

  // Which config applies to each input; a broken config stops the run before anything is linted.
  const finder = new ConfigFinder(known);
  let fixedConfig: Config | null = null;
  const configFor = (absolutePath: string): Config | null => {
    if (options.config === false) return null;
    if (typeof options.config === "string") return fixedConfig;
    return finder.forDirectory(dirname(absolutePath));
  };

  const inputs: Input[] = [];
  /** real paths the path expansion already resolved */
  const knownReal = new Map<string, string>();
  let stdinBytes: Uint8Array | undefined;
  try {
    if (typeof options.config === "string") fixedConfig = loadConfig(resolve(cwd, options.config), known);
    if (options.stdin) {
      const absolutePath = options.stdinFilename ? resolve(cwd, options.stdinFilename) : join(cwd, "<stdin>");
      const display = options.stdinFilename ? displayPath(absolutePath, cwd) : "<stdin>";
      inputs.push({ absolutePath, display, explicit: true, config: configFor(absolutePath) });
    } else {
      const expansion = await expandPaths(options.paths.length ? options.paths : ["."], cwd);
      for (const p of expansion.problems) fail(p.path, p.reason);
      for (const t of expansion.targets) {
        inputs.push(inputFor(t, cwd, configFor(t.absolutePath)));
        if (t.realPath !== undefined) knownReal.set(t.absolutePath, t.realPath);
      }
    }
  } catch (e) {
    if (e instanceof ConfigError) {
      err(`${displayPath(e.path, cwd)}: ${e.message}`);
      return EXIT_FAILURE;
    }
    throw e;
  }

  if (options.stdin) {
    try {
      stdinBytes = await env.readStdin();
    } catch (e) {
      fail("<stdin>", describeFsError(e));
    }
  }

  // ESLint's TIMING: where lint time goes, per rule, on stderr
  const timing = env.env.APACHELINT_TIMING ? new Map<string, number>() : undefined;
  const reports: FileReport[] = [];
  // counted over every finding of each final text, before -q filtering
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  // counted over the findings shown: -q says nothing of fixes for the findings it hides
  let unsafeFixesLeft = 0;
  const patches: string[] = [];
  const diff = options.diff ? await import("./diff.js") : undefined;
  let stdinOutput: Uint8Array | undefined;
  const maxBytes = env.maxFileBytes ?? MAX_FILE_BYTES;

  // Included files join the inputs right after the file that includes them, once each (by real path).
  const follow = options.followIncludes !== false && !options.stdin;
  const resolver = new IncludeResolver({ readIncluded: follow });
  // what is known about the server a file belongs to: in a Debian tree
  // (/etc/apache2) the modules a2enmod enabled, else what the file itself loads
  const trees = new DebianTrees();
  // -D names, platform and release: the command line's, else the config's, else the tree's (src/server/startup.ts)
  const startups = new Startups({
    ...(options.defines ? { defines: options.defines } : {}),
    ...(options.platform ? { platform: options.platform } : {}),
    ...(options.apacheVersion ? { version: options.apacheVersion } : {}),
  });
  // where Includes may lead (src/server/linted-tree.ts): chosen by the command line, not by the configs
  const linted = new LintedTrees(allowOutside, options.stdin ? [] : options.paths.map((p) => commandLineBase(p, cwd)));
  const treeOf = (absolutePath: string): LintedTree => linted.forFile(absolutePath, serverRoot, trees.rootOf(dirname(absolutePath)));
  const realOf = (p: string) => (options.stdin ? p : (knownReal.get(p) ?? resolver.realPath(p)));
  /** by real path: the input that lints it, and whether it has been linted */
  const byRealPath = new Map<string, { input: Input | null; done: boolean }>();
  for (const input of inputs) byRealPath.set(realOf(input.absolutePath), { input, done: false });

  // the same for every file: what differs is the config's severities and version
  const knownRuleIds = allRules.map((r) => r.id);
  // ESLint's --quiet: when only errors are shown and nothing else depends on the
  // other findings (fixing, --max-warnings), rules that cannot report an error do not run
  const errorsOnly =
    options.quiet && !options.fix && !options.diff && options.maxWarnings === undefined && (options.minSeverity ?? "error") === "error" && !options.updateBaseline;
  const severitiesOf = new Map<Config | null, SeverityOverrides>();
  const severitiesFor = (config: Config | null): SeverityOverrides => {
    let s = severitiesOf.get(config);
    if (!s) severitiesOf.set(config, (s = effectiveSeverities(rules, aliases, config, { rules: options.rules, select: options.select, ignore: options.ignore }) as SeverityOverrides));
    return s;
  };

  // --cache (src/cli/cache.ts): loaded only when asked for
  let cache: LintCache | undefined;
  let cacheKeyOf: ((absolutePath: string, display: string, realPath: string, o: LintOptions) => string) | undefined;
  let includeSignature: ((r: readonly IncludeResult[]) => string) | undefined;
  if (options.cache && !options.stdin) {
    const [store, keys] = await Promise.all([import("./cache.js"), import("./cache-key.js")]);
    const header = keys.cacheHeader({ toolVersion: env.toolVersion, ruleIds: rules.map((r) => r.id), errorsOnly, followIncludes: follow, serverRoot, allowOutside });
    cache = store.LintCache.open(store.cacheFilePath(resolve(cwd, options.cacheLocation ?? store.CACHE_FILE_NAME)), header);
    const stamps = new keys.TreeStamps();
    cacheKeyOf = (absolutePath, display, realPath, o) => {
      const debianRoot = trees.rootOf(dirname(absolutePath));
      return keys.fileKey({
        display,
        realPath,
        kind: fileKindOf(absolutePath),
        severities: o.severities ?? {},
        apacheVersion: JSON.stringify(o.apacheVersion) + startupKey(o.startup),
        debianRoot,
        treeStamp: debianRoot === null ? null : stamps.of(debianRoot),
      });
    };
    includeSignature = keys.includeSignature;
  }

  // Files are read one at a time, synchronously, each just before it is
  // linted: at most one file's bytes are held besides the reports. (Reading
  // ahead through fs.promises was measured on a 10,000-file tree: the
  // FileHandle machinery cost more CPU than it hid, 3.8 s -> 6.9 s.)
  for (let i = 0; i < inputs.length; i++) {
    const input = inputs[i]!;
    const { absolutePath, display, config } = input;
    if (config?.ignores(absolutePath)) {
      if (input.explicit) err(`${display}: ignored by ignorePatterns in ${displayPath(config.path, cwd)}`);
      if (options.stdin && options.fix && stdinBytes) stdinOutput = stdinBytes;
      continue;
    }
    const lintOptions: LintOptions = {
      rules,
      knownRuleIds,
      ruleAliases: aliases,
      ...(timing ? { timing } : {}),
      ...(errorsOnly ? { minSeverity: "error" as const } : {}),
      severities: severitiesFor(config),
      apacheVersion: options.apacheVersion ?? config?.apacheVersion ?? CURRENT_APACHE,
      startup: startups.for(absolutePath, config && { defines: config.defines, platform: config.platform, version: config.apacheVersion }, trees.rootOf(dirname(absolutePath))),
    };
    const realPath = realOf(absolutePath);
    const accept = (f: Fix) => options.unsafeFixes || f.safety === "safe";
    // --cache: the result recorded for this file under these settings; with --fix or --diff, one with a fix to apply is fixed anew
    const cacheKey = cacheKeyOf?.(absolutePath, display, realPath, lintOptions);
    const recorded = cacheKey === undefined ? undefined : cache!.lookup(absolutePath, cacheKey);
    const reusable = recorded && !((options.fix || options.diff) && recorded.findings.some((f) => f.fix && accept(f.fix))) ? recorded : undefined;
    // not even read when its stat vouches for its bytes and it has no Include lines to resolve again
    const unread = reusable !== undefined && reusable.includes === undefined && cache!.stampHolds(absolutePath, reusable) && cache!.depsHold(reusable);
    let source: SourceFile | undefined;
    let bytes: Uint8Array | undefined;
    let readAt: number | undefined;
    if (options.stdin) {
      if (!stdinBytes) continue;
      if (stdinBytes.length > maxBytes) {
        fail(display, `input too large (the limit is ${maxBytes} bytes)`);
        continue;
      }
      const nul = findNul(stdinBytes);
      if (nul !== -1) {
        fail(display, `binary input (NUL byte at offset ${nul})`);
        continue;
      }
      bytes = stdinBytes;
    } else if (!unread) {
      readAt = Date.now();
      env.beforeRead?.(absolutePath);
      try {
        source = readSource(absolutePath, maxBytes);
      } catch (e) {
        if (e instanceof InputError) {
          cache?.failed(absolutePath);
          fail(display, e.message);
          continue;
        }
        throw e;
      }
      bytes = source.bytes;
    }
    const decoded = bytes ? decode(bytes) : undefined;
    let notice: string | undefined;
    if (decoded && decoded.firstInvalid !== -1) {
      const at = lineColumn(decoded.text, decoded.firstInvalid);
      const hex = decoded.invalidByte.toString(16).toUpperCase().padStart(2, "0");
      notice = `${display}: not valid UTF-8 (first bad byte 0x${hex} at ${at.line}:${at.column}); linted with the bytes kept as they are`;
    } else if (unread) notice = reusable.notice;
    if (notice) err(notice);

    const entry = byRealPath.get(realPath);
    if (entry) entry.done = true;
    let includes: IncludeResult[] | undefined;
    const serverFor = (file: ConfigFile) => {
      let server = withStartup(trees.serverInfoFor(absolutePath, file), lintOptions.startup);
      // Include is not allowed in .htaccess: nothing to resolve there
      if (fileKindOf(absolutePath) === "server") {
        const context = input.include ?? { serverRoot: serverRoot ?? server.debianRoot, chain: [], tree: treeOf(absolutePath) };
        const found = resolver.resolveFile(file, realPath, context, { server });
        includes ??= found;
        server = withIncludes(server, found, resolver.files);
      }
      return server;
    };
    const lint = (text: string): Finding[] => {
      const file = parse(text, display);
      return lintFile(file, { ...lintOptions, server: serverFor(file) });
    };
    // (empty when the cache vouched for the file without reading it)
    const before = decoded?.text ?? "";
    // the recorded result holds when the bytes, what the Includes pulled in, and where they lead are as they were
    let hit = unread ? reusable : undefined;
    if (!hit && reusable && bytes && cache!.sameBytes(absolutePath, bytes, reusable) && cache!.depsHold(reusable)) {
      if (reusable.includes !== undefined) serverFor(parse(before, display));
      if (reusable.includes === undefined || includeSignature!(includes ?? []) === reusable.includes) hit = reusable;
    }
    let after = before;
    let findings: Finding[];
    let fixesApplied = 0;
    if (hit) {
      findings = hit.findings;
    } else if (options.fix || options.diff) {
      const result = fixUntilStable(before, lint, accept);
      after = result.output;
      findings = result.findings;
      fixesApplied = result.applied.length;
    } else {
      findings = lint(before);
    }

    if (options.diff) {
      if (after !== before) patches.push(diff!.unifiedDiff(diff!.patchPath(absolutePath, diffRoot(absolutePath, cwd)), before, after));
    } else if (options.fix && options.stdin) {
      stdinOutput = after === before ? bytes! : encode(after);
    } else if (options.fix && after !== before && source) {
      try {
        writeAtomic(absolutePath, encode(after), source, env.beforeReplace ? { beforeReplace: env.beforeReplace } : {});
      } catch (e) {
        fail(display, e instanceof WriteRefusedError ? e.message : `cannot write the fixed file: ${describeFsError(e)}`);
        // nothing was written: report the file as it is on disk
        after = before;
        findings = lint(before);
        fixesApplied = 0;
      }
    }
    if (cache && cacheKey !== undefined) {
      const included = (includes ?? []).flatMap((r) => r.files.map((f) => f.path));
      const read = source && readAt !== undefined ? { stat: source.stat, at: readAt } : undefined;
      if (hit) cache.reused(absolutePath, hit, read, included);
      else {
        // findings of fixed text that was not written (--diff) or was (--fix) do not describe the bytes read
        const kept = after === before ? { findings, ...(notice ? { notice } : {}), ...(includes?.length ? { includes: includeSignature!(includes) } : {}) } : null;
        cache.linted(absolutePath, cacheKey, bytes!, read, kept, included);
      }
    }
    if (follow && includes) {
      const found: Input[] = [];
      // an included file is inside the tree of the file that includes it, and keeps that tree
      const tree = input.include?.tree ?? treeOf(absolutePath);
      for (const inc of includes) {
        const chain = [...(input.include?.chain ?? []), { path: display, realPath, line: inc.line }];
        for (const f of inc.files) {
          // (a getter: the ServerRoot is worked out only if the file has a relative Include)
          const contextIn = (t: LintedTree): IncludeContext => ({
            get serverRoot() {
              return f.serverRoot;
            },
            chain,
            tree: t,
          });
          const context = contextIn(tree);
          const seen = byRealPath.get(f.realPath);
          if (seen) {
            // also named on the command line and not linted yet: linted once, knowing how
            // Apache reaches it (within its own tree too: it was named)
            if (seen.input && !seen.done && !seen.input.include) seen.input.include = contextIn(tree.union(treeOf(seen.input.absolutePath)));
            continue;
          }
          let included: Input | null = null;
          try {
            included = { ...inputFor({ absolutePath: f.path, explicit: false }, cwd, configFor(f.path)), include: context };
            found.push(included);
          } catch (e) {
            if (!(e instanceof ConfigError)) throw e;
            fail(displayPath(e.path, cwd), e.message);
          }
          byRealPath.set(f.realPath, { input: included, done: false });
        }
      }
      // (no spread: an Include of a large tree may bring more files than a call takes arguments)
      if (found.length > 0) insertAfter(inputs, i, found);
    }
    if (baseline) {
      const text = () => (options.diff ? before : after) || readText(absolutePath);
      if (options.updateBaseline) {
        baseline.record(absolutePath, findings, text);
        findings = [];
      } else findings = baseline.filter(absolutePath, findings, text);
    }
    for (const f of findings) {
      if (f.severity === "error") errors++;
      else if (f.severity === "warning") warnings++;
      else infos++;
    }
    const shown = clipMessages(options.quiet ? findings.filter((f) => f.severity === "error") : findings);
    for (const f of shown) if (f.fix?.safety === "unsafe") unsafeFixesLeft++;
    const report: FileReport = {
      path: display,
      absolutePath,
      findings: shown,
      // the formats read the text only for a file with findings or fixes: the others need not keep it
      source: shown.length > 0 || fixesApplied > 0 ? (options.diff ? before : after) : "",
      fixesApplied,
    };
    // a result the cache vouched for without reading the file: its text is read if a format asks for it
    if (!bytes && shown.length > 0) Object.defineProperty(report, "source", { enumerable: true, get: once(() => readText(absolutePath)) });
    reports.push(report);
  }
  if (cache) {
    const problem = cache.save();
    if (problem) err(`--cache: cannot write ${displayPath(cache.path, cwd)}: ${problem}`);
    const s = cache.stats;
    if (env.env.APACHELINT_DEBUG_CACHE) err(`cache: ${s.reused} reused (${s.unread} of them not read), ${s.linted} linted`);
  }

  // stdout carries the patch or the fixed text when there is one; the report then goes to stderr
  const stdoutTaken = options.diff || (options.fix && options.stdin);
  if (options.diff) env.stdout.write(encode(patches.join("")));
  if (stdinOutput) env.stdout.write(stdinOutput);

  const hiddenUnsafeFixes = options.unsafeFixes ? 0 : unsafeFixesLeft;

  const destination = options.outputFile ? undefined : stdoutTaken ? env.stderr : env.stdout;
  const terminal = destination?.isTTY === true;
  const format = options.format ?? defaultFormat(env.env, terminal, env.formatNames);
  const ctx: FormatContext = {
    cwd,
    color: useColor(options.color, env.env, terminal),
    rules,
    toolVersion: env.toolVersion,
    hiddenUnsafeFixes,
    unsafeFixes: options.unsafeFixes,
    // the rule pages in the repository package.json names (else the installed ones)
    docsUrl: links.docsUrl,
    ...(links.homepage ? { homepage: links.homepage } : {}),
    ...withColumns(reportColumns(destination, env.env)),
  };
  const formatter = await env.formatFor(format);
  if (options.outputFile) {
    const out = resolve(cwd, options.outputFile);
    try {
      mkdirSync(dirname(out), { recursive: true });
      if (formatter.stream) {
        const fd = openSync(out, "w");
        try {
          formatter.stream(reports, ctx, (chunk) => {
            const data = encode(chunk);
            let off = 0;
            while (off < data.length) off += writeSync(fd, data, off, data.length - off);
          });
        } finally {
          closeSync(fd);
        }
      } else writeFileSync(out, encode(formatter(reports, ctx)));
    } catch (e) {
      err(`${options.outputFile}: cannot write the report: ${describeFsError(e)}`);
      return EXIT_FAILURE;
    }
  } else if (formatter.stream) {
    // written in pieces: a report of a million findings is never one string
    formatter.stream(reports, ctx, (chunk) => void destination!.write(encode(chunk)));
  } else {
    const text = formatter(reports, ctx);
    if (text) destination!.write(encode(text));
  }
  if (hiddenUnsafeFixes > 0 && format !== "stylish") {
    err(`${hiddenUnsafeFixes} more ${hiddenUnsafeFixes === 1 ? "fix is" : "fixes are"} available with --unsafe-fixes`);
  }
  const tooManyWarnings = options.maxWarnings !== undefined && warnings > options.maxWarnings;
  if (tooManyWarnings) err(`too many warnings (${warnings}); --max-warnings allows ${options.maxWarnings}`);

  if (baseline) {
    const shownPath = options.baseline!;
    if (options.updateBaseline) {
      try {
        const n = baseline.write();
        err(`--baseline: ${shownPath}: recorded ${n} finding${n === 1 ? "" : "s"}`);
      } catch (e) {
        if (!(e instanceof BaselineError)) throw e;
        err(`--baseline: ${shownPath}: ${e.message}`);
        return EXIT_FAILURE;
      }
    } else if (baseline.hidden > 0 || baseline.stale > 0) {
      const stale = baseline.stale > 0 ? `; ${baseline.stale} no longer found (fixed? --update-baseline drops them)` : "";
      err(`--baseline: ${shownPath}: ${baseline.hidden} known finding${baseline.hidden === 1 ? "" : "s"} not shown${stale}`);
    }
  }
  if (timing) {
    const rows = [...timing].sort((a, b) => b[1] - a[1]);
    const total = rows.reduce((n, [, ms]) => n + ms, 0);
    env.stderr.write(encode(`rule${" ".repeat(30)}ms      %\n` + rows.map(([id, ms]) => `${id.padEnd(32)}${ms.toFixed(1).padStart(8)} ${((100 * ms) / (total || 1)).toFixed(1).padStart(6)}\n`).join("")));
  }
  if (inputFailures > 0) return EXIT_FAILURE;
  const failing = { error: errors, warning: errors + warnings, info: errors + warnings + infos }[options.minSeverity ?? "error"];
  if (failing > 0 || tooManyWarnings) return EXIT_PROBLEMS;
  if (options.diff && patches.length > 0) return EXIT_PROBLEMS;
  return EXIT_OK;
}

/** A message longer than this (one quoting a 10 MB argument) keeps its start and end. */
const MAX_MESSAGE = 1000;

function clipMessages(findings: Finding[]): Finding[] {
  if (!findings.some((f) => f.message.length > MAX_MESSAGE)) return findings;
  return findings.map((f) => {
    if (f.message.length <= MAX_MESSAGE) return f;
    const left = f.message.length - 900;
    return { ...f, message: `${f.message.slice(0, 600)} … (${left} characters left out) … ${f.message.slice(-300)}` };
  });
}

/** Is there a directory at p? (No for a loop of symbolic links, which stat refuses with ELOOP.) */
function isDirectory(p: string): boolean {
  try {
    return statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
  } catch {
    return false;
  }
}

/** f, called at most once */
function once<T>(f: () => T): () => T {
  let value: { v: T } | undefined;
  return () => (value ??= { v: f() }).v;
}

/** A file's text as linting reads it; "" if it cannot be read now. */
function readText(absolutePath: string): string {
  try {
    return decode(readFileSync(absolutePath)).text;
  } catch {
    return "";
  }
}

/** Puts `items` into `list` after index i, in place, without spreading them into one call. */
function insertAfter<T>(list: T[], i: number, items: readonly T[]): void {
  const tail = list.splice(i + 1);
  for (const x of items) list.push(x);
  for (const x of tail) list.push(x);
}

function inputFor(t: Target, cwd: string, config: Config | null): Input {
  return { absolutePath: t.absolutePath, display: displayPath(t.absolutePath, cwd), explicit: t.explicit, config };
}

/** Patches name files from the repository root, else from the working directory when inside it, else from `/`. */
function diffRoot(absolutePath: string, cwd: string): string {
  const repo = findRepoRoot(dirname(absolutePath));
  if (repo) return repo;
  const rel = relative(cwd, absolutePath);
  return isOutside(rel) ? resolve("/") : cwd;
}
