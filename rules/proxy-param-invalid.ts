// mod_proxy checks the key=value words after a backend URL when it reads the
// config and refuses to start on the first bad one, without naming it
// ("ProxyPass unknown Worker parameter"). This rule names the key, says what
// the value should be, and suggests the parameter a typo was meant to be.
import type { Argument, Directive, Section } from "../grammar/index.js";
import { editDistance } from "../src/apache/edit-distance.js";
import { valueOffset } from "../src/apache/proxy.js";
import { BALANCER_PARAMS, HC_PARAMS, MAPPING, PROXYPASS_FLAGS, proxyArgs, proxySectionArgs, WORKER_PARAMS, type ParamSpec, type ProxyArgs } from "../src/apache/proxy-params.js";
import { refusalIn } from "../src/apache/file-kind.js";
import { defineRule, type Fix, type Report } from "../src/core/rule.js";

/** The one known key a typo is closest to: distance 1, or 2 for keys of 5 letters or more. */
export function suggestKey(key: string, known: readonly string[]): string | null {
  const limit = key.length >= 5 ? 2 : 1;
  let best: string[] = [];
  let bestD = limit + 1;
  for (const k of known) {
    const d = editDistance(key, k);
    if (d > limit) continue;
    if (d < bestD) [best, bestD] = [[k], d];
    else if (d === bestD) best.push(k);
  }
  return best.length === 1 && bestD > 0 ? best[0]! : null;
}

const PROXYPASS_WORKER_PARAMS: Readonly<Record<string, ParamSpec>> = { ...WORKER_PARAMS, mapping: MAPPING };
const PROXYPASS_BALANCER_PARAMS: Readonly<Record<string, ParamSpec>> = { ...BALANCER_PARAMS, mapping: MAPPING };

function paramsFor(a: ProxyArgs): Readonly<Record<string, ParamSpec>> {
  if (a.target === "template") return HC_PARAMS;
  if (a.label === "ProxyPass") return a.target === "balancer" ? PROXYPASS_BALANCER_PARAMS : PROXYPASS_WORKER_PARAMS;
  return a.target === "balancer" ? BALANCER_PARAMS : WORKER_PARAMS;
}

/** Apache's words for a complaint about one parameter, with the prefix each directive uses. */
function apacheSays(a: ProxyArgs, complaint: string, key: string, value: string): string {
  if (complaint === "unknown mapping") return complaint;
  if (a.label === "ProxySet" || a.label === "ProxyHCTemplate") return `${a.label}: ${complaint} ${key}=${value}; ${a.name}`;
  if (a.label === "<Proxy") return `<Proxy ${complaint} ${key}=${value}; ${a.name}`;
  return `${a.label} ${complaint}`;
}

const NOT_KEY_VALUE: Readonly<Record<string, string>> = {
  ProxyPass: "Invalid ProxyPass|ProxyPassMatch parameter. Parameter must be in the form 'key=value'.",
  ProxySet: "Invalid ProxySet parameter. Parameter must be in the form 'key=value'",
  "<Proxy": "Invalid Proxy parameter. Parameter must be in the form 'key=value'",
  ProxyHCTemplate: "Invalid ProxyHCTemplate parameter. Parameter must be in the form 'key=value'",
};

function notKeyValue(a: ProxyArgs): string {
  if (a.label === "BalancerMember") {
    return a.inSection ? "BalancerMember can not have a balancer name when defined in a location" : "Invalid BalancerMember parameter. Parameter must be in the form 'key=value'";
  }
  return NOT_KEY_VALUE[a.label]!;
}

function renameFix(arg: Argument, key: string, to: string): Fix | undefined {
  const at = valueOffset(arg);
  if (at === null) return undefined;
  return { safety: "unsafe", title: `Rename \`${key}\` to \`${to}\``, edits: [{ start: at, end: at + key.length, text: to }] };
}

/** What is known of mod_proxy_hcheck: missing (its hc… parameters are unknown), loaded (it answers for unknown worker keys), or neither. */
interface Hcheck {
  missing: boolean;
  loaded: boolean;
}

/** The words mod_proxy has for a key no table of the target knows. */
function unknownKey(a: ProxyArgs, hcheck: Hcheck): string {
  if (a.target === "balancer") return "unknown Balancer parameter";
  // with mod_proxy_hcheck loaded, set_worker_param hands an unknown key to set_worker_hc_param
  return a.target === "template" || hcheck.loaded ? "unknown Worker hcheck parameter" : "unknown Worker parameter";
}

