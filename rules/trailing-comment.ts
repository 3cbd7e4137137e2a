import { Directive, type Argument, type ConfigFile } from "../grammar/index.js";
import { DIRECTIVE } from "../grammar/line-table.js";
import { defineRule, type Report, type Severity, type TextEdit } from "../src/core/rule.js";
import { rowAt } from "../src/core/offset-row.js";
import { directiveInfo } from "../src/apache/directives.js";
import { EXTRA_WORDS, HEADER_ACTION_WORDS, REQUIRE_PROVIDERS, type ExtraWords } from "./trailing-comment-data.js";

/**
 * What Apache does with the words of a trailing comment:
 * - error: the directive rejects them, Apache refuses to start;
 * - ignored: the directive never reads them;
 * - used: they silently become arguments (values, names, extensions …);
 * - unknown: the directive is not in the tables, Apache passes the words to it.
 */
type Outcome = { kind: "error" | "ignored" | "used" | "unknown"; reason: string } | { kind: "value" };

const NUMBER = ["no", "one", "two", "three"];
const arguments_ = (n: number) => `${NUMBER[n] ?? n} argument${n === 1 ? "" : "s"}`;

function quoteWords(words: readonly Argument[]): string {
  const shown = words.slice(0, 3).map((w) => `\`${w.raw}\``);
  return shown.join(", ") + (words.length > 3 ? ", \u2026" : "");
}

function takes(min: number, max: number): string {
  return min === max ? arguments_(max) : `${NUMBER[min]} to ${arguments_(max)}`;
}

/**
 * A `#word` that fills an argument the directive cannot do without (`Header set
 * X-Color #fff`, `ServerName #x` aside) is a value, not a comment.
 */
function isValue(real: number, required: number, comment: readonly Argument[]): boolean {
  return real < required && comment.length === 1 && comment[0]!.raw.length > 1;
}

/** A directive whose arguments are counted by config.c (FLAG, TAKEn, ITERATE). */
function byCount(d: Directive, min: number, max: number, real: number, comment: readonly Argument[]): Outcome {
  const total = real + comment.length;
  if (isValue(real, min, comment)) return { kind: "value" };
  if (total > max) return { kind: "error", reason: `${d.name} takes ${takes(min, max)} but gets ${total} with the comment's words` };
  return { kind: "used", reason: `it passes ${quoteWords(comment)} to ${d.name} as ${comment.length === 1 ? "an argument" : "arguments"}` };
}

function rejects(d: Directive, comment: readonly Argument[]): Outcome {
  return { kind: "error", reason: `${d.name} rejects \`${comment[0]!.raw}\` as an argument` };
}

function ignores(d: Directive): Outcome {
  return { kind: "ignored", reason: `${d.name} happens to ignore the words after its value, but after most directives the same comment stops Apache` };
}

function listValues(d: Directive, comment: readonly Argument[]): Outcome {
  return { kind: "used", reason: `it passes ${quoteWords(comment)} to ${d.name} as more values` };
}

/** RewriteRule Pattern Substitution [flags] / RewriteCond TestString CondPattern [flags]: words after the flags are never read. */
function rewrite(d: Directive, real: number, comment: readonly Argument[]): Outcome {
  if (real >= 3) return { kind: "ignored", reason: `${d.name} ignores the words after its [flags], but after most directives the same comment stops Apache` };
  if (isValue(real, 2, comment)) return { kind: "value" };
  if (real + comment.length <= 2) return { kind: "used", reason: `it passes ${quoteWords(comment)} to ${d.name} as an argument` };
  const flags = comment[2 - real]!;
  return { kind: "error", reason: `${d.name} reads \`${flags.raw}\` as its [flags] field ("bad flag delimiters")` };
}

/** Require [not] provider args: each authz provider parses its own words. */
function require_(d: Directive, real: readonly Argument[], comment: readonly Argument[]): Outcome {
  const words = real[0]?.value.toLowerCase() === "not" ? real.slice(1) : real;
  const provider = words[0]?.value.toLowerCase();
  const behaviour = provider === undefined ? undefined : REQUIRE_PROVIDERS[provider];
  if (behaviour === "ignored") return { kind: "ignored", reason: `\`Require ${provider}\` happens to ignore further words, but after most directives the same comment stops Apache` };
  if (behaviour === "strict") return { kind: "error", reason: `\`Require ${provider}\` rejects \`${comment[0]!.raw}\`` };
  if (behaviour === "list") return listValues(d, comment);
  return { kind: "unknown", reason: `it passes ${quoteWords(comment)} to the \`${provider ?? "?"}\` authorization provider` };
}

