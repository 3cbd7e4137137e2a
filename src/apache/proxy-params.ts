// The words after a backend URL, as mod_proxy reads them (add_pass,
// add_member, set_proxy_param and proxysection in mod_proxy.c, set_hc_template
// in mod_proxy_hcheck.c, 2.4.71), and the worker, balancer and health-check
// parameters they accept, with the checks set_worker_param, set_balancer_param
// and set_worker_hc_param make. Every check below was run against apache2 -t.
import type { Argument, Directive, Section } from "../../grammar/index.js";
import { enclosing, PATH_SECTIONS, PER_DIRECTORY_SECTIONS } from "./scope.js";

/** What the parameters configure: a worker, a balancer, or a ProxyHCTemplate's health check. */
export type Target = "worker" | "balancer" | "template";

export interface ProxyArgs {
  /** the line: a directive, or the open tag of <Proxy URL key=value …> */
  directive: Directive | Section;
  /** the prefix Apache puts before its complaints ("ProxyPass" for ProxyPassMatch too) */
  label: "ProxyPass" | "BalancerMember" | "ProxySet" | "<Proxy" | "ProxyHCTemplate";
  /** the directive as messages name it ("ProxyPassMatch", "<Proxy>") */
  shown: string;
  /** what the parameters configure */
  target: Target;
  /** the backend URL (or balancer name) the parameters apply to; null when the section gives it */
  url: Argument | null;
  /** the worker or balancer they configure, as Apache names it in messages */
  name: string;
  /** `!`: an exclusion has no worker, its key=value words are ignored */
  exclusion: boolean;
  /** the words after the URL, a trailing `# comment` excluded */
  params: readonly Argument[];
  /** ProxyPass and ProxyPassMatch also take the flags nocanon, interpolate and noquery */
  flags: boolean;
  /** the enclosing section names the path (ProxyPass) or the balancer (BalancerMember, ProxySet) */
  inSection: boolean;
  /** ProxyPass inside <Location> (or <Proxy>, PATH_SECTIONS) written with a path: the second word would be read as a parameter */
  pathInSection: boolean;
}

export const PROXYPASS_FLAGS: ReadonlySet<string> = new Set(["nocanon", "interpolate", "noquery"]);

const isBalancer = (url: string) => /^balancer:/i.test(url);

function uncommented(d: Directive): readonly Argument[] {
  const hash = d.trailingCommentIndex;
  return hash === -1 ? d.args : d.args.slice(0, hash);
}

/** The URL and parameters of ProxyPass, ProxyPassMatch, BalancerMember or ProxySet; null for other directives. */
export function proxyArgs(d: Directive): ProxyArgs | null {
  const args = uncommented(d);
  switch (d.key) {
    case "proxypass":
    case "proxypassmatch": {
      // the section gives the path (PATH_SECTIONS): ProxyPass is then `ProxyPass URL [params]`
      const inSection = enclosing(d, PATH_SECTIONS) !== null;
      let i = 0;
      if (!inSection) {
        if (d.key === "proxypass" && args[0]?.value === "~") i++;
        i++; // the path or pattern
      }
      const url = args[i];
      if (!url) return null;
      const next = args[i + 1];
      const pathInSection =
        inSection && url.value.startsWith("/") && next !== undefined && !next.value.includes("=") && !PROXYPASS_FLAGS.has(next.value.toLowerCase());
      return {
        directive: d,
        label: "ProxyPass",
        shown: d.name,
        target: isBalancer(url.value) ? "balancer" : "worker",
        url,
        name: url.value,
        exclusion: url.value === "!",
        params: args.slice(i + 1),
        flags: true,
        inSection,
        pathInSection,
      };
    }
    case "balancermember": {
      // any section that sets cmd->path gives the balancer name (measured: <Location>, <Directory> too)
      const inSection = enclosing(d, PER_DIRECTORY_SECTIONS) !== null;
      const i = inSection ? 0 : 1;
      const url = args[i];
      if (!url) return null;
      return { directive: d, label: "BalancerMember", shown: d.name, target: "worker", url, name: url.value, exclusion: false, params: args.slice(i + 1), flags: false, inSection, pathInSection: false };
    }
    case "proxyset": {
      const section = enclosing(d, ["proxy", "proxymatch"]);
      // <ProxyMatch> names no single worker: Apache cannot parse its regex as a URL
      if (section?.key === "proxymatch") return null;
      const name = section ? section.args[0]?.value : args[0]?.value;
      if (!name) return null;
      return {
        directive: d,
        label: "ProxySet",
        shown: d.name,
        target: isBalancer(name) ? "balancer" : "worker",
        url: section ? null : args[0]!,
        name,
        exclusion: false,
        params: args.slice(section ? 0 : 1),
        flags: false,
        inSection: section !== null,
        pathInSection: false,
      };
    }
    case "proxyhctemplate": {
      const name = args[0];
      if (!name || name.value === "") return null;
      return { directive: d, label: "ProxyHCTemplate", shown: d.name, target: "template", url: null, name: name.value, exclusion: false, params: args.slice(1), flags: false, inSection: false, pathInSection: false };
    }
  }
  return null;
}

