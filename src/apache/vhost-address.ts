// The addresses of a <VirtualHost> line as vhost.c reads them: `addr[:port]`,
// `[v6][:port]`, `*`, `_default_`; a missing port or `*` matches any port.

/** The port of one <VirtualHost> address, or null when it matches any port (or cannot be read). */
export function vhostPort(address: string): number | null {
  const m = /^(?:\[[^\]]*\]|[^:[\]]*)(?::(\d+|\*))?$/.exec(address);
  if (!m || m[1] === undefined || m[1] === "*") return null;
  const n = Number(m[1]);
  return n >= 1 && n <= 65535 ? n : null;
}
