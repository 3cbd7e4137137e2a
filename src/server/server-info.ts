// What is known about the server a file belongs to: which modules it loads,
// and whether it manages modules at all. A lone vhost file does not: its
// modules are loaded elsewhere, so module rules must stay silent about it.
import type { ConfigFile } from "../../grammar/index.js";
import { moduleByName, type ModuleInfo } from "../apache/modules.js";
import type { Startup } from "../apache/conditions.js";
import type { FileAccess } from "./file-access.js";
import type { IncludeResult } from "./includes.js";
import { loadModuleLines } from "./module-lines.js";

export interface LoadedModule {
  readonly module: ModuleInfo | undefined;
  /** the identifier as written (may be wrong: loadmodule-invalid reports that) */
  readonly id: string;
  /** where it is loaded: a file path, with offsets when it is a LoadModule line in that file */
  readonly source: string;
  readonly start?: number;
  readonly end?: number;
}

export interface ServerInfo {
  /**
   * True when the modules this file's server loads are all known: a whole server config (one named
   * httpd.conf or apache2.conf, or one that loads an MPM) with its LoadModule lines, or a file of a
   * Debian tree with mods-enabled/. A fragment that loads a module or two of its own is not one.
   */
  readonly managesModules: boolean;
  /**
   * For a site or conf file of a Debian tree that Apache does not read yet (not linked into
   * sites-enabled/ or conf-enabled/): the command that will make it read ("a2ensite example"). It is
   * linted as it will be then; what would fail then is said so.
   */
  readonly notYetEnabled?: string;
  /** root of a Debian-style tree (/etc/apache2), where a2enmod is the way to load a module */
  readonly debianRoot: string | null;
  /** loaded modules by a2enmod name when known, else by identifier as written */
  readonly loaded: ReadonlyMap<string, LoadedModule>;
  /** is the module with this a2enmod name ("proxy_http") or identifier loaded? */
  isLoaded(nameOrId: string): boolean;
  /**
   * The file's Include/IncludeOptional lines as resolved on disk (src/includes.ts);
   * undefined when nobody looked (a text linted without its file system).
   */
  readonly includes?: readonly IncludeResult[];
  /** the file system, where there is one (see FileAccess) */
  readonly files?: FileAccess;
  /**
   * Names Apache's environment is known to hold when it reads the config: in a
   * Debian tree, what envvars exports (apache2ctl sources it). Case-sensitive,
   * as getenv is. Undefined when nothing is known.
   */
  readonly environment?: ReadonlySet<string>;
  /**
   * Lower-cased names set by a two-argument Define in the other files of a
   * Debian tree Apache reads (apache2.conf, ports.conf, *-enabled/). Undefined when not known.
   */
  readonly treeDefines?: ReadonlySet<string>;
  /**
   * Nicknames a two-argument LogFormat defines in the main server of the other files Apache
   * reads with this one (a Debian tree's apache2.conf: combined, common, vhost_combined, referer,
   * agent). Undefined when not known: logformat-undefined then stays silent unless the file is
   * the whole server (isSelfContained).
   */
  readonly treeLogFormats?: ReadonlySet<string>;
  /** Ports the Listen lines of the other files Apache reads with this one open. Undefined when not known. */
  readonly treeListenPorts?: ReadonlySet<number>;
  /**
   * How Apache is built and started, as far as it is known (--define, --platform,
   * --apache-version, a Debian tree's envvars): <IfDefine>, <IfVersion> and the
   * compiled-in modules are judged by it (src/apache/conditions.ts).
   */
  readonly startup?: Startup;
}

export function makeServerInfo(init: { managesModules: boolean; debianRoot?: string | null; notYetEnabled?: string; loaded: Iterable<LoadedModule> }): ServerInfo {
  const loaded = new Map<string, LoadedModule>();
  for (const l of init.loaded) {
    const key = l.module?.name ?? l.id.toLowerCase();
    if (!loaded.has(key)) loaded.set(key, l);
  }
  return {
    managesModules: init.managesModules,
    debianRoot: init.debianRoot ?? null,
    ...(init.notYetEnabled ? { notYetEnabled: init.notYetEnabled } : {}),
    loaded,
    isLoaded(nameOrId: string) {
      const m = moduleByName(nameOrId);
      return loaded.has(m ? m.name : nameOrId.toLowerCase());
    },
  };
}

