// A real editor as the client: Neovim's built-in LSP client (0.7's
// vim.lsp.start_client + vim.lsp.buf_attach_client, the API the README's
// snippet uses) starts `apachelint lsp --stdio` from a small Lua config this
// test writes, opens the tutorial config, and writes the diagnostics Neovim
// stored (vim.diagnostic.get) to a JSON file, then quits. They must be the
// command line's findings. No Neovim: skipped with a warning, except under CI.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CLI, PROJECT_ROOT, ensureBuiltCli } from "./helpers/built-cli.js";

const BUNDLE = join(PROJECT_ROOT, "dist", "apachelint.cjs");
const TUTORIAL = join(PROJECT_ROOT, "examples", "websocket-tutorial.conf");
const NVIM = "nvim";

const version = spawnSync(NVIM, ["--version"], { encoding: "utf8" });
const haveNvim = version.status === 0;
if (!haveNvim && !process.env.CI) console.warn("test/lsp-neovim: nvim not found, the Neovim LSP client test is SKIPPED");
const live = haveNvim || process.env.CI ? it : it.skip;

beforeAll(() => {
  ensureBuiltCli();
  if (!existsSync(BUNDLE) || statSync(BUNDLE).mtimeMs < statSync(CLI).mtimeMs) {
    spawnSync(process.execPath, [join(PROJECT_ROOT, "scripts", "build.mjs"), "--bundle-only"], { stdio: "ignore" });
  }
}, 120_000);

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

// Neovim 0.7: start_client + buf_attach_client. The first publishDiagnostics goes
// through Neovim's own handler, then what vim.diagnostic holds is written out.
const INIT_LUA = `
local out = os.getenv("APACHELINT_NVIM_OUT")
local function write(t)
  local f = assert(io.open(out, "w"))
  f:write(vim.fn.json_encode(t))
  f:close()
end
vim.cmd("edit " .. vim.fn.fnameescape(os.getenv("APACHELINT_NVIM_FILE")))
local bufnr = vim.api.nvim_get_current_buf()
local done = false
local client_id
client_id = vim.lsp.start_client({
  name = "apachelint",
  cmd = { os.getenv("APACHELINT_NVIM_NODE"), os.getenv("APACHELINT_NVIM_CLI"), "lsp", "--stdio" },
  root_dir = vim.fn.expand("%:p:h"),
  handlers = {
    ["textDocument/publishDiagnostics"] = function(err, result, ctx, config)
      vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, config)
      if done then return end
      done = true
      vim.schedule(function()
        local found = {}
        for _, d in ipairs(vim.diagnostic.get(bufnr)) do
          table.insert(found, { code = d.code, lnum = d.lnum, col = d.col, severity = d.severity, source = d.source })
        end
        write({ uri = result.uri, diagnostics = found })
        vim.lsp.stop_client(client_id)
        vim.cmd("qall!")
      end)
    end,
  },
})
vim.lsp.buf_attach_client(bufnr, client_id)
vim.defer_fn(function()
  write({ error = "no diagnostics within 20 s" })
  vim.cmd("cquit 3")
end, 20000)
`;

describe("Neovim's built-in LSP client", () => {
  live("receives the tutorial config's diagnostics, with the rule ids as codes", () => {
    if (!haveNvim) throw new Error("CI must have Debian's neovim installed (nvim not found)");
    const dir = mkdtempSync(join(tmpdir(), "apachelint-nvim-"));
    dirs.push(dir);
    mkdirSync(join(dir, ".git"));
    const file = join(dir, "tutorial.conf");
    copyFileSync(TUTORIAL, file);
    const init = join(dir, "test-init.lua");
    writeFileSync(init, INIT_LUA);
    const out = join(dir, "diagnostics.json");
    const r = spawnSync(NVIM, ["--headless", "-n", "-i", "NONE", "-u", init], {
      cwd: dir,
      encoding: "utf8",
      // Neovim's own deadline is 20 s; this one only stops a Neovim that hangs anyway
      timeout: 40_000,
      env: { ...process.env, APACHELINT_NVIM_OUT: out, APACHELINT_NVIM_FILE: file, APACHELINT_NVIM_NODE: process.execPath, APACHELINT_NVIM_CLI: BUNDLE, XDG_STATE_HOME: dir, XDG_DATA_HOME: dir },
    });
    expect(r.error, r.stderr).toBeUndefined();
    expect(existsSync(out), `nvim wrote nothing (exit ${r.status}): ${r.stderr}`).toBe(true);
    const got = JSON.parse(readFileSync(out, "utf8")) as { error?: string; uri: string; diagnostics: { code: string; lnum: number; col: number; severity: number; source: string }[] };
    expect(got.error).toBeUndefined();
    expect(r.status).toBe(0);
    expect(got.uri).toBe(`file://${file}`);

    const cli = JSON.parse(spawnSync(process.execPath, [BUNDLE, "-f", "json", file], { encoding: "utf8" }).stdout)[0].messages as { ruleId: string; line: number; column: number; severity: number }[];
    const key = (code: string, line: number, col: number) => `${code}@${line}:${col}`;
    expect(got.diagnostics.map((d) => key(d.code, d.lnum, d.col)).sort()).toEqual(cli.map((m) => key(m.ruleId, m.line - 1, m.column - 1)).sort());
    // the tutorial's own mistakes, by rule id
    expect(got.diagnostics.map((d) => d.code)).toEqual(expect.arrayContaining(["rewrite-var-sigil", "proxy-url-malformed", "section-unclosed"]));
    expect(new Set(got.diagnostics.map((d) => d.source))).toEqual(new Set(["apachelint"]));
    // vim.diagnostic.severity ERROR is 1; the JSON format's error is 2 (its 1 is a warning or info: WARN 2, INFO 3)
    const cliSeverity = new Map(cli.map((m) => [key(m.ruleId, m.line - 1, m.column - 1), m.severity]));
    for (const d of got.diagnostics) expect(d.severity === 1 ? 2 : 1, d.code).toBe(cliSeverity.get(key(d.code, d.lnum, d.col)));
  }, 60_000);
});
