// Lookups over the generated module table.
import { MODULES, type ModuleInfo } from "../data/modules.js";

const byId = new Map(MODULES.map((m) => [m.id.toLowerCase(), m]));
const byName = new Map(MODULES.map((m) => [m.name.toLowerCase(), m]));
const byFile = new Map(MODULES.map((m) => [m.file.toLowerCase(), m]));

export function moduleById(id: string): ModuleInfo | undefined {
  return byId.get(id.toLowerCase());
}

/** By a2enmod name ("proxy_http"), or by the "mod_proxy_http.c" / "proxy_http_module" forms <IfModule> accepts. */
export function moduleByName(name: string): ModuleInfo | undefined {
  const n = name.toLowerCase();
  return byName.get(n) ?? byId.get(n) ?? byName.get(n.replace(/^mod_/, "").replace(/\.c$/, ""));
}

/** By the shared object a path names ("…/mod_proxy_http.so"). */
export function moduleByFile(path: string): ModuleInfo | undefined {
  return byFile.get(path.slice(path.lastIndexOf("/") + 1).toLowerCase());
}

export { MODULES, type ModuleInfo };
