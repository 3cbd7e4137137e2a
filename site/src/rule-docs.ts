// Each rule's page ships with the site (docs/rules/<id>.md rendered at build
// time); a rule with no page yet gets no link rather than a broken one.
const documented = new Set(RULE_DOCS);

export function ruleDocsUrl(ruleId: string): string | null {
  return documented.has(ruleId) ? `rules/${ruleId}.html` : null;
}

/** A link to the rule's page (new tab, so the editor keeps its text), or the id as code. */
export function ruleLink(ruleId: string): HTMLElement {
  const url = ruleDocsUrl(ruleId);
  const code = document.createElement("code");
  code.textContent = ruleId;
  if (!url) return code;
  const a = document.createElement("a");
  a.href = url;
  a.target = "_blank";
  a.className = "rule-link";
  a.append(code);
  const hint = document.createElement("span");
  hint.className = "visually-hidden";
  hint.textContent = " (rule documentation, opens in a new tab)";
  a.append(hint);
  return a;
}
