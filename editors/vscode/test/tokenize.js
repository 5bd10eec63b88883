#!/usr/bin/env node
// Tokenizes files with the extension's grammars, as VS Code would, using
// the TextMate engine that vscode-tmgrammar-test brings (vscode-textmate and
// vscode-oniguruma). test/Editors runs it on the examples.
//
//   node test/tokenize.js FILE...            print each token with its scopes
//   node test/tokenize.js --no-invalid FILE...
//       print only tokens with an `invalid` scope, and exit 1 if there is one
//
// A file's grammar comes from its extension through package.json; a folder
// stands for every file under it that has one.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
// The package's folder: from STRATA_TMGRAMMAR_TEST (its executable, which
// test/lit.cfg.py finds) or from this extension's node_modules.
const engineDir = process.env.STRATA_TMGRAMMAR_TEST
  ? path.dirname(path.dirname(fs.realpathSync(process.env.STRATA_TMGRAMMAR_TEST)))
  : path.dirname(require.resolve('vscode-tmgrammar-test/package.json', { paths: [root] }));
const resolve = (name) => require.resolve(name, { paths: [engineDir, root] });
const load = (name) => require(resolve(name));
const vsctm = load('vscode-textmate');
const oniguruma = load('vscode-oniguruma');

const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const { languages, grammars } = manifest.contributes;

function scopeForFile(file) {
  const ext = path.extname(file);
  const language = languages.find((l) => (l.extensions || []).includes(ext));
  const grammar = language && grammars.find((g) => g.language === language.id);
  if (!grammar) throw new Error(`${file}: no grammar for ${ext} in package.json`);
  return grammar.scopeName;
}

function makeRegistry() {
  const wasm = fs.readFileSync(path.join(path.dirname(resolve('vscode-oniguruma')), 'onig.wasm'));
  const onigLib = oniguruma.loadWASM(wasm.buffer).then(() => ({
    createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
    createOnigString: (s) => new oniguruma.OnigString(s),
  }));
  const byScope = new Map(grammars.map((g) => [g.scopeName, path.join(root, g.path)]));
  return new vsctm.Registry({
    onigLib,
    loadGrammar: async (scopeName) => {
      const file = byScope.get(scopeName);
      if (!file) return null;
      return vsctm.parseRawGrammar(fs.readFileSync(file, 'utf8'), file);
    },
  });
}

/// The files named, and those under the folders named that have a grammar.
function expand(paths) {
  const known = new Set(languages.flatMap((l) => l.extensions || []));
  const out = [];
  for (const p of paths) {
    if (!fs.statSync(p).isDirectory()) {
      out.push(p);
      continue;
    }
    for (const entry of fs.readdirSync(p, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const child = path.join(p, entry.name);
      if (entry.isDirectory()) out.push(...expand([child]));
      else if (known.has(path.extname(entry.name))) out.push(child);
    }
  }
  return out;
}

async function main() {
  const args = process.argv.slice(2);
  const onlyInvalid = args[0] === '--no-invalid';
  const files = expand(onlyInvalid ? args.slice(1) : args);
  const registry = makeRegistry();
  let invalid = 0;
  for (const file of files) {
    const grammar = await registry.loadGrammar(scopeForFile(file));
    let state = vsctm.INITIAL;
    const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
    lines.forEach((line, i) => {
      const result = grammar.tokenizeLine(line, state);
      for (const token of result.tokens) {
        const text = line.slice(token.startIndex, token.endIndex);
        const bad = token.scopes.some((s) => s.startsWith('invalid'));
        if (bad) invalid++;
        if (!onlyInvalid || bad) {
          const where = `${file}:${i + 1}:${token.startIndex + 1}`;
          console.log(`${where}: ${JSON.stringify(text)} ${token.scopes.slice(1).join(' ')}`);
        }
      }
      state = result.ruleStack;
    });
  }
  if (onlyInvalid) console.log(`${files.length} files, ${invalid} invalid tokens`);
  process.exit(invalid ? 1 : 0);
}

main().catch((e) => {
  console.error(e.message);
  process.exit(2);
});
