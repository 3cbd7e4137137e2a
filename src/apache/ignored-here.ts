// Directives Apache accepts inside a section but does not apply there, from
// the notes of the manual (/usr/share/doc/apache2-doc/manual/en/mod/core.html,
// Apache 2.4.71). Each entry keeps the manual's sentence and what was measured
// on a live server (test/apache/core-silent-live.test.ts re-measures them).

export interface IgnoredHere {
  /** lower-cased directive name */
  readonly directive: string;
  /** lower-cased arguments that are ignored (`+`/`-` prefixes allowed); none listed: the whole directive */
  readonly args?: readonly string[];
  /** lower-cased section names it is ignored in; `directory~` is `<Directory ~ regex>` */
  readonly sections: readonly string[];
  /** the manual's sentence, verbatim */
  readonly manual: string;
  /** the manual page and anchor */
  readonly source: string;
  /** what Apache 2.4.71 does, measured */
  readonly measured: string;
}

const REGEX_DIRECTORY = ["directorymatch", "directory~"];
const NOT_DIRECTORY = ["location", "locationmatch", "files", "filesmatch"];

export const IGNORED_HERE: readonly IgnoredHere[] = [
  {
    directive: "allowoverride",
    sections: NOT_DIRECTORY,
    manual: "AllowOverride is valid only in <Directory> sections specified without regular expressions, not in <Location>, <DirectoryMatch> or <Files> sections.",
    source: "core.html#allowoverride",
    measured: "`apache2 -t` warns `AH00114: Useless use of AllowOverride in line N of FILE.` and says Syntax OK; .htaccess files stay unread",
  },
  {
    directive: "allowoverride",
    sections: REGEX_DIRECTORY,
    manual: "AllowOverride is valid only in <Directory> sections specified without regular expressions, not in <Location>, <DirectoryMatch> or <Files> sections.",
    source: "core.html#allowoverride",
    measured: "no warning at all, and a `Require all denied` .htaccess below it is not read: 200, where `<Directory>` gives 403",
  },
  {
    directive: "allowoverridelist",
    sections: [...NOT_DIRECTORY, ...REGEX_DIRECTORY],
    manual: "AllowOverrideList is valid only in <Directory> sections specified without regular expressions, not in <Location>, <DirectoryMatch> or <Files> sections.",
    source: "core.html#allowoverridelist",
    measured: "no warning; the .htaccess directives it lists are not allowed",
  },
  {
    directive: "options",
    args: ["followsymlinks", "symlinksifownermatch"],
    sections: NOT_DIRECTORY,
    manual: "The FollowSymLinks and SymLinksIfOwnerMatch Options work only in <Directory> sections or .htaccess files.",
    source: "core.html#options",
    measured: "a request through a symbolic link gets 403 and `AH00037: Symbolic link not allowed or link target not accessible`",
  },
];

const byDirective = new Map<string, IgnoredHere[]>();
for (const e of IGNORED_HERE) byDirective.set(e.directive, [...(byDirective.get(e.directive) ?? []), e]);

/** The entries for a lower-cased directive name. */
export function ignoredHereEntries(directive: string): readonly IgnoredHere[] {
  return byDirective.get(directive) ?? [];
}

/** The lower-cased directive names the table knows. */
export const IGNORED_HERE_DIRECTIVES: readonly string[] = [...byDirective.keys()];
