// nginx words that turn up in Apache configs pasted from nginx tutorials, with
// the Apache 2.4 equivalent. Names from nginx's directive index
// (https://nginx.org/en/docs/dirindex.html), variables from its variable index
// (https://nginx.org/en/docs/varindex.html). Only names no Apache module
// defines are listed: `listen`, `include`, `alias` are Apache directives too.

/** nginx directive (lower-case, as nginx spells them) -> what Apache writes instead. */
export const NGINX_DIRECTIVES: Readonly<Record<string, string>> = {
  server: "`<VirtualHost *:80>` … `</VirtualHost>`",
  location: "`<Location /path>` … `</Location>` (or a `ProxyPass /path …` line)",
  upstream: "`<Proxy balancer://name>` with `BalancerMember` lines",
  "}": "the section's close tag (`</Location>`, `</VirtualHost>`)",
  proxy_pass: "`ProxyPass /path http://backend/path` (and `ProxyPassReverse`)",
  proxy_set_header: "`RequestHeader set Name value` (mod_headers)",
  proxy_http_version: "nothing: mod_proxy_http speaks HTTP/1.1; for WebSockets `ProxyPass … upgrade=websocket`",
  proxy_redirect: "`ProxyPassReverse`",
  proxy_read_timeout: "`ProxyTimeout` or the worker's `timeout=`",
  proxy_connect_timeout: "the worker's `connectiontimeout=`",
  proxy_send_timeout: "`ProxyTimeout` or the worker's `timeout=`",
  proxy_buffering: "the worker's `flushpackets=on`",
  proxy_ssl_verify: "`SSLProxyVerify`",
  server_name: "`ServerName` (and `ServerAlias`)",
  root: "`DocumentRoot`",
  index: "`DirectoryIndex`",
  try_files: "`FallbackResource` or `RewriteCond %{REQUEST_FILENAME} !-f` + `RewriteRule`",
  return: "`Redirect` (or `RewriteRule … [R=301,L]`)",
  rewrite: "`RewriteRule`",
  add_header: "`Header always set Name value` (mod_headers)",
  error_page: "`ErrorDocument`",
  access_log: "`CustomLog`",
  error_log: "`ErrorLog`",
  ssl_certificate: "`SSLCertificateFile`",
  ssl_certificate_key: "`SSLCertificateKeyFile`",
  ssl_protocols: "`SSLProtocol`",
  ssl_ciphers: "`SSLCipherSuite`",
  client_max_body_size: "`LimitRequestBody`",
  keepalive_timeout: "`KeepAliveTimeout`",
  gzip: "`SetOutputFilter DEFLATE` or `AddOutputFilterByType DEFLATE …` (mod_deflate)",
  worker_processes: "the MPM's `StartServers` / `ServerLimit`",
  worker_connections: "`MaxRequestWorkers`",
  deny: "`Require not ip …` (or `Require all denied`)",
  allow: "`Require ip …` (or `Require all granted`)",
  auth_basic: "`AuthType Basic` + `AuthName`",
  auth_basic_user_file: "`AuthUserFile`",
  expires: "`ExpiresActive On` + `ExpiresDefault` (mod_expires)",
  charset: "`AddDefaultCharset`",
  http2: "`Protocols h2 http/1.1`",
};

/** nginx variables -> the Apache expression or header that holds the same thing. */
export const NGINX_VARIABLES: Readonly<Record<string, string>> = {
  $http_upgrade: "`%{HTTP:Upgrade}` (RewriteCond) or `%{Upgrade}i` (Header)",
  $connection_upgrade: "nothing: `ProxyPass … upgrade=websocket` sets Connection itself",
  $host: "`%{HTTP_HOST}` (or `ProxyPreserveHost On`)",
  $remote_addr: "`%{REMOTE_ADDR}` (or `%a` in Header/LogFormat)",
  $proxy_add_x_forwarded_for: "nothing: mod_proxy adds X-Forwarded-For itself",
  $scheme: "`%{REQUEST_SCHEME}`",
  $request_uri: "`%{REQUEST_URI}`",
  $uri: "`%{REQUEST_URI}`",
  $args: "`%{QUERY_STRING}`",
  $server_name: "`%{SERVER_NAME}`",
  $http_host: "`%{HTTP_HOST}`",
};

/** `$name` words as nginx spells variables: the `$` sigil, then letters, digits, `_`. */
export const NGINX_VARIABLE_WORD = /\$(http_[a-z0-9_]+|connection_upgrade|host|remote_addr|proxy_add_x_forwarded_for|scheme|request_uri|uri|args|server_name)\b/;

/** The equivalent of a `$name` word (a `$http_*` header not listed: the header's own form). */
export function nginxVariableEquivalent(variable: string): string {
  const known = NGINX_VARIABLES[variable];
  if (known) return known;
  const header = variable.slice("$http_".length).replace(/_/g, "-");
  return `\`%{HTTP:${header}}\` (RewriteCond) or \`%{${header}}i\` (Header)`;
}
