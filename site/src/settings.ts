// The file kind and Apache version controls, as the Settings the worker takes.
import type { FileKind, Settings } from "./protocol.js";

export interface SettingsControls {
  kinds: RadioNodeList;
  version: HTMLSelectElement;
}

/** Every 2.4 release apachelint accepts for --apache-version, newest first, after the default. */
export function fillVersions(select: HTMLSelectElement, current: string): void {
  const [major, minor, patch] = current.split(".").map(Number) as [number, number, number];
  const options = [new Option(`default (${current}, as without --apache-version)`, "")];
  for (let p = patch; p >= 0; p--) options.push(new Option(`${major}.${minor}.${p}`, `${major}.${minor}.${p}`));
  select.replaceChildren(...options);
}

export function readSettings(c: SettingsControls): Settings {
  return { fileKind: c.kinds.value === "htaccess" ? "htaccess" : "server", apacheVersion: c.version.value };
}

export function writeSettings(c: SettingsControls, s: Settings): void {
  c.kinds.value = s.fileKind satisfies FileKind;
  const known = [...c.version.options].some((o) => o.value === s.apacheVersion);
  c.version.value = known ? s.apacheVersion : "";
}

export const sameSettings = (a: Settings, b: Settings) => a.fileKind === b.fileKind && a.apacheVersion === b.apacheVersion;
