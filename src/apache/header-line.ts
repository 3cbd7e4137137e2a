// Header and RequestHeader read as mod_headers reads them (src/data/header-syntax.ts):
// the first refusal of a line, at the word Apache stops at.
import { HEADER_ACTIONS, HEADER_CONDITIONS, HEADER_FORMAT_LETTERS, HEADER_SAYS, REQUEST_HEADER_REFUSES } from "../data/header-syntax.js";
import { editDistance } from "./edit-distance.js";
import { caseless, listOf, type LineProblem } from "./line-problem.js";

const ACTIONS = Object.keys(HEADER_ACTIONS);
const say = (text: string, fill: Record<string, string>) => text.replace(/\{(\w+)\}/g, (_, k: string) => fill[k] ?? "");

/** The action meant by a misspelt one: the one action a letter or two away (`sett`, `unsett`, `apend`). */
function meantAction(word: string): string | undefined {
  const w = word.toLowerCase();
  const near = ACTIONS.filter((a) => editDistance(w, a, { max: 2, transpositions: true }) <= (a.length > 4 ? 2 : 1));
  return near.length === 1 ? near[0] : undefined;
}

/** Is this word a condition Apache takes after the header's words (early, env=NAME, expr=…)? */
export function isHeaderCondition(word: string): boolean {
  return /^early$/i.test(word) || /^env=!?./i.test(word) || /^expr=./i.test(word);
}

/** The first `%` of a format string Apache cannot read: its letter (`""` at the end of the value), or null. */
export function badFormat(value: string): string | null {
  for (let i = 0; i < value.length; i++) {
    if (value[i] !== "%") continue;
    const next = value[i + 1];
    // `%%` and a `%` that ends the value stand for themselves
    if (next === undefined || next === "%") {
      i++;
      continue;
    }
    let j = i + 1;
    if (next === "{") {
      const close = value.indexOf("}", j);
      if (close === -1) return "";
      j = close + 1;
    }
    const letter = value[j];
    if (letter === undefined) return "";
    if (!HEADER_FORMAT_LETTERS.includes(letter)) return letter;
    i = j;
  }
  return null;
}

const FORMATS = "%D, %t, %{NAME}e, %{NAME}s, %{NAME}i or %%";

