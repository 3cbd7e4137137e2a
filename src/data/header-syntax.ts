// How mod_headers reads `Header [condition] action header [value [replacement]] [early|env=…|expr=…]`
// and `RequestHeader action header …` (modules/metadata/mod_headers.c: header_cmd
// splits the line into at most five words, header_inout_cmd reads them), with
// Apache 2.4.71's verbatim refusals. test/rules/header-invalid.test.ts checks
// every action and format letter here live against apache2 -t.

/**
 * What follows the header name:
 * - value: a value (a format string), then an optional condition;
 * - name: nothing but an optional condition;
 * - edit: a regular expression and its replacement, then an optional condition.
 */
export type HeaderActionForm = "value" | "name" | "edit";

/** The actions, in the order Apache's refusal lists them (strcasecmp). */
export const HEADER_ACTIONS: Readonly<Record<string, HeaderActionForm>> = {
  add: "value",
  set: "value",
  setifempty: "value",
  append: "value",
  merge: "value",
  unset: "name",
  echo: "name",
  note: "value",
  edit: "edit",
  "edit*": "edit",
};

/** Header (not RequestHeader) may start with one of these (strcasecmp). */
export const HEADER_CONDITIONS: readonly string[] = ["always", "onsuccess"];

/** Actions RequestHeader refuses, with Apache's words. */
export const REQUEST_HEADER_REFUSES: Readonly<Record<string, string>> = {
  note: "RequestHeader does not support the 'note' action",
  echo: "Header echo only valid on Header directives",
};

/** The letters a `%` of the value may be followed by (after an optional `{argument}`): registered format tags. */
export const HEADER_FORMAT_LETTERS = "Dtesilb";

/** Apache's refusals, verbatim; {word}, {name} and {letter} stand for the word, the directive and the format letter. */
export const HEADER_SAYS = {
  action: "first argument must be 'add', 'set', 'setifempty', 'append', 'merge', 'unset', 'echo', 'note', 'edit', or 'edit*'.",
  value: "Header requires three arguments",
  edit: "Header edit requires a match and a substitution",
  tooMany: "{name} has too many arguments",
  fifth: "Too many arguments to directive",
  unset: "header unset takes two arguments",
  echo: "Header echo takes two arguments",
  env: "error: missing environment variable name. envclause should be in the form env=envar ",
  expr: "Can't parse envclause/expression: syntax error, unexpected $end",
  unknown: "Unknown parameter: {word}",
  format: "Unrecognized header format %{letter}",
} as const;
