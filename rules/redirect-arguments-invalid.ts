import type { Argument, Directive } from "../grammar/index.js";
import { atoi } from "../src/apache/c-numbers.js";
import { ARITY_BOUNDS, isCounted } from "../src/apache/arity.js";
import { directiveInfo } from "../src/apache/directives.js";
import { refusalIn } from "../src/apache/file-kind.js";
import { isPerDirectory } from "../src/apache/scope.js";
import { defineRule, type RuleContext } from "../src/core/rule.js";

/** mod_alias's directives and the status each gives by default (cmd->info); their argument counts are the directive table's. */
const DEFAULT_STATUS: Record<string, number> = { redirect: 302, redirectmatch: 302, redirecttemp: 302, redirectpermanent: 301 };
const KEYWORDS: Record<string, number> = { permanent: 301, temp: 302, seeother: 303, gone: 410 };

/** add_redirect_internal (modules/mappers/mod_alias.c): what it refuses, and where. */
function problem(d: Directive, perDirectory: boolean): { at: Argument | Directive; what: string; apache: string } | null {
  const [a1, a2, a3] = d.args;
  const first = a1!.value;
  const keyword = KEYWORDS[first.toLowerCase()];
  const status = keyword ?? (/^\d/.test(first) ? atoi(first) : DEFAULT_STATUS[d.key]!);
  const grok = keyword !== undefined || /^\d/.test(first);
  if (a3 && !grok)
    return { at: a1!, what: `\`${first}\` is not a status (permanent, temp, seeother, gone or a number), so three arguments are too many`, apache: "Redirect: invalid first argument (of three)" };
  // cmd->path (<Location>, <Directory>, <If>, .htaccess …): `[status] URL` takes the path from the section
  if (perDirectory && ((grok && a2 && !a3 && status !== 410) || (grok && !a2 && status === 410) || (!grok && !a2))) return null;
  const url = a3 ?? (grok ? undefined : a2);
  if (status >= 300 && status < 400) {
    if (!url) {
      const path = grok ? a2 : a1;
      const what = !path
        ? `\`${first}\` must be followed by the path and the URL to redirect it to`
        : !perDirectory && /^[a-z0-9+.-]+:/i.test(path.value)
          ? `\`${path.value}\` is the URL, but the path before it is missing (only <Location>, <Directory> … give one)`
          : `there is no URL to redirect \`${path.value}\` to`;
      return { at: d, what, apache: "URL to redirect to is missing" };
    }
    // ap_is_url: a scheme of letters, digits, `+`, `-`, `.` and a `:`; RedirectMatch's URL is not checked
    if (d.key !== "redirectmatch" && !/^[a-z0-9+.-]+:/i.test(url.value) && !url.value.startsWith("/"))
      return { at: url, what: `\`${url.value}\` is neither an absolute URL (\`https://…\`) nor a path starting with \`/\``, apache: "Redirect to non-URL" };
    return null;
  }
  if (url) return { at: url, what: `status ${status} is not a redirect (3xx), so ${d.name} takes no URL after the path`, apache: "Redirect URL not valid for this status" };
  return null;
}

function check(ctx: RuleContext, d: Directive): void {
  const arity = directiveInfo(d.name)?.arity;
  if (!arity || !isCounted(arity)) return;
  const [min, max] = ARITY_BOUNDS[arity];
  const args = d.args;
  // arity, a trailing comment and ${VAR} (known only after Define) are other rules' findings
  if (args.length < min || args.length > max || args[0]!.value === "" || d.trailingCommentIndex !== -1) return;
  if (args.some((a) => a.unterminated || a.value.includes("${"))) return;
  const p = problem(d, isPerDirectory(d, ctx.fileKind));
  if (p) ctx.report({ message: `${p.what}: ${refusalIn(ctx.fileKind)} ("${p.apache}").`, start: p.at.start, end: p.at.end });
}

export default defineRule({
  id: "redirect-arguments-invalid",
  severity: "error",
  category: "correctness",
  description: "Redirect, RedirectMatch, RedirectTemp or RedirectPermanent arguments mod_alias refuses",
  fixable: "none",
  doc: {
    problem:
      "mod_alias reads `Redirect [status] URL-path URL` by what the first word is: a status keyword (permanent, temp, " +
      "seeother, gone) or a word starting with a digit is the status. Three words whose first is not a status, a 3xx status " +
      "with no URL, a URL after a status that is not 3xx, or a target that is neither an absolute URL nor a `/path` are refused.",
    bad: "Redirect /old https://example.com/new /extra\nRedirect 301 /old\nRedirect gone /old https://example.com/\nRedirect /old www.example.com/new",
    good: "Redirect permanent /old https://example.com/new\nRedirect 301 /old /new\nRedirect gone /old\nRedirect /old https://www.example.com/new",
    why:
      "add_redirect_internal (modules/mappers/mod_alias.c) refuses the line and apache2 -t stops, in its own words: " +
      "\"Redirect: invalid first argument (of three)\", \"URL to redirect to is missing\", \"Redirect URL not valid for this " +
      "status\" (any status outside 300-399 with a URL: `gone`, `410`, `404`, `200`, `3xx` read as 3) and \"Redirect to " +
      "non-URL\" (the target must start with `/` or with a scheme and `:`, as ap_is_url reads it: `mailto:x` and " +
      "`example.com:80/x` pass; RedirectMatch's target is not checked). The status is atoi of the word, so `301abc` is 301, and " +
      "any number is taken. Inside a section that gives a path (<Location>, <Directory>, <Files>, <If>, <Proxy>, .htaccess) " +
      "`Redirect [status] URL` leaves the path out and the URL is an expression; <VirtualHost> gives none. Measured on 2.4.71. " +
      "Argument counts are directive-arity's finding, a bad regex regex-invalid's; a word holding `${VAR}` is left alone, " +
      "and the expression form's syntax is not checked here.",
    versions: "All 2.4 releases (the path-less form in sections since 2.4.19); measured on Debian's apache2 2.4.71.",
  },
  create(ctx) {
    const directive: Record<string, (d: Directive) => void> = {};
    for (const name of Object.keys(DEFAULT_STATUS)) directive[name] = (d) => check(ctx, d);
    return { directive };
  },
});