/** Header [condition] action header [value [replacement]] [early|env=…|expr=…]: a word past the required ones must be one of those. */
function header(d: Directive, real: readonly Argument[], comment: readonly Argument[]): Outcome {
  const cond = /^(always|onsuccess)$/i.test(real[0]?.value ?? "") ? 1 : 0;
  const action = real[cond]?.value.toLowerCase() ?? "";
  const required = cond + (HEADER_ACTION_WORDS[action] ?? 2);
  if (isValue(real.length, required, comment)) return { kind: "value" };
  const extra = comment[required - real.length] ?? (real.length >= required ? comment[0] : undefined);
  if (extra && !/^(early$|env=|expr=)/i.test(extra.value)) {
    const said = action === "unset" || action === "echo" ? "Too many arguments to directive" : `${d.name} has too many arguments`;
    return { kind: "error", reason: `${d.name} ${action} has no place for \`${extra.raw}\` ("${said}")` };
  }
  return { kind: "used", reason: `it passes ${quoteWords(comment)} to ${d.name} as arguments` };
}

function outcome(d: Directive, real: readonly Argument[], comment: readonly Argument[]): Outcome {
  const special: ExtraWords | undefined = EXTRA_WORDS[d.key];
  if (typeof special === "object") return byCount(d, special.take[0], special.take[1], real.length, comment);
  switch (special) {
    case "strict":
      return rejects(d, comment);
    case "ignored":
      return ignores(d);
    case "list":
      return listValues(d, comment);
    case "rewrite":
      return rewrite(d, real.length, comment);
    case "require":
      return require_(d, real, comment);
    case "header":
      return header(d, real, comment);
  }
  const arity = directiveInfo(d.name)?.arity;
  if (arity === undefined) return { kind: "unknown", reason: `it passes ${quoteWords(comment)} to ${d.name} as arguments` };
  switch (arity) {
    case "flag":
      return real.length > 0 ? ignores(d) : { kind: "error", reason: `${d.name} reads \`${comment[0]!.raw}\` as its On/Off value` };
    case "no-args":
      return { kind: "error", reason: `${d.name} takes no arguments` };
    case "take1":
      return byCount(d, 1, 1, real.length, comment);
    case "take2":
      return byCount(d, 2, 2, real.length, comment);
    case "take3":
      return byCount(d, 3, 3, real.length, comment);
    case "take12":
      return byCount(d, 1, 2, real.length, comment);
    case "take13":
    case "take123":
      return byCount(d, 1, 3, real.length, comment);
    case "take23":
      return byCount(d, 2, 3, real.length, comment);
    case "iterate":
    case "iterate2":
      return listValues(d, comment);
    default:
      return { kind: "unknown", reason: `it passes ${quoteWords(comment)} to ${d.name}, which reads its line itself` };
  }
}

const SEVERITY: Record<"error" | "ignored" | "used" | "unknown", Severity> = { error: "error", ignored: "warning", used: "warning", unknown: "warning" };

/**
 * Moves the comment onto its own line above the directive, at the directive's
 * indentation. Left out when the comment runs over a continuation: moved above,
 * its `\` would swallow the line after it.
 */
function moveAbove(file: ConfigFile, d: Directive, real: readonly Argument[], comment: readonly Argument[]): TextEdit[] | null {
  const t = file.text;
  const from = comment[0]!.start;
  const text = t.slice(from, d.end);
  if (/[\r\n]/.test(text)) return null;
  const cut = real.length ? real[real.length - 1]!.end : d.nameEnd;
  let end = d.end;
  while (t[end] === " " || t[end] === "\t") end++;
  const indent = d.indent.slice(d.indent.lastIndexOf("\n") + 1);
  return [
    { start: d.from, end: d.from, text: `${indent}${text}${file.eol}` },
    { start: cut, end, text: "" },
  ];
}

