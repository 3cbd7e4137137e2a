// How Apache is built and started, for one lint run: the -D names it is
// started with (--define, the config file's "define", else in a Debian tree
// what envvars passes), whose build it is (--platform, "platform", else the
// tree's layout) and the release <IfVersion> compares with (--apache-version,
// "apacheVersion"). What none of these says is left unknown.
import { readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { Startup } from "../apache/conditions.js";
import type { ApacheVersion } from "../apache/version.js";
import type { Platform } from "../data/platforms.js";

/** What the command line or a config file says; undefined: it says nothing. */
export interface StartupSettings {
  /** the -D names */
  readonly defines?: ReadonlySet<string>;
  readonly platform?: Platform;
  readonly version?: ApacheVersion;
}

/**
 * A --define / "define" entry as apache2 -D takes it: one word, the whole of
 * it the name (measured: `-D FOO=bar` defines `FOO=bar`, not FOO; -D gives no
 * value, `${FOO}` stays undefined); null when it is not one word.
 */
export function parseDefine(text: string): string | null {
  return /^\S+$/.test(text) ? text : null;
}

const isDir = (p: string) => statSync(p, { throwIfNoEntry: false })?.isDirectory() === true;

/**
 * The -D names Debian's apache2ctl passes: the `-D` words of APACHE_ARGUMENTS as
 * envvars sets it (systemd's apache2.service starts Apache through apache2ctl,
 * which sources envvars). Stock envvars sets none: the set is empty. undefined
 * when it cannot be told (no envvars, or a value the shell would expand).
 */
export function envvarsDefines(root: string): ReadonlySet<string> | undefined {
  let text: string;
  try {
    text = readFileSync(join(root, "envvars"), "utf8");
  } catch {
    return undefined;
  }
  let value = "";
  for (const line of text.split("\n")) {
    const m = /^\s*(?:export\s+)?APACHE_ARGUMENTS=(?:'([^']*)'|"([^"$`\\]*)"|([^\s'"$`\\#]*))\s*(?:#.*)?$/.exec(line);
    if (m) value = m[1] ?? m[2] ?? m[3] ?? "";
    else if (/^\s*(?:export\s+)?APACHE_ARGUMENTS=/.test(line)) return undefined;
  }
  const names = new Set<string>();
  const words = value.split(/\s+/).filter(Boolean);
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === "-D" && words[i + 1]) names.add(words[++i]!);
    else if (w.startsWith("-D") && w.length > 2) names.add(w.slice(2));
  }
  return names;
}

/**
 * The platform a file's tree is laid out for: Debian in a Debian tree
 * (/etc/apache2 with mods-enabled/), RHEL when a directory at or above the
 * file holds conf.modules.d/ (/etc/httpd); undefined otherwise (a source
 * build's layout tells nothing certain: --platform upstream says it).
 */
export class PlatformLayouts {
  private readonly byDir = new Map<string, Platform | undefined>();

  platformOf(absolutePath: string, debianRoot: string | null): Platform | undefined {
    return debianRoot ? "debian" : this.rhelAt(dirname(resolve(absolutePath)));
  }

  private rhelAt(dir: string): Platform | undefined {
    if (this.byDir.has(dir)) return this.byDir.get(dir);
    const up = dirname(dir);
    const p = isDir(join(dir, "conf.modules.d")) ? "rhel" : up === dir ? undefined : this.rhelAt(up);
    this.byDir.set(dir, p);
    return p;
  }
}

/** Works out the Startup of each file of a run, one object per distinct answer. */
export class Startups {
  private readonly layouts = new PlatformLayouts();
  private readonly made = new Map<string, Startup>();
  private readonly envvars = new Map<string, ReadonlySet<string> | undefined>();

  /** @param command what the command line says; it wins over a config file's settings */
  constructor(private readonly command: StartupSettings = {}) {}

  /** The Startup for the file at `absolutePath`, under config settings `config`, in the Debian tree `debianRoot`. */
  for(absolutePath: string, config: StartupSettings | null | undefined, debianRoot: string | null): Startup {
    const given = this.command.defines ?? config?.defines;
    const defines: ReadonlySet<string> | undefined = given ?? (debianRoot ? this.envvarsOf(debianRoot) : undefined);
    const platform = this.command.platform ?? config?.platform ?? this.layouts.platformOf(absolutePath, debianRoot);
    const version = this.command.version ?? config?.version;
    const key = JSON.stringify([defines ? [...defines].sort() : null, platform ?? null, version ?? null]);
    let s = this.made.get(key);
    if (!s) {
      s = { ...(defines ? { defines } : {}), ...(platform ? { platform } : {}), ...(version ? { version } : {}) };
      this.made.set(key, s);
    }
    return s;
  }

  private envvarsOf(root: string): ReadonlySet<string> | undefined {
    if (!this.envvars.has(root)) this.envvars.set(root, envvarsDefines(root));
    return this.envvars.get(root);
  }
}

/** The Startup's part of a cache key: a run with other -D names, platform or release lints again. */
export function startupKey(s: Startup | undefined): string {
  return s ? JSON.stringify([s.defines ? [...s.defines].sort() : null, s.platform ?? null, s.version ?? null]) : "";
}
