"""Fails listing each diagnostic kind that no test checks: a golden test
under test/ whose FileCheck lines expect the `[Kind]` tag in the output, or
a unit test under unittests/ that expects the rendered tag in a string.

A tag counts only where a diagnostic is expected to be printed: on a
positive check line (CHECK:, CHECK-NEXT:, ... but not CHECK-NOT:) of a
prefix that one of the file's own RUN lines hands to FileCheck, or inside
a string literal of a unit test. A tag in a comment, in a RUN line, on a
check line of an unused prefix or in a `-NOT` check tests nothing."""
import os
import re
import sys

TAG = re.compile(r"\[(\w+)\]")
FILECHECK = re.compile(r"\bFileCheck\b([^|;&]*)")
PREFIX_OPTION = re.compile(r"--?check-prefix(?:es)?[= ]([\w,-]+)")
# `PREFIX:`, `PREFIX-NEXT:` ... after the test's comment marker.
CHECK_LINE = re.compile(r"^\s*(?:#|//|;)\s*([A-Za-z][\w-]*?)"
                        r"(-NEXT|-SAME|-DAG|-LABEL|-EMPTY|-COUNT-\d+|-NOT)?:(.*)$")


def used_prefixes(text):
    """The FileCheck prefixes the file's RUN lines check it with."""
    prefixes = set()
    for line in text.splitlines():
        if "RUN:" not in line:
            continue
        for m in FILECHECK.finditer(line):
            options = m.group(1)
            named = PREFIX_OPTION.findall(options)
            if not named:
                prefixes.add("CHECK")
            for group in named:
                prefixes.update(p for p in group.split(",") if p)
    return prefixes


def golden_tags(text):
    prefixes = used_prefixes(text)
    tags = set()
    for line in text.splitlines():
        m = CHECK_LINE.match(line)
        if not m or m.group(1) not in prefixes or m.group(2) == "-NOT":
            continue
        tags.update(TAG.findall(m.group(3)))
    return tags


def string_literals(source):
    """The contents of the C++ string literals of source, comments skipped."""
    out, i, n = [], 0, len(source)
    while i < n:
        c = source[i]
        before = source[i - 1] if i else " "
        if source.startswith('R"', i) and not (before.isalnum() or before == "_"):
            open_paren = source.find("(", i + 2)
            close = ")" + source[i + 2:open_paren] + '"'
            end = source.find(close, open_paren)
            end = n if end < 0 else end
            out.append(source[open_paren + 1:end])
            i = end + len(close)
        elif c == "'" and before.isalnum():
            i += 1  # a digit separator: 2'000'000
        elif source.startswith("//", i):
            i = source.find("\n", i)
            i = n if i < 0 else i
        elif source.startswith("/*", i):
            i = source.find("*/", i + 2)
            i = n if i < 0 else i + 2
        elif c == "'":
            i += 1
            while i < n and source[i] != "'":
                i += 2 if source[i] == "\\" else 1
            i += 1
        elif c == '"':
            j = i + 1
            while j < n and source[j] != '"':
                j += 2 if source[j] == "\\" else 1
            out.append(source[i + 1:j])
            i = j + 1
        else:
            i += 1
    return out


def unit_tags(text):
    tags = set()
    for literal in string_literals(text):
        tags.update(TAG.findall(literal))
    return tags


def main():
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
                path = os.path.join(dirpath, name)
                with open(path, encoding="utf-8", errors="replace") as f:
                    text = f.read()
                if name.endswith((".cpp", ".h")):
                    seen |= unit_tags(text)
                elif name.endswith((".test", ".strata", ".mig")):
                    seen |= golden_tags(text)

    missing = [k for k in kinds if k not in seen]
    for k in missing:
        print(f"diagnostic kind {k} has no test that checks [{k}]")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
