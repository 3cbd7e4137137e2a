// Where a file sits in Apache's configuration decides what may stand in it and
// how mod_rewrite reads its patterns.

/** A server config (httpd.conf, a vhost file, an included fragment) or a per-directory `.htaccess`. */
export type FileKind = "server" | "htaccess";

/** `.htaccess`, or any name ending in `.htaccess` (how fixtures mark per-directory files). */
export function fileKindOf(path: string): FileKind {
  return path.endsWith(".htaccess") ? "htaccess" : "server";
}

/** What Apache does with a line it rejects in a file of this kind. */
export function refusalIn(kind: FileKind): string {
  return kind === "htaccess" ? "Apache answers 500 for every request this .htaccess applies to" : "Apache refuses to start";
}
