// vhost-https-without-ssl: a TLS virtual host without SSLEngine on speaks plain HTTP (measured on 2.4.71, test/apache/core-silent-live.test.ts).
import { existsSync, readFileSync } from "node:fs";
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/vhost-https-without-ssl.js";
import { makeServerInfo } from "../../src/server/server-info.js";

const CERT = "    SSLCertificateFile /etc/ssl/certs/a.pem\n    SSLCertificateKeyFile /etc/ssl/private/a.key\n";
const DEFAULT_SSL = "/etc/apache2/sites-available/default-ssl.conf";
const noSsl = makeServerInfo({ managesModules: true, loaded: [] });

ruleTester(testedRule, {
  valid: [
    `<VirtualHost *:443>\n    SSLEngine on\n${CERT}</VirtualHost>\n`,
    `SSLEngine on\n${CERT}<VirtualHost *:443>\n    ServerName a\n</VirtualHost>\n`,
    "<VirtualHost *:443>\n    SSLEngine off\n</VirtualHost>\n",
    "<VirtualHost *:443>\n    SSLEngine optional\n</VirtualHost>\n",
    "<VirtualHost *:443>\n    GnuTLSEnable on\n</VirtualHost>\n",
    "<VirtualHost *:80>\n    ServerName a\n</VirtualHost>\n",
    "Listen 8443\n<VirtualHost *:8443>\n    ServerName a\n</VirtualHost>\n",
    ...(existsSync(DEFAULT_SSL) ? [{ code: readFileSync(DEFAULT_SSL, "utf8"), name: "Debian's default-ssl.conf" }] : []),
  ],
  invalid: [
    {
      name: "certificates on 443, no SSLEngine",
      code: `<VirtualHost *:443>\n${CERT}</VirtualHost>\n`,
      findings: [{ line: 1, column: 1, endColumn: 20, severity: "error", fix: "unsafe", message: "<VirtualHost *:443> is meant for TLS (port 443) but has no `SSLEngine on`: Apache serves plain HTTP there" }],
      output: `<VirtualHost *:443>\n    SSLEngine on\n${CERT}</VirtualHost>\n`,
    },
    {
      name: "a Listen … https port, certificates inside <IfModule>",
      code: `Listen 127.0.0.1:8443 https\n<VirtualHost 127.0.0.1:8443>\n  <IfModule ssl_module>\n${CERT}  </IfModule>\n</VirtualHost>\n`,
      findings: [{ line: 2, column: 1, fix: "unsafe", message: "<VirtualHost 127.0.0.1:8443> is meant for TLS (port 8443 (Listen … https))" }],
      output: `Listen 127.0.0.1:8443 https\n<VirtualHost 127.0.0.1:8443>\n  SSLEngine on\n  <IfModule ssl_module>\n${CERT}  </IfModule>\n</VirtualHost>\n`,
    },
    {
      name: "certificates on another port",
      code: `<VirtualHost *:8443>\n${CERT}</VirtualHost>\n`,
      findings: [{ line: 1, column: 1, message: "<VirtualHost *:8443> is meant for TLS (its certificate lines)" }],
    },
    {
      name: "the tutorial's vhost: port 443, no certificate, so no fix",
      code: "<VirtualHost *:443>\n  RewriteEngine on\n  ProxyPass / http://localhost:3000/\n</VirtualHost>\n",
      findings: [{ line: 1, column: 1, fix: "none", message: "<VirtualHost *:443> is meant for TLS (port 443)" }],
    },
    {
      name: "mod_ssl not loaded in a server that manages modules: no fix (SSLEngine would stop Apache)",
      code: `<VirtualHost *:443>\n${CERT}</VirtualHost>\n`,
      options: { server: noSsl },
      findings: [{ line: 1, column: 1, fix: "none", message: "<VirtualHost *:443> is meant for TLS" }],
    },
    {
      name: "the main server's SSLEngine off does not count",
      code: `SSLEngine off\n<VirtualHost *:443>\n${CERT}</VirtualHost>\n`,
      findings: [{ line: 2, column: 1, fix: "unsafe", message: "<VirtualHost *:443> is meant for TLS" }],
      output: `SSLEngine off\n<VirtualHost *:443>\n    SSLEngine on\n${CERT}</VirtualHost>\n`,
    },
  ],
});
