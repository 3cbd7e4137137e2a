// gitignore-style matching for a config file's ignorePatterns. Written here
// because Node 20's path.matchesGlob prints an ExperimentalWarning.
//   *  ?  [abc] [!a-z]  {a,b}  **   as in globs; `/` is never matched by * or ?
//   a pattern without a `/` (other than a trailing one) matches at any depth
//   a leading `/` anchors to the config file's directory
//   a trailing `/` matches directories only
//   a leading `!` re-includes what an earlier pattern ignored; the last match wins
//   a pattern that matches a directory ignores everything under it

function escape(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}

/** The regular expression for one glob, anchored at both ends. Throws on an unbalanced `[` or `{`. */
export function globToRegExp(glob: string): RegExp {
  let re = "";
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*") {
      if (glob[i + 1] === "*") {
        const atStart = i === 0 || glob[i - 1] === "/";
        const atEnd = i + 2 === glob.length || glob[i + 2] === "/";
        if (atStart && atEnd) {
          // `**/` is zero or more whole directories; a final `**` is anything
          if (i + 2 === glob.length) {
            re += ".*";
            i += 1;
          } else {
            re += "(?:[^/]+/)*";
            i += 2;
          }
          continue;
        }
      }
      re += "[^/]*";
      while (glob[i + 1] === "*") i++;
    } else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const close = glob.indexOf("]", i + 2);
      if (close === -1) throw new Error(`unbalanced '[' in pattern '${glob}'`);
      let body = glob.slice(i + 1, close);
      if (body.startsWith("!")) body = `^${body.slice(1)}`;
      re += `(?!/)[${body.replace(/\\/g, "\\\\")}]`;
      i = close;
    } else if (c === "{") {
      braces++;
      re += "(?:";
    } else if (c === "}" && braces > 0) {
      braces--;
      re += ")";
    } else if (c === "," && braces > 0) re += "|";
    else if (c === "\\" && i + 1 < glob.length) re += escape(glob[++i]!);
    else re += escape(c);
  }
  if (braces > 0) throw new Error(`unbalanced '{' in pattern '${glob}'`);
  return new RegExp(`^${re}$`);
}

interface Compiled {
  negate: boolean;
  dirOnly: boolean;
  re: RegExp;
}

function compile(pattern: string): Compiled {
  let p = pattern;
  const negate = p.startsWith("!");
  if (negate) p = p.slice(1);
  const dirOnly = p.endsWith("/");
  if (dirOnly) p = p.replace(/\/+$/, "");
  if (p.startsWith("/")) p = p.slice(1);
  else if (!p.includes("/")) p = `**/${p}`;
  return { negate, dirOnly, re: globToRegExp(p) };
}

export type IgnoreMatcher = (relativePath: string) => boolean;

/**
 * A matcher for `/`-separated paths relative to the patterns' base directory.
 * Throws (with the pattern in the message) when a pattern is malformed.
 */
export function makeIgnore(patterns: readonly string[]): IgnoreMatcher {
  const compiled = patterns.filter((p) => p.trim() !== "" && !p.startsWith("#")).map(compile);
  if (compiled.length === 0) return () => false;
  return (rel) => {
    const parts = rel.split("/");
    let ignored = false;
    for (const c of compiled) {
      // the path itself, then each directory above it
      for (let n = parts.length; n > 0; n--) {
        if (c.dirOnly && n === parts.length) continue;
        if (c.re.test(parts.slice(0, n).join("/"))) {
          ignored = !c.negate;
          break;
        }
      }
    }
    return ignored;
  };
}
