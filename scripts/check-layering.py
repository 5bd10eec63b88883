#!/usr/bin/env python3
"""Finds call cycles between the .cpp files of one library.

Within lib/<Library>/, file A depends on file B when a function defined in A
calls a function defined in B. Those dependencies should go one way (a
driver calls its parts, parts call shared helpers); two files that call each
other are one idea split in two, or a shared piece that wants its own file.
Prints every cycle with one call for each edge, and exits 1 if there is one.

The method, and its limits (a heuristic over the text, not a C++ parser):
  * Comments, string and character literals and preprocessor lines are
    blanked out first.
  * A definition is `name(...) {` (or `name(...) : init {`) at namespace
    scope or inside a class body (then a member of that class). Functions
    that are `static` (outside a class) or inside `namespace {` are private
    to their file and ignored. A qualifier that starts with a capital
    letter is a class (LLVM naming: types are CamelCase, namespaces
    lowercase): `Emitter::item` defines member `item` of `Emitter`.
  * A call is `name(` inside a definition's body, not preceded by `.` or
    `->`, and not a declaration's name. Inside a member of class C it means
    C::name when some file defines C::name, otherwise the free function
    `name`; `C::name(` always means C::name. Calls through objects
    (`X.f()`, `P->f()`), function pointers and virtual dispatch are not
    seen; an overloaded name counts as a call of every overload, so the
    graph can only err towards more edges, never fewer, among the calls it
    sees.
  * Headers are not scanned: inline functions and templates in a header
    belong to no one .cpp file.

Usage: scripts/check-layering.py [lib/<Library> ...]   (default: every library)
"""
import os
import re
import sys

IDENT = r"[A-Za-z_]\w*"
KEYWORDS = {"if", "for", "while", "switch", "return", "sizeof", "catch", "decltype",
            "alignof", "static_assert", "defined", "new", "delete", "operator", "throw",
            "assert", "typeid", "noexcept", "static_cast", "const_cast",
            "reinterpret_cast", "dynamic_cast"}


def strip(text):
    """Blanks comments, literals and preprocessor lines, keeping offsets."""
    out = list(text)
    i, n = 0, len(text)

    def blank(a, b):
        for k in range(a, b):
            if out[k] != "\n":
                out[k] = " "

    line_start = True
    while i < n:
        c = text[i]
        if line_start and c == "#":
            j = i
            while j < n and (text[j] != "\n" or text[j - 1] == "\\"):
                j += 1
            blank(i, j)
            i = j
            continue
        if c == "\n":
            line_start = True
            i += 1
            continue
        if not c.isspace():
            line_start = False
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            blank(i, j)
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            blank(i, j)
            i = j
        elif text.startswith('R"', i) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            m = re.match(r'R"([^(\s]*)\(', text[i:])
            if m:
                end = text.find(")" + m.group(1) + '"', i)
                j = n if end < 0 else end + len(m.group(1)) + 2
                blank(i + 1, j)
                i = j
            else:
                i += 1
        elif c in "\"'":
            if c == "'" and i > 0 and text[i - 1].isalnum():  # digit separator 1'000
                i += 1
                continue
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            blank(i + 1, j)
            i = j + 1
        else:
            i += 1
    return "".join(out)


def match_paren(s, i):
    """Index just past the parenthesis that closes the one at s[i]."""
    depth = 0
    while i < len(s):
        if s[i] == "(":
            depth += 1
        elif s[i] == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return len(s)


def match_brace(s, i):
    depth = 0
    while i < len(s):
        if s[i] == "{":
            depth += 1
        elif s[i] == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return len(s)


DEF_NAME = re.compile(r"((?:" + IDENT + r"\s*::\s*)*~?" + IDENT + r")\s*\($")
AFTER_PARAMS = re.compile(r"\s*(?:const\b|override\b|final\b|noexcept\b|&&?|->[^{;]*?)*\s*([{:])")


def split_name(qualified):
    parts = [p.strip() for p in qualified.split("::")]
    classes = [p for p in parts[:-1] if p[:1].isupper()]
    return (classes[-1] if classes else None), parts[-1]


CLASS_HEAD = re.compile(r"(?<!enum)\s+\b(?:class|struct)\s+(" + IDENT + r")[^;{}()]*$")


