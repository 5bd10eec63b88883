#!/usr/bin/env python3
"""Regenerates the "Diagnostic kinds" tables of docs/diagnostics.md from
include/strata/Support/Diagnostics.def, the source of truth.

    diagnostics-table.py            rewrite the doc
    diagnostics-table.py --check    exit 1 if the doc is out of date

Groups follow the `// ---- Name` headings of the .def; the notes column is
kept from the current doc, by kind, so hand-written advice survives.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEF = os.path.join(ROOT, "include", "strata", "Support", "Diagnostics.def")
DOC = os.path.join(ROOT, "docs", "diagnostics.md")
BEGIN = "<!-- BEGIN GENERATED KINDS: scripts/diagnostics-table.py -->"
END = "<!-- END GENERATED KINDS -->"


def groups():
    current, out = None, []
    for line in open(DEF, encoding="utf-8"):
        heading = re.match(r"//\s*----\s*(.+?)\s*$", line)
        if heading:
            current = (heading.group(1), [])
            out.append(current)
            continue
        m = re.match(r'DIAG\((\w+),\s*(\w+),\s*"(.*)"\)\s*$', line)
        if m and current:
            fmt = m.group(3).replace('\\"', '"').replace("\\\\", "\\")
            current[1].append((m.group(1), m.group(2).lower(), fmt))
    return [g for g in out if g[1]]


def code(text):
    text = text.replace("|", "\\|")
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def old_notes(doc):
    notes = {}
    for line in doc.splitlines():
        m = re.match(r"\| `(\w+)` \|.*\| ([^|]*) \|$", line)
        if m:
            notes[m.group(1)] = m.group(2).strip()
    return notes


def render(notes):
    parts = [BEGIN, ""]
    for name, kinds in groups():
        parts += [f"### {name}", "", "| kind | severity | message | notes |", "| --- | --- | --- | --- |"]
        for kind, sev, fmt in kinds:
            parts.append(f"| `{kind}` | {sev} | {code(fmt)} | {notes.get(kind, '')} |")
        parts.append("")
    parts.append(END)
    return "\n".join(parts)


def main():
    doc = open(DOC, encoding="utf-8").read()
    if BEGIN in doc:
        head, rest = doc.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
    else:  # first run: replace everything after the section's introduction
        cut = doc.index("### Source files")
        head, tail = doc[:cut], "\n"
    new = head + render(old_notes(doc)) + tail
    if "--check" in sys.argv:
        if new != doc:
            print("docs/diagnostics.md is out of date: run scripts/diagnostics-table.py")
            return 1
        return 0
    open(DOC, "w", encoding="utf-8").write(new)
    return 0


sys.exit(main())
