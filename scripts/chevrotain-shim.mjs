// grammar/chevrotain.ts finds chevrotain's one-file build at run time (a
// computed import through node:module that esbuild cannot follow); bundled,
// for the CLI and for the browser alike, it imports that file itself.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const chevrotainBundle = join(dirname(require.resolve("chevrotain")), "..", "chevrotain.mjs");

export const chevrotainShim = {
  name: "chevrotain-one-file",
  setup(b) {
    b.onLoad({ filter: /[\\/]grammar[\\/]chevrotain\.ts$/ }, () => ({
      contents: `export { createToken, Lexer, EmbeddedActionsParser } from ${JSON.stringify(chevrotainBundle)};`,
      loader: "ts",
      resolveDir: root,
    }));
  },
};
