// SetOutputFilter holds one value per scope: a second one in the same scope
// replaces the first (core.c stores the string; the last line wins). The
// common victim is compression: `SetOutputFilter DEFLATE` followed by a
// `<IfModule mod_brotli.c>` block with `SetOutputFilter BROTLI_COMPRESS`
// leaves clients that accept only gzip uncompressed. AddOutputFilterByType
// is not reported: measured on 2.4.71, repeats for the same type accumulate
// (mod_filter adds a provider per line), in one scope and across nested ones.
import type { Directive, Section } from "../grammar/index.js";
import { defineRule } from "../src/core/rule.js";

/** `<IfModule mod_brotli.c>` → { negated: false, name: "brotli" }; other conditionals by their whole text. */
function conditionOf(s: Section): { negated: boolean; name: string } {
  const raw = s.args.map((a) => a.value).join(" ");
  const negated = raw.startsWith("!");
  let name = (negated ? raw.slice(1) : raw).trim().toLowerCase();
  if (s.key === "ifmodule") name = name.replace(/^mod_/, "").replace(/\.c$/, "").replace(/_module$/, "");
  return { negated, name: `${s.key} ${name}` };
}

/** The conditionals between a directive and its scope. */
function conditionsOf(d: Directive, scope: number): { negated: boolean; name: string }[] {
  const out: { negated: boolean; name: string }[] = [];
  for (let p = d.parent; p.kind === "section" && p.row !== scope; p = p.parent) out.push(conditionOf(p));
  return out;
}

/** Can both lines take effect at once? Not when one needs a condition the other needs false. */
function compatible(a: { negated: boolean; name: string }[], b: { negated: boolean; name: string }[]): boolean {
  return !a.some((x) => b.some((y) => x.name === y.name && x.negated !== y.negated));
}

export default defineRule({
  id: "output-filter-overridden",
  severity: "warning",
  category: "correctness",
  description: "A second `SetOutputFilter` in the same scope, which silently replaces the first",
  fixable: "none",
  doc: {
    problem:
      "`SetOutputFilter` keeps one value per scope (the server, a virtual host, a <Directory>, a <Location> …): a second " +
      "line in the same scope, including one inside an `<IfModule>` block, replaces the first instead of adding to it. " +
      "A typical victim is the gzip fallback: `SetOutputFilter DEFLATE` followed by `<IfModule mod_brotli.c> " +
      "SetOutputFilter BROTLI_COMPRESS </IfModule>` compresses only for clients that accept br. Name every filter on " +
      "one line, in order (`SetOutputFilter BROTLI_COMPRESS;DEFLATE`). Lines under opposite conditions " +
      "(`<IfModule mod_brotli.c>` / `<IfModule !mod_brotli.c>`) are not reported. `AddOutputFilterByType` is not " +
      "reported: its repeats add up.",
    bad: "<Directory /var/www/html>\n    SetOutputFilter DEFLATE\n    <IfModule mod_brotli.c>\n        SetOutputFilter BROTLI_COMPRESS\n    </IfModule>\n</Directory>",
    good: "<Directory /var/www/html>\n    SetOutputFilter BROTLI_COMPRESS;DEFLATE\n</Directory>",
    why:
      "Measured on 2.4.71 with mod_deflate and mod_brotli: with `SetOutputFilter DEFLATE` then `SetOutputFilter " +
      "BROTLI_COMPRESS` in one <Directory>, a request with `Accept-Encoding: gzip` gets no Content-Encoding (the gzip " +
      "filter is gone) and `Accept-Encoding: br` gets `Content-Encoding: br`; `SetOutputFilter BROTLI_COMPRESS;DEFLATE` " +
      "gives gzip and br. `AddOutputFilterByType DEFLATE text/plain` plus `AddOutputFilterByType BROTLI_COMPRESS " +
      "text/plain` in one scope (or in nested ones) keep both: gzip for gzip, br for br.",
    versions: "All Apache 2.4 releases (measured on 2.4.71).",
  },
  create(ctx) {
    const { facts, file } = ctx;
    const seen = new Map<number, Directive[]>();
    return {
      directive: {
        setoutputfilter(d) {
          const scope = facts.scopeRow(d.row);
          const conds = conditionsOf(d, scope);
          const earlier = seen.get(scope) ?? [];
          const prev = [...earlier].reverse().find((e) => compatible(conditionsOf(e, scope), conds));
          if (prev) {
            const line = file.position(prev.start).line;
            ctx.report({
              message:
                `\`${d.text}\` replaces \`${prev.text}\` (line ${line}) in the same scope: SetOutputFilter keeps only its last value, ` +
                `so ${prev.args.map((a) => a.value).join(" ")} no longer runs. Name both on one line, e.g. \`SetOutputFilter ${[d, prev].map((x) => x.args.map((a) => a.value).join(";")).join(";")}\`.`,
              start: d.start,
              end: d.end,
              related: [{ start: prev.start, end: prev.end, message: "the value it replaces" }],
            });
          }
          earlier.push(d);
          seen.set(scope, earlier);
        },
      },
    };
  },
});
