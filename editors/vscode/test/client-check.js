#!/usr/bin/env node
// Runs extension.js against stand-ins for VS Code's API and for
// vscode-languageclient, so that what the client itself decides is
// checked without an editor: the command line it starts, the documents it
// hands the server, the commands it registers, what it shows for a
// command's result. test/Editors/client.test runs it.
'use strict';
const assert = require('assert');
const Module = require('module');
const os = require('os');
const path = require('path');

const state = {};
function reset() {
  Object.assign(state, {
    config: {},
    registered: new Map(), // commands registered through the stand-in API
    advertised: [], // commands the server advertises (the client registers them)
    shown: [],
    clients: [],
    failStart: false,
    reply: undefined,
  });
}

const vscode = {
  workspace: {
    getConfiguration: () => ({ get: (key, fallback) => (key in state.config ? state.config[key] : fallback) }),
    workspaceFolders: [{ uri: { fsPath: '/proj' } }],
    createFileSystemWatcher: (glob) => ({ glob }),
    onDidChangeConfiguration: () => ({ dispose() {} }),
  },
  commands: {
    registerCommand: (id, fn) => {
      assert(!state.registered.has(id), `command ${id} registered twice`);
      state.registered.set(id, fn);
      return { dispose: () => state.registered.delete(id) };
    },
    getCommands: async () => [...state.registered.keys()],
    executeCommand: async (id, ...args) => state.registered.get(id)(...args),
  },
  window: {
    showErrorMessage: (message) => state.shown.push(['error', message]),
    showInformationMessage: async (message) => {
      state.shown.push(['info', message]);
      return undefined;
    },
    showTextDocument: async (uri) => state.shown.push(['open', uri]),
  },
  Uri: { parse: (text) => ({ parsed: text }) },
};

class LanguageClient {
  constructor(id, name, serverOptions, clientOptions) {
    Object.assign(this, { id, name, serverOptions, clientOptions, requests: [], running: false });
    this.outputChannel = { lines: [], appendLine(line) { this.lines.push(line); }, show() {} };
    state.clients.push(this);
  }
  // Like the real client, registers the commands the server advertises.
  async start() {
    if (state.failStart) throw new Error('spawn strata ENOENT');
    this.running = true;
    this.commands = state.advertised.map((c) => vscode.commands.registerCommand(c, () => 'from the server'));
  }
  isRunning() { return this.running; }
  async stop() {
    this.running = false;
    this.commands.forEach((d) => d.dispose());
  }
  async sendRequest(method, params) {
    this.requests.push([method, params]);
    return state.reply;
  }
}

const load = Module._load;
Module._load = function (request, ...rest) {
  if (request === 'vscode') return vscode;
  if (request === 'vscode-languageclient/node') return { LanguageClient };
  return load.call(this, request, ...rest);
};
const extension = require(path.join(__dirname, '..', 'extension.js'));
const context = () => ({ subscriptions: [] });
const last = () => state.clients[state.clients.length - 1];

const scenarios = {
  'starts `strata lsp` on PATH for schema, migration and strata.toml files': async () => {
    await extension.activate(context());
    const client = last();
    assert.deepStrictEqual(client.serverOptions, { command: 'strata', args: ['lsp'] });
    assert.deepStrictEqual(client.clientOptions.documentSelector, [
      { scheme: 'file', language: 'strata' },
      { scheme: 'file', language: 'strata-mig' },
      { scheme: 'file', pattern: '**/strata.toml' },
    ]);
    assert.match(client.clientOptions.synchronize.fileEvents.glob, /strata\.sum/);
  },
  'strata.path and strata.serverArgs choose the command line': async () => {
    state.config = { path: 'build/bin/strata', serverArgs: ['--log', 'x'] };
    await extension.activate(context());
    assert.deepStrictEqual(last().serverOptions,
      { command: '/proj/build/bin/strata', args: ['lsp', '--log', 'x'] });
    state.config = { path: '~/bin/strata' };
    await vscode.commands.executeCommand('strata.restartServer');
    assert.strictEqual(last().serverOptions.command, path.join(os.homedir(), 'bin/strata'));
  },
  'a server that did not advertise the commands still gets them': async () => {
    await extension.activate(context());
    state.reply = { uri: 'file:///proj/migrations/0002_x.mig' };
    await vscode.commands.executeCommand('strata.makeMigration');
    assert.deepStrictEqual(last().requests,
      [['workspace/executeCommand', { command: 'strata.makeMigration', arguments: [] }]]);
    assert.deepStrictEqual(state.shown, [['open', { parsed: 'file:///proj/migrations/0002_x.mig' }]]);
  },
  'commands the server advertised are not registered again': async () => {
    state.advertised = ['strata.makeMigration', 'strata.showPendingChanges'];
    await extension.activate(context());
    assert.deepStrictEqual([...state.registered.keys()].sort(),
      ['strata.makeMigration', 'strata.restartServer', 'strata.showPendingChanges']);
    assert.strictEqual(await vscode.commands.executeCommand('strata.makeMigration'), 'from the server');
  },
  'a restart lets a server that now advertises the commands register them': async () => {
    await extension.activate(context());
    assert(state.registered.has('strata.makeMigration'));
    state.advertised = ['strata.makeMigration', 'strata.showPendingChanges'];
    await vscode.commands.executeCommand('strata.restartServer');
    assert.strictEqual(await vscode.commands.executeCommand('strata.makeMigration'), 'from the server');
    assert.deepStrictEqual(last().requests, []);
  },
  "a command's text result is shown and logged": async () => {
    await extension.activate(context());
    const next = async (command, args) => `Migration 0002:\n  + add column ${command} ${args.length}`;
    const result = await last().clientOptions.middleware.executeCommand('strata.showPendingChanges', [], next);
    assert.match(result, /^Migration 0002/);
    assert.deepStrictEqual(state.shown, [['info', 'Migration 0002:']]);
    assert.deepStrictEqual(last().outputChannel.lines, [result]);
  },
  'a server that cannot start is reported with the setting to fix': async () => {
    state.failStart = true;
    await extension.activate(context());
    assert.strictEqual(state.shown.length, 1);
    assert.match(state.shown[0][1], /Could not start `strata lsp`: spawn strata ENOENT\. Set strata\.path/);
  },
};

(async () => {
  let failed = 0;
  for (const [name, run] of Object.entries(scenarios)) {
    reset();
    try {
      await run();
      console.log(`ok: ${name}`);
    } catch (error) {
      failed++;
      console.log(`FAILED: ${name}\n${error.stack}`);
    }
  }
  console.log(`client: ${Object.keys(scenarios).length - failed} of ${Object.keys(scenarios).length} scenarios ok`);
  process.exit(failed ? 1 : 0);
})();
