/** An Apache httpd release, e.g. 2.4.71. */
export interface ApacheVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

/** The 2.4 release the project's ground truth was measured on (shared/apache-truth). */
export const CURRENT_APACHE: ApacheVersion = { major: 2, minor: 4, patch: 71 };

/** mod_proxy_http tunnels WebSockets itself and ProxyPass accepts upgrade= from this release on. */
export const PROXY_HTTP_UPGRADE: ApacheVersion = { major: 2, minor: 4, patch: 47 };

export function parseVersion(text: string): ApacheVersion | null {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) return null;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0) };
}

export function compareVersions(a: ApacheVersion, b: ApacheVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

export function atLeast(v: ApacheVersion, min: ApacheVersion): boolean {
  return compareVersions(v, min) >= 0;
}

export function formatVersion(v: ApacheVersion): string {
  return `${v.major}.${v.minor}.${v.patch}`;
}
