// rewrite-redirect-drops-prefix: an [R] to `/path` from a directory served under a prefix (issue 12). Apache's answer: test/apache/rewrite-silent-live.test.ts.
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/rewrite-redirect-drops-prefix.js";

ruleTester(testedRule, {
  valid: [
    // no redirect, a relative or full-URL substitution, the prefix kept, a RewriteBase
    "Alias /al /srv/al\n<Directory /srv/al>\nRewriteRule ^a$ /b [L]\nRewriteRule ^a$ b [R]\nRewriteRule ^a$ https://x/b [R]\nRewriteRule ^a$ /al/b [R]\nRewriteRule ^a$ /al [R]\n</Directory>\n",
    "Alias /al /srv/al\n<Directory /srv/al>\nRewriteBase /al/\nRewriteRule ^a$ /b [R]\n</Directory>\n",
    // no Alias maps to it, the DocumentRoot itself, <DirectoryMatch>, .htaccess
    "<Directory /srv/al>\nRewriteRule ^a$ /b [R]\n</Directory>\nDocumentRoot /var/www\n<Directory /var/www>\nRewriteRule ^a$ /b [R]\n</Directory>\n<DirectoryMatch /var/www/x>\nRewriteRule ^a$ /b [R]\n</DirectoryMatch>\n",
    { code: "RewriteRule ^a$ /b [R]\n", path: "sub/.htaccess" },
    // Alias /
    "Alias / /srv/al/\n<Directory /srv/al>\nRewriteRule ^a$ /b [R]\n</Directory>\n",
  ],
  invalid: [
    {
      name: "through an Alias",
      code: "Alias /app/ /srv/app/\n<Directory /srv/app>\n    RewriteEngine on\n    RewriteRule ^old$ /new [R=301,L]\n</Directory>\n",
      findings: [
        { line: 4, column: 23, endColumn: 27, severity: "warning", fix: "none", message: { exact: "The redirect to `/new` leaves `/app`, the URL prefix this directory is reached through (Alias): a substitution starting with `/` is taken from the site root. For `/app/new` write it relative with `RewriteBase /app/`." } },
      ],
    },
    {
      name: "a sub-directory of the virtual host's DocumentRoot",
      code: "<VirtualHost *:80>\nDocumentRoot /var/www/site\n<Directory /var/www/site/blog/>\nRewriteRule ^(.*)$ /archive/$1 [R]\nRewriteRule ^x$ /blogger [R]\n</Directory>\n</VirtualHost>\n",
      findings: [
        { line: 4, column: 20, message: "The redirect to `/archive/$1` leaves `/blog`, the URL prefix this directory is reached through (DocumentRoot)" },
        { line: 5, column: 17, message: "The redirect to `/blogger` leaves `/blog`" },
      ],
    },
  ],
});
