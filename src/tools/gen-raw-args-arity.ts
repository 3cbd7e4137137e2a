// Regenerates src/data/raw-args-arity.ts by asking Debian's apache2 itself:
//   npm run build && node dist/src/tools/gen-raw-args-arity.js > src/data/raw-args-arity.ts
//
// How many words the handlers that parse their own line (RAW_ARGS, TAKE_ARGV)
// take. config.c counts nothing for them; each refuses a line with too few (or
// too many) words in words of its own. Only handlers whose count does not
// depend on what the words say are probed (SUBJECTS below: Header, Require,
// ProxyPass … count by keyword or by context and are other rules' business).
// For each, from a valid line with every optional word its syntax has:
// - the line cut to 0, 1, 2 … words: the fewest Apache takes, and its message for each missing word;
// - the line with one, two, three words more (two different words): the most, if the handler has a limit;
// - an empty "" at each needed position, ending the line and inside it: how the handler reads "",
//   chosen as the first reader (src/apache/arity.ts rawArgsShortfall) whose every prediction
//   Apache confirms: it refuses each line predicted short with the predicted message, and
//   refuses no line predicted fine with a count message.
// A subject that fits no reader stops the generator: the table holds only what was confirmed.
import { availableParallelism } from "node:os";
import { scanArguments } from "../../grammar/index.js";
import { fillMessage, rawArgsShortfall, type RawArgsArity, type RawReader } from "../apache/arity.js";
import { apacheTest, pool } from "./probe-support.js";
import { caseText, makeServerRoot, readVerdict, type ApacheVerdict } from "./differential.js";

interface Subject {
  readonly name: string;
  /** a valid line's words, every optional position filled */
  readonly words: readonly string[];
  /** words with `=` are key=value parameters the handler does not count (mod_proxy's add_member) */
  readonly params?: true;
  /** a section that sets cmd->path, the handler taking its first word from it (add_member: the balancer name), and the valid words there */
  readonly section?: { readonly open: string; readonly close: string; readonly words: readonly string[] };
  /** the rule that reports a word past the handler's limit, which is then not measured here */
  readonly limitOf?: string;
}

const SUBJECTS: readonly Subject[] = [
  { name: "AuthnzFcgiDefineProvider", words: ["authn", "x", "fcgi://127.0.0.1:9000/"] },
  { name: "BalancerMember", words: ["balancer://x", "http://m/"], params: true, section: { open: "<Proxy balancer://x>", close: "</Proxy>", words: ["http://m/"] }, limitOf: "proxy-param-invalid" },
  { name: "BrowserMatch", words: ["x", "y"] },
  { name: "BrowserMatchNoCase", words: ["x", "y"] },
  { name: "Listen", words: ["127.0.0.1:18090", "http"] },
  { name: "MDomain", words: ["example.org", "www.example.org"] },
  { name: "MDPrivateKeys", words: ["secp256r1", "rsa3072"] },
  { name: "ProxyHCTemplate", words: ["tcp5", "hcmethod=tcp"] },
  { name: "RemoteIPProxyProtocolExceptions", words: ["127.0.0.1"] },
  { name: "RewriteCond", words: ["%{HTTP_HOST}", "x", "[NC]"] },
  { name: "RewriteRule", words: ["^", "-", "[L]"] },
  { name: "SessionCookieName", words: ["session", "path=/"] },
  { name: "SessionCookieName2", words: ["session", "path=/"] },
  { name: "SessionDBDCookieName", words: ["session", "path=/"] },
  { name: "SessionDBDCookieName2", words: ["session", "path=/"] },
  { name: "SetEnvIf", words: ["Remote_Addr", "x", "y"] },
  { name: "SetEnvIfExpr", words: ["true", "X"] },
  { name: "SetEnvIfNoCase", words: ["Remote_Addr", "x", "y"] },
  { name: "UserDir", words: ["disabled"] },
];

/** Readers in the order tried: the strictest reading of "" first. */
const READERS: readonly RawReader[] = ["conf", "argv", "words", "rewrite"];
const PAD = "extra";
const EMPTY = '""';

