// SARIF 2.1.0, for GitHub code scanning and SARIF viewers. One run; the
// driver lists every rule (ruleIndex points into it); locations are relative
// to %SRCROOT% (the working directory) when the file lies inside it.
// Columns and character offsets count UTF-16 code units (run.columnKind).
// Every fix is offered, unsafe ones marked in the fix's properties.
//
// Checked by Microsoft's SARIF Multitool (test/sarif-multitool.test.ts): no
// error or warning from its SARIF and GitHub (GH1xxx) rules. Of its notes,
// what is left is by choice: message.text rather than message.id (GitHub
// code scanning rejects results without text, GH1007), rule ids that are
// apachelint's own (SARIF2009), no friendly `name` for a one-word id such as
// `bom` (SARIF2012: `Bom` would equal the id, an error of SARIF1001), no
// versionControlProvenance (the CLI does not read git; upload-sarif records
// the commit), absolute URIs for files outside the working directory
// (SARIF2016), and URIs it could not reach offline (SARIF2006).
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { LineIndex } from "../../grammar/line-index.js";
import type { Finding, Located } from "../core/engine.js";
import type { FileReport, FormatContext, Formatter } from "./report.js";
import type { Fix, Rule, Severity } from "../core/rule.js";
import { proseOf } from "./rule-prose.js";
import { relativeToCwd } from "./shared.js";

export const SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
const SRCROOT = "%SRCROOT%";
// semver.org's grammar, loosely: what SARIF's semanticVersion takes
const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

const LEVEL: Record<Severity, "error" | "warning" | "note"> = { error: "error", warning: "warning", info: "note" };

type Json = Record<string, unknown>;

interface ArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

/** A relative reference: each segment percent-encoded, so `:` or a space cannot read as a scheme or break the URI. */
function artifactLocation(report: FileReport, cwd: string): ArtifactLocation {
  const rel = relativeToCwd(report, cwd);
  if (rel === null) return { uri: pathToFileURL(report.absolutePath).href };
  return { uri: rel.split("/").map(encodeURIComponent).join("/"), uriBaseId: SRCROOT };
}

// A snippet longer than this is left out: a region can span a whole unclosed
// section, and the viewer has the file anyway.
const MAX_SNIPPET = 2000;

/** The region of a finding; with its text as the snippet (SARIF2010) when the text is given. */
function region(at: Pick<Located, "line" | "column" | "endLine" | "endColumn">, text?: string): Json {
  const r: Json = { startLine: at.line, startColumn: at.column, endLine: at.endLine, endColumn: at.endColumn };
  if (text !== undefined && text.length <= MAX_SNIPPET) r.snippet = { text };
  return r;
}

/**
 * The finding's lines and one line either side, the context a viewer shows
 * around it (SARIF2011); none when that is no more than the region itself
 * (SARIF1008 wants a proper superset) or too long to be worth carrying.
 */
function contextRegion(f: Located, source: string, lines: LineIndex): Json | undefined {
  const first = Math.max(1, f.line - 1);
  const last = Math.min(lines.count, f.endLine + 1);
  const start = lines.lineStart(first);
  let end = last < lines.count ? lines.lineStart(last + 1) - 1 : source.length;
  if (last < lines.count && end > start && source.charCodeAt(end - 1) === 13) end--;
  end = Math.max(end, f.end);
  if ((start === f.start && end === f.end) || end - start > MAX_SNIPPET) return undefined;
  const endLine = lines.lineOf(end) + 1;
  return { startLine: first, startColumn: 1, endLine, endColumn: end - lines.lineStart(endLine) + 1, snippet: { text: source.slice(start, end) } };
}

// Topics for filtering alerts (GitHub shows reportingDescriptor.properties.tags), by rule id; every rule also gets "apache-httpd".
const TOPICS: readonly [RegExp, string][] = [
  [/^rewrite|^rewritecond/, "mod_rewrite"],
  [/proxy|balancer/, "mod_proxy"],
  [/^ssl-/, "mod_ssl"],
  [/websocket|upgrade|wstunnel/, "websocket"],
  [/module|^loadmodule|^ifmodule/, "modules"],
  [/^include-/, "include"],
  [/^section-|^quote-|^continuation-|^bom$|^typographic-|^parse-|^trailing-comment$|^regex-/, "syntax"],
  [/^suppression-/, "suppressions"],
];

function tags(rule: Rule): string[] {
  return ["apache-httpd", ...TOPICS.filter(([re]) => re.test(rule.id)).map(([, tag]) => tag)];
}

/** SARIF's "friendly name", a Pascal-case identifier (SARIF2012): rewrite-var-sigil → RewriteVarSigil. */
export function friendlyName(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join("");
}

