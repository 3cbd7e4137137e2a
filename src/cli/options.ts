// The command line: commander parses it into what the CLI should do. Usage
// errors become one line on stderr and exit code 2, never a stack trace.
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { isSeveritySetting, parseApacheVersion, parseDefines, SEVERITY_SETTINGS } from "./config.js";
import { PLATFORM_NAMES, type Platform } from "../data/platforms.js";
import { parseDefine } from "../server/startup.js";
import type { RunOptions } from "./run.js";
import type { Severity } from "../core/rule.js";
import { CURRENT_APACHE, formatVersion } from "../apache/version.js";
import { parseLspArguments } from "../lsp/command-line.js";
import { CATEGORIES } from "../core/rule.js";
import { splitSelectors } from "./selection.js";

export type CliAction =
  | { kind: "lint"; options: RunOptions }
  | { kind: "list-rules" }
  | { kind: "explain"; ruleId: string }
  /** `apachelint lsp`: start the language server */
  | { kind: "lsp" }
  /** help or version was printed, or a usage error was reported */
  | { kind: "exit"; code: number };

export interface CliStreams {
  writeOut(text: string): void;
  writeErr(text: string): void;
}

function nonNegativeInteger(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError("expected a whole number of 0 or more.");
  return Number(value);
}

function ruleSetting(value: string, previous: Record<string, Severity | "off"> | undefined): Record<string, Severity | "off"> {
  const m = /^([^=\s]+)=(\S+)$/.exec(value.trim());
  if (!m) throw new InvalidArgumentError("expected <rule-id>=<severity>, e.g. bom=off.");
  const severity = m[2]!;
  if (!isSeveritySetting(severity)) throw new InvalidArgumentError(`severity must be one of ${SEVERITY_SETTINGS.join(", ")}.`);
  return { ...previous, [m[1]!]: severity };
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function defineSetting(value: string, previous: string[] | undefined): string[] {
  if (parseDefine(value) === null) throw new InvalidArgumentError("expected one word, as apache2 -D NAME takes it.");
  return [...(previous ?? []), value];
}

function apacheVersion(value: string) {
  const v = parseApacheVersion(value);
  if (!v) throw new InvalidArgumentError("expected a 2.4.x version such as 2.4.62.");
  return v;
}

const EPILOG = `
Paths may be files, directories (searched for *.conf and .htaccess, skipping
node_modules and .git) or glob patterns. Use - or --stdin to read standard input.
Files that Include/IncludeOptional lines lead to are linted too, each once;
relative Include paths start from ServerRoot (the config's, else --server-root,
else the Debian tree's root) and are not checked when none is known. An Include
that leads outside the linted tree (the directory of each file or directory
named, --server-root, the Debian tree's root) is neither read nor checked, one
info finding says so, unless --allow-outside names a directory holding it.

Conditional sections: <IfDefine NAME> is judged from the Define lines read
before it and, when known, the -D names Apache is started with (--define, the
config's "define", in a Debian tree APACHE_ARGUMENTS in envvars); <IfVersion>
from --apache-version (without it, only what holds for every 2.4 release);
<IfModule> of a module compiled in on some platforms from --platform (default:
the tree's layout, /etc/apache2 is debian, conf.modules.d/ is rhel). What is
not known stays undecided, and a block Apache may read is checked.

Configuration: .apachelintrc.json, looked up from each file's directory up to
the repository root; keys "rules", "select", "ignore", "apacheVersion",
"define", "platform", "ignorePatterns".

Selection (as in Ruff): --select and "select" take rule ids, categories
(${CATEGORIES.join(", ")}) or all; a select starts a new set, an ignore takes
rules out; the command line applies after the config file, and the most
specific name wins (--select security --ignore rewrite-var-sigil). A rule
that runs takes its severity from --rule and "rules" (off also turns it off).
--min-severity warning: warnings fail the run too; info findings are still
shown but never fail it. --baseline FILE hides the findings recorded in FILE
(matched by file, rule and the text of their line, so edits elsewhere keep
them known) and fails only on new ones; entries that no longer match are
counted on stderr. --baseline FILE --update-baseline (re)writes FILE.

Language server: apachelint lsp [--stdio] serves editors over stdin/stdout
(see apachelint lsp --help).

Exit codes:
  0  nothing at or above --min-severity (default: no errors), and no more
     warnings than --max-warnings; findings in the --baseline do not count
  1  such findings, too many warnings, or (with --diff) fixes to apply
  2  bad usage, a bad config file, or an input that could not be read or written`;

export function buildProgram(version: string, formatNames: readonly string[], streams: CliStreams): Command {
  const program = new Command("apachelint")
    .description("Lint and fix Apache httpd 2.4 configuration files.")
    .argument("[paths...]", "files, directories or globs to lint (default: .)")
    .option("--stdin", "lint standard input (same as the path -)")
    .option("--stdin-filename <path>", "name standard input is linted under (config lookup, .htaccess, output)")
    .option("--fix", "apply safe fixes to the files (with --stdin: print the fixed text)")
    .option("--unsafe-fixes", "also apply fixes that may change behaviour")
    .option("--diff", "print the fixes as a unified diff instead of writing them")
    .addOption(new Option("-f, --format <name>", "output format").choices([...formatNames]))
    .option("-o, --output-file <path>", "write the report to a file")
    .option("--max-warnings <n>", "fail (exit 1) when there are more warnings than this", nonNegativeInteger)
    .option("-q, --quiet", "report errors only")
    .option("--rule <id=severity>", `set a rule's severity: ${SEVERITY_SETTINGS.join("|")} (repeatable)`, ruleSetting)
    .option("--select <rules>", `run only these rule ids or categories (${CATEGORIES.join(", ")}, all); comma-separated, repeatable`, collect)
    .option("--ignore <rules>", "do not run these rule ids or categories; comma-separated, repeatable", collect)
    .addOption(new Option("--min-severity <level>", "the lowest severity that fails the run (default: error); lower ones are still reported").choices(["error", "warning", "info"]))
    .option("--baseline <file>", "hide (and do not fail on) the findings recorded in this file; report only new ones")
    .option("--update-baseline", "write this run's findings to the --baseline file, keeping other files' entries")
    .option("-c, --config <file>", "use this config file for every input")
    .option("--no-config", "use no config file")
    .option("--list-rules", "list the rules and exit")
    .option("--explain <rule>", "print a rule's documentation and exit")
    .option("--apache-version <x.y.z>", `Apache version the config targets (default: ${formatVersion(CURRENT_APACHE)}; <IfVersion>: any 2.4)`, apacheVersion)
    .option("--define <NAME>", "Apache is started with -D NAME (repeatable): the names given are all the -D there are", defineSetting)
    .addOption(new Option("--platform <name>", "whose build Apache is: which modules are compiled in (default: from the tree's layout)").choices([...PLATFORM_NAMES]))
    .option("--server-root <dir>", "ServerRoot for relative Include paths when the config sets none (like apache2 -d)")
    .option("--no-follow-includes", "do not lint the files Include and IncludeOptional lead to")
    .option("--allow-outside <dir>", "also read and check Includes that lead into this directory outside the linted tree (repeatable)", collect)
    .option("--cache", "reuse the results of files that did not change since the last run")
    .option("--cache-location <path>", "the cache file, or a directory to keep .apachelintcache in (default: ./.apachelintcache)")
    .option("--color", "force colored output")
    .option("--no-color", "disable colored output (also: NO_COLOR=1)")
    .version(version, "-v, --version", "print the version and exit")
    .helpOption("-h, --help", "show this help")
    .addHelpText("after", EPILOG)
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: streams.writeOut,
      writeErr: streams.writeErr,
      // commander's messages start with "error: " and may add a suggestion on a second line
      outputError: (str, write) => write(`apachelint: ${str.replace(/^error:\s*/, "").replace(/\s*\n\s*/g, " ").trim()}\n`),
    });
  return program;
}