/** The first refusal of a Header/RequestHeader line, given its words before any trailing comment. */
export function headerProblem(key: string, name: string, words: readonly string[]): LineProblem | null {
  const isHeader = key === "header";
  const cond = isHeader && words.length > 0 && caseless(HEADER_CONDITIONS, words[0]!) !== undefined ? 1 : 0;
  const at = (k: number) => (cond + k < words.length ? cond + k : -1);
  // header_cmd reads at most five words after the condition
  if (words.length - cond > 5) {
    const last = words.length - 1;
    const valued = HEADER_ACTIONS[caseless(ACTIONS, words[cond]!) ?? ""] === "value";
    return {
      word: cond + 5,
      what: `\`${words[cond + 5]}\` is one word too many: ${name} takes at most an action, a header, a value and its replacement, and a condition; quote a value that has spaces`,
      apache: say(HEADER_SAYS.tooMany, { name }),
      ...(valued && { rearrange: { kind: "quote" as const, from: cond + 2, to: isHeaderCondition(words[last]!) ? last - 1 : last } }),
    };
  }
  const actionWord = words[cond] ?? "";
  const action = caseless(ACTIONS, actionWord);
  if (action === undefined) {
    const listed = listOf(ACTIONS);
    if (cond === 0 && !isHeader && caseless(HEADER_CONDITIONS, actionWord)) {
      return { word: 0, what: `RequestHeader takes no \`${actionWord}\` condition (only Header does): start with the action (${listed})`, apache: HEADER_SAYS.action };
    }
    const meant = actionWord === "" ? undefined : meantAction(actionWord);
    const what = actionWord === "" ? `${name} needs an action (${listed})` : `\`${actionWord}\` is no ${name} action (${listed})${meant ? `, the nearest is \`${meant}\`` : ""}`;
    return { word: at(0), what, apache: HEADER_SAYS.action, ...(meant && { replacement: { text: meant, safety: "unsafe" as const } }) };
  }
  const refusal = isHeader ? undefined : REQUEST_HEADER_REFUSES[action];
  if (refusal && action === "note") return { word: cond, what: "RequestHeader has no `note` action (Header has): use Header note, or `RequestHeader set`", apache: refusal };
  const form = HEADER_ACTIONS[action]!;
  const header = words[cond + 1];
  let value: string | undefined = words[cond + 2];
  let condition = cond + 3;
  if (form === "edit") {
    if (words[cond + 3] === undefined) {
      return { word: -1, what: `${name} ${action} needs a header, a regular expression and its replacement`, apache: HEADER_SAYS.edit };
    }
    condition = cond + 4;
  } else if (words[cond + 4] !== undefined) {
    return {
      word: cond + 4,
      what: `\`${words[cond + 4]}\` is one word too many: ${name} ${action} takes ${form === "value" ? "a header, a value" : "a header"} and a condition; quote a value that has spaces`,
      apache: HEADER_SAYS.fifth,
      ...(form === "value" && isHeaderCondition(words[cond + 4]!) && { rearrange: { kind: "quote" as const, from: cond + 2, to: cond + 3 } }),
    };
  }
  if (form === "name") {
    if (value !== undefined) {
      if (words[cond + 3] !== undefined) {
        return { word: cond + 3, what: `${name} ${action} takes a header and an optional condition, not a value`, apache: action === "unset" ? HEADER_SAYS.unset : HEADER_SAYS.echo };
      }
      condition = cond + 2;
      value = undefined;
    }
    if (refusal) return { word: cond, what: "RequestHeader has no `echo` action (it copies request headers into the response: Header echo)", apache: refusal };
  } else if (value === undefined) {
    return { word: -1, what: `${name} ${action} needs a header and a value${header === undefined ? "" : ` after \`${header}\``}`, apache: HEADER_SAYS.value };
  }
  const problem = conditionProblem(name, action, words, condition, isHeader, cond);
  if (problem) return problem;
  if (form === "value" && value !== undefined) {
    const letter = badFormat(value);
    if (letter !== null) {
      const shown = letter === "" ? "`%` with no format letter" : letter === " " ? "`% ` (a `%` before a space)" : `\`%${letter}\``;
      return { word: cond + 2, what: `${shown} is no format of a header value (${FORMATS}): write %% for a literal %`, apache: say(HEADER_SAYS.format, { letter }) };
    }
  }
  return null;
}

function conditionProblem(name: string, action: string, words: readonly string[], i: number, isHeader: boolean, cond: number): LineProblem | null {
  const w = words[i];
  if (w === undefined || /^early$/i.test(w)) return null;
  if (/^env=/i.test(w)) {
    return w.length === 4 || w === `${w.slice(0, 4)}!` ? { word: i, what: `\`${w}\` names no environment variable: write env=NAME or env=!NAME`, apache: HEADER_SAYS.env } : null;
  }
  if (/^expr=/i.test(w)) return w.length === 5 ? { word: i, what: "`expr=` has no expression after it", apache: HEADER_SAYS.expr } : null;
  const apache = say(HEADER_SAYS.unknown, { word: w });
  if (isHeader && caseless(HEADER_CONDITIONS, w)) {
    return {
      word: i,
      what: `\`${w}\` is a condition of the action: it goes first (\`Header ${w.toLowerCase()} ${action} …\`), not at the end`,
      apache,
      ...(cond === 0 && { rearrange: { kind: "move" as const, word: i, before: 0 } }),
    };
  }
  if (HEADER_ACTIONS[action] === "value" && i === cond + 3) {
    return { word: i, what: `\`${w}\` is read as a condition (early, env=NAME or expr=…), not as part of the value: quote a value that has spaces`, apache, rearrange: { kind: "quote", from: cond + 2, to: i } };
  }
  return { word: i, what: `\`${w}\` is no condition: ${name} takes early, env=NAME or expr=… there`, apache };
}
