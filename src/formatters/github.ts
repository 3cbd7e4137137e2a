// GitHub Actions workflow commands, one annotation per problem:
//
//   ::error file=conf/httpd.conf,line=3,col=14,endLine=3,endColumn=20,title=apachelint (rule-id)::Message
//
// warning → ::warning, info → ::notice. The runner splits the command at the
// first `::` after the name, the properties at `,` and each at its first `=`,
// then unescapes (actions/runner ActionCommand.TryParseV2). So the message
// escapes `%`, CR and LF, and property values also `:` and `,` — the
// encodings of @actions/core. Columns are only sent for a one-line span: the
// annotations API rejects start/end columns on different lines.
import type { Finding } from "../core/engine.js";
import type { FileReport, Formatter } from "./report.js";
import { relativeToCwd } from "./shared.js";

const COMMAND = { error: "error", warning: "warning", info: "notice" } as const;

export function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

function annotation(file: string, f: Finding): string {
  const props: [string, string | number][] = [["file", file], ["line", f.line]];
  if (f.endLine === f.line) props.push(["col", f.column], ["endColumn", f.endColumn]);
  props.push(["endLine", f.endLine], ["title", `apachelint (${f.ruleId})`]);
  const list = props.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(",");
  return `::${COMMAND[f.severity]} ${list}::${escapeData(f.message)}`;
}

/** GitHub resolves `file` against the workspace, which is where the CLI runs. */
function githubPath(report: FileReport, cwd: string): string {
  return relativeToCwd(report, cwd) ?? report.absolutePath;
}

export const github: Formatter = (reports, ctx) => {
  let output = "";
  for (const report of reports) {
    const file = githubPath(report, ctx.cwd);
    for (const f of report.findings) output += `${annotation(file, f)}\n`;
  }
  return output;
};