function help(rule: Rule): { text: string; markdown: string } {
  const d = proseOf(rule);
  const text = [d.problem, d.why, d.fix ? `Fix: ${d.fix}` : "", `Versions: ${d.versions}`].filter(Boolean).join("\n\n");
  const block = (s: string) => `\`\`\`apacheconf\n${s.replace(/\n$/, "")}\n\`\`\``;
  const markdown = [
    d.problem,
    `**Incorrect**\n\n${block(rule.doc.bad)}`,
    `**Correct**\n\n${block(rule.doc.good)}`,
    d.why,
    d.fix ? `**Fix:** ${d.fix}` : "",
    `**Versions:** ${d.versions}`,
  ]
    .filter(Boolean)
    .join("\n\n");
  return { text, markdown };
}

/** `name` when it says more than `id` (SARIF1001: a name equal to the id is an error of identity, `bom` → `Bom`). */
function named(id: string): { name?: string } {
  const name = friendlyName(id);
  return name.toLowerCase() === id.toLowerCase() ? {} : { name };
}

function descriptor(rule: Rule, ctx: FormatContext): Json {
  const d: Json = {
    id: rule.id,
    ...named(rule.id),
    shortDescription: { text: `${rule.description}.` },
    fullDescription: { text: proseOf(rule).problem },
    help: help(rule),
    defaultConfiguration: { level: LEVEL[rule.severity] },
    // category: what --select and --ignore take (src/core/rule.ts CATEGORIES)
    properties: { tags: tags(rule), category: rule.category, fixable: rule.fixable },
  };
  if (ctx.docsUrl) d.helpUri = new URL(`rules/${rule.id}.md`, ctx.docsUrl).href;
  return d;
}

function sarifFix(fix: Fix, lines: LineIndex, location: ArtifactLocation): Json {
  const replacements = [...fix.edits]
    .sort((a, b) => a.start - b.start)
    .map((e) => {
      const s = lines.position(e.start);
      const t = lines.position(e.end);
      return {
        deletedRegion: {
          startLine: s.line,
          startColumn: s.column,
          endLine: t.line,
          endColumn: t.column,
          charOffset: e.start,
          charLength: e.end - e.start,
        },
        insertedContent: { text: e.text },
      };
    });
  return {
    description: { text: fix.title },
    artifactChanges: [{ artifactLocation: location, replacements }],
    properties: { safety: fix.safety },
  };
}

function physicalLocation(at: Located, source: string, lines: () => LineIndex, location: ArtifactLocation): Json {
  const p: Json = { artifactLocation: location, region: region(at, source ? source.slice(at.start, at.end) : undefined) };
  const context = source ? contextRegion(at, source, lines()) : undefined;
  if (context) p.contextRegion = context;
  return p;
}

function result(f: Finding, ruleIndex: number, source: string, lines: () => LineIndex, location: ArtifactLocation): Json {
  const r: Json = {
    ruleId: f.ruleId,
    ruleIndex,
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [{ physicalLocation: physicalLocation(f, source, lines, location) }],
  };
  if (f.related.length > 0) {
    r.relatedLocations = f.related.map((x, i) => ({
      id: i + 1,
      message: { text: x.message },
      physicalLocation: physicalLocation(x, source, lines, location),
    }));
  }
  if (f.fix && f.fix.edits.length > 0) r.fixes = [sarifFix(f.fix, lines(), location)];
  return r;
}

export function sarifLog(reports: readonly FileReport[], ctx: FormatContext): Json {
  const rules: Json[] = [];
  const index = new Map<string, number>();
  for (const rule of ctx.rules) {
    if (index.has(rule.id)) continue;
    index.set(rule.id, rules.length);
    rules.push(descriptor(rule, ctx));
  }
  const results: Json[] = [];
  for (const report of reports) {
    const location = artifactLocation(report, ctx.cwd);
    let lines: LineIndex | undefined;
    const lazyLines = () => (lines ??= new LineIndex(report.source));
    for (const f of report.findings) {
      let i = index.get(f.ruleId);
      if (i === undefined) {
        // a finding from a rule the context does not list still needs a descriptor
        i = rules.length;
        index.set(f.ruleId, i);
        rules.push({ id: f.ruleId, ...named(f.ruleId), shortDescription: { text: f.ruleId } });
      }
      results.push(result(f, i, report.source, lazyLines, location));
    }
  }
  const driver: Json = { name: "apachelint", fullName: `apachelint ${ctx.toolVersion}`, version: ctx.toolVersion };
  if (SEMVER.test(ctx.toolVersion)) driver.semanticVersion = ctx.toolVersion;
  driver.rules = rules;
  if (ctx.homepage) driver.informationUri = ctx.homepage;
  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: { driver },
        // a base URI must end with "/" (SARIF §3.14.14)
        originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(ctx.cwd + path.sep).href } },
        columnKind: "utf16CodeUnits",
        results,
      },
    ],
  };
}

export const sarif: Formatter = (reports, ctx) => `${JSON.stringify(sarifLog(reports, ctx), null, 2)}\n`;
