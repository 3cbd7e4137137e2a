// The request methods Apache knows by name when it reads the configuration:
// the built-in table of server/http_protocol.c (ap_method_number_of, which
// compares case-sensitively). `Require method` (mod_authz_core) and
// `AllowMethods` (mod_allowmethods) refuse any other word ("Invalid Method
// 'get'"). A <Limit>/<LimitExcept> that names an unknown method registers it
// (ap_method_register), and from then on it is accepted too. Measured on
// 2.4.71 with every Debian module loaded (test/rules/require-invalid.test.ts
// checks every name live, and that `get`, `SEARCH`, `BREW` are refused).

export const HTTP_METHODS: readonly string[] = [
  "GET", "HEAD", "PUT", "POST", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH",
  "PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK",
  "VERSION-CONTROL", "CHECKOUT", "UNCHECKOUT", "CHECKIN", "UPDATE", "LABEL", "REPORT",
  "MKWORKSPACE", "MKACTIVITY", "BASELINE-CONTROL", "MERGE",
];
