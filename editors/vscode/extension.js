// Starts `archlint lsp` for the workspace and hands its diagnostics, hovers and quick fixes to
// VS Code. The server does the work; this file only finds the CLI and wires the client.

const { existsSync } = require('node:fs');
const { join } = require('node:path');
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

function serverCommand() {
  const configured = vscode.workspace.getConfiguration('archlint').get('path');
  if (configured) return { command: process.execPath, args: [configured, 'lsp', '--stdio'] };
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const local = folder && join(folder, 'node_modules', 'archlint', 'bin', 'archlint.js');
  if (local && existsSync(local)) return { command: process.execPath, args: [local, 'lsp', '--stdio'] };
  return { command: 'archlint', args: ['lsp', '--stdio'] };
}

function activate(context) {
  const run = { ...serverCommand(), transport: TransportKind.stdio };
  client = new LanguageClient(
    'archlint',
    'archlint',
    { run, debug: run },
    {
      documentSelector: [{ scheme: 'file' }],
      synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*') },
    },
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client?.stop();
}

module.exports = { activate, deactivate };
