// Chevrotain's package entry is an ES module graph of several hundred files
// (lodash-es) that takes ~300 ms to load; the package also ships the same
// build as one bundled module, which loads in ~20 ms. The CLI's start-up time
// is what a pre-commit hook pays on every run, so the bundle is loaded.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

type Chevrotain = typeof import("chevrotain");

const entry = createRequire(import.meta.url).resolve("chevrotain"); // …/chevrotain/lib/src/api.js
const chevrotain: Chevrotain = await import(pathToFileURL(join(dirname(entry), "..", "chevrotain.mjs")).href);

export const { createToken, Lexer, EmbeddedActionsParser } = chevrotain;
export type { TokenType, IToken } from "chevrotain";
