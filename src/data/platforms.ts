// Which modules each platform's Apache has compiled in (`apache2 -l` / `httpd -l`):
// such a module is always there, `<IfModule>` on it is true, and a LoadModule
// of it stops Apache ("module X is built-in and can't be loaded", mod_so.c
// compares the identifier with each compiled-in `mod_*.c` before opening the file).
// A module compiled in on one platform is a shared object on another: Debian
// builds mod_log_config into apache2, RHEL loads it from conf.modules.d.
import { BUILTIN_MODULE_SOURCES } from "./modules.js";

export const PLATFORM_NAMES = ["debian", "rhel", "upstream"] as const;
export type Platform = (typeof PLATFORM_NAMES)[number];

export interface PlatformBuild {
  /** how messages name the build */
  readonly label: string;
  /** source files of the modules compiled in, as `-l` lists them */
  readonly builtin: readonly string[];
  /** source files that are compiled in on some builds of the platform and shared on others */
  readonly maybeBuiltin: readonly string[];
  /** where the facts come from */
  readonly source: string;
}

export const PLATFORMS: Readonly<Record<Platform, PlatformBuild>> = {
  debian: {
    label: "Debian's apache2",
    builtin: BUILTIN_MODULE_SOURCES,
    maybeBuiltin: [],
    source: "`apache2 -l` of Debian's apache2 2.4.71, measured by src/tools/gen-module-table.ts (src/data/modules.ts)",
  },
  rhel: {
    label: "RHEL's httpd",
    builtin: ["core.c", "mod_so.c", "http_core.c"],
    maybeBuiltin: [],
    source:
      "the httpd.spec of Fedora/RHEL (and its SCL build, sclorg-distgit/httpd) configures `--enable-mods-shared=all " +
      "--enable-mpms-shared=all`, and its %check fails the build unless every built mod_*.so is LoadModule'd in " +
      "conf.modules.d/ (00-base.conf loads log_config_module, logio_module, unixd_module, version_module): only " +
      "core, http_core and mod_so are compiled in",
  },
  upstream: {
    label: "a default build of the httpd sources",
    builtin: ["core.c", "mod_so.c", "http_core.c"],
    maybeBuiltin: ["event.c", "worker.c", "prefork.c"],
    source:
      "the manual, programs/configure.html: \"By default enabled modules are linked dynamically\" and \"--with-mpm=MPM " +
      "... Otherwise [without --enable-mpms-shared], this directive selects the only available MPM, which will be " +
      "statically linked into the server\"; mod_so.html: mod_so itself is always compiled in. The default httpd.conf " +
      "of such a build LoadModule's log_config_module, unixd_module and version_module",
  },
};

/** Compiled in on every platform: LoadModule itself (mod_so), core and http_core. */
export const ALWAYS_BUILTIN: ReadonlySet<string> = new Set(
  PLATFORMS.debian.builtin.filter((s) => PLATFORM_NAMES.every((p) => PLATFORMS[p].builtin.includes(s))),
);

/** Compiled in on some platform, or on some build: whether it is here depends on the platform. */
export const SOMETIMES_BUILTIN: ReadonlySet<string> = new Set(
  PLATFORM_NAMES.flatMap((p) => [...PLATFORMS[p].builtin, ...PLATFORMS[p].maybeBuiltin]).filter((s) => !ALWAYS_BUILTIN.has(s)),
);

export function isPlatform(s: unknown): s is Platform {
  return typeof s === "string" && (PLATFORM_NAMES as readonly string[]).includes(s);
}

/**
 * Is the module built from `source` compiled in: certainly (true), certainly
 * not (false), or it depends on the build ("unknown")? Without a platform,
 * only what every platform compiles in is certain.
 */
export function compiledIn(source: string, platform: Platform | undefined): boolean | "unknown" {
  if (ALWAYS_BUILTIN.has(source)) return true;
  if (!platform) return SOMETIMES_BUILTIN.has(source) ? "unknown" : false;
  const build = PLATFORMS[platform];
  if (build.builtin.includes(source)) return true;
  return build.maybeBuiltin.includes(source) ? "unknown" : false;
}
