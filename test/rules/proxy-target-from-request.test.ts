// proxy-target-from-request: each form was shown live to proxy to the backend the client named
// (test/apache/proxy-silent-live.test.ts).
import { describe, expect, it } from "vitest";
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/proxy-target-from-request.js";
import { authorityRange, groupSource, isLiteralChoice, isLiteralPattern } from "../../src/apache/proxy-request-data.js";

const SSRF = "a client chooses which host and port Apache connects to";

ruleTester(testedRule, {
  valid: [
    "RewriteRule ^/p/(.*) http://127.0.0.1:8080/$1 [P]\n",
    "RewriteRule ^/p/(.*) http://127.0.0.1:8080/%{HTTP_HOST}/$1 [P]\n",
    "RewriteRule ^/p/(.*) http://%{HTTP_HOST}/$1 [R=301,L]\n",
    "RewriteRule ^/(www|api)/(.*) http://$1.internal/$2 [P]\n",
    "RewriteCond %{HTTP_HOST} ^(www|api)\\.example\\.com$\nRewriteRule ^/(.*) http://%1.internal/$1 [P]\n",
    "RewriteCond %{REMOTE_ADDR} ^(10\\.0\\.0\\.\\d+)$\nRewriteRule ^/(.*) http://%1/$1 [P]\n",
    "RewriteMap b txt:/etc/b.txt\nRewriteRule ^/m/([^/]+)/(.*) http://${b:$1|127.0.0.1}/$2 [P]\n",
    "ProxyPassMatch ^/h/([^/]+)/(.*)$ http://127.0.0.1/$1/$2\n",
    "SetEnvIf X-Backend (.+) BACKEND=$1\nProxyPass /i/ http://${BACKEND}/ interpolate\n",
    { code: "RewriteRule ^(.*)$ http://127.0.0.1/$1 [P]\n", path: "site/.htaccess" },
  ],
  invalid: [
    {
      name: "%{HTTP_HOST} in the host",
      code: "RewriteEngine on\nRewriteRule ^/api/(.*) http://%{HTTP_HOST}:8080/api/$1 [P]\n",
      findings: [
        { line: 2, column: 24, endColumn: 55, severity: "error", fix: "none", message: { exact: "The backend host comes from the request (`%{HTTP_HOST}`): a client chooses which host and port Apache connects to, loopback and internal addresses included (server-side request forgery). Name the backend, or map allowed values with a RewriteMap." } },
      ],
    },
    {
      name: "a header, in .htaccess",
      code: "RewriteRule ^(.*)$ \"http://%{HTTP:X-Upstream}/$1\" [P,L]\n",
      path: "site/.htaccess",
      findings: [{ line: 1, column: 20, message: `The backend host comes from the request (\`%{HTTP:X-Upstream}\`): ${SSRF}` }],
    },
    {
      name: "$1 of an open group, and $0",
      code: "RewriteRule ^/r/([^/]+)/(.*) ws://$1/$2 [P]\nRewriteRule ^/z/.* http://$0 [P]\n",
      findings: [
        { line: 1, column: 30, message: "The backend host comes from the request (`$1`, a group of the URL pattern)" },
        { line: 2, column: 20, message: "The backend host comes from the request (`$0`, a group of the URL pattern)" },
      ],
    },
    {
      name: "%1 of an open Host condition",
      code: "RewriteCond %{HTTP_HOST} ^([^.]+)\\.example\\.com$\nRewriteRule ^/(.*) http://%1.internal/$1 [P]\n",
      findings: [{ line: 2, column: 20, message: "The backend host comes from the request (`%1`, a group of `RewriteCond %{HTTP_HOST}`)" }],
    },
    {
      name: "ProxyPassMatch $1 in the host",
      code: "ProxyPassMatch ^/h/([^/]+)/(.*)$ http://$1/$2\n",
      findings: [{ line: 1, column: 34, message: "The backend host comes from the request (`$1`, a group of the URL pattern)" }],
    },
    {
      name: "ProxyPass interpolate with a SetEnvIf capture of a header",
      code: 'SetEnvIfNoCase X-Backend "^(.+)$" BACKEND=$1\nProxyPassInterpolateEnv On\nProxyPass /i/ http://${BACKEND}/ interpolate\n',
      findings: [{ line: 3, column: 15, message: "The backend host comes from the request (`${BACKEND}`, which SetEnvIf copies from the request)" }],
    },
  ],
});

describe("proxy-request-data helpers", () => {
  it("finds the authority, braces kept whole", () => {
    expect(authorityRange("http://%{HTTP:X/Y}/a")).toEqual([7, 18]);
    expect(authorityRange("/local/path")).toBeNull();
  });
  it("reads capture groups as PCRE numbers them", () => {
    expect(groupSource("^/(?:a|b)/([^/)]+)/(x(y))$", 1)).toBe("[^/)]+");
    expect(groupSource("^/(?:a|b)/([^/)]+)/(x(y))$", 3)).toBe("y");
    expect(groupSource("^/a$", 1)).toBeNull();
  });
  it("tells literal choices from open patterns", () => {
    expect(isLiteralChoice("app|api")).toBe(true);
    expect(isLiteralChoice("www\\.example\\.com")).toBe(true);
    expect(isLiteralChoice("[^/]+")).toBe(false);
    expect(isLiteralPattern("^(www|api)\\.example\\.com$")).toBe(true);
    expect(isLiteralPattern("^([a-z]+)\\.example\\.com$")).toBe(false);
    expect(isLiteralPattern("(www|api)\\.example\\.com")).toBe(false);
  });
});
