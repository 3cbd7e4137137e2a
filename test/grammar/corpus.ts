// Real configuration files the parser tests read.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

export const DEBIAN = "/etc/apache2";
export const FIXTURES = join(import.meta.dirname, "..", "..", "fixtures", "grammar");
export const H5BP = join(import.meta.dirname, "..", "..", "node_modules", "apache-server-configs", "dist", ".htaccess");

/** The config files of Debian's apache2 package (envvars is shell, magic is libmagic data). */
export function debianConfigs(): string[] {
  if (!existsSync(DEBIAN)) return [];
  const inDir = (d: string, re: RegExp) =>
    existsSync(join(DEBIAN, d)) ? readdirSync(join(DEBIAN, d)).filter((n) => re.test(n)).sort().map((n) => join(DEBIAN, d, n)) : [];
  return [
    join(DEBIAN, "apache2.conf"),
    join(DEBIAN, "ports.conf"),
    ...inDir("conf-available", /\.conf$/),
    ...inDir("mods-available", /\.(conf|load)$/),
    ...inDir("sites-available", /\.conf$/),
  ].filter((p) => existsSync(p));
}

export function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}