const root = makeServerRoot();

interface Probe {
  readonly words: readonly string[];
  readonly inSection: boolean;
}

const lineOf = (s: Subject, words: readonly string[]) => [s.name, ...words].join(" ");
const bodyOf = (s: Subject, p: Probe) => (p.inSection ? [s.section!.open, lineOf(s, p.words), s.section!.close] : [lineOf(s, p.words)]);
const argsText = (words: readonly string[]) => words.join(" ");

async function ask(s: Subject, p: Probe): Promise<ApacheVerdict> {
  const body = bodyOf(s, p);
  const { code, stderr } = await apacheTest(root, caseText(body, root));
  const v = readVerdict(code, stderr, root, body.length);
  // a refusal that names another line than the directive's is not about its words
  return !v.ok && v.line !== (p.inSection ? 2 : 1) ? { ok: false, line: null, message: `elsewhere: ${v.message}` } : v;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * `message` with the probe's own text in it made a placeholder, as Apache's log
 * prints it (backslashes doubled); only where it stands as a whole word (the
 * "x" of a line is not the x of "expression").
 */
const template = (message: string, key: "args" | "word", value: string) => {
  const printed = value.replaceAll("\\", "\\\\");
  return printed === "" ? message : message.replace(new RegExp(`(?<!\\w)${escapeRegExp(printed)}(?!\\w)`, "g"), `{${key}}`);
};

class Unfit extends Error {}

async function measure(s: Subject): Promise<RawArgsArity> {
  const n = s.words.length;
  const cut = await Promise.all(Array.from({ length: n + 1 }, (_, k) => ask(s, { words: s.words.slice(0, k), inSection: false })));
  if (!cut[n]!.ok) throw new Unfit(`${s.name}: the sample line is refused: ${cut[n]!.message}`);
  let min = n;
  while (min > 0 && cut[min - 1]!.ok) min--;
  for (let k = 0; k < min; k++) if (cut[k]!.ok) throw new Unfit(`${s.name}: ${k} words start but ${min - 1} do not`);
  const missing = cut.slice(0, min).map((v, k) => template(v.message, "args", argsText(s.words.slice(0, k))));

  // a limit: both pad words refused with one message (their word aside) at the same count
  const last = s.words[n - 1]!;
  let max: number | null = null;
  let tooMany: string | undefined;
  for (let m = 1; m <= 3 && max === null && s.limitOf === undefined; m++) {
    const [a, b] = await Promise.all([last, PAD].map((w) => ask(s, { words: [...s.words, ...Array<string>(m).fill(w)], inSection: false })));
    if (a!.ok || b!.ok) continue;
    const ta = template(a!.message, "word", last);
    if (ta === template(b!.message, "word", PAD)) {
      max = n + m - 1;
      tooMany = ta;
    }
  }

  const probes: Probe[] = [];
  const add = (words: readonly string[], inSection = false) => probes.push({ words, inSection });
  for (let k = 0; k <= n + 2; k++) add(k <= n ? s.words.slice(0, k) : [...s.words, ...Array<string>(k - n).fill(PAD)]);
  const padded = max === null || n < max ? [...s.words, PAD] : s.words;
  for (let i = 0; i < Math.max(min, 1); i++) {
    add([...s.words.slice(0, i), EMPTY]);
    add(padded.map((w, j) => (j === i ? EMPTY : w)));
  }
  if (s.params) for (const p of [...probes]) add(["timeout=5", ...p.words], p.inSection);
  if (s.section) {
    const w = s.section.words;
    for (let k = 0; k <= w.length; k++) add(w.slice(0, k), true);
    add([EMPTY], true);
    add([...w, PAD], true);
    if (s.params) add(["timeout=5"], true);
  }
  const verdicts = await Promise.all(probes.map((p) => ask(s, p)));

  const countMessages = (entry: RawArgsArity, raw: string) => entry.missing.map((m) => fillMessage(m, "args", raw));
  const tooManyPattern = tooMany === undefined ? null : new RegExp(`^${escapeRegExp(tooMany).replace("\\{word\\}", ".*")}$`);
  const why: string[] = [];
  for (const reader of READERS) {
    const entry: RawArgsArity = {
      reader,
      min,
      max,
      missing,
      ...(tooMany !== undefined ? { tooMany } : {}),
      ...(s.params ? { params: true as const } : {}),
      ...(s.section ? { sectionPath: true as const } : {}),
    };
    const wrong = probes.flatMap((p, i) => {
      const text = lineOf(s, p.words);
      const args = scanArguments(text, s.name.length, text.length);
      const raw = argsText(p.words);
      const predicted = rawArgsShortfall(entry, { args, raw, inPathSection: p.inSection });
      const v = verdicts[i]!;
      const isCount = !v.ok && (countMessages(entry, raw).includes(v.message) || tooManyPattern?.test(v.message) === true);
      if (predicted ? v.ok || v.message !== predicted.message : isCount) {
        return [`${p.inSection ? `${s.section!.open} ` : ""}${text}: predicted ${predicted ? JSON.stringify(predicted.message) : "fine"}, Apache ${v.ok ? "accepts" : JSON.stringify(v.message)}`];
      }
      return [];
    });
    if (wrong.length === 0) return entry;
    why.push(`${reader}: ${wrong[0]}`);
  }
  throw new Unfit(`${s.name} fits no reader:\n  ${why.join("\n  ")}`);
}

let entries: (readonly [string, RawArgsArity])[];
try {
  entries = await pool([...SUBJECTS], Math.max(1, Math.floor(availableParallelism() / 4)), async (s) => [s.name.toLowerCase(), await measure(s)] as const);
} catch (e) {
  process.stderr.write(`gen-raw-args-arity: ${e instanceof Unfit ? e.message : String(e)}\n`);
  process.exit(1);
}

const j = JSON.stringify;
const row = (e: RawArgsArity) =>
  `{ reader: ${j(e.reader)}, min: ${e.min}, max: ${e.max === null ? "null" : e.max}, missing: ${j(e.missing)}` +
  `${e.tooMany !== undefined ? `, tooMany: ${j(e.tooMany)}` : ""}${e.params ? ", params: true" : ""}${e.sectionPath ? ", sectionPath: true" : ""} }`;
process.stdout.write(`// Generated by src/tools/gen-raw-args-arity.ts from Debian's apache2 (apache2 -t probes, every
// module loaded: each handler's line cut short, padded, and given an empty ""). Do not edit by hand: regenerate.

/**
 * How a handler reads its own line, as measured:
 * - "conf": word by word (ap_getword_conf), testing each word it needs with \`if (!*w)\`: an empty "" is as good as none;
 * - "argv": TAKE_ARGV, config.c splits the line: an empty "" that ends the line is dropped, one before another word counts;
 * - "words": an empty "" is a word like any other;
 * - "rewrite": mod_rewrite's parseargline, which needs its first argument to end before the line does (a blank, or its closing quote).
 */
export type RawReader = "conf" | "argv" | "words" | "rewrite";

export interface RawArgsArity {
  readonly reader: RawReader;
  /** the fewest words the handler takes */
  readonly min: number;
  /** the most, or null: no limit */
  readonly max: number | null;
  /** Apache's refusal when word i (i < min) is missing, verbatim; {args} stands for the line's arguments */
  readonly missing: readonly string[];
  /** Apache's refusal of a word past max, verbatim; {word} stands for that word */
  readonly tooMany?: string;
  /** words with \`=\` are key=value parameters, not counted */
  readonly params?: true;
  /** in a section that sets cmd->path (src/apache/scope.ts PER_DIRECTORY_SECTIONS), the section's path is the first word */
  readonly sectionPath?: true;
}

/** Handlers (lower-cased directive names) that refuse a line with too few or too many words. */
export const RAW_ARGS_ARITY: Readonly<Record<string, RawArgsArity>> = {
${entries.map(([k, e]) => `  ${j(k)}: ${row(e)},`).join("\n")}
};
`);
process.stderr.write(`gen-raw-args-arity: ${entries.length} handlers measured\n`);
