import { atoi } from "./c-numbers.js";
import { checkPcre } from "./pcre.js";

/** An Apache httpd release, e.g. 2.4.71. */
export interface ApacheVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

/** The 2.4 release the project's ground truth was measured on (shared/apache-truth). */
export const CURRENT_APACHE: ApacheVersion = { major: 2, minor: 4, patch: 71 };

/** mod_proxy_http tunnels WebSockets itself and ProxyPass accepts upgrade= from this release on. */
export const PROXY_HTTP_UPGRADE: ApacheVersion = { major: 2, minor: 4, patch: 47 };

export function parseVersion(text: string): ApacheVersion | null {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) return null;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0) };
}

export function compareVersions(a: ApacheVersion, b: ApacheVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

export function atLeast(v: ApacheVersion, min: ApacheVersion): boolean {
  return compareVersions(v, min) >= 0;
}

export function formatVersion(v: ApacheVersion): string {
  return `${v.major}.${v.minor}.${v.patch}`;
}

// ------------------------------------------------------------ <IfVersion>
// mod_version.c's start_ifversion, measured on 2.4.71 (fixtures/conditionals/):
// `<IfVersion [[!]op] version>` with op `=` / `==` (the default), `<`, `<=`,
// `>`, `>=`, or `~` (a regex); `=` / `==` with `/regex/` is a regex too. The
// regex is PCRE, unanchored, matched against "major.minor.patch".

export type VersionOperator = "=" | "<" | "<=" | ">" | ">=" | "~";

/** An <IfVersion> test as mod_version reads it. */
export interface VersionTest {
  readonly negated: boolean;
  readonly op: VersionOperator;
  /** the version (major[.minor[.patch]]) or, for a regex, the pattern */
  readonly operand: string;
  readonly regex: boolean;
}

/** Why Apache refuses an <IfVersion> it reads (its message), or the test. */
export type ParsedVersionTest = { test: VersionTest } | { refused: string };

/**
 * compare_version's reading of a version: major[.minor[.patch]], each part
 * read with atoi (`2..4` is 2.0.4, `2.4.` is 2.4.0), nothing after the third
 * part; null when Apache calls it invalid.
 */
export function versionOperand(text: string): ApacheVersion | null {
  if (!/^\d/.test(text)) return null;
  const parts = [0, 0, 0];
  let c = 0;
  let start = 0;
  let p = 0;
  while (p <= text.length && c < 3) {
    const ch = text[p];
    if (ch === "." || ch === undefined) {
      parts[c++] = atoi(text.slice(start, p));
      start = ++p;
      continue;
    }
    if (ch < "0" || ch > "9") break;
    p++;
  }
  if (p < text.length) return null;
  return { major: parts[0]!, minor: parts[1]!, patch: parts[2]! };
}

export const VERSION_INVALID = "Version appears to be invalid. It must have the format major[.minor[.patch]] where major, minor and patch are numbers.";

/**
 * The test an <IfVersion> tag's words (unquoted, without the closing `>`)
 * make, as start_ifversion reads them; null when the words are not one or two.
 */
export function parseIfVersion(words: readonly string[]): ParsedVersionTest | null {
  if (words.length === 0 || words.length > 2) return null;
  const [opWord, operand] = words.length === 1 ? ["=", words[0]!] : [words[0]!, words[1]!];
  let op = opWord;
  let negated = false;
  // a lone `!` is no operator: `!` is then the operator character itself
  if (op.startsWith("!") && op.length > 1) {
    negated = true;
    op = op.slice(1);
  }
  const c = op[0]!;
  const rest = op.slice(1);
  const known = (rest === "" || (rest === "=" && c !== "~")) && "=<>~".includes(c);
  if (!known) return { refused: `unrecognized operator '${opWord}'` };
  if (operand === "") return { refused: "<IfVersion> directive missing closing '>'" };
  const name: VersionOperator = c === "=" ? "=" : c === "~" ? "~" : ((c + rest) as VersionOperator);
  if (name === "=" && operand.startsWith("/")) {
    if (operand.length < 2 || !operand.endsWith("/")) return { refused: "Missing delimiting / of regular expression." };
    return regexTest(negated, operand.slice(1, -1));
  }
  if (name === "~") return regexTest(negated, operand);
  if (!versionOperand(operand)) return { refused: VERSION_INVALID };
  return { test: { negated, op: name, operand, regex: false } };
}

/** A regex test, or ap_pregcomp's refusal of the pattern. */
function regexTest(negated: boolean, pattern: string): ParsedVersionTest {
  if (checkPcre(pattern).valid === false) return { refused: "Unable to compile regular expression" };
  return { test: { negated, op: "~", operand: pattern, regex: true } };
}

/** Does `test` hold on release `v`? `matches` runs a regex on "major.minor.patch" (null: it cannot be judged). */
export function versionTestHolds(test: VersionTest, v: ApacheVersion, matches: (pattern: string, text: string) => boolean | null): boolean | null {
  let match: boolean | null;
  if (test.regex) match = matches(test.operand, formatVersion(v));
  else {
    const cmp = Math.sign(compareVersions(v, versionOperand(test.operand)!));
    const orEqual = test.op.endsWith("=") && cmp === 0;
    match = test.op === "=" ? cmp === 0 : test.op.startsWith("<") ? cmp < 0 || orEqual : cmp > 0 || orEqual;
  }
  return match === null ? null : match !== test.negated;
}

/** Patch levels a test is tried on when only "some 2.4 release" is known. */
const PATCHES = [...Array.from({ length: 201 }, (_, i) => i), 999, 9999];

/**
 * Does `test` hold: on release `v` when it is known, else on every 2.4
 * release alike (true or false), or "unknown" when the releases disagree.
 */
export function versionTestVerdict(
  test: VersionTest,
  v: ApacheVersion | undefined,
  matches: (pattern: string, text: string) => boolean | null,
): boolean | "unknown" {
  const releases = v ? [v] : PATCHES.map((patch) => ({ major: 2, minor: 4, patch }));
  let seen: boolean | undefined;
  for (const r of releases) {
    const holds = versionTestHolds(test, r, matches);
    if (holds === null || (seen !== undefined && holds !== seen)) return "unknown";
    seen = holds;
  }
  return seen!;
}