/** apr_fnmatch_test: `*`, `?`, or a `[` with a `]` after it; `\` escapes. */
function isWildcard(v: string): boolean {
  let open = false;
  for (let i = 0; i < v.length; i++) {
    const c = v[i];
    if (c === "?" || c === "*" || (c === "]" && open)) return true;
    if (c === "[") open = true;
    else if (c === "\\") i++;
  }
  return false;
}

/**
 * The parameters of `<Proxy URL key=value …>`, or why the tag may have none:
 * proxysection takes them only for one URL, not a wildcard or a path.
 */
export function proxySectionArgs(s: Section): ProxyArgs | { refused: string; says: string } | null {
  const [path, ...rest] = s.args;
  if (!path || rest.length === 0 || s.args.some((a) => a.unterminated)) return null;
  const p = path.value.replace(/^proxy:/i, "");
  if (isWildcard(p)) return { refused: "a wildcard", says: "<Proxy> arguments are not supported for wildchar url." };
  if (!p.includes(":")) return { refused: "a path, not a URL", says: "<Proxy> arguments are not supported for non url." };
  return { directive: s, label: "<Proxy", shown: "<Proxy>", target: isBalancer(p) ? "balancer" : "worker", url: path, name: p, exclusion: false, params: rest, flags: false, inSection: false, pathInSection: false };
}

// ------------------------------------------------------------------ values

/** C's atoi: blanks, a sign, digits; 0 when there are none. */
export function atoi(v: string): number {
  const m = /^\s*([+-]?\d+)/.exec(v);
  return m ? Number(m[1]) : 0;
}

/** C's atof, enough for decimal numbers. */
function atof(v: string): number {
  const m = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(v);
  return m ? Number(m[0]) : 0;
}

/**
 * ap_timeout_parameter_parse: a non-negative number and an optional unit
 * (ms, s, mi, h), the default unit otherwise. Microseconds, or null when Apache
 * says "has wrong format".
 */
export function timeoutMicros(v: string, defaultUnit: "s" | "ms"): number | null {
  const m = /^\s*([+-]?\d*)(.*)$/s.exec(v)!;
  const digits = m[1]!;
  const unit = m[2] === "" ? defaultUnit : m[2]!;
  if (digits === "" && unit !== defaultUnit) return null;
  const n = digits === "" || digits === "+" || digits === "-" ? 0 : Number(digits);
  if (n < 0) return null;
  const scale: Record<string, number> = { ms: 1e3, s: 1e6, mi: 60e6, h: 3600e6 };
  const f = scale[unit];
  return f === undefined ? null : n * f;
}

type Check = (value: string) => string | null;