function checkParam(a: ProxyArgs, arg: Argument, hcheck: Hcheck, refusal: string): Report | null {
  const word = arg.value;
  // a ${VAR} may stand for any number of words, with any keys
  if (arg.raw.includes("${")) return null;
  const at = { start: arg.start, end: arg.end };
  const eq = word.indexOf("=");
  if (eq === -1) {
    if (a.flags && PROXYPASS_FLAGS.has(word.toLowerCase())) return null;
    const after = a.target === "template" ? `the template name of ${a.shown}` : `the URL of ${a.shown}`;
    return { message: `\`${arg.raw}\` after ${after} is not a key=value parameter: ${refusal} ("${notKeyValue(a)}").`, ...at };
  }
  // an exclusion (`ProxyPass /path !`) creates no worker: its parameters are never read
  if (a.exclusion) return null;
  const key = word.slice(0, eq);
  const value = word.slice(eq + 1);
  const known = paramsFor(a);
  const spec = known[key.toLowerCase()];
  if (spec && hcheck.missing && a.target !== "template" && /^hc/i.test(key)) {
    return {
      message: `\`${key}\` is a health-check parameter of mod_proxy_hcheck, which this server does not load: ${refusal} ("${apacheSays(a, "unknown Worker parameter", key, value)}").`,
      ...at,
    };
  }
  if (spec) {
    const complaint = spec.check(value);
    if (!complaint) return null;
    return { message: `\`${word}\`: ${key} takes ${spec.takes}, so ${refusal} ("${apacheSays(a, complaint, key, value)}").`, ...at };
  }
  const says = apacheSays(a, unknownKey(a, hcheck), key, value);
  if (a.target === "template" && (WORKER_PARAMS[key.toLowerCase()] || BALANCER_PARAMS[key.toLowerCase()])) {
    return {
      message: `\`${key}\` is a ${WORKER_PARAMS[key.toLowerCase()] ? "worker" : "balancer"} parameter: a ProxyHCTemplate takes only the health-check ones (${Object.keys(HC_PARAMS).join(", ")}); ${refusal} ("${says}").`,
      ...at,
    };
  }
  const other = a.target === "balancer" ? WORKER_PARAMS : BALANCER_PARAMS;
  if (a.target !== "template" && other[key.toLowerCase()]) {
    const where =
      a.target === "balancer"
        ? "it belongs on the BalancerMember lines"
        : "it belongs on a ProxyPass to a balancer:// URL or a ProxySet in its <Proxy balancer://…> section";
    return {
      message: `\`${key}\` is a ${a.target === "balancer" ? "worker" : "balancer"} parameter, not a ${a.target} one: ${where}; ${refusal} ("${says}").`,
      ...at,
    };
  }
  const suggestion = suggestKey(key.toLowerCase(), Object.keys(known));
  const kind = a.target === "template" ? "health-check" : a.target;
  return {
    message: `\`${key}\` is not a ${a.shown} ${kind} parameter${suggestion ? ` (did you mean \`${suggestion}\`?)` : ""}: ${refusal} ("${says}").`,
    ...at,
    ...(suggestion && { fix: renameFix(arg, key, suggestion) }),
  };
}

export default defineRule({
  id: "proxy-param-invalid",
  severity: "error",
  category: "correctness",
  description: "An unknown ProxyPass/BalancerMember/<Proxy>/ProxyHCTemplate parameter or an invalid value for one",
  fixable: "unsafe",
  doc: {
    problem:
      "A word after the backend URL of ProxyPass, ProxyPassMatch, BalancerMember, ProxySet or `<Proxy URL key=value …>`, " +
      "or after the name of a ProxyHCTemplate, that mod_proxy rejects: " +
      "an unknown key (`upgrades=websocket`), a value it refuses (`timeout=abc`, `keepalive=yes`, `retry=-1`, " +
      "`lbmethod=round-robin`), a worker parameter on a `balancer://` URL or the other way round (`retry=` goes on the " +
      "BalancerMember lines, `lbmethod=` on the balancer), or a word that is not key=value at all. The flags `nocanon`, " +
      "`interpolate` and `noquery` are fine after ProxyPass (and nowhere else), and so is a `# comment` (the " +
      "trailing-comment rule's business). `<Proxy>` takes parameters only after one URL, not a wildcard or a path, " +
      "and a ProxyHCTemplate only the health-check ones (`hcmethod=`, `hcinterval=` …).",
    bad: "ProxyPass /ws/ ws://127.0.0.1:13001/ws/ upgrades=websocket\nProxyPass /app/ \\\n    http://127.0.0.1:13002/ \\\n    timeout=abc",
    good: "ProxyPass /ws/ ws://127.0.0.1:13001/ws/ upgrade=websocket\nProxyPass /app/ \\\n    http://127.0.0.1:13002/ \\\n    timeout=60",
    why:
      "mod_proxy checks every parameter when it reads the configuration and stops at the first bad one. Its message " +
      "does not name the key: `ProxyPass unknown Worker parameter` (case m24, the typo `upgrades=`), `ProxyPass Timeout " +
      "must be at least one second` (m25, `timeout=abc`: the value is read with atoi, so `abc` is 0), and for a " +
      "continued line it gives the line number of the last physical line (m37); this rule points at the word itself. " +
      "Values are checked as set_worker_param and set_balancer_param do (2.4.71): whole seconds for `timeout`, `ttl`, " +
      "`retry`; times with a unit for `connectiontimeout`, `ping`, `acquire` (`100ms`, `5`, `2mi`); On/Off switches; " +
      "`status` letters; `lbmethod` names (case-sensitive); `failonstatus` codes; `mapping=servlet|encoded` " +
      "(ProxyPass only). Every value check was run against apache2 -t. The parameters of an exclusion " +
      "(`ProxyPass /x !`) are ignored by Apache and not checked, and neither is a word holding `${VAR}`. The `hc…` " +
      "parameters exist only with mod_proxy_hcheck: they are reported when the config loads its modules and not that " +
      "one; with it loaded, an unknown worker key is \"unknown Worker hcheck parameter\". Their values are checked as " +
      "set_worker_hc_param does: `hcmethod` one of NONE, TCP, OPTIONS, HEAD, GET, CPING, OPTIONS11, HEAD11, GET11 " +
      "(PROVIDER \"not (yet) implemented\"), `hcinterval` a time of at least 100ms, `hcpasses`/`hcfails` not negative; " +
      "the names `hcexpr=` and `hctemplate=` refer to (ProxyHCExpr, ProxyHCTemplate) are not checked. `<Proxy URL " +
      "…>` answers as proxysection does (`<Proxy unknown Balancer parameter retry=5; balancer://b`, `<Proxy> arguments " +
      "are not supported for wildchar url.`), ProxyHCTemplate as set_hc_template (`ProxyHCTemplate: unknown Worker " +
      "hcheck parameter timeout=5; tcp5`).",
    versions:
      "Measured on 2.4.71. Some parameters are newer than 2.4.0 (`upgrade` 2.4.47, `mapping` 2.4.59, `addressttl` " +
      "2.4.60, `responsefieldsize` 2.4.53): older releases reject them as unknown.",
    fix:
      "Unsafe: renames an unknown key to the one known parameter it is a typo of (edit distance 1, or 2 for keys of " +
      "five letters or more), e.g. `upgrades=` → `upgrade=`. Unsafe because the guess changes what the worker does. " +
      "Invalid values get no fix: the right one is the author's.",
    cases: ["m24", "m25", "m37", "m07", "k1"],
  },
  create(ctx) {
    const { server } = ctx;
    const refusal = refusalIn(ctx.fileKind);
    const hcheck: Hcheck = { missing: server.managesModules && !server.isLoaded("proxy_hcheck"), loaded: server.managesModules && server.isLoaded("proxy_hcheck") };
    const checkAll = (a: ProxyArgs) => {
      for (const arg of a.params) {
        const r = checkParam(a, arg, hcheck, refusal);
        if (r) ctx.report(r);
      }
    };
    const visit = (d: Directive) => {
      // the URL alone (`ProxyPass URL` in <Location>) has no parameters to check
      if (d.args.length < 2 && d.key !== "proxyset") return;
      const a = proxyArgs(d);
      // `ProxyPass /path URL` inside <Location>: directive-context reports the path
      if (!a || a.params.length === 0 || a.pathInSection || d.args.some((x) => x.unterminated)) return;
      checkAll(a);
    };
    const section = (s: Section) => {
      const a = proxySectionArgs(s);
      if (!a) return;
      if ("refused" in a) {
        const [path, ...rest] = s.args;
        if (path!.raw.includes("${") || rest.some((x) => x.raw.includes("${"))) return;
        ctx.report({
          message: `<Proxy> takes key=value parameters only after a single URL, and \`${path!.value}\` is ${a.refused}: set them on the ProxyPass or BalancerMember line of the backend, or on a <Proxy> of its exact URL; ${refusal} ("${a.says}").`,
          start: rest[0]!.start,
          end: rest[rest.length - 1]!.end,
        });
        return;
      }
      checkAll(a);
    };
    return {
      directive: { proxypass: visit, proxypassmatch: visit, balancermember: visit, proxyset: visit, proxyhctemplate: visit },
      enter: { proxy: section },
    };
  },
});
