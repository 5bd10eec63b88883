"""Fails listing each function of Functions.def and each aggregate of
Aggregates.def that no program under test/Engine/Inputs calls (a function
as `name(`, an aggregate as `name<`, in any case, comments aside): every
builtin has its edge cases in its family's program (docs/builtins.md)."""
import os
import re
import sys

inputs_dir, def_files = sys.argv[1], sys.argv[2:]

code = ""
for name in sorted(os.listdir(inputs_dir)):
    if name.endswith(".iql"):
        for line in open(os.path.join(inputs_dir, name), encoding="utf-8"):
            if not line.lstrip().startswith("//"):
                code += line + "\n"

missing = []
for path in def_files:
    for line in open(path, encoding="utf-8"):
        m = re.match(r'IQL_(FUNCTION|AGGREGATE)\(\w+,\s*"(\w+)"', line)
        if not m:
            continue
        kind, name = m.group(1).lower(), m.group(2)
        call = r"\(" if kind == "function" else "<"
        if not re.search(r"(?<![\w])" + re.escape(name) + r"\s*" + call, code, re.IGNORECASE):
            missing.append(f"{kind} {name} has no edge cases in test/Engine/Inputs")
for line in missing:
    print(line)
sys.exit(1 if missing else 0)
