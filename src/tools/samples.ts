// Arguments apache2 accepts, for the generators that probe a directive where a
// dummy word would be refused before the question asked (gen-context-table.ts:
// where it may stand; gen-differential.ts: a valid line to mutate).
import { join } from "node:path";
import { DEBIAN_MODULE_DIR } from "../data/modules.js";

/**
 * Arguments Apache accepts, for directives whose handler would reject a dummy
 * word before it checks where it stands. Several are tried: ProxyPass takes a
 * path outside <Location> and none inside.
 */
export function argumentSamples(root: string): Record<string, string[]> {
  return {
  ProxyPass: ["/a http://b/", "http://b/"],
  ProxyPassMatch: ["^/a http://b/", "http://b/"],
  ProxyPassReverse: ["/a http://b/", "http://b/"],
  BalancerMember: ["balancer://x http://m/", "http://m/"],
  ProxySet: ["timeout=5"],
  ProxyErrorOverride: ["On"],
  ProxyHTMLBufSize: ["8192"],
  ProxyRemote: ["* http://p:8080"],
  ProxyRemoteMatch: ["^x http://p:8080"],
  ProxyBadHeader: ["Ignore"],
  ProxyDomain: [".example.com"],
  ProxySourceAddress: ["127.0.0.1"],
  ProxyStatus: ["On"],
  ProxyTimeout: ["60"],
  ProxyVia: ["On"],
  ProxyFCGIBackendType: ["FPM"],
  RewriteRule: ["^ - [L]"],
  RewriteCond: ["%{HTTP_HOST} x"],
  RewriteBase: ["/"],
  RewriteMap: ["m int:tolower"],
  RewriteOptions: ["Inherit"],
  Header: ["set X y"],
  RequestHeader: ["set X y"],
  Listen: ["127.0.0.1:18090"],
  ListenBacklog: ["100"],
  ServerRoot: [root],
  DocumentRoot: ["/tmp"],
  DefaultRuntimeDir: ["run"],
  LoadModule: [`rewrite_module ${DEBIAN_MODULE_DIR}/mod_rewrite.so`],
  Include: [join(root, "empty.conf")],
  Options: ["None"],
  LogLevel: ["warn"],
  User: ["www-data"],
  Group: ["www-data"],
  Alias: ["/a /tmp"],
  ScriptAlias: ["/a /tmp"],
  Redirect: ["/a http://b/"],
  RedirectPermanent: ["/a http://b/"],
  RedirectTemp: ["/a http://b/"],
  RedirectMatch: ["^/a http://b/"],
  AliasMatch: ["^/a /tmp"],
  BrowserMatch: ["x y"],
  BrowserMatchNoCase: ["x y"],
  SetEnvIf: ["Remote_Addr x y"],
  SetEnvIfNoCase: ["Remote_Addr x y"],
  SetEnvIfExpr: ["true X"],
  SSLEngine: ["on"],
  SSLProxyCACertificateFile: ["/etc/ssl/certs/ca-certificates.crt"],
  SSLProxyCACertificatePath: ["/etc/ssl/certs"],
  SSLProxyCARevocationCheck: ["none"],
  SSLProxyCARevocationPath: ["/etc/ssl/certs"],
  SSLProxyMachineCertificatePath: ["/etc/ssl/certs"],
  SSLProxyProtocol: ["all"],
  SSLProxyVerify: ["none"],
  SSLCertificateChainFile: ["/etc/ssl/certs/ca-certificates.crt"],
  AllowOverride: ["None"],
  Require: ["all granted"],
  ServerAlias: ["x"],
  ServerAdmin: ["a@b"],
  KeepAliveTimeout: ["5"],
  ErrorLogFormat: ["%M"],
  ProtocolsHonorOrder: ["On"],
};
}

/** A section's opening line with an argument Apache accepts, and its body. */
export const SECTION_SAMPLES: Record<string, { open: string; body?: string[]; before?: string[] }> = {
  "<Directory": { open: '<Directory "/tmp">' },
  "<DirectoryMatch": { open: '<DirectoryMatch "^/tmp">' },
  "<Files": { open: '<Files "y">' },
  "<FilesMatch": { open: '<FilesMatch "y">' },
  "<Location": { open: '<Location "/z">' },
  "<LocationMatch": { open: '<LocationMatch "^/z">' },
  "<Proxy": { open: '<Proxy "http://z/">' },
  "<ProxyMatch": { open: '<ProxyMatch "^http://z">' },
  "<If": { open: '<If "true">' },
  "<ElseIf": { open: '<ElseIf "true">', before: ['<If "false">', "</If>"] },
  "<Else": { open: "<Else>", before: ['<If "false">', "</If>"] },
  "<Limit": { open: "<Limit GET>" },
  "<LimitExcept": { open: "<LimitExcept GET>" },
  "<VirtualHost": { open: "<VirtualHost *:81>" },
  "<RequireAll": { open: "<RequireAll>", body: ["Require all granted"] },
  "<RequireAny": { open: "<RequireAny>", body: ["Require all granted"] },
  "<RequireNone": { open: "<RequireNone>", body: ["Require ip 10.1.2.3"] },
  "<Macro": { open: "<Macro M>" },
};

export const ARITY_ARGS: Record<string, string> = {
  flag: "On", "no-args": "", take1: "x", take2: "x y", take3: "x y z", take12: "x", take123: "x", take13: "x", take23: "x y",
  iterate: "x", iterate2: "x y", raw: "x",
};