interface ParsedOptions {
  stdin?: boolean;
  stdinFilename?: string;
  fix?: boolean;
  unsafeFixes?: boolean;
  diff?: boolean;
  format?: string;
  outputFile?: string;
  maxWarnings?: number;
  quiet?: boolean;
  rule?: Record<string, Severity | "off">;
  select?: string[];
  ignore?: string[];
  minSeverity?: Severity;
  baseline?: string;
  updateBaseline?: boolean;
  config?: string | false;
  listRules?: boolean;
  explain?: string;
  apacheVersion?: ReturnType<typeof apacheVersion>;
  define?: string[];
  platform?: Platform;
  color?: boolean;
  serverRoot?: string;
  followIncludes?: boolean;
  allowOutside?: string[];
  cache?: boolean;
  cacheLocation?: string;
}

/** Parses argv (without node and the script) into an action. */
export function parseCommandLine(argv: readonly string[], version: string, formatNames: readonly string[], streams: CliStreams): CliAction {
  const program = buildProgram(version, formatNames, streams);
  const usage = (msg: string): CliAction => {
    streams.writeErr(`apachelint: ${msg}\n`);
    return { kind: "exit", code: 2 };
  };
  // `lsp` is a subcommand with its own arguments (a file named lsp: ./lsp); not a commander
  // subcommand, which would make commander refuse every path that is not one
  if (argv[0] === "lsp") return parseLspArguments(argv.slice(1), streams);
  try {
    program.parse([...argv], { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) {
      const ok = e.code === "commander.helpDisplayed" || e.code === "commander.version";
      return { kind: "exit", code: ok ? 0 : 2 };
    }
    throw e;
  }
  const o = program.opts<ParsedOptions>();
  if (o.listRules) return { kind: "list-rules" };
  if (o.explain !== undefined) return { kind: "explain", ruleId: o.explain };

  let paths = program.args;
  let stdin = o.stdin === true;
  if (paths.includes("-")) {
    if (paths.length > 1) return usage("the path - (standard input) cannot be combined with other paths");
    paths = [];
    stdin = true;
  }
  if (stdin && paths.length > 0) return usage("--stdin cannot be combined with paths");
  if (o.stdinFilename !== undefined && !stdin) return usage("--stdin-filename needs --stdin or the path -");
  // --fix writes the fixes, --diff prints them and writes nothing: which one was meant is not for us to guess
  if (o.fix && o.diff) return usage("--fix and --diff cannot be combined: --fix writes the fixes, --diff only prints them as a patch");
  // flags that change nothing in this run: said on stderr (as Ruff hints), and the run goes on
  const notice = (msg: string) => streams.writeErr(`apachelint: ${msg}\n`);
  if (o.unsafeFixes && !o.fix && !o.diff) notice("--unsafe-fixes without --fix or --diff fixes nothing: unsafe fixes only count as fixable in the report");
  if (o.cacheLocation !== undefined && !o.cache) notice("--cache-location has no effect without --cache");
  if (o.updateBaseline && o.baseline === undefined) return usage("--update-baseline needs --baseline FILE: the file to write");
  if (o.updateBaseline && (o.diff || stdin)) return usage("--update-baseline records the findings of files on disk: not with --diff or standard input");
  if (o.cache && stdin) notice("--cache: standard input is not cached");
  const options: RunOptions = {
    paths,
    stdin,
    stdinFilename: o.stdinFilename,
    fix: o.fix === true,
    unsafeFixes: o.unsafeFixes === true,
    diff: o.diff === true,
    format: o.format,
    outputFile: o.outputFile,
    maxWarnings: o.maxWarnings,
    quiet: o.quiet === true,
    rules: o.rule ?? {},
    ...(o.select ? { select: splitSelectors(o.select) } : {}),
    ...(o.ignore ? { ignore: splitSelectors(o.ignore) } : {}),
    ...(o.minSeverity ? { minSeverity: o.minSeverity } : {}),
    ...(o.baseline !== undefined ? { baseline: o.baseline, updateBaseline: o.updateBaseline === true } : {}),
    config: o.config,
    apacheVersion: o.apacheVersion,
    defines: o.define ? (parseDefines(o.define) as Set<string>) : undefined,
    platform: o.platform,
    color: o.color,
    serverRoot: o.serverRoot,
    followIncludes: o.followIncludes !== false,
    allowOutside: o.allowOutside ?? [],
    cache: o.cache === true,
    cacheLocation: o.cacheLocation,
  };
  return { kind: "lint", options };
}