const onOff = (message: string): Check => (v) => (/^(on|off)$/i.test(v) ? null : message);
const atLeast = (min: number, message: string): Check => (v) => (atoi(v) < min ? message : null);
const between = (min: number, max: number, message: string): Check => (v) => (atoi(v) < min || atoi(v) > max ? message : null);
const bufferSize = (message: string): Check => (v) => {
  const n = atoi(v);
  return n < 512 && n !== 0 ? message : null;
};
const timeout = (unit: "s" | "ms", wrongFormat: string, tooSmall: string): Check => (v) => {
  const us = timeoutMicros(v, unit);
  if (us === null) return wrongFormat;
  return us < 1000 ? tooSmall : null;
};
const any: Check = () => null;

export interface ParamSpec {
  check: Check;
  /** what the value is, for messages */
  takes: string;
}

const spec = (takes: string, check: Check): ParamSpec => ({ takes, check });

/** mod_proxy_hcheck's proxy_hcmethods (case-insensitive); PROVIDER is listed but not implemented (2.4.71). */
const HC_METHODS: readonly string[] = ["NONE", "TCP", "OPTIONS", "HEAD", "GET", "CPING", "OPTIONS11", "HEAD11", "GET11"];
const HC_UNIMPLEMENTED: readonly string[] = ["PROVIDER"];

/** set_worker_param: ProxyPass to a plain URL, BalancerMember, ProxySet on a worker. */
export const WORKER_PARAMS: Readonly<Record<string, ParamSpec>> = {
  loadfactor: spec("a number from 1 to 100", (v) => {
    const n = Math.trunc(atof(v) * 100);
    return n < 100 || n > 10000 ? "LoadFactor must be a number between 1..100" : null;
  }),
  retry: spec("whole seconds, 0 or more", atLeast(0, "Retry must be a positive value")),
  ttl: spec("whole seconds, at least 1", atLeast(1, "TTL must be at least one second")),
  min: spec("a number of connections, 0 or more", atLeast(0, "Min must be a positive number")),
  max: spec("a number of connections, 0 or more", atLeast(0, "Max must be a positive number")),
  smax: spec("a number of connections, 0 or more", atLeast(0, "Smax must be a positive number")),
  acquire: spec("a time (milliseconds by default), at least 1ms", timeout("ms", "Acquire timeout has wrong format", "Acquire must be at least one millisecond")),
  timeout: spec("whole seconds, at least 1", atLeast(1, "Timeout must be at least one second")),
  iobuffersize: spec("bytes, 512 or more, or 0", bufferSize("IOBufferSize must be >= 512 bytes, or 0 for system default.")),
  receivebuffersize: spec("bytes, 512 or more, or 0", bufferSize("ReceiveBufferSize must be >= 512 bytes, or 0 for system default.")),
  keepalive: spec("On or Off", onOff("KeepAlive must be On|Off")),
  disablereuse: spec("On or Off", onOff("DisableReuse must be On|Off")),
  enablereuse: spec("On or Off", onOff("EnableReuse must be On|Off")),
  route: spec("a route name", any),
  redirect: spec("a route name", any),
  status: spec("status letters C D E F G H I N O R S U, each with an optional + or -", (v) =>
    /^(?:[+-]?[cdefghinorsu])*$/i.test(v) ? null : "Unknown status parameter option"),
  flushpackets: spec("on, off or auto", (v) => (/^(on|off|auto)$/i.test(v) ? null : "flushpackets must be on|off|auto")),
  flushwait: spec("milliseconds from 0 to 1000", between(0, 1000, "flushwait must be <= 1000, or 0 for system default of 10 millseconds.")),
  ping: spec("a time (seconds by default), at least 1ms", timeout("s", "Ping/Pong timeout has wrong format", "Ping/Pong timeout must be at least one millisecond")),
  lbset: spec("a number from 0 to 99", between(0, 99, "lbset must be between 0 and 99")),
  connectiontimeout: spec(
    "a time (seconds by default), at least 1ms",
    timeout("s", "Connectiontimeout has wrong format", "Connectiontimeout must be at least one millisecond."),
  ),
  flusher: spec("a flush provider name", any),
  upgrade: spec("a protocol name such as websocket", any),
  responsefieldsize: spec("bytes, 0 or more", (v) => (atoi(v) < 0 ? "ResponseFieldSize must be greater than 0 bytes, or 0 for system default." : null)),
  secret: spec("an AJP secret", any),
  addressttl: spec("-1 or whole seconds", (v) => {
    if (v.trim() === "-1") return null;
    const us = timeoutMicros(v, "s");
    return us === null || us % 1e6 !== 0 || us / 1e6 > 2147483647 ? "AddressTTL must be -1 or a number of seconds not exceeding (2147483647)" : null;
  }),
  // mod_proxy_hcheck's (set_worker_hc_param): they exist only when it is loaded
  hcmethod: spec(`a health check method (${HC_METHODS.join(", ")})`, (v) => {
    const m = v.toUpperCase();
    if (HC_METHODS.includes(m)) return null;
    return HC_UNIMPLEMENTED.includes(m) ? `Health check method ${v} not (yet) implemented` : "Unknown method";
  }),
  // a name ProxyHCExpr or ProxyHCTemplate defined before: order and other files decide, not checked
  hcexpr: spec("a ProxyHCExpr name", any),
  hcinterval: spec("a time (seconds by default), at least 100ms", (v) => {
    const us = timeoutMicros(v, "s");
    if (us === null) return "Unparse-able hcinterval setting";
    return us < 100e3 ? "Interval must be a positive value greater than 100ms" : null;
  }),
  hcpasses: spec("a count, 0 or more", atLeast(0, "Passes must be a positive value")),
  hcfails: spec("a count, 0 or more", atLeast(0, "Fails must be a positive value")),
  hcuri: spec("a URI", any),
  hctemplate: spec("a ProxyHCTemplate name", any),
};

