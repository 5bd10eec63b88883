"""Fails listing each diagnostic kind that no test checks: a golden test
under test/, or a unit test under unittests/ that checks the rendered tag."""
import os
import re
import sys

def_file, test_roots = sys.argv[1], sys.argv[2:]
kinds = []
for line in open(def_file, encoding="utf-8"):
    m = re.match(r"DIAG\((\w+),\s*(\w+),", line)
    if m and m.group(2) != "Note":
        kinds.append(m.group(1))

seen = set()
for test_root in test_roots:
    for dirpath, _, files in os.walk(test_root):
        for name in files:
            if name.endswith(".py"):
                continue
            with open(os.path.join(dirpath, name), encoding="utf-8", errors="replace") as f:
                seen.update(re.findall(r"\[(\w+)\]", f.read()))

missing = [k for k in kinds if k not in seen]
for k in missing:
    print(f"diagnostic kind {k} has no test that checks [{k}]")
sys.exit(1 if missing else 0)
