// The Markdown the rule pages are written in, as HTML: ATX headings, fenced
// code, pipe tables, lists, block quotes, paragraphs; inline code, links,
// **bold** and *italics*. That is all docs/rules/*.md uses (they are generated
// by src/tools/gen-rule-docs.ts), so no Markdown library is needed for them.

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };

/** HTML-escaped; C0 controls (a NUL in an example) shown as their Unicode pictures, which HTML can hold. */
export function escapeHtml(text) {
  return text.replace(/[&<>"]/g, (c) => ESCAPES[c]).replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, (c) => String.fromCharCode(0x2400 + c.charCodeAt(0)));
}

const slug = (text) =>
  text
    .toLowerCase()
    .replace(/<[^>]*>/g, "")
    .replace(/&[a-z]+;/g, "")
    .replace(/[^a-z0-9 -]/g, "")
    .trim()
    .replace(/\s+/g, "-");

/** Inline Markdown to HTML; `link(href)` rewrites each link target. */
export function inline(text, link = (h) => h) {
  const codes = [];
  // code spans first: nothing inside them is Markdown (held as private-use placeholders, which the docs never contain)
  let s = text.replace(/(`+)([\s\S]*?[^`])\1(?!`)/g, (_, _ticks, code) => {
    codes.push(`<code>${escapeHtml(code.replace(/^ (.*) $/, "$1"))}</code>`);
    return `\uE000${codes.length - 1}\uE001`;
  });
  s = escapeHtml(s);
  s = s.replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_, label, href) => `<a href="${escapeHtml(link(href.replace(/&amp;/g, "&")))}">${label}</a>`);
  s = s.replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>");
  s = s.replace(/(^|[^\w*])\*([^*\s][^*]*?)\*(?![\w*])/g, "$1<em>$2</em>");
  return s.replace(/\uE000(\d+)\uE001/g, (_, i) => codes[Number(i)]);
}

/** The cells of a table row: split on `|` outside code spans, `\|` kept as `|`. */
function cells(row) {
  const out = [];
  let cell = "";
  let ticks = 0;
  const body = row.trim().replace(/^\|/, "").replace(/\|$/, "");
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === "\\" && body[i + 1] === "|") {
      cell += "|";
      i++;
    } else if (c === "`") {
      let n = 0;
      while (body[i + n] === "`") n++;
      ticks = ticks === 0 ? n : ticks === n ? 0 : ticks;
      cell += "`".repeat(n);
      i += n - 1;
    } else if (c === "|" && ticks === 0) {
      out.push(cell.trim());
      cell = "";
    } else cell += c;
  }
  out.push(cell.trim());
  return out;
}

const TABLE_RULE = /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/;
const LIST_ITEM = /^\s*(?:([-*+])|(\d+)[.)])\s+(.*)$/;

/** A Markdown document to HTML, and its first heading as the title. */
export function markdownToHtml(markdown, { link } = {}) {
  const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
  const out = [];
  let title = "";
  let paragraph = [];
  const flush = () => {
    if (paragraph.length) out.push(`<p>${inline(paragraph.join("\n"), link)}</p>`);
    paragraph = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)\s*$/.exec(line);
    if (fence) {
      flush();
      const [, indent, marker, lang] = fence;
      const body = [];
      for (i++; i < lines.length && !lines[i].trimStart().startsWith(marker); i++) body.push(lines[i].startsWith(indent) ? lines[i].slice(indent.length) : lines[i]);
      const cls = lang ? ` class="language-${escapeHtml(lang)}"` : "";
      out.push(`<pre><code${cls}>${escapeHtml(body.join("\n"))}</code></pre>`);
      continue;
    }
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      flush();
      const level = heading[1].length;
      const html = inline(heading[2], link);
      if (!title) title = heading[2].replace(/`/g, "");
      out.push(`<h${level} id="${slug(html)}">${html}</h${level}>`);
      continue;
    }
    if (line.includes("|") && i + 1 < lines.length && TABLE_RULE.test(lines[i + 1])) {
      flush();
      const head = cells(line);
      const rows = [];
      for (i += 2; i < lines.length && lines[i].includes("|") && lines[i].trim() !== ""; i++) rows.push(cells(lines[i]));
      i--;
      const th = head.map((c) => `<th scope="col">${inline(c, link)}</th>`).join("");
      const trs = rows.map((r) => `<tr>${r.map((c) => `<td>${inline(c, link)}</td>`).join("")}</tr>`).join("\n");
      out.push(`<table>\n<thead><tr>${th}</tr></thead>\n<tbody>\n${trs}\n</tbody>\n</table>`);
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item && paragraph.length === 0) {
      const ordered = item[2] !== undefined;
      const items = [];
      for (; i < lines.length; i++) {
        const m = LIST_ITEM.exec(lines[i]);
        if (m && (m[2] !== undefined) === ordered) items.push(m[3]);
        else if (lines[i].trim() !== "" && /^\s+/.test(lines[i]) && items.length) items[items.length - 1] += `\n${lines[i].trim()}`;
        else break;
      }
      i--;
      const tag = ordered ? "ol" : "ul";
      out.push(`<${tag}>\n${items.map((t) => `<li>${inline(t, link)}</li>`).join("\n")}\n</${tag}>`);
      continue;
    }
    if (/^\s*>/.test(line)) {
      flush();
      const quoted = [];
      for (; i < lines.length && /^\s*>/.test(lines[i]); i++) quoted.push(lines[i].replace(/^\s*>\s?/, ""));
      i--;
      out.push(`<blockquote>\n${markdownToHtml(quoted.join("\n"), { link }).html}\n</blockquote>`);
      continue;
    }
    if (line.trim() === "") flush();
    else paragraph.push(line);
  }
  flush();
  return { html: out.join("\n"), title };
}