/** The parameters a ProxyHCTemplate takes: mod_proxy_hcheck's alone. */
export const HC_PARAMS: Readonly<Record<string, ParamSpec>> = Object.fromEntries(Object.entries(WORKER_PARAMS).filter(([k]) => k.startsWith("hc")));

/** The lbmethod providers Apache ships (mod_lbmethod_*); their names are case-sensitive. */
export const LBMETHODS: readonly string[] = ["byrequests", "bytraffic", "bybusyness", "heartbeat"];

/** set_balancer_param: ProxyPass to a balancer:// URL, ProxySet on a balancer. */
export const BALANCER_PARAMS: Readonly<Record<string, ParamSpec>> = {
  stickysession: spec("a cookie or parameter name", any),
  stickysessionsep: spec("one character, or Off", (v) => (v.length === 1 || /^off$/i.test(v) ? null : "stickysessionsep must be a single character or Off")),
  nofailover: spec("On or Off", onOff("failover must be On|Off")),
  timeout: spec("whole seconds, at least 1", atLeast(1, "timeout must be at least one second")),
  maxattempts: spec("a number, 0 or more", atLeast(0, "maximum number of attempts must be a positive number")),
  lbmethod: spec(LBMETHODS.join(", "), (v) => (LBMETHODS.includes(v) ? null : "unknown lbmethod")),
  scolonpathdelim: spec("On or Off", onOff("scolonpathdelim must be On|Off")),
  failonstatus: spec("HTTP status codes separated by commas", (v) =>
    v.split(/[, ]+/).filter(Boolean).every((s) => atoi(s) >= 100 && atoi(s) < 600) ? null : "failonstatus must be one or more HTTP response codes"),
  failontimeout: spec("On or Off", onOff("failontimeout must be On|Off")),
  nonce: spec("a nonce, or None", any),
  growth: spec("a number from 1 to 100", between(1, 100, "growth must be between 1 and 100")),
  forcerecovery: spec("On or Off", onOff("forcerecovery must be On|Off")),
};

/** ProxyPass and ProxyPassMatch read `mapping=` themselves, for workers and balancers alike. */
export const MAPPING: ParamSpec = spec("servlet or encoded", (v) => (/^(servlet|encoded)$/i.test(v) ? null : "unknown mapping"));
