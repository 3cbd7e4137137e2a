// Lints an editor's document the way the command line lints a file named on
// it (src/cli/run.ts): the document's own .apachelintrc.json (severities,
// apacheVersion, ignorePatterns), what the Debian tree around it says about
// the server, and the files its Include/IncludeOptional lines lead to, each
// linted once with its own config and the ServerRoot Apache would have there.
// It knows nothing of LSP: it takes text and paths and gives findings.
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parse, type ConfigFile } from "../../grammar/index.js";
import { allRuleAliases, allRules } from "../../rules/index.js";
import { ConfigError, type Config } from "../cli/config.js";
import { fileKindOf, lintFile, type Finding, type LintOptions, type SeverityOverrides } from "../core/engine.js";
import { fixUntilStable } from "../core/fixer.js";
import type { Rule } from "../core/rule.js";
import { DebianTrees } from "../server/debian-tree.js";
import { IncludeResolver, type IncludeContext, type IncludeResult } from "../server/includes.js";
import { decode, InputError, readSource } from "../server/io.js";
import { LintedTrees, type LintedTree } from "../server/linted-tree.js";
import { withIncludes } from "../server/server-info.js";
import { CURRENT_APACHE, type ApacheVersion } from "../apache/version.js";
import { ConfigCache } from "./config-cache.js";
import { Startups } from "../server/startup.js";
import type { Platform } from "../data/platforms.js";
import { effectiveSeverities } from "../cli/selection.js";

export type LintFunction = (file: ConfigFile, options: LintOptions) => Finding[];

export interface SessionOptions {
  /** the lint of one parsed file (default: the engine's lintFile); tests pass one that fails */
  lint?: LintFunction;
  /**
   * Directories that are part of the linted tree, as the directories named on the
   * command line are (the editor's workspace folders): Includes may lead into them.
   */
  roots?: readonly string[];
  /** --server-root: where relative Include paths start when the config sets no ServerRoot */
  serverRoot?: string | null;
  /** --allow-outside */
  allowOutside?: readonly string[];
  /** --no-follow-includes when false */
  followIncludes?: boolean;
  /** --apache-version: wins over the config file's */
  apacheVersion?: ApacheVersion;
  /** --define: the -D names Apache is started with; win over the config file's and Debian's envvars */
  defines?: ReadonlySet<string>;
  /** --platform: whose build Apache is; wins over the config file's and the tree's layout */
  platform?: Platform;
}

/** One file's findings: the document's, or a file one of its Includes leads to. */
export interface LintedFile {
  uri: string;
  text: string;
  file: ConfigFile;
  findings: Finding[];
}

export type TreeResult =
  /** the document first, then the files its Includes lead to that are not open themselves */
  | { kind: "linted"; files: LintedFile[] }
  /** the document's config ignores it (ignorePatterns) */
  | { kind: "ignored"; config: string }
  /** the config that applies is broken: nothing is linted, as on the command line */
  | { kind: "config-error"; config: string; message: string };

/** A file an Include leads to that could not be linted (unreadable, binary, a broken config of its own). */
export interface Skipped {
  path: string;
  reason: string;
}

/** The absolute path of a file: URI, or null for other schemes (an untitled buffer has no place on disk). */
export function pathOfUri(uri: string): string | null {
  if (!uri.startsWith("file:")) return null;
  try {
    return fileURLToPath(uri);
  } catch {
    return null;
  }
}

export class LintSession {
  readonly configs: ConfigCache;
  private readonly rules: readonly Rule[] = allRules;
  private readonly knownRuleIds = allRules.map((r) => r.id);
  private readonly lint: LintFunction;

  constructor(private readonly options: SessionOptions = {}) {
    this.configs = new ConfigCache(new Set([...this.knownRuleIds, ...allRuleAliases.keys()]));
    this.lint = options.lint ?? lintFile;
  }

  /**
   * Lints the document `uri` with this text and, unless `isOpen` says the editor
   * has them open (their own lint reports them), the files its Includes lead to.
   * Throws what the lint throws.
   */
  lintTree(uri: string, text: string, isOpen: (uri: string) => boolean = () => false, skipped: Skipped[] = []): TreeResult {
    const run = new Run(this, this.options);
    const path = pathOfUri(uri);
    let config: Config | null;
    try {
      config = path ? this.configs.forDirectory(dirname(path)) : null;
    } catch (e) {
      if (e instanceof ConfigError) return { kind: "config-error", config: e.path, message: e.message };
      throw e;
    }
    if (path && config?.ignores(path)) return { kind: "ignored", config: config.path };
    const root = run.lintText(text, path ?? uri, path, config);
    const files: LintedFile[] = [{ uri, text, file: root.file, findings: root.findings }];
    if (path && this.options.followIncludes !== false) run.follow(path, root.includes, undefined, files, isOpen, skipped);
    return { kind: "linted", files };
  }

  /** The document's text with every safe fix applied, as `apachelint --fix` writes it. Throws ConfigError for a broken config. */
  fixSafe(uri: string, text: string): string {
    const run = new Run(this, this.options);
    const path = pathOfUri(uri);
    const config = path ? this.configs.forDirectory(dirname(path)) : null;
    return fixUntilStable(text, (t) => run.lintText(t, path ?? uri, path, config).findings, (f) => f.safety === "safe").output;
  }

