// core.c's set_error_document decides what the second argument of
// ErrorDocument is by its shape: `default`, a local page when it starts with
// `/`, a redirect when it is a URL, and text to send for anything else. So
// `ErrorDocument 404 index.php` sends the nine characters `index.php` as the
// page (measured on 2.4.71: 404, Content-Length: 9, body `index.php`).
import { defineRule, type Fix } from "../src/core/rule.js";

/** ap_is_url: a scheme (letters, digits, `+.-`) and a colon */
const URL = /^[A-Za-z][A-Za-z0-9+.-]*:/;
/** a file name or relative path, the shape that was meant as a local page */
const PATH_LIKE = /^[\w.~-]+(?:\/[\w.~-]*)*(?:\?\S*)?$/;

export default defineRule({
  id: "errordocument-literal",
  severity: "warning",
  category: "correctness",
  description: "An `ErrorDocument` page without a leading `/`, sent as text",
  fixable: "unsafe",
  doc: {
    problem:
      "The second argument of `ErrorDocument` is a local page when it starts with `/`, a redirect when it is a URL " +
      "(`scheme:`), and otherwise a message that Apache sends as the response body. An unquoted word such as " +
      "`index.php` or `errors/404.html` is therefore not a page: it is the text of the error page. Quoted text is " +
      "taken as the message it clearly is, and `default` restores Apache's own page; neither is reported.",
    bad: "ErrorDocument 404 index.php",
    good: "ErrorDocument 404 /index.php",
    why:
      "Measured on 2.4.71: with `ErrorDocument 404 index.php`, a request for a missing page gets `HTTP/1.1 404 Not " +
      "Found`, `Content-Length: 9`, `Content-Type: text/html; charset=iso-8859-1` and the body `index.php`; nothing is " +
      "logged. With `/index.php` the same request is answered by the page. `apache2 -t` says Syntax OK to both.",
    versions: "All Apache 2.4 releases (measured on 2.4.71). Apache 2.2 needed a leading quote for a message; 2.4 does not.",
    fix:
      "Unsafe: adds the leading `/`, when the value looks like a file name or path. The page is then looked up from " +
      "the DocumentRoot, which may not be where the file is; check that the URL answers.",
  },
  create(ctx) {
    return {
      directive: {
        errordocument(d) {
          const arg = d.args[1];
          if (!arg || arg.quote || d.args.length > 2) return;
          const v = arg.value;
          if (v.startsWith("/") || v.startsWith("$") || v.toLowerCase() === "default" || URL.test(v)) return;
          const code = d.args[0]?.value ?? "";
          const fixable = PATH_LIKE.test(v) && /[./]/.test(v);
          const message =
            `\`ErrorDocument ${code} ${v}\` is not a page: a value without a leading \`/\` that is not a URL is sent as the text of the error page, ` +
            `so clients see the word \`${v}\`` +
            (fixable ? `. Write \`/${v}\` for the page.` : `. Quote it if the text is meant, or start a page with \`/\`.`);
          const fix: Fix | undefined = fixable
            ? { safety: "unsafe", title: `Write \`/${v}\``, edits: [{ start: arg.start, end: arg.start, text: "/" }] }
            : undefined;
          ctx.report(fix ? { message, start: arg.start, end: arg.end, fix } : { message, start: arg.start, end: arg.end });
        },
      },
    };
  },
});
