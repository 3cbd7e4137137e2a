// Directives of Apache 2.2 that 2.4 removed or deprecated, with what 2.4 says
// about each (measured with `apache2 -t` on Debian's 2.4.71, every module
// loaded: test/apache/version-migration-live.test.ts re-measures them) and the
// successor, from the manual's upgrading.html ("Upgrading to 2.4 from 2.2").

export interface RemovedDirective {
  /** as 2.2's manual spells it */
  readonly name: string;
  /** refused: Apache does not start (error); accepted: it starts, with or without a warning (warning) */
  readonly apache: "refused" | "accepted";
  /** what 2.4.71 prints for it, verbatim (`…` where it names the line and file); "" when it prints nothing */
  readonly says: string;
  /** what to write instead, for the message */
  readonly instead: string;
  /** the replacement line for a safe fix, from the directive's words; null: none; "" deletes the line */
  readonly fix: ((args: readonly string[]) => string | null) | null;
}

const REWRITE_TRACE = /^[1-9]\d*$/;

export const REMOVED_DIRECTIVES: readonly RemovedDirective[] = [
  {
    name: "NameVirtualHost",
    apache: "accepted",
    says: "AH00548: NameVirtualHost has no effect and will be removed in the next release",
    instead: "delete it: 2.4 selects name-based virtual hosts by itself",
    fix: () => "",
  },
  {
    name: "RewriteLog",
    apache: "refused",
    says: "Invalid command 'RewriteLog', perhaps misspelled or defined by a module not included in the server configuration",
    instead: "mod_rewrite logs to the ErrorLog: use `LogLevel rewrite:traceN`",
    fix: null,
  },
  {
    name: "RewriteLogLevel",
    apache: "refused",
    says: "Invalid command 'RewriteLogLevel', perhaps misspelled or defined by a module not included in the server configuration",
    instead: "`LogLevel rewrite:traceN` (N from 1 to 8)",
    // RewriteLogLevel 0 (logging off) has no one-line equivalent that leaves other modules alone
    fix: (args) => (args.length === 1 && REWRITE_TRACE.test(args[0]!) ? `LogLevel rewrite:trace${Math.min(Number(args[0]), 8)}` : null),
  },
  {
    name: "DefaultType",
    apache: "accepted",
    says: "AH00117: Ignoring deprecated use of DefaultType in line …",
    instead: "delete it (only `DefaultType None` is still accepted, and does nothing); `ForceType` sets a type",
    fix: () => "",
  },
  {
    name: "MaxClients",
    apache: "accepted",
    says: "",
    instead: "`MaxRequestWorkers` (MaxClients is still read as its old name)",
    fix: (args) => `MaxRequestWorkers ${args.join(" ")}`.trimEnd(),
  },
  {
    name: "SSLCertificateChainFile",
    apache: "accepted",
    says: "",
    instead: "put the intermediate certificates after the server certificate in the `SSLCertificateFile` file (deprecated since 2.4.8)",
    fix: null,
  },
  {
    name: "AcceptMutex",
    apache: "refused",
    says: "Invalid command 'AcceptMutex', perhaps misspelled or defined by a module not included in the server configuration",
    // no fix: `Mutex fcntl mpm-accept` is refused under mpm_event ("Mutex type mpm-accept is not valid")
    instead: "`Mutex <mechanism> mpm-accept` (prefork and worker MPMs; event has no accept mutex)",
    fix: null,
  },
  {
    name: "LockFile",
    apache: "refused",
    says: "Invalid command 'LockFile', perhaps misspelled or defined by a module not included in the server configuration",
    instead: "`Mutex file:<dir> default` (the lock file's directory)",
    fix: null,
  },
];

const BY_KEY: ReadonlyMap<string, RemovedDirective> = new Map(REMOVED_DIRECTIVES.map((d) => [d.name.toLowerCase(), d]));

/** The 2.2 directive this lower-cased name is, or undefined. */
export function removedDirective(key: string): RemovedDirective | undefined {
  return BY_KEY.get(key);
}
