#!/usr/bin/env python3
"""Lists the functions longer than a limit (default 80 lines) in lib/ and tools/.

Usage: scripts/long-functions.py [--limit N] [path ...]   (default: lib tools)
Prints `file:line: name: N lines`, longest first, and exits 1 if any.

A function is found the way scripts/check-layering.py finds definitions
(the same code): `name(...) {` at namespace scope once comments, literals
and preprocessor lines are blanked, its body matched brace by brace; its
length runs from the line of its name to the line of its closing brace.
Member functions defined inside a class body count on their own. Limits:
a lambda counts as part of the function that holds it, and a function
inside a local class as part of the function around it; macros that
expand to braces would confuse the matching (the tree has none).
"""
import importlib.util
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in scripts/
HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("layering", os.path.join(HERE, "check-layering.py"))
layering = importlib.util.module_from_spec(spec)
spec.loader.exec_module(layering)


def long_functions(path, limit):
    with open(path, encoding="utf-8") as fh:
        text = layering.strip(fh.read())
    for cls, name, begin, end, _ in layering.definitions(text):
        # The name sits before the parameters, which come before the body.
        head = text.rfind(name + "(", 0, begin)
        if head < 0:
            head = text.rfind(name, 0, begin)
        first = text.count("\n", 0, head) + 1
        last = text.count("\n", 0, end - 1) + 1
        if last - first + 1 > limit:
            yield first, (cls + "::" if cls else "") + name, last - first + 1


def main(argv):
    limit = 80
    if argv[:1] == ["--limit"]:
        limit, argv = int(argv[1]), argv[2:]
    roots = argv or [os.path.join(HERE, "..", "lib"), os.path.join(HERE, "..", "tools")]
    found = []
    for root in roots:
        paths = [root] if os.path.isfile(root) else [
            os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs if f.endswith(".cpp")]
        for p in sorted(paths):
            for line, name, length in long_functions(p, limit):
                found.append((length, os.path.relpath(p), line, name))
    for length, path, line, name in sorted(found, key=lambda f: (-f[0], f[1], f[2])):
        print(f"{path}:{line}: {name}: {length} lines")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