  /** @internal: for Run */
  lintWith(file: ConfigFile, options: LintOptions): Finding[] {
    return this.lint(file, options);
  }

  /** @internal: for Run */
  baseOptions(config: Config | null): LintOptions {
    return {
      rules: this.rules,
      knownRuleIds: this.knownRuleIds,
      ruleAliases: allRuleAliases,
      // the config's "select"/"ignore" too, as the command line reads them
      severities: effectiveSeverities(this.rules, allRuleAliases, config) as SeverityOverrides,
      apacheVersion: this.options.apacheVersion ?? config?.apacheVersion ?? CURRENT_APACHE,
    };
  }
}

/**
 * One lint of a document and what it includes: what the file system says is
 * read once per run (the resolver's and the Debian trees' caches), as in one
 * CLI run, and read again by the next one, since files change under an editor.
 */
class Run {
  private readonly resolver: IncludeResolver;
  private readonly trees = new DebianTrees();
  private readonly linted: LintedTrees;
  private readonly serverRoot: string | null;
  private readonly startups: Startups;

  constructor(
    private readonly session: LintSession,
    options: SessionOptions,
  ) {
    this.resolver = new IncludeResolver({ readIncluded: options.followIncludes !== false });
    // -D names, platform and release as run.ts works them out: these options, else the config's, else the tree's
    this.startups = new Startups({
      ...(options.defines ? { defines: options.defines } : {}),
      ...(options.platform ? { platform: options.platform } : {}),
      ...(options.apacheVersion ? { version: options.apacheVersion } : {}),
    });
    this.linted = new LintedTrees(options.allowOutside ?? [], options.roots ?? []);
    this.serverRoot = options.serverRoot ?? null;
  }

  private treeOf(absolutePath: string): LintedTree {
    return this.linted.forFile(absolutePath, this.serverRoot, this.trees.rootOf(dirname(absolutePath)));
  }

  /** run.ts's lint of one text: the server it belongs to, its Includes resolved, then the rules. */
  lintText(text: string, name: string, absolutePath: string | null, config: Config | null, include?: IncludeContext) {
    const file = parse(text, name);
    const settings = config && { defines: config.defines, platform: config.platform, version: config.apacheVersion };
    const startup = this.startups.for(absolutePath ?? name, settings, absolutePath ? this.trees.rootOf(dirname(absolutePath)) : null);
    const options = { ...this.session.baseOptions(config), startup };
    if (absolutePath === null) return { file, findings: this.session.lintWith(file, options), includes: [] as IncludeResult[] };
    let server = this.trees.serverInfoFor(absolutePath, file);
    let includes: IncludeResult[] = [];
    // Include is not allowed in .htaccess: nothing to resolve there
    if (fileKindOf(absolutePath) === "server") {
      const context = include ?? { serverRoot: this.serverRoot ?? server.debianRoot, chain: [], tree: this.treeOf(absolutePath) };
      includes = this.resolver.resolveFile(file, this.resolver.realPath(absolutePath), context);
      server = withIncludes(server, includes, this.resolver.files);
    }
    return { file, findings: this.session.lintWith(file, { ...options, server }), includes };
  }

  /**
   * Lints the files `includes` lead to, depth first, each once by real path, in
   * the order run.ts does: a file's Includes are all claimed before any is read,
   * so a file reached twice is linted with the context of its first Include.
   */
  follow(path: string, includes: readonly IncludeResult[], context: IncludeContext | undefined, out: LintedFile[], isOpen: (uri: string) => boolean, skipped: Skipped[], seen = new Set([this.resolver.realPath(path)])): void {
    const tree = context?.tree ?? this.treeOf(path);
    const next: { path: string; context: IncludeContext }[] = [];
    for (const inc of includes) {
      const chain = [...(context?.chain ?? []), { path, realPath: this.resolver.realPath(path), line: inc.line }];
      for (const f of inc.files) {
        if (seen.has(f.realPath)) continue;
        seen.add(f.realPath);
        next.push({
          path: f.path,
          // (a getter: the ServerRoot is worked out only if the file has a relative Include)
          context: {
            get serverRoot() {
              return f.serverRoot;
            },
            chain,
            tree,
          },
        });
      }
    }
    for (const n of next) {
      const uri = pathToFileURL(n.path).href;
      if (isOpen(uri)) continue;
      let config: Config | null;
      let text: string;
      try {
        config = this.session.configs.forDirectory(dirname(resolve(n.path)));
        if (config?.ignores(n.path)) continue;
        text = decode(readSource(n.path).bytes).text;
      } catch (e) {
        if (!(e instanceof ConfigError || e instanceof InputError)) throw e;
        skipped.push({ path: e instanceof ConfigError ? e.path : n.path, reason: e.message });
        continue;
      }
      const r = this.lintText(text, n.path, n.path, config, n.context);
      out.push({ uri, text, file: r.file, findings: r.findings });
      this.follow(n.path, r.includes, n.context, out, isOpen, skipped, seen);
    }
  }
}
