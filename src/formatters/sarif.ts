// SARIF 2.1.0, for GitHub code scanning and SARIF viewers. One run; the
// driver lists every rule (ruleIndex points into it); locations are relative
// to %SRCROOT% (the working directory) when the file lies inside it.
// Columns and character offsets count UTF-16 code units (run.columnKind).
// Every fix is offered, unsafe ones marked in the fix's properties.
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { LineIndex } from "../../grammar/line-index.js";
import type { Finding, Located } from "../core/engine.js";
import type { FileReport, FormatContext, Formatter } from "./report.js";
import type { Fix, Rule, Severity } from "../core/rule.js";
import { relativeToCwd } from "./shared.js";

export const SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
const SRCROOT = "%SRCROOT%";

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

function region(at: Pick<Located, "line" | "column" | "endLine" | "endColumn">): Json {
  return { startLine: at.line, startColumn: at.column, endLine: at.endLine, endColumn: at.endColumn };
}

function help(rule: Rule): { text: string; markdown: string } {
  const d = rule.doc;
  const text = [d.problem, d.why, d.fix ? `Fix: ${d.fix}` : "", `Versions: ${d.versions}`].filter(Boolean).join("\n\n");
  const block = (s: string) => `\`\`\`apacheconf\n${s.replace(/\n$/, "")}\n\`\`\``;
  const markdown = [
    d.problem,
    `**Incorrect**\n\n${block(d.bad)}`,
    `**Correct**\n\n${block(d.good)}`,
    d.why,
    d.fix ? `**Fix:** ${d.fix}` : "",
    `**Versions:** ${d.versions}`,
  ]
    .filter(Boolean)
    .join("\n\n");
  return { text, markdown };
}

function descriptor(rule: Rule, ctx: FormatContext): Json {
  const d: Json = {
    id: rule.id,
    shortDescription: { text: rule.description },
    fullDescription: { text: rule.doc.problem },
    help: help(rule),
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: { fixable: rule.fixable },
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

function result(f: Finding, ruleIndex: number, lines: () => LineIndex, location: ArtifactLocation): Json {
  const r: Json = {
    ruleId: f.ruleId,
    ruleIndex,
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [{ physicalLocation: { artifactLocation: location, region: region(f) } }],
  };
  if (f.related.length > 0) {
    r.relatedLocations = f.related.map((x, i) => ({
      id: i + 1,
      message: { text: x.message },
      physicalLocation: { artifactLocation: location, region: region(x) },
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
        rules.push({ id: f.ruleId, shortDescription: { text: f.ruleId } });
      }
      results.push(result(f, i, lazyLines, location));
    }
  }
  const driver: Json = { name: "apachelint", version: ctx.toolVersion, rules };
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
