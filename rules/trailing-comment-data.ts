// How directives treat the words of a trailing `# comment`, where the arity
// class from src/data/directives.ts does not tell. Every entry was measured on
// Apache 2.4.71 by appending ` # note here` and ` #note` to a valid line
// (fixtures/rules/trailing-comment/apache-2.4.71-measured.json); directives
// counted by config.c (FLAG, TAKEn, ITERATE) need no entry unless their
// handler checks the words as well.

/**
 * - strict: the handler checks every word and rejects `#…`;
 * - list: every word becomes one more value (RAW_ARGS lists);
 * - ignored: the handler never reads past its own words;
 * - rewrite: RewriteRule/RewriteCond, a third word is the [flags] field, later words are ignored;
 * - require: depends on the authorization provider (REQUIRE_PROVIDERS);
 * - header: Header/RequestHeader, the count depends on the action (HEADER_ACTION_WORDS);
 * - { take }: counted like TAKEn with these bounds, for RAW_ARGS handlers that count.
 */
export type ExtraWords = "strict" | "list" | "ignored" | "rewrite" | "require" | "header" | { take: readonly [number, number] };

const STRICT = [
  // RAW_ARGS handlers that parse their words
  "AllowOverride", "AllowOverrideList", "BalancerMember", "FileETag", "IndexOptions", "Mutex", "Options", "ProxyPass",
  "ProxyPassMatch", "ProxySet", "RequestReadTimeout", "SSLOptions", "SSLProtocol", "SSLProxyProtocol",
  // ITERATE handlers that check each word
  "Allow", "Deny", "AuthBasicProvider", "ForceLanguagePriority", "HttpProtocolOptions", "LogLevel", "MultiviewsMatch",
  "ProxyErrorOverride", "RemoteIPInternalProxy", "RemoteIPTrustedProxy", "RewriteOptions",
  // TAKEn handlers whose optional arguments have a fixed form (a status, env=, a protocol)
  "CustomLog", "ErrorLogFormat", "Redirect", "RedirectMatch", "SSLCipherSuite", "SSLRandomSeed",
];
const LIST = [
  "AccessFileName", "BrowserMatch", "BrowserMatchNoCase", "DirectoryIndex", "ServerAlias", "SetEnvIf", "SetEnvIfExpr",
  "SetEnvIfNoCase", "UserDir",
];
const IGNORED = ["SSLRequireSSL"];

const table: Record<string, ExtraWords> = {
  listen: { take: [1, 2] },
  proxyhtmlurlmap: { take: [2, 3] },
  rewriterule: "rewrite",
  rewritecond: "rewrite",
  require: "require",
  header: "header",
  requestheader: "header",
};
for (const [names, kind] of [[STRICT, "strict"], [LIST, "list"], [IGNORED, "ignored"]] as const) {
  for (const n of names) table[n.toLowerCase()] = kind;
}

/** Keyed by lower-cased directive name. */
export const EXTRA_WORDS: Readonly<Record<string, ExtraWords>> = table;

/** `Require <provider> …`: what the provider does with more words. */
export const REQUIRE_PROVIDERS: Readonly<Record<string, "strict" | "list" | "ignored">> = {
  all: "strict",
  ip: "strict",
  method: "strict",
  expr: "strict",
  "forward-dns": "list",
  local: "ignored",
  "valid-user": "ignored",
  host: "list",
  user: "list",
  group: "list",
  env: "list",
  "file-owner": "ignored",
  "file-group": "ignored",
};

/** Words a Header/RequestHeader action needs, the action included (`set name value` = 3). */
export const HEADER_ACTION_WORDS: Readonly<Record<string, number>> = {
  set: 3,
  append: 3,
  add: 3,
  merge: 3,
  setifempty: 3,
  note: 3,
  unset: 2,
  echo: 2,
  edit: 4,
  "edit*": 4,
};
