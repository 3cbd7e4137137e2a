// The keywords and key=value names that directives parsing their own line
// accept, for directive-keyword-invalid. Hand tables: each names the Apache
// 2.4.71 source it mirrors, and every entry was measured with apache2 -t
// (test/rules/directive-keyword-invalid.test.ts re-measures them live).

// ------------------------------------------------------------------ Mutex
// server/util_mutex.c, ap_parse_mutex and ap_set_mutex.

/** Mechanisms (case-insensitive), the part before an optional `:directory`. */
export const MUTEX_MECHANISMS: readonly string[] = ["none", "no", "default", "yes", "fcntl", "flock", "file", "posixsem", "sysvsem", "sem", "pthread"];

/** What Apache lists after "Invalid Mutex argument …" (AP_ALL_AVAILABLE_MUTEXES_STRING on Debian). */
export const MUTEX_MECHANISMS_SAID =
  "Mutex mechanisms are: 'none', 'default', 'flock:/path/to/file', 'fcntl:/path/to/file', 'file:/path/to/file', 'pthread', 'sysvsem', 'posixsem', 'sem'";

/**
 * The mutex types the modules register (ap_mutex_register, at pre-config: the
 * order of LoadModule lines does not matter), case-sensitive, with the a2enmod
 * names of the modules that register each; [] for the core's. Found by probing
 * every string of every Debian module with `Mutex default <word>`, then each
 * type with and without its module. None registers AP_MUTEX_ALLOW_NONE:
 * `Mutex none <type>` is refused for every one ("None is not allowed for mutex type …").
 */
export const MUTEX_TYPES: Readonly<Record<string, readonly string[]>> = {
  default: [],
  "watchdog-callback": [], // mod_watchdog is compiled into Debian's apache2
  "mpm-accept": ["mpm_prefork", "mpm_worker"], // not mpm_event
  "authdigest-client": ["auth_digest"],
  "authn-socache": ["authn_socache"],
  "cache-socache": ["cache_socache"],
  "ldap-cache": ["ldap"],
  "lua-ivm-shm": ["lua"],
  proxy: ["proxy"],
  "proxy-balancer-shm": ["proxy_balancer"],
  "rewrite-map": ["rewrite"],
  "ssl-cache": ["ssl"],
  "ssl-stapling": ["ssl"],
  "ssl-stapling-refresh": ["ssl"],
};

// ------------------------------------------------------------------ LogLevel
// server/core.c (set_loglevel, find_module) and server/log.c (ap_parse_log_level). A module
// specifier is looked up as <IfModule> looks names up (src/apache/conditions.ts), and also
// by its identifier without `_module` (`rewrite`).

/** The levels, case-insensitive. */
export const LOG_LEVELS: readonly string[] = ["emerg", "alert", "crit", "error", "warn", "notice", "info", "debug", ...Array.from({ length: 8 }, (_, i) => `trace${i + 1}`)];

export const LOG_LEVEL_SAID = "Log level keyword must be one of emerg/alert/crit/error/warn/notice/info/debug/trace1/.../trace8";

/** Words people write for a level, syslog's and other servers' (all refused by apache2 -t), and the level meant. */
export const LOG_LEVEL_SYNONYMS: Readonly<Record<string, string>> = {
  warning: "warn", err: "error", critical: "crit", emergency: "emerg", panic: "emerg", information: "info",
  informational: "info", verbose: "debug", trace: "trace1",
};

// ------------------------------------------------------------------ RequestReadTimeout
// modules/filters/mod_reqtimeout.c, set_reqtimeout_param (case-insensitive keys).

export const REQUEST_READ_TIMEOUT_STAGES: readonly string[] = ["handshake", "header", "body"];

// ------------------------------------------------------------------ ExtFilterDefine
// modules/filters/mod_ext_filter.c, define_filter: each parameter is recognised
// by a case-insensitive prefix, in this order, and its value read up to the next blank.

export const EXT_FILTER_PARAMETERS: readonly string[] = ["preservescontentlength", "mode=", "ftype=", "enableenv=", "disableenv=", "intype=", "outtype=", "cmd="];

export const EXT_FILTER_MODES: readonly string[] = ["output", "input"];

// ------------------------------------------------------------------ AuthnzFcgiCheckAuthnProvider
// modules/aaa/mod_authnz_fcgi.c, fcgi_check_authn_provider: `provider|None` then
// option/value pairs; null: any value (UserExpr's expression is not parsed here).

export const AUTHNZ_FCGI_OPTIONS: Readonly<Record<string, readonly string[] | null>> = {
  authoritative: ["On", "Off"],
  defaultuser: null,
  requirebasicauth: ["On", "Off"],
  userexpr: null,
};

// ------------------------------------------------------------------ mod_ssl modes with flags
// modules/ssl/ssl_engine_config.c (ssl_cmd_SSLOCSPEnable, ssl_cmd_crlcheck): a
// mode, then any number of one flag word; anything else, or no mode at all, is
// "<Directive>: Invalid argument '<word>'". The mode and flag words are
// directive-invalid-value's table (src/data/directives.ts): positions 0 and 1.

export const SSL_MODE_FLAG_DIRECTIVES: readonly string[] = ["sslocspenable", "sslcarevocationcheck", "sslproxycarevocationcheck"];

// ------------------------------------------------------------------ SetEnvIf
// modules/metadata/mod_setenvif.c, add_setenvif_core: the first word is one of
// these (case-insensitive), a header or variable name of letters, digits, `-`
// and `_`, or else a regular expression matched against the header names.

export const SETENVIF_SPECIAL_ATTRIBUTES: readonly string[] = [
  "remote_addr", "remote_host", "remote_user", "request_uri", "request_method", "request_protocol", "server_addr",
];
