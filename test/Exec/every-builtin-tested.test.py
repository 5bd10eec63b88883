"""Fails listing each function of Functions.def and each aggregate of
Aggregates.def that no test under test/Exec runs through `strata migrate`:
the name must appear in a rule of a schema (a .strata file, comments
aside) that a .test file passes to `strata makemigrations --schema` and
then migrates."""
import os
import re
import sys

test_dir, def_files = sys.argv[1], sys.argv[2:]

builtins = []  # (kind, name)
for path in def_files:
    for line in open(path, encoding="utf-8"):
        m = re.match(r'IQL_(FUNCTION|AGGREGATE)\(\w+,\s*"(\w+)"', line)
        if m:
            builtins.append((m.group(1).lower(), m.group(2)))

schema_dirs = set()
for dirpath, _, files in os.walk(test_dir):
    for name in files:
        if not name.endswith(".test"):
            continue
        text = open(os.path.join(dirpath, name), encoding="utf-8").read()
        if "%strata migrate" not in text:
            continue
        for rel in re.findall(r"makemigrations[^\n]*--schema %S/(\S+)", text):
            schema_dirs.add(os.path.normpath(os.path.join(dirpath, rel)))

rules = ""
for schema_dir in schema_dirs:
    for dirpath, _, files in os.walk(schema_dir):
        for name in files:
            if name.endswith(".strata"):
                for line in open(os.path.join(dirpath, name), encoding="utf-8"):
                    rules += line.split("//")[0] + "\n"

missing = []
for kind, name in builtins:
    call = r"\(" if kind == "function" else "<"
    if not re.search(r"(?<![\w])" + re.escape(name) + r"\s*" + call, rules, re.IGNORECASE):
        missing.append((kind, name))
for kind, name in missing:
    print(f"{kind} {name} is in no schema that a test under test/Exec migrates")
sys.exit(1 if missing else 0)
