// rewrite-pattern-context: a RewriteRule anchored for the other context (issue 12). Apache's answer: test/apache/rewrite-silent-live.test.ts.
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/rewrite-pattern-context.js";

ruleTester(testedRule, {
  valid: [
    "RewriteRule ^/app/ /x [L]\n",
    "RewriteRule ^/?app/ /x [L]\n",
    "RewriteRule (.*) /x [L]\n",
    "RewriteRule !^app /x [L]\n",
    // proxy request URIs and OPTIONS *
    "RewriteRule ^https?://old\\.example/ - [F]\nRewriteRule ^ftp: - [F]\nRewriteRule ^\\* - [F]\n",
    // not a literal first segment: not judged
    "RewriteRule ^(app|api)/ /x [L]\nRewriteRule ^[a-z]+/ /x [L]\n",
    { code: "RewriteRule ^app/ /x [L]\nRewriteRule ^/?app /x [L]\nRewriteRule ^/*x /y\n", path: "site/.htaccess" },
    "<Directory /srv>\nRewriteRule ^app/ /x [L]\n</Directory>\n",
    "<DirectoryMatch ^/srv>\nRewriteRule ^app/ /x [L]\n</DirectoryMatch>\n",
    // <Location>, <Files>, <If>: matched against the file-system path
    "<Location /l>\nRewriteRule ^/srv/ /x\nRewriteRule ^app /x\n</Location>\n<Files x>\nRewriteRule ^/a /x\n</Files>\n",
    { code: "<If \"true\">\nRewriteRule ^/a /x\n</If>\n", path: ".htaccess" },
  ],
  invalid: [
    {
      name: "server context, with the fix",
      code: "RewriteEngine on\nRewriteRule ^index\\.html$ /home.html [L]\n",
      findings: [
        { line: 2, column: 13, endColumn: 26, severity: "warning", fix: "unsafe", message: { exact: "The pattern `^index\\.html$` never matches here: in server and virtual-host context the URL-path it is matched against always starts with `/`." } },
      ],
      output: "RewriteEngine on\nRewriteRule ^/?index\\.html$ /home.html [L]\n",
    },
    {
      name: "inside <VirtualHost> and <IfModule>, quoted",
      code: '<VirtualHost *:80>\n<IfModule rewrite_module>\nRewriteRule "^app/(.*)" /x/$1\n</IfModule>\n</VirtualHost>\n',
      findings: [{ line: 3, column: 13, covers: '"^app/(.*)"', message: "The pattern `^app/(.*)` never matches here: in server" }],
      output: '<VirtualHost *:80>\n<IfModule rewrite_module>\nRewriteRule "^/?app/(.*)" /x/$1\n</IfModule>\n</VirtualHost>\n',
    },
    {
      name: ".htaccess: the leading slash is stripped",
      code: "RewriteEngine on\nRewriteRule ^/app/(.*)$ index.php?p=$1 [L]\n",
      path: "www/.htaccess",
      findings: [{ line: 2, column: 13, fix: "unsafe", message: { exact: "The pattern `^/app/(.*)$` never matches here: in per-directory context mod_rewrite strips the directory prefix, leading `/` included, before matching." } }],
      output: "RewriteEngine on\nRewriteRule ^/?app/(.*)$ index.php?p=$1 [L]\n",
    },
    {
      name: "<Directory>",
      code: "<Directory /srv/app>\n  RewriteRule ^/old$ new [L]\n</Directory>\n",
      findings: [{ line: 2, column: 15, message: "The pattern `^/old$` never matches here: in per-directory" }],
      output: "<Directory /srv/app>\n  RewriteRule ^/?old$ new [L]\n</Directory>\n",
    },
  ],
});
