// apachelint for VS Code: starts `apachelint lsp --stdio` (the language server
// in this repository, src/lsp/) for Apache configuration files and lets
// vscode-languageclient do the rest: diagnostics, quick fixes and fix-all
// (source.fixAll.apachelint, for editor.codeActionsOnSave), hover, completion.
"use strict";
const { workspace } = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

async function activate(context) {
  const settings = workspace.getConfiguration("apachelint");
  const command = settings.get("path") || "apachelint";
  // stdio is the server's transport; with no `transport` the client talks over the child's stdin/stdout
  const server = { command, args: ["lsp", "--stdio"] };
  const serverRoot = settings.get("serverRoot");
  client = new LanguageClient(
    "apachelint",
    "apachelint",
    { run: server, debug: server },
    {
      documentSelector: [
        { scheme: "file", language: "apache" },
        { scheme: "untitled", language: "apache" },
      ],
      // the command line's options of the same names
      initializationOptions: {
        ...(serverRoot ? { serverRoot } : {}),
        followIncludes: settings.get("followIncludes") !== false,
      },
    },
  );
  context.subscriptions.push(client);
  await client.start();
}

function deactivate() {
  return client?.stop();
}

module.exports = { activate, deactivate };
