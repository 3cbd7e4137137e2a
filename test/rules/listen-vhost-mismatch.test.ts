// listen-vhost-mismatch: a vhost port with no Listen is never reached (measured on 2.4.71, test/apache/core-silent-live.test.ts).
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/listen-vhost-mismatch.js";
import { makeServerInfo } from "../../src/server/server-info.js";

const debian = { ...makeServerInfo({ managesModules: true, debianRoot: "/etc/apache2", loaded: [] }), treeListenPorts: new Set([80, 443]) };

ruleTester(testedRule, {
  docPath: "httpd.conf",
  valid: [
    { path: "httpd.conf", code: "Listen 80\n<VirtualHost *:80>\n</VirtualHost>\n" },
    { path: "httpd.conf", code: "Listen 127.0.0.1:8080\n<VirtualHost 10.0.0.1:8080>\n</VirtualHost>\n", name: "ports are compared, not addresses" },
    { path: "httpd.conf", code: "Listen 80\n<VirtualHost *>\n</VirtualHost>\n<VirtualHost _default_:*>\n</VirtualHost>\n" },
    { path: "httpd.conf", code: "<IfModule ssl_module>\n    Listen 443\n</IfModule>\n<VirtualHost *:443>\n</VirtualHost>\n" },
    { path: "httpd.conf", code: "Include ports.conf\n<VirtualHost *:8080>\n</VirtualHost>\n", name: "Includes: not known" },
    { path: "sites-available/x.conf", code: "<VirtualHost *:8080>\n</VirtualHost>\n", name: "a vhost file alone" },
    { path: "sites-enabled/000-default.conf", options: { server: debian }, code: "<VirtualHost *:80>\n</VirtualHost>\n" },
  ],
  invalid: [
    {
      name: "no Listen on the port",
      path: "httpd.conf",
      code: "Listen 80\n<VirtualHost *:8080>\n    ServerName a\n</VirtualHost>\n",
      findings: [{ line: 2, column: 14, endColumn: 20, severity: "warning", fix: "none", message: { exact: "No Listen opens port 8080: <VirtualHost *:8080> never receives a request (connections to the port are refused, and Apache says nothing)." } }],
    },
    {
      name: "one of two addresses",
      path: "apache2.conf",
      code: "Listen 80\n<VirtualHost 127.0.0.1:80 [::1]:81>\n</VirtualHost>\n",
      findings: [{ line: 2, column: 27, message: "No Listen opens port 81" }],
    },
    {
      name: "a Debian site, with ports.conf known",
      path: "sites-enabled/x.conf",
      options: { server: debian },
      code: "<VirtualHost *:8080>\n</VirtualHost>\n",
      findings: [{ line: 1, column: 14, message: "No Listen opens port 8080" }],
    },
  ],
});
