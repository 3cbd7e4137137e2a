// The rule registry: every rule module, in the order they are documented.
import { ruleAliases, type Rule } from "../src/core/rule.js";
import rewriteVarSigil from "./rewrite-var-sigil.js";
import proxyUrlMalformed from "./proxy-url-malformed.js";
import rewriteBackrefWithoutGroup from "./rewrite-backref-without-group.js";
import sectionUnclosed from "./section-unclosed.js";
import sectionMismatched from "./section-mismatched.js";
import loadmoduleInvalid from "./loadmodule-invalid.js";
import directiveInvalidValue from "./directive-invalid-value.js";
import typographicQuotes from "./typographic-quotes.js";
import proxypassShadowed from "./proxypass-shadowed.js";
import sslProxyEngineMissing from "./ssl-proxy-engine-missing.js";
import upgradeHeaderAnchored from "./upgrade-header-anchored.js";
import proxypassTrailingSlash from "./proxypass-trailing-slash.js";
import trailingComment from "./trailing-comment.js";
import rewriteFlagsMalformed from "./rewrite-flags-malformed.js";
import continuationTrailingSpace from "./continuation-trailing-space.js";
import bom from "./bom.js";
import moduleNotLoaded from "./module-not-loaded.js";
import websocketPreferUpgradeParam from "./websocket-prefer-upgrade-param.js";
import quoteUnbalanced from "./quote-unbalanced.js";
import parseError from "./parse-error.js";
import suppressionUnused from "./suppression-unused.js";
import directiveContext from "./directive-context.js";
import listenDuplicate from "./listen-duplicate.js";
import regexInvalid from "./regex-invalid.js";
import proxyParamInvalid from "./proxy-param-invalid.js";
import includeMissing from "./include-missing.js";
import rewritecondDangling from "./rewritecond-dangling.js";
import ifmoduleUnknown from "./ifmodule-unknown.js";
import proxypassReverseMissing from "./proxypass-reverse-missing.js";
import variableUndefined from "./variable-undefined.js";
import directiveUnknown from "./directive-unknown.js";
import directiveArity from "./directive-arity.js";
import directiveNumberInvalid from "./directive-number-invalid.js";
import servernameInvalid from "./servername-invalid.js";
import directiveKeywordInvalid from "./directive-keyword-invalid.js";
import urlInvalid from "./url-invalid.js";
import redirectArgumentsInvalid from "./redirect-arguments-invalid.js";
import headerInvalid from "./header-invalid.js";
import requireInvalid from "./require-invalid.js";
import macroUndefined from "./macro-undefined.js";
import macroArity from "./macro-arity.js";
import macroRedefined from "./macro-redefined.js";
import macroParamUnused from "./macro-param-unused.js";
import macroDefinitionInvalid from "./macro-definition-invalid.js";
import macroRecursive from "./macro-recursive.js";
import directiveTooNew from "./directive-too-new.js";
import directiveTrunkOnly from "./directive-trunk-only.js";
import rewriteProxyRequestSplitting from "./rewrite-proxy-request-splitting.js";
import addtypeHandler from "./addtype-handler.js";
import http2Prefork from "./http2-prefork.js";
import accessCompatMixed from "./access-compat-mixed.js";
import directiveRemoved from "./directive-removed.js";
import nginxSyntax from "./nginx-syntax.js";
import rewritePatternContext from "./rewrite-pattern-context.js";
import rewritecondNegationMisplaced from "./rewritecond-negation-misplaced.js";
import rewriteLiteralPercent from "./rewrite-literal-percent.js";
import rewriteruleUnreachable from "./rewriterule-unreachable.js";
import rewriteRedirectDropsPrefix from "./rewrite-redirect-drops-prefix.js";
import conditionalInvalid from "./conditional-invalid.js";
import errordocumentLiteral from "./errordocument-literal.js";
import logformatUndefined from "./logformat-undefined.js";
import filesSectionPath from "./files-section-path.js";
import directiveIgnoredHere from "./directive-ignored-here.js";
import outputFilterOverridden from "./output-filter-overridden.js";
import vhostHttpsWithoutSsl from "./vhost-https-without-ssl.js";
import listenVhostMismatch from "./listen-vhost-mismatch.js";
import proxyOpenForward from "./proxy-open-forward.js";
import optionsIndexes from "./options-indexes.js";
import rootDirectoryGranted from "./root-directory-granted.js";
import statusPageExposed from "./status-page-exposed.js";
import serverTokensVerbose from "./server-tokens-verbose.js";
import tlsWeakProtocol from "./tls-weak-protocol.js";
import tlsWeakCipher from "./tls-weak-cipher.js";
import htaccessOverrideAll from "./htaccess-override-all.js";
import proxyPreserveHost from "./proxy-preserve-host.js";
import websocketTimeoutShort from "./websocket-timeout-short.js";
import proxypassReverseUnmatched from "./proxypass-reverse-unmatched.js";
import websocketSchemeMismatch from "./websocket-scheme-mismatch.js";
import sslProxyVerifyOff from "./ssl-proxy-verify-off.js";
import proxyTargetFromRequest from "./proxy-target-from-request.js";
import remoteipTrustAll from "./remoteip-trust-all.js";

