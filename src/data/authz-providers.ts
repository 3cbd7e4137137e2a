// The authorization providers `Require` can name with Debian's modules, by
// the module that registers each (mod_authz_core.c's add_authz_provider looks
// the name up case-sensitively: "Unknown Authz provider: ALL"), and how the
// provider reads the words after its name when the line is read (each
// module's parse_require_line). From the manual's mod_authz_*.html pages and
// mod_ssl.html; test/rules/require-invalid.test.ts checks each name live,
// with its module loaded and without it.
//
// Other names are providers too: an <AuthzProviderAlias> defines one, so do
// AuthnzFcgiDefineProvider and LuaAuthzProvider, and third-party modules
// register their own (mod_auth_openidc's `claim`, mod_authnz_pam's
// `pam-account`, mod_shib's `shib-session` …).

/**
 * - any: the provider takes any words (or none);
 * - all: exactly `granted` or `denied`, as the rest of the line is compared whole (strcasecmp);
 * - ip: one or more IP addresses or networks (apr_ipsubnet_create);
 * - method: one or more method names (src/data/http-methods.ts);
 * - expr: an ap_expr expression;
 * - none: no words at all.
 */
export type ProviderArguments = "any" | "all" | "ip" | "method" | "expr" | "none";

export interface AuthzProvider {
  readonly name: string;
  /** a2enmod name of the module that registers it */
  readonly module: string;
  readonly args: ProviderArguments;
}

export const AUTHZ_PROVIDERS: readonly AuthzProvider[] = [
  { name: "all", module: "authz_core", args: "all" },
  { name: "env", module: "authz_core", args: "any" },
  { name: "method", module: "authz_core", args: "method" },
  { name: "expr", module: "authz_core", args: "expr" },
  { name: "ip", module: "authz_host", args: "ip" },
  { name: "host", module: "authz_host", args: "any" },
  { name: "forward-dns", module: "authz_host", args: "any" },
  { name: "local", module: "authz_host", args: "any" },
  { name: "user", module: "authz_user", args: "any" },
  { name: "valid-user", module: "authz_user", args: "any" },
  { name: "group", module: "authz_groupfile", args: "any" },
  { name: "file-owner", module: "authz_owner", args: "any" },
  { name: "file-group", module: "authz_groupfile", args: "any" },
  { name: "dbm-group", module: "authz_dbm", args: "any" },
  { name: "dbm-file-group", module: "authz_dbm", args: "any" },
  { name: "dbd-group", module: "authz_dbd", args: "any" },
  { name: "dbd-login", module: "authz_dbd", args: "any" },
  { name: "dbd-logout", module: "authz_dbd", args: "any" },
  { name: "ldap-user", module: "authnz_ldap", args: "any" },
  { name: "ldap-group", module: "authnz_ldap", args: "any" },
  { name: "ldap-dn", module: "authnz_ldap", args: "any" },
  { name: "ldap-attribute", module: "authnz_ldap", args: "any" },
  { name: "ldap-filter", module: "authnz_ldap", args: "any" },
  { name: "ldap-search", module: "authnz_ldap", args: "any" },
  { name: "ssl", module: "ssl", args: "none" },
  { name: "ssl-verify-client", module: "ssl", args: "none" },
];

/**
 * Directives that define a provider name, and which argument is the name:
 * `<AuthzProviderAlias ldap-group alias …>`, `AuthnzFcgiDefineProvider authz NAME …`
 * (the authz type only), `LuaAuthzProvider NAME file function`.
 */
export const PROVIDER_DEFINERS: Readonly<Record<string, { readonly name: number; readonly type?: { readonly index: number; readonly value: string } }>> = {
  authzprovideralias: { name: 1 },
  authnzfcgidefineprovider: { name: 1, type: { index: 0, value: "authz" } },
  luaauthzprovider: { name: 0 },
};

/** The sections that group Require lines (mod_authz_core's authz_require_section). */
export const REQUIRE_SECTIONS: Readonly<Record<string, "<RequireAll>" | "<RequireAny>" | "<RequireNone>">> = {
  requireall: "<RequireAll>",
  requireany: "<RequireAny>",
  requirenone: "<RequireNone>",
};
