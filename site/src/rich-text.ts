// Messages and fix titles quote config text in backticks, as the command
// line prints them; on the page the quotes become code spans.

/** The text as nodes: `quoted` parts as <code>, the rest as text (an odd backtick stays as it is). */
export function richText(text: string): Node[] {
  const parts = text.split(/`([^`]+)`/);
  return parts.map((part, i) => {
    if (i % 2 === 0) return document.createTextNode(part);
    const code = document.createElement("code");
    code.textContent = part;
    return code;
  });
}
