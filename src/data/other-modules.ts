// Directives of modules that Debian's apache2 package does not build: Debian's
// own third-party module packages (libapache2-mod-*), and upstream 2.4 modules
// that only other platforms build. Collected by hand from each module's
// documentation, by name prefix; unlike src/data/directives.ts it is not
// probed, because the generators only load the modules of the apache2
// package. A directive matched here is never called unknown: whether its
// module is loaded cannot be told from the modules apachelint knows.

export interface OtherModule {
  /** the module's identifier in LoadModule */
  readonly id: string;
  /** where it comes from: the Debian package, or "upstream" for modules of httpd that Debian does not build */
  readonly source: string;
  /** lower-cased directive names, exact */
  readonly names?: readonly string[];
  /** lower-cased name prefixes: every directive of the module starts with one */
  readonly prefixes?: readonly string[];
}

export const OTHER_MODULES: readonly OtherModule[] = [
  { id: "wsgi_module", source: "libapache2-mod-wsgi-py3", prefixes: ["wsgi"] },
  { id: "php_module", source: "libapache2-mod-php", names: ["php_value", "php_flag", "php_admin_value", "php_admin_flag"] },
  { id: "security2_module", source: "libapache2-mod-security2", prefixes: ["sec"] },
  { id: "passenger_module", source: "libapache2-mod-passenger", prefixes: ["passenger", "rails", "rack", "union_station"] },
  { id: "jk_module", source: "libapache2-mod-jk", prefixes: ["jk"] },
  { id: "auth_openidc_module", source: "libapache2-mod-auth-openidc", prefixes: ["oidc"] },
  { id: "auth_mellon_module", source: "libapache2-mod-auth-mellon", prefixes: ["mellon"] },
  { id: "fcgid_module", source: "libapache2-mod-fcgid", prefixes: ["fcgid"], names: ["fcgiwrapper"] },
  { id: "perl_module", source: "libapache2-mod-perl2", prefixes: ["perl"] },
  { id: "python_module", source: "libapache2-mod-python", prefixes: ["python"] },
  { id: "qos_module", source: "libapache2-mod-qos", prefixes: ["qs_"] },
  { id: "evasive20_module", source: "libapache2-mod-evasive", prefixes: ["dos"] },
  { id: "rpaf_module", source: "libapache2-mod-rpaf", prefixes: ["rpaf"] },
  { id: "xsendfile_module", source: "libapache2-mod-xsendfile", prefixes: ["xsendfile"] },
  { id: "geoip_module", source: "libapache2-mod-geoip", prefixes: ["geoip"] },
  { id: "maxminddb_module", source: "libapache2-mod-maxminddb", prefixes: ["maxminddb"] },
  { id: "ruid2_module", source: "libapache2-mod-ruid2", prefixes: ["rmode", "ruidgid", "rgroups", "rdefault", "rminuidgid", "rdocumentchroot", "rcorechroot"] },
  { id: "mpm_itk_module", source: "libapache2-mpm-itk", names: ["assignuserid", "assignuseridexpr", "assigngroupidexpr", "maxclientsvhost", "nicevalue", "limituidrange", "limitgidrange", "enablecapabilities"] },
  { id: "auth_gssapi_module", source: "libapache2-mod-auth-gssapi", prefixes: ["gssapi"] },
  { id: "authnz_external_module", source: "libapache2-mod-authnz-external", prefixes: ["authexternal", "groupexternal"], names: ["defineexternalauth", "defineexternalgroup", "addexternalauth", "addexternalgroup", "setexternalauthmethod", "setexternalgroupmethod"] },
  { id: "mod_shib", source: "libapache2-mod-shib", prefixes: ["shib"] },
  { id: "uwsgi_module", source: "libapache2-mod-uwsgi", prefixes: ["uwsgi"] },
  { id: "dav_svn_module", source: "libapache2-mod-svn", prefixes: ["svn"] },
  { id: "authz_svn_module", source: "libapache2-mod-svn", prefixes: ["authzsvn"] },
  { id: "log_sql_module", source: "libapache2-mod-log-sql", prefixes: ["logsql"] },
  { id: "pagespeed_module", source: "mod-pagespeed", prefixes: ["modpagespeed"] },
  { id: "lsapi_module", source: "mod_lsapi", prefixes: ["lsapi_"] },
  { id: "suphp_module", source: "suphp", prefixes: ["suphp_"] },
  { id: "cloudflare_module", source: "mod_cloudflare", prefixes: ["cloudflare"] },
  { id: "tls_module", source: "upstream", prefixes: ["tls"] },
  { id: "privileges_module", source: "upstream", names: ["privilegesmode", "vhostuser", "vhostgroup", "vhostsecure", "vhostcgimode", "vhostcgiprivs", "vhostprivs", "dtraceprivileges"] },
  { id: "isapi_module", source: "upstream", prefixes: ["isapi"] },
  { id: "systemd_module", source: "upstream (Fedora, RHEL)", names: ["systemdsocketactivation"] },
];
