// The Strata extension's client: starts `strata lsp` over stdio for the
// workspace's .strata, .mig and strata.toml files. Everything the editor
// shows (diagnostics, hover, rename, formatting, code lenses...) comes from
// the server; this file only starts it and presents command results.
'use strict';
const os = require('os');
const path = require('path');
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

// Commands that the server runs (workspace/executeCommand). The client
// registers them itself only when the server did not advertise them, so
// that the palette entries in package.json always do something.
const SERVER_COMMANDS = ['strata.makeMigration', 'strata.showPendingChanges'];

let client;

/// The `strata` executable: `strata.path`, with `~` expanded and a relative
/// path with a directory in it taken from the first workspace folder.
function strataExecutable() {
  let command = vscode.workspace.getConfiguration('strata').get('path') || 'strata';
  if (command === '~' || command.startsWith('~/')) command = path.join(os.homedir(), command.slice(1));
  const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
  if (!path.isAbsolute(command) && command.includes('/') && folder)
    command = path.join(folder.uri.fsPath, command);
  return command;
}

/// Shows what a server command answered: a document to open ({uri}), a
/// message ({message}), or text for the output channel.
async function presentResult(result) {
  if (result === null || result === undefined) return result;
  if (typeof result === 'object' && typeof result.uri === 'string') {
    await vscode.window.showTextDocument(vscode.Uri.parse(result.uri));
  }
  const text = typeof result === 'string' ? result : result.message || result.text;
  if (typeof text === 'string' && text.length > 0) {
    client.outputChannel.appendLine(text);
    const first = text.split('\n')[0];
    const choice = await vscode.window.showInformationMessage(first, 'Show Output');
    if (choice) client.outputChannel.show(true);
  }
  return result;
}

function makeClient() {
  const serverOptions = {
    command: strataExecutable(),
    args: ['lsp', ...vscode.workspace.getConfiguration('strata').get('serverArgs', [])],
  };
  const clientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'strata' },
      { scheme: 'file', language: 'strata-mig' },
      { scheme: 'file', pattern: '**/strata.toml' },
    ],
    synchronize: {
      // makemigrations, git checkouts and other tools change files behind
      // the editor's back; the server hears of it.
      fileEvents: vscode.workspace.createFileSystemWatcher(
        '**/{*.strata,*.mig,strata.toml,strata.sum}'),
    },
    middleware: {
      executeCommand: async (command, args, next) => {
        const result = await next(command, args);
        return SERVER_COMMANDS.includes(command) ? presentResult(result) : result;
      },
    },
  };
  return new LanguageClient('strata', 'Strata Language Server', serverOptions, clientOptions);
}

// Commands registered here because the running server did not advertise
// them; dropped before a restart, since the next server may advertise them
// (the client's registration would then fail on a name already taken).
let fallbackCommands = [];

async function registerMissingCommands() {
  const known = new Set(await vscode.commands.getCommands(true));
  for (const command of SERVER_COMMANDS.filter((c) => !known.has(c))) {
    fallbackCommands.push(vscode.commands.registerCommand(command, async (...args) => {
      if (!client || !client.isRunning()) {
        vscode.window.showErrorMessage('The Strata language server is not running.');
        return undefined;
      }
      const result = await client.sendRequest('workspace/executeCommand', { command, arguments: args });
      return presentResult(result);
    }));
  }
}

async function startClient() {
  client = makeClient();
  try {
    await client.start();
  } catch (error) {
    vscode.window.showErrorMessage(
      `Could not start \`${strataExecutable()} lsp\`: ${error.message || error}. ` +
      'Set strata.path to the strata executable.');
  }
  await registerMissingCommands();
}

async function restartClient() {
  fallbackCommands.forEach((d) => d.dispose());
  fallbackCommands = [];
  if (client) await client.stop().catch(() => undefined);
  await startClient();
}

async function activate(context) {
  context.subscriptions.push(vscode.commands.registerCommand('strata.restartServer', restartClient));
  context.subscriptions.push(vscode.workspace.onDidChangeConfiguration(async (event) => {
    if (event.affectsConfiguration('strata.path') || event.affectsConfiguration('strata.serverArgs'))
      await restartClient();
  }));
  context.subscriptions.push({ dispose: () => fallbackCommands.forEach((d) => d.dispose()) });
  await startClient();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