export const allRules: readonly Rule[] = [
  rewriteVarSigil,
  proxyUrlMalformed,
  rewriteBackrefWithoutGroup,
  sectionUnclosed,
  sectionMismatched,
  loadmoduleInvalid,
  directiveInvalidValue,
  typographicQuotes,
  proxypassShadowed,
  sslProxyEngineMissing,
  upgradeHeaderAnchored,
  proxypassTrailingSlash,
  trailingComment,
  rewriteFlagsMalformed,
  continuationTrailingSpace,
  bom,
  moduleNotLoaded,
  websocketPreferUpgradeParam,
  quoteUnbalanced,
  parseError,
  directiveContext,
  listenDuplicate,
  regexInvalid,
  proxyParamInvalid,
  includeMissing,
  rewritecondDangling,
  ifmoduleUnknown,
  proxypassReverseMissing,
  variableUndefined,
  directiveUnknown,
  directiveArity,
  directiveNumberInvalid,
  servernameInvalid,
  directiveKeywordInvalid,
  urlInvalid,
  redirectArgumentsInvalid,
  headerInvalid,
  requireInvalid,
  macroUndefined,
  macroArity,
  macroRedefined,
  macroParamUnused,
  macroDefinitionInvalid,
  macroRecursive,
  directiveTooNew,
  directiveTrunkOnly,
  rewriteProxyRequestSplitting,
  addtypeHandler,
  http2Prefork,
  accessCompatMixed,
  directiveRemoved,
  nginxSyntax,
  rewritePatternContext,
  rewritecondNegationMisplaced,
  rewriteLiteralPercent,
  rewriteruleUnreachable,
  rewriteRedirectDropsPrefix,
  conditionalInvalid,
  errordocumentLiteral,
  logformatUndefined,
  filesSectionPath,
  directiveIgnoredHere,
  outputFilterOverridden,
  vhostHttpsWithoutSsl,
  listenVhostMismatch,
  proxyOpenForward,
  optionsIndexes,
  rootDirectoryGranted,
  statusPageExposed,
  serverTokensVerbose,
  tlsWeakProtocol,
  tlsWeakCipher,
  htaccessOverrideAll,
  proxyPreserveHost,
  websocketTimeoutShort,
  proxypassReverseUnmatched,
  websocketSchemeMismatch,
  sslProxyVerifyOff,
  proxyTargetFromRequest,
  remoteipTrustAll,
  suppressionUnused,
];

const byId = new Map(allRules.map((r) => [r.id, r]));

/** Every former rule id, with the id it is now (a config or suppression may still use one). */
export const allRuleAliases: ReadonlyMap<string, string> = ruleAliases(allRules);

/** The rule with this id, or with this former id. */
export function ruleById(id: string): Rule | undefined {
  return byId.get(allRuleAliases.get(id) ?? id);
}
