// Keyword lists of handlers that parse their own line, from Apache 2.4's
// sources and measured with apache2 -t on 2.4.71 (test/rules/directive-invalid-value.test.ts
// checks each keyword here live). Every comparison is case-insensitive (strcasecmp)
// unless said otherwise.

/** core.c set_options: the words of `Options`; RunScripts is an undocumented old name for MultiViews ExecCGI. */
export const OPTIONS_KEYWORDS: readonly string[] = [
  "None", "All", "Indexes", "Includes", "IncludesNOEXEC", "FollowSymLinks", "SymLinksIfOwnerMatch", "ExecCGI", "MultiViews", "RunScripts",
];

/** core.c set_options: None and All take no sign and must come first; a sign after them is allowed, a bare word after a signed one is not. */
export const OPTIONS_SAYS = {
  illegal: "Illegal option {word}",
  mixed: "Either all Options must start with + or -, or no Option may.",
  noneFirst: "'Options None' must be the first Option given.",
  allFirst: "'Options All' must be the first option given.",
  noneSigned: "You may not use 'Options +None' or 'Options -None'.",
  allSigned: "You may not use 'Options +All' or 'Options -All'.",
} as const;

/** core.c set_override: the words of `AllowOverride`, each read up to its first `=`. */
export const OVERRIDE_KEYWORDS: readonly string[] = ["All", "None", "AuthConfig", "FileInfo", "Indexes", "Limit", "Options", "Nonfatal"];

/** core.c set_allow_opts: the comma-separated list of `AllowOverride Options=…` (empty items are skipped). */
export const OVERRIDE_OPTIONS: readonly string[] = OPTIONS_KEYWORDS;

export const OVERRIDE_SAYS = {
  illegal: "Illegal override option {word}",
  option: "Illegal option {word}",
  nonfatal: "=Override, =Unknown or =All expected after Nonfatal",
  listNone: "'None' not allowed with other directives in AllowOverrideList",
} as const;

/**
 * mod_autoindex.c add_opts, the words of `IndexOptions` (each may carry one + or -):
 * - flag: a switch (strcasecmp); `none` says whether it counts as a keyword `None` may not be combined with;
 * - size: IconWidth, IconHeight: bare, or `=n` (not with `-`);
 * - width: NameWidth, DescriptionWidth: `=n` or `=*`, bare only as `-Name`; n is atoi'd and must be 0 or at least `min`;
 * - text: Charset=, Type=: `=value` (strncasecmp on the prefix).
 */
export type IndexOptionForm =
  | { readonly kind: "flag"; readonly none: boolean }
  | { readonly kind: "size" }
  | { readonly kind: "width"; readonly min: number }
  | { readonly kind: "text" };

const flag = { kind: "flag", none: true } as const;
export const INDEX_OPTIONS: Readonly<Record<string, IndexOptionForm>> = {
  AddAltClass: flag,
  FancyIndexing: flag,
  FoldersFirst: flag,
  HTMLTable: flag,
  IconsAreLinks: flag,
  IgnoreCase: flag,
  IgnoreClient: flag,
  ScanHTMLTitles: flag,
  ShowForbidden: flag,
  SuppressColumnSorting: flag,
  SuppressDescription: flag,
  SuppressHTMLPreamble: flag,
  SuppressIcon: flag,
  SuppressLastModified: flag,
  SuppressRules: flag,
  SuppressSize: flag,
  TrackModified: flag,
  UseOldDateFormat: { kind: "flag", none: false },
  VersionSort: flag,
  XHTML: flag,
  IconWidth: { kind: "size" },
  IconHeight: { kind: "size" },
  NameWidth: { kind: "width", min: 5 },
  DescriptionWidth: { kind: "width", min: 12 },
  Charset: { kind: "text" },
  Type: { kind: "text" },
};

export const INDEX_OPTIONS_SAYS = {
  invalid: "Invalid directory indexing option",
  noneSigned: "Cannot combine '+' or '-' with 'None' keyword",
  none: "Cannot combine other IndexOptions keywords with 'None'",
  minus: "Cannot combine '-' with {name}=n",
  bare: "{name} with no value may only appear as '-{name}'",
  small: "{name} value must be greater than {min}",
} as const;

/** Values of signed enumerations that may not carry a sign, with Apache's refusal ({word}: the value as written). */
export const UNSIGNED_VALUES: Readonly<Record<string, { readonly values: readonly string[]; readonly says: string }>> = {
  fileetag: { values: ["None", "All"], says: "FileETag keyword '{word}' cannot be used with '+' or '-'" },
  regexdefaultoptions: { values: ["None"], says: "RegexDefaultOptions: option '{word}' unknown" },
};