/**
 * The modules a file loads with LoadModule. The module is recognised by its
 * identifier or, when the identifier is wrong, by its file name, so that a
 * typo is reported once (by loadmodule-invalid) and not again as a missing module.
 */
export function loadedModulesOf(file: ConfigFile): LoadedModule[] {
  const out: LoadedModule[] = [];
  for (const l of loadModuleLines(file)) {
    if (!l.id) continue;
    out.push({ module: l.loads, id: l.id.value, source: file.path, start: l.directive.start, end: l.directive.end });
  }
  return out;
}

const MAIN_CONFIG_NAMES = new Set(["httpd.conf", "apache2.conf"]);

/**
 * Is this file a whole server config, whose LoadModule lines are all the modules there are? One
 * named as a main config is, and so is one that loads an MPM (no server starts without one). A
 * conf.d/ or vhost file that loads mod_proxy_wstunnel itself is not: the main config loads the rest.
 */
export function isWholeServer(file: ConfigFile, loaded: readonly LoadedModule[]): boolean {
  const base = file.path.slice(Math.max(file.path.lastIndexOf("/"), file.path.lastIndexOf("\\")) + 1).toLowerCase();
  return MAIN_CONFIG_NAMES.has(base) || loaded.some((l) => l.module?.name.startsWith("mpm_"));
}

/** Server knowledge from a single file: its modules are known when it is a whole server config that loads them. */
export function serverInfoFromFile(file: ConfigFile): ServerInfo {
  const loaded = loadedModulesOf(file);
  return makeServerInfo({ managesModules: loaded.length > 0 && isWholeServer(file, loaded), loaded });
}

/** Attaches what is known of Apache's build and command line (nothing to attach: the same object). */
export function withStartup(info: ServerInfo, startup: Startup | undefined): ServerInfo {
  return startup === undefined || info.startup === startup ? info : { ...info, startup };
}

/** Attaches what the Includes of a file lead to. */
export function withIncludes(info: ServerInfo, includes: readonly IncludeResult[], files?: FileAccess): ServerInfo {
  return files ? { ...info, includes, files } : { ...info, includes };
}

/**
 * Is this file a whole server config, where a setting it and its Includes lack is not set at all?
 * In a Debian tree only apache2.conf is (mods-enabled/mpm_event.load loads an MPM and is a fragment);
 * elsewhere one named httpd.conf or apache2.conf, or one that loads an MPM and has a Listen line
 * (CentOS's conf.modules.d/00-mpm.conf loads an MPM and nothing else). Asked by several rules per
 * file: the answer is kept per file.
 */
export function isWholeServerConfig(file: ConfigFile, server: ServerInfo): boolean {
  let v = wholeServerConfigs.get(file);
  if (v === undefined) wholeServerConfigs.set(file, (v = wholeServerConfig(file, server)));
  return v;
}

const wholeServerConfigs = new WeakMap<ConfigFile, boolean>();

function wholeServerConfig(file: ConfigFile, server: ServerInfo): boolean {
  const base = file.path.slice(Math.max(file.path.lastIndexOf("/"), file.path.lastIndexOf("\\")) + 1).toLowerCase();
  if (server.debianRoot !== null) return base === "apache2.conf";
  if (MAIN_CONFIG_NAMES.has(base)) return true;
  // the name table first: a site file (no Listen, no LoadModule) is answered without reading a line
  const names = file.table.names;
  return names.includes("listen") && names.includes("loadmodule") && isWholeServer(file, loadedModulesOf(file));
}

/**
 * Is this file all of its server's configuration, so that a LogFormat nickname or a Listen port it
 * does not define is defined nowhere? It must be a whole server config (isWholeServer) outside a
 * Debian tree, and none of its Include/IncludeOptional lines may lead to a file, or to what was not
 * checked. `includeLines`: how many such lines the file has, for a text linted without its file system.
 */
export function isSelfContained(file: ConfigFile, server: ServerInfo, includeLines: number): boolean {
  if (server.debianRoot !== null || !isWholeServer(file, loadedModulesOf(file))) return false;
  if (server.includes) return server.includes.every((i) => i.files.length === 0 && i.path !== null && !i.outside && !i.problem);
  return includeLines === 0;
}
