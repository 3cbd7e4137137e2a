// logformat-undefined: CustomLog nicknames resolved as mod_log_config does (measured on 2.4.71, test/apache/core-silent-live.test.ts).
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/logformat-undefined.js";
import { makeServerInfo } from "../../src/server/server-info.js";

const debian = { ...makeServerInfo({ managesModules: true, debianRoot: "/etc/apache2", loaded: [] }), treeLogFormats: new Set(["vhost_combined", "combined", "common", "referer", "agent"]) };
const COMMON = 'LogFormat "%h %l %u %t \\"%r\\" %>s %b" common\n';

ruleTester(testedRule, {
  docPath: "httpd.conf",
  valid: [
    { path: "httpd.conf", code: `${COMMON}CustomLog logs/a.log common\n` },
    { path: "httpd.conf", code: `CustomLog logs/a.log common\n${COMMON}`, name: "LogFormat after the CustomLog" },
    { path: "httpd.conf", code: 'CustomLog logs/a.log "%h %>s"\n' },
    { path: "httpd.conf", code: `${COMMON}<VirtualHost *:80>\n    CustomLog logs/v.log common\n</VirtualHost>\n`, name: "a vhost sees the main server's" },
    { path: "httpd.conf", code: '<VirtualHost *:80>\n    CustomLog logs/v.log mine\n    LogFormat "%U" mine\n</VirtualHost>\n', name: "its own, in any order" },
    { path: "httpd.conf", code: 'CustomLog logs/m.log mine\n<VirtualHost *:80>\n    LogFormat "%U" mine\n</VirtualHost>\n', name: "main borrows from a vhost with no CustomLog (measured)" },
    { path: "sites-available/x.conf", code: "<VirtualHost *:80>\n    CustomLog logs/v.log combined\n</VirtualHost>\n", name: "a vhost file alone: not known" },
    { path: "httpd.conf", code: "Include conf/extra/*.conf\nCustomLog logs/a.log common\n", name: "Includes: not known" },
    { path: "sites-enabled/x.conf", options: { server: debian }, code: "<VirtualHost *:80>\n    CustomLog ${APACHE_LOG_DIR}/access.log combined\n</VirtualHost>\n" },
    { path: "httpd.conf", code: "CustomLog logs/a.log ${FORMAT}\n" },
  ],
  invalid: [
    {
      name: "no LogFormat at all",
      path: "httpd.conf",
      code: "CustomLog logs/a.log common\n",
      findings: [{ line: 1, column: 22, endColumn: 28, severity: "error", fix: "none", message: { exact: "No LogFormat defines the nickname `common` in the main server: Apache takes `common` as the format itself, so every line of logs/a.log is the word `common`." } }],
    },
    {
      name: "another virtual host's nickname",
      path: "apache2.conf",
      code: '<VirtualHost 127.0.0.2:80>\n    CustomLog logs/b.log mine\n</VirtualHost>\n<VirtualHost 127.0.0.1:80>\n    LogFormat "%>s %U" mine\n</VirtualHost>\n',
      findings: [{ line: 2, column: 26, message: "No LogFormat defines the nickname `mine` for this virtual host" }],
    },
    {
      name: "a typo in a Debian site, with the tree's LogFormats known",
      path: "sites-enabled/x.conf",
      options: { server: debian },
      code: "<VirtualHost *:80>\n    CustomLog ${APACHE_LOG_DIR}/access.log combind\n</VirtualHost>\n",
      findings: [{ line: 2, column: 44, message: "No LogFormat defines the nickname `combind`" }],
    },
    {
      name: "a whole server because it loads an MPM",
      code: "LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so\nCustomLog logs/a.log combined\n",
      findings: [{ line: 2, column: 22, message: "No LogFormat defines the nickname `combined`" }],
    },
  ],
});