function check(file: ConfigFile, d: Directive): Report | null {
  const hash = d.trailingCommentIndex;
  if (hash === -1) return null;
  const real = d.args.slice(0, hash);
  const comment = d.args.slice(hash);
  const o = outcome(d, real, comment);
  if (o.kind === "value") return null;
  const edits = moveAbove(file, d, real, comment);
  const tail = o.kind === "error" ? `${o.reason}, so Apache refuses to start` : o.reason;
  return {
    message: `Apache has no trailing comments: ${tail}.`,
    severity: SEVERITY[o.kind],
    start: comment[0]!.start,
    end: d.end,
    ...(edits && {
      fix: {
        safety: o.kind === "error" || o.kind === "ignored" ? "safe" : "unsafe",
        title: "Move the comment to its own line above",
        edits,
      },
    }),
  };
}

export default defineRule({
  id: "trailing-comment",
  severity: "warning",
  category: "style",
  // a comment Apache reads as a value it rejects is an error
  severities: ["warning", "error"],
  description: "A `# comment` after a directive's arguments: Apache has no trailing comments",
  fixable: "unsafe",
  doc: {
    problem:
      "A `# \u2026` comment follows a directive's arguments on the same line. In Apache a `#` starts a comment only as " +
      "the first character of a line; anywhere else the comment's words are more arguments for the directive.",
    bad: "ProxyRequests Off # no forward proxy\nProxyTimeout 60 # seconds\nProxyPass /ws/ ws://127.0.0.1:13001/ws/ # websocket endpoint",
    good: "# no forward proxy\nProxyRequests Off\n# seconds\nProxyTimeout 60\n# websocket endpoint\nProxyPass /ws/ ws://127.0.0.1:13001/ws/",
    why:
      "What happens depends on how the directive reads its arguments. Apache refuses to start when it counts them " +
      "(`ProxyTimeout takes one argument`), when it checks them (`Invalid ProxyPass|ProxyPassMatch parameter. Parameter " +
      "must be in the form 'key=value'.`, `Argument for 'Require all' must be 'granted' or 'denied'`, `Illegal option #`), " +
      "or when the `#` lands in the flags field of a RewriteRule or RewriteCond that has none (`bad flag delimiters`). " +
      "It says nothing when the directive ignores extra words (On/Off directives such as ProxyRequests, words after " +
      "RewriteRule/RewriteCond flags), or when the words become values: `DirectoryIndex index.html # default` adds the " +
      "index files `#` and `default`. Errors are reported as errors, the silent cases as warnings, from a table measured " +
      "on Apache 2.4.71 (fixtures/rules/trailing-comment/apache-2.4.71-measured.json) over the directive table generated " +
      "from Debian's apache2. A directive in neither table is a warning. A `#word` that fills an argument the directive " +
      "cannot do without (`Header set X-Color #fff`) is a value and is not reported; quote values that start with `#` " +
      "anyway, so no one mistakes them for comments.",
    versions: "All 2.4 releases (measured on 2.4.71).",
    fix:
      "Moves the comment to its own line above the directive, at the directive's indentation, and removes it and the " +
      "blanks before it from the directive's line. Safe where Apache refuses the line or ignores the words; unsafe " +
      "where the words reach the directive today (values, unknown directives), because removing them changes what " +
      "Apache does (to what was surely meant). No fix when the comment runs over a `\\` continuation.",
    cases: ["m06", "m06b", "m07", "m08", "m08b", "m09", "m09b", "m10"],
  },
  create({ file, report }) {
    return {
      end() {
        // One native search for `#` over the whole text; each hit is mapped to
        // its row, and only a directive with a `#` after its name has its words
        // split. A comment line, or a directive already looked at, is skipped
        // to its end.
        const text = file.text;
        const t = file.table;
        let row = 0;
        for (let i = text.indexOf("#"); i !== -1; ) {
          row = rowAt(t, i, row);
          if (t.kind[row] === DIRECTIVE) {
            const nameEnd = t.nameEnd[row]!;
            if (i < nameEnd) {
              i = text.indexOf("#", nameEnd);
              continue;
            }
            if (i < t.end[row]!) {
              // the view's parent is not read
              const r = check(file, new Directive(file, row, file));
              if (r) report(r);
            }
          }
          i = text.indexOf("#", t.to[row]!);
        }
      },
    };
  },
});
