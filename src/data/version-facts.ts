// What changed in which Apache 2.4 release, beyond the directive table: the
// release that introduced each directive comes from the manual's Compatibility
// row (src/data/directive-docs.ts, `since`); this table holds what the manual's
// rows do not: parameters and flags, trunk-only directives, behaviour changes.
// Each entry names its source: CHANGES is Apache's changelog as Debian ships
// it (/usr/share/doc/apache2/changelog.gz, apache2 2.4.71-1~deb12u1), quoted by
// the release heading it sits under.

/** A release as written in the sources, "2.4.47". */
export type Release = `2.4.${number}`;

/** A parameter or flag of a directive that a later release added. */
export interface ArgumentFact {
  /** lower-cased directive names it belongs to */
  readonly directives: readonly string[];
  /** `upgrade=` (a worker parameter) or a RewriteRule flag's canonical name (src/apache/rewrite.ts) */
  readonly kind: "worker-param" | "rewrite-flag";
  /** lower-cased parameter key or canonical flag name */
  readonly name: string;
  /** as the manual spells it, for messages */
  readonly spelling: string;
  readonly since: Release;
  readonly source: string;
  /** another rule already reports it on older targets (no second finding) */
  readonly reportedBy?: string;
}

export const ARGUMENT_FACTS: readonly ArgumentFact[] = [
  {
    directives: ["proxypass", "proxypassmatch", "balancermember"],
    kind: "worker-param",
    name: "upgrade",
    spelling: "upgrade=",
    since: "2.4.47",
    source: "CHANGES 2.4.47: mod_proxy_http tunnels protocol upgrades (upgrade=websocket) itself; mod_proxy.html#proxypass, upgrade parameter",
    reportedBy: "websocket-prefer-upgrade-param",
  },
  {
    directives: ["rewriterule"],
    kind: "rewrite-flag",
    name: "unsafeallow3f",
    spelling: "UnsafeAllow3F",
    since: "2.4.60",
    source: 'CHANGES 2.4.60, CVE-2024-38474: "Some RewriteRules that capture and substitute unsafely will now fail unless rewrite flag \\"UnsafeAllow3F\\" is specified."',
  },
  {
    directives: ["rewriterule"],
    kind: "rewrite-flag",
    name: "unsafeprefixstat",
    spelling: "UnsafePrefixStat",
    since: "2.4.60",
    source: 'CHANGES 2.4.60, CVE-2024-38475: "the rewrite flag \\"UnsafePrefixStat\\" can be used to opt back in"',
  },
  {
    directives: ["rewriterule"],
    kind: "rewrite-flag",
    name: "bctls",
    spelling: "BCTLS",
    since: "2.4.57",
    source: 'CHANGES 2.4.57: "mod_rewrite: Add \\"BCTLS\\" and \\"BNE\\" RewriteRule flags."',
  },
  {
    directives: ["rewriterule"],
    kind: "rewrite-flag",
    name: "bne",
    spelling: "BNE",
    since: "2.4.57",
    source: 'CHANGES 2.4.57: "mod_rewrite: Add \\"BCTLS\\" and \\"BNE\\" RewriteRule flags."',
  },
];

/** Directives of httpd trunk that no 2.4 release has, and what 2.4 offers instead. */
export interface TrunkOnlyFact {
  readonly name: string;
  readonly instead: string;
  readonly source: string;
}

export const TRUNK_ONLY: readonly TrunkOnlyFact[] = [
  {
    name: "ProxyWebsocketIdleTimeout",
    instead: "on 2.4 the tunnel's idle time is the worker's `timeout=` parameter or `ProxyTimeout`",
    source: "trunk manual mod_proxy_wstunnel.html; absent from the 2.4.71 manual; apache2 2.4.71 -t: Invalid command",
  },
  {
    name: "ProxyWebsocketAsync",
    instead: "2.4 has no asynchronous WebSocket tunnel setting: use `ProxyPass … upgrade=websocket` (2.4.47+) and the worker's `timeout=`",
    source: "trunk manual mod_proxy_wstunnel.html; absent from the 2.4.71 manual; apache2 2.4.71 -t: Invalid command",
  },
];

/** Behaviour changes the rules rely on, by release. */
export const RELEASES = {
  /** mod_proxy_http tunnels WebSockets (`upgrade=`); mod_proxy_wstunnel declines non-Upgrade requests. CHANGES 2.4.47. */
  proxyHttpUpgrade: "2.4.47",
  /** ProxyWebsocketFallbackToProxyHttp. CHANGES 2.4.48 ("mod_proxy_wstunnel: Add ProxyWebsocketFallbackToProxyHttp"). */
  websocketFallback: "2.4.48",
  /** CVE-2023-25690 fixed: HTTP request splitting with mod_rewrite and mod_proxy. CHANGES 2.4.56. */
  requestSplittingFixed: "2.4.56",
  /** H2WebSockets (RFC 8441). CHANGES 2.4.58. */
  h2WebSockets: "2.4.58",
  /** mod_http2 2.0 ("a partial rewrite of how connections and streams are handled"). CHANGES 2.4.55. */
  http2Rewrite: "2.4.55",
  /** mod_http2 disables itself under prefork (AH10034). CHANGES 2.4.27 ("COMPATIBILITY: mod_http2: Disable and give warning when using Prefork"). */
  http2PreforkDisabled: "2.4.27",
  /** UnsafeAllow3F, UnsafePrefixStat; handlers wired with AddType must move to AddHandler (CVE-2024-38476). CHANGES 2.4.60. */
  addTypeHandler: "2.4.60",
  /** a RewriteRule [P] in directory context without mod_proxy is an error; mod_tls removed. CHANGES 2.4.63. */
  proxyFlagNeedsModProxy: "2.4.63",
  /** `SSLEngine optional` (TLS upgrade) removed (CVE-2025-49812). CHANGES 2.4.64. */
  sslEngineOptionalRemoved: "2.4.64",
} as const satisfies Record<string, Release>;

/** The lower-cased names of TRUNK_ONLY. */
export const TRUNK_ONLY_KEYS: ReadonlySet<string> = new Set(TRUNK_ONLY.map((f) => f.name.toLowerCase()));
