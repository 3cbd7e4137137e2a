// docs/rules/*.md as the site's rule pages: rules/<id>.html, and the index
// (docs/rules/README.md) as rules/index.html. Links between the pages stay on
// the site; a link to another file of the repository goes to the repository.
import { readdirSync, readFileSync } from "node:fs";
import { join, posix } from "node:path";
import { escapeHtml, markdownToHtml } from "./markdown.mjs";

/** Where a docs link leads on the site (`bom.md` → `bom.html`) or in the repository. */
export function siteLink(href, repositoryUrl) {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith("#")) return href;
  const [path, anchor = ""] = href.split(/(?=#)/);
  const inDocs = posix.normalize(posix.join("docs/rules", path));
  if (posix.dirname(inDocs) === "docs/rules" && inDocs.endsWith(".md")) {
    const name = posix.basename(inDocs, ".md");
    return `${name === "README" ? "index" : name}.html${anchor}`;
  }
  return `${repositoryUrl}/blob/main/${inDocs}${anchor}`;
}

function page({ title, body, version }) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'none'; base-uri 'none'">
<title>${escapeHtml(title)} · apachelint rules</title>
<link rel="stylesheet" href="../style.css">
</head>
<body>
<nav class="crumbs" aria-label="Breadcrumbs"><a href="../index.html">Playground</a> › <a href="index.html">Rules</a></nav>
<main class="doc">
${body}
</main>
<footer class="page-footer"><p>apachelint ${escapeHtml(version)} · <code>apachelint --explain &lt;rule&gt;</code> prints the same page</p></footer>
</body>
</html>
`;
}

/** The pages to write, by file name, and the ids of the rules that have one. */
export function rulePages(docsDir, { repositoryUrl, version }) {
  const files = readdirSync(docsDir).filter((f) => f.endsWith(".md")).sort();
  const pages = new Map();
  const ids = [];
  for (const f of files) {
    const { html, title } = markdownToHtml(readFileSync(join(docsDir, f), "utf8"), { link: (h) => siteLink(h, repositoryUrl) });
    const name = f === "README.md" ? "index" : f.slice(0, -3);
    if (name !== "index") ids.push(name);
    pages.set(`${name}.html`, page({ title: title || name, body: html, version }));
  }
  return { pages, ids };
}
