// directive-removed: refused ones are errors, accepted ones warnings (apache2 -t on 2.4.71); directive-unknown leaves them to it.
import { describe, expect, it } from "vitest";
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/directive-removed.js";
import directiveUnknown from "../../rules/directive-unknown.js";
import { lintText } from "../../src/index.js";

ruleTester(testedRule, {
  valid: ["MaxRequestWorkers 150\n", "LogLevel rewrite:trace3\n", "Mutex fcntl default\n"],
  invalid: [
    {
      code: "NameVirtualHost *:80\n<VirtualHost *:80>\n</VirtualHost>\n",
      findings: [{ line: 1, column: 1, severity: "warning", fix: "safe", message: '`NameVirtualHost` is a 2.2 directive: Apache 2.4 accepts it with a warning ("AH00548: NameVirtualHost has no effect and will be removed in the next release")' }],
      output: "<VirtualHost *:80>\n</VirtualHost>\n",
    },
    {
      code: "  MaxClients 150\n",
      findings: [{ line: 1, column: 3, severity: "warning", fix: "safe", message: "`MaxClients` is a 2.2 directive: Apache 2.4 accepts it; `MaxRequestWorkers`" }],
      output: "  MaxRequestWorkers 150\n",
    },
    {
      code: "RewriteLogLevel 9\nRewriteLogLevel 0\n",
      findings: [
        { line: 1, column: 1, severity: "error", fix: "safe", message: "`RewriteLogLevel` is a 2.2 directive: Apache 2.4 refuses to start (\"Invalid command 'RewriteLogLevel'" },
        { line: 2, column: 1, severity: "error", fix: "none", message: "`RewriteLogLevel` is a 2.2 directive" },
      ],
      output: "LogLevel rewrite:trace8\nRewriteLogLevel 0\n",
    },
    {
      code: "AcceptMutex fcntl\nLockFile /var/lock/x\nSSLCertificateChainFile /etc/ssl/chain.pem\n",
      findings: [
        { line: 1, column: 1, severity: "error", fix: "none", message: "`AcceptMutex` is a 2.2 directive: Apache 2.4 refuses to start" },
        { line: 2, column: 1, severity: "error", fix: "none", message: "`LockFile` is a 2.2 directive: Apache 2.4 refuses to start" },
        { line: 3, column: 1, severity: "warning", fix: "none", message: "`SSLCertificateChainFile` is a 2.2 directive: Apache 2.4 accepts it; put the intermediate certificates" },
      ],
    },
    {
      code: "DefaultType text/html\n",
      findings: [{ line: 1, column: 1, severity: "warning", fix: "safe", message: '`DefaultType` is a 2.2 directive: Apache 2.4 accepts it with a warning ("AH00117: Ignoring deprecated use of DefaultType' }],
      output: "",
    },
  ],
});

describe("directive-removed with directive-unknown", () => {
  it("is the only finding on each line", () => {
    const f = lintText("RewriteLog /tmp/r.log\nAcceptMutex fcntl\nRewriteLogg x\n", "t.conf", { rules: [testedRule, directiveUnknown] }).findings;
    expect(f.map((x) => `${x.line} ${x.ruleId}`)).toEqual(["1 directive-removed", "2 directive-removed", "3 directive-unknown"]);
  });
});
