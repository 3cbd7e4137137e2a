// conditional-invalid: the cases the rule decides, beside the live ones in
// test/conditionals-live.test.ts (fixtures/conditionals/, Apache's answers).
import { ruleTester } from "../helpers/rule-tester.js";
import testedRule from "../../rules/conditional-invalid.js";

const ORPHAN = "<Else> or <ElseIf> section without previous <If> or <ElseIf> section in same scope";
const MAIN = "/etc/apache2/apache2.conf";
/** started with no -D: an <IfDefine NOPE> is known false */
const NO_DEFINES = { startup: { defines: new Set<string>() } };

ruleTester(testedRule, {
  valid: [
    // the chain ignores what stands between, and conditionals are transparent
    { code: '<If "true">\n</If>\nServerAdmin a@b.example\n# note\n<Else>\n</Else>\n', path: MAIN },
    { code: '<IfModule authz_core_module>\n<If "true">\n</If>\n</IfModule>\n<Else>\n</Else>\n', path: MAIN },
    { code: '<If "true">\n</If>\n<IfModule authz_core_module>\n<Else>\n</Else>\n</IfModule>\n', path: MAIN },
    { code: '<If "true">\n</If>\n<ElseIf "false">\n</ElseIf>\n<Else>\n</Else>\n<If "x">\n</If>\n<Else>\n</Else>\n', path: MAIN },
    // a virtual host between them has a config of its own and leaves the main server's chain alone
    { code: '<If "true">\n</If>\n<VirtualHost *:80>\n</VirtualHost>\n<Else>\n</Else>\n', path: MAIN },
    // a fragment's top may continue an <If> of the file that includes it
    { code: '<Else>\n</Else>\n', path: "/etc/apache2/conf-enabled/x.conf" },
    // an Include or a Use may bring an <If>
    { code: '<Location /a>\nInclude /etc/apache2/if.conf\n<Else>\n</Else>\n</Location>\n', path: MAIN },
    { code: '<Location /a>\nUse IfBlock\n<Else>\n</Else>\n</Location>\n', path: MAIN },
    // accepted by Apache (fixtures/conditionals): a quoted `!`, `!` with a name after it, a readable version test
    '<IfDefine "!">\n</IfDefine>\n<IfDefine ! FOO>\n</IfDefine>\n<IfVersion >= 2.4.10>\n</IfVersion>\n<IfVersion = /^2\\.4/>\n</IfVersion>\n',
    // a ${VAR} may stand for anything
    "<IfVersion ${V}>\n</IfVersion>\n",
  ],
  invalid: [
    {
      name: "<Else> after <IfDefine> in a main config",
      code: "<IfDefine SSL>\n</IfDefine>\n<Else>\n</Else>\n",
      path: MAIN,
      findings: [{ line: 3, column: 1, endColumn: 7, severity: "error", message: `\`<Else>\` does not follow an <If> or <ElseIf> of the same scope: Apache refuses to start ("${ORPHAN}").` }],
    },
    {
      name: "in a section, the chain starts in the file: an <Else> first in <Location> and one after another <Else>",
      code: '<Location /a>\n    <Else>\n    </Else>\n</Location>\n<Directory /b>\n    <If "true">\n    </If>\n    <Else>\n    </Else>\n    <ElseIf "x">\n    </ElseIf>\n</Directory>\n',
      findings: [
        { line: 2, column: 5, message: "`<Else>` does not follow" },
        { line: 10, column: 5, message: '`<ElseIf "x">` does not follow an <If> or <ElseIf> of the same scope, so it has nothing to continue' },
      ],
    },
    {
      name: "an <If> inside a false conditional was never read; one maybe read is not judged",
      code: '<IfDefine NOPE>\n<If "true">\n</If>\n</IfDefine>\n<Else>\n</Else>\n<IfModule maybe_module>\n<If "true">\n</If>\n</IfModule>\n<Else>\n</Else>\n',
      path: MAIN,
      options: NO_DEFINES,
      findings: [{ line: 5, column: 1, message: "`<Else>` does not follow" }],
    },
    {
      name: "an .htaccess file starts its own chain",
      code: "<Else>\n</Else>\n",
      path: "/srv/www/.htaccess",
      findings: [{ line: 1, column: 1, message: '`<Else>` does not follow an <If> or <ElseIf> of the same scope: Apache answers 500' }],
    },
    {
      name: "inside a conditional Apache skips, both read together the day it holds: a warning",
      code: "<IfDefine NOPE>\n<IfDefine X>\n</IfDefine>\n<Else>\n</Else>\n<IfVersion 2.4.x>\n</IfVersion>\n</IfDefine>\n",
      path: MAIN,
      options: NO_DEFINES,
      findings: [
        { line: 4, column: 1, severity: "warning", message: "`<Else>` does not follow an <If> or <ElseIf> of the same scope: Apache skips it today because `<IfDefine NOPE>` is false here" },
        { line: 6, column: 1, severity: "warning", message: "`<IfVersion 2.4.x>` is not a version test mod_version reads: Apache skips it today" },
      ],
    },
    {
      name: "<IfVersion> words mod_version refuses, with its message",
      code: "<IfVersion 2.4.x>\n</IfVersion>\n<IfVersion >>= 2.4>\n</IfVersion>\n<IfVersion >= 2.4 x>\n</IfVersion>\n<IfVersion a b c d>\n</IfVersion>\n<IfVersion>\n</IfVersion>\n<IfVersion \"\">\n</IfVersion>\n",
      findings: [
        { line: 1, column: 1, message: { exact: '`<IfVersion 2.4.x>` is not a version test mod_version reads: Apache refuses to start ("Version appears to be invalid. It must have the format major[.minor[.patch]] where major, minor and patch are numbers.").' } },
        { line: 3, column: 1, message: "`<IfVersion >>= 2.4>` is not a version test mod_version reads: Apache refuses to start (\"unrecognized operator '>>='\")." },
        { line: 5, column: 1, message: "`<IfVersion >= 2.4 x>` is not a version test mod_version reads: Apache refuses to start (\"<IfVersion> directive missing closing '>'\")." },
        { line: 7, column: 1, message: '`<IfVersion a b c d>` is not a version test mod_version reads: Apache refuses to start ("<IfVersion takes one, two or three arguments' },
        { line: 9, column: 1, message: '`<IfVersion>` is not a version test mod_version reads: Apache refuses to start ("Version appears to be invalid.' },
        { line: 11, column: 1, message: '`<IfVersion "">` is not a version test mod_version reads: Apache refuses to start ("<IfVersion takes one, two or three' },
      ],
    },
    {
      name: "a lone `!` or empty word names nothing, at the word",
      code: '<IfDefine !>\n</IfDefine>\n<IfModule "">\n</IfModule>\n<IfFile ! >\n</IfFile>\n',
      findings: [
        { line: 1, column: 11, endColumn: 12, message: { exact: '`<IfDefine !>` names nothing: Apache refuses to start ("<IfDefine> directive requires additional arguments").' } },
        { line: 3, column: 11, endColumn: 13, message: '`<IfModule "">` names nothing: Apache refuses to start ("<IfModule> directive requires additional arguments")' },
        { line: 5, column: 9, message: '`<IfFile ! >` names nothing: Apache refuses to start ("<IfFile> directive requires additional arguments")' },
      ],
    },
  ],
});