def definitions(s):
    """(class or None, name, body start, body end, private) of each function."""
    out = []
    i, n = 0, len(s)
    # Open namespaces and class bodies: where each ends, whether what is
    # defined in it is private to the file, and the class (None in a
    # namespace).
    scopes = [(n + 1, False, None)]
    while i < n:
        while i >= scopes[-1][0]:
            scopes.pop()
        _, private, cls_scope = scopes[-1]
        m = re.compile(r"\bnamespace\b\s*([\w:]*)\s*\{").match(s, i)
        if m:
            close = match_brace(s, m.end() - 1)
            scopes.append((close, private or not m.group(1), None))
            i = m.end()
            continue
        c = s[i]
        if c == "(":
            head = s[max(0, i - 200):i + 1]
            dm = DEF_NAME.search(head)
            close = match_paren(s, i)
            am = AFTER_PARAMS.match(s, close)
            if dm and am and dm.group(1).split("::")[-1].strip() not in KEYWORDS:
                brace = s.find("{", close) if am.group(1) == ":" else am.end() - 1
                # A constructor's initializers may hold braces: `: A{x}, B(y) {`.
                if am.group(1) == ":":
                    j = am.end()
                    while j < n:
                        if s[j] in "({":
                            k = match_paren(s, j) if s[j] == "(" else match_brace(s, j)
                            rest = re.match(r"\s*([,{])", s[k:])
                            if rest and rest.group(1) == "{":
                                brace = k + rest.start(1)
                                break
                            j = k
                            continue
                        j += 1
                end = match_brace(s, brace)
                line_start = s.rfind(";", 0, i)
                line_start = max(line_start, s.rfind("}", 0, i), s.rfind("{", 0, i))
                # `static` makes a function private to the file, but a
                # member private to nothing.
                is_static = cls_scope is None and re.search(
                    r"\bstatic\b", s[line_start + 1:i]) is not None
                cls, name = split_name(dm.group(1))
                out.append((cls or cls_scope, name, brace, end, private or is_static))
                i = end
                continue
            i = close
            continue
        if c == "{":
            # A class body is looked into; an enum or initializer is not.
            start = max(s.rfind(";", 0, i), s.rfind("}", 0, i), s.rfind("{", 0, i)) + 1
            cm = CLASS_HEAD.search(" " + s[start:i])
            if cm:
                scopes.append((match_brace(s, i), private, cm.group(1)))
                i += 1
                continue
            i = match_brace(s, i)
            continue
        i += 1
    return out


CALL = re.compile(r"(?<![\w.>])(?<!->)((?:" + IDENT + r"\s*::\s*)*" + IDENT + r")\s*\(")


def calls(body):
    for m in CALL.finditer(body):
        before = body[:m.start()].rstrip()
        if before.endswith(".") or before.endswith("->"):
            continue
        cls, name = split_name(m.group(1))
        if name in KEYWORDS:
            continue
        yield cls, name


def library_graph(directory):
    files = sorted(f for f in os.listdir(directory) if f.endswith(".cpp"))
    defs = {}
    for f in files:
        with open(os.path.join(directory, f), encoding="utf-8") as fh:
            defs[f] = (strip(fh.read()), None)
        defs[f] = (defs[f][0], definitions(defs[f][0]))
    members, free = {}, {}
    for f in files:
        for cls, name, _, _, private in defs[f][1]:
            if private or name == cls:
                continue
            table = members.setdefault(cls, {}) if cls else free
            table.setdefault(name, set()).add(f)
    edges = {}  # (from, to) -> an example "caller -> callee"
    for f in files:
        text, fns = defs[f]
        for cls, name, begin, end, _ in fns:
            caller = (cls + "::" if cls else "") + name
            for ccls, cname in calls(text[begin:end]):
                if ccls:
                    targets = members.get(ccls, {}).get(cname, set())
                    callee = ccls + "::" + cname
                elif cls and cname in members.get(cls, {}):
                    targets = members[cls][cname]
                    callee = cls + "::" + cname
                else:
                    targets = free.get(cname, set())
                    callee = cname
                for t in targets:
                    if t != f:
                        edges.setdefault((f, t), caller + " calls " + callee)
    return files, edges


def cycles(files, edges):
    """Strongly connected components of more than one file."""
    succ = {f: sorted(t for (a, t) in edges if a == f) for f in files}
    reach = {}
    for f in files:
        seen, work = {f}, [f]
        while work:
            for t in succ[work.pop()]:
                if t not in seen:
                    seen.add(t)
                    work.append(t)
        reach[f] = seen
    comps, done = [], set()
    for f in files:
        if f in done:
            continue
        comp = sorted(g for g in files if g in reach[f] and f in reach[g])
        done.update(comp)
        if len(comp) > 1:
            comps.append(comp)
    return comps


def main(argv):
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    dirs = argv or sorted(os.path.join("lib", d) for d in os.listdir(os.path.join(root, "lib"))
                          if os.path.isdir(os.path.join(root, "lib", d)))
    found = False
    for d in dirs:
        files, edges = library_graph(os.path.join(root, d))
        for comp in cycles(files, edges):
            found = True
            print(f"{d}: files call each other: {', '.join(comp)}")
            for (a, b), why in sorted(edges.items()):
                if a in comp and b in comp:
                    print(f"  {a} -> {b}: {why}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
