#!/usr/bin/env python3
"""Checks the VS Code extension's manifest against the files it names.

  - package.json and package-lock.json are valid JSON and agree on the
    package's name, version and dependencies;
  - `main`, each language configuration and each grammar exists and is
    valid JSON; a grammar's scopeName is the one package.json gives it;
  - every `include` in a grammar names a repository entry of its own
    grammar (#name) or of a contributed one (scope#name, scope);
  - each embedded language and each grammar's language is contributed;
  - every contributed command is named in extension.js, and the client
    starts `strata lsp` from the strata.path setting.

Usage: check-package.py [DIR]   (default: this script's extension folder)
Prints one line per problem and a summary; exits 1 if there is a problem.
"""
import json
import os
import sys

problems = []


def problem(message):
    problems.append(message)
    print(message)


def load_json(root, relative):
    path = os.path.join(root, relative)
    if not os.path.isfile(path):
        problem(f"{relative}: no such file")
        return None
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except json.JSONDecodeError as e:
        problem(f"{relative}: not valid JSON: {e}")
        return None


def includes(node):
    """Every `include` value in a grammar, wherever it stands."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "include" and isinstance(value, str):
                yield value
            else:
                yield from includes(value)
    elif isinstance(node, list):
        for item in node:
            yield from includes(item)


def check_grammars(root, contributes):
    languages = {lang["id"] for lang in contributes.get("languages", [])}
    loaded = {}
    for entry in contributes.get("grammars", []):
        grammar = load_json(root, entry["path"])
        if grammar is None:
            continue
        if grammar.get("scopeName") != entry["scopeName"]:
            problem(f"{entry['path']}: scopeName {grammar.get('scopeName')!r}, "
                    f"package.json says {entry['scopeName']!r}")
        if entry.get("language") not in languages:
            problem(f"grammar {entry['scopeName']}: language {entry.get('language')!r} is not contributed")
        for language in entry.get("embeddedLanguages", {}).values():
            if language not in languages:
                problem(f"grammar {entry['scopeName']}: embedded language {language!r} is not contributed")
        loaded[entry["scopeName"]] = (entry["path"], grammar)
    for path, grammar in loaded.values():
        for target in includes(grammar):
            if target in ("$self", "$base"):
                continue
            scope, _, name = target.partition("#")
            other = grammar if not scope else loaded.get(scope, (None, None))[1]
            if other is None:
                problem(f"{path}: include {target!r} names a grammar that is not contributed")
            elif name and name not in other.get("repository", {}):
                problem(f"{path}: include {target!r} names no repository entry")
    return len(loaded)


def check_client(root, manifest):
    main = manifest.get("main", "")
    if not os.path.isfile(os.path.join(root, main)):
        problem(f"main {main!r}: no such file")
        return
    with open(os.path.join(root, main), encoding="utf-8") as f:
        source = f.read()
    for command in manifest["contributes"].get("commands", []):
        if f"'{command['command']}'" not in source:
            problem(f"command {command['command']} is not named in {main}")
    for needed in ("strata.makeMigration", "strata.showPendingChanges"):
        if needed not in {c["command"] for c in manifest["contributes"].get("commands", [])}:
            problem(f"command {needed} is not contributed")
    for needed in ("'lsp'", "get('path')", "vscode-languageclient/node"):
        if needed not in source:
            problem(f"{main} does not mention {needed}")
    if "strata.path" not in manifest["contributes"].get("configuration", {}).get("properties", {}):
        problem("the strata.path setting is not contributed")


def check_lock(root, manifest):
    lock = load_json(root, "package-lock.json")
    if lock is None:
        return
    top = lock.get("packages", {}).get("", {})
    for key in ("name", "version", "dependencies", "devDependencies"):
        if top.get(key) != manifest.get(key):
            problem(f"package-lock.json: {key} differs from package.json: run npm install")
    for path, package in lock.get("packages", {}).items():
        if "resolved" in package:
            problem(f"package-lock.json: {path} records where it was downloaded from")


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    manifest = load_json(root, "package.json")
    if manifest is None:
        return 1
    contributes = manifest.get("contributes", {})
    for lang in contributes.get("languages", []):
        if "configuration" in lang:
            load_json(root, lang["configuration"])
    grammars = check_grammars(root, contributes)
    check_client(root, manifest)
    check_lock(root, manifest)
    print(f"{len(contributes.get('languages', []))} languages, {grammars} grammars, "
          f"{len(contributes.get('commands', []))} commands: {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
