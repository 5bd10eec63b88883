#!/usr/bin/env python3
"""Runs the commands that Markdown files show and compares their output.

A fenced block whose first line starts with `$ ` is a transcript: each
`$ COMMAND` line is run, and the lines after it, up to the next `$ ` line
or the end of the block, are the output it must print. A command may go on
over several lines: a here-document (`cat > f <<'EOF'` up to the `EOF`
line) or lines ending in a backslash. Blocks whose first line is not a
`$ ` line (set-up commands, files, programs) are not run.

The shown output is the command's standard output followed by its
standard error (so a warning printed after `wrote ...` is shown after it),
compared line by line, trailing spaces ignored. Exit statuses are not
compared.

Every transcript of one file runs in order in one scratch directory that
holds a copy of the repository's `examples/` and `build/bin` (a link to
the strata being tested, which is also first on PATH), starting at its top
as a reader starts at the repository's root; a `cd` in a command carries
over to the next one. NO_COLOR=1, LC_ALL=C.UTF-8 and TZ=UTC are set and
STRATA_TARGET is unset.

Directives, HTML comments (invisible when the Markdown is rendered) on the
lines just before a block's opening fence:

  <!-- doc-test: skip -->        do not run this block
  <!-- doc-test: fresh-dir -->   run this block, and those after it, in a
                                 new empty directory
  <!-- doc-test: vary REGEX -->  text matching the Python regular
                                 expression REGEX, in the shown output and
                                 the real one alike, is not compared
                                 (timestamps, paths); may be repeated

Usage: scripts/check-docs.py --bin DIR [--root DIR] FILE.md...
Prints each difference with the file and line of its command; exits 1 if
there is one, 0 otherwise.
"""
import argparse
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile

DIRECTIVE = re.compile(r"^\s*<!--\s*doc-test:\s*(\S+)\s*(.*?)\s*-->\s*$")
HEREDOC = re.compile(r"<<-?\s*(['\"]?)(\w+)\1")


class Command:
    def __init__(self, line, text, expected):
        self.line = line          # 1-based line of its `$ ` in the file
        self.text = text          # the shell text, here-documents included
        self.expected = expected  # the lines shown after it


class Block:
    def __init__(self, line, directives):
        self.line = line
        self.skip = any(k == "skip" for k, _ in directives)
        self.fresh_dir = any(k == "fresh-dir" for k, _ in directives)
        self.vary = [re.compile(v) for k, v in directives if k == "vary"]
        self.commands = []


def read_blocks(path):
    """The transcripts of a Markdown file, with their directives."""
    lines = open(path, encoding="utf-8").read().split("\n")
    blocks, pending, i = [], [], 0
    while i < len(lines):
        line = lines[i]
        d = DIRECTIVE.match(line)
        if d:
            if d.group(1) not in ("skip", "fresh-dir", "vary"):
                sys.exit(f"{path}:{i + 1}: unknown doc-test directive `{d.group(1)}`")
            pending.append((d.group(1), d.group(2)))
            i += 1
            continue
        if not line.startswith("```"):
            if line.strip():
                pending = []
            i += 1
            continue
        start, body = i, []
        i += 1
        while i < len(lines) and not lines[i].startswith("```"):
            body.append(lines[i])
            i += 1
        i += 1  # the closing fence
        if body and body[0].startswith("$ "):
            block = Block(start + 1, pending)
            block.commands = parse_transcript(body, start + 2)
            blocks.append(block)
        pending = []
    return blocks


def parse_transcript(body, first_line):
    commands, i = [], 0
    while i < len(body):
        line_no, text = first_line + i, body[i][2:]
        i += 1
        while text.endswith("\\") and i < len(body):
            text += "\n" + body[i]
            i += 1
        m = HEREDOC.search(text)
        if m:
            while i < len(body):
                text += "\n" + body[i]
                i += 1
                if body[i - 1] == m.group(2):
                    break
        expected = []
        while i < len(body) and not body[i].startswith("$ "):
            expected.append(body[i])
            i += 1
        commands.append(Command(line_no, text, expected))
    return commands


def make_scratch(root, bin_dir):
    scratch = tempfile.mkdtemp(prefix="strata-docs-")
    shutil.copytree(os.path.join(root, "examples"), os.path.join(scratch, "examples"),
                    ignore=shutil.ignore_patterns(".strata"), symlinks=True)
    os.makedirs(os.path.join(scratch, "build"))
    os.symlink(os.path.abspath(bin_dir), os.path.join(scratch, "build", "bin"))
    return scratch


def run(command, cwd, env):
    """Runs the command in cwd; returns its output lines and the directory
    it ended in."""
    with tempfile.NamedTemporaryFile("r", suffix=".pwd") as pwd:
        script = f"{command.text}\n__status=$?\npwd > '{pwd.name}'\nexit $__status\n"
        done = subprocess.run(["bash", "-c", script], cwd=cwd, env=env, capture_output=True,
                              text=True, timeout=120)
        ended = pwd.read().strip() or cwd
    return (done.stdout + done.stderr).split("\n"), ended


def normalised(lines, vary):
    out = []
    for line in lines:
        for pattern in vary:
            line = pattern.sub("<varies>", line)
        out.append(line.rstrip())
    while out and not out[-1]:
        out.pop()
    return out


def check_file(path, root, bin_dir, env):
    scratch = make_scratch(root, bin_dir)
    cwd, failures, ran, fresh = scratch, 0, 0, 0
    try:
        for block in read_blocks(path):
            if block.skip:
                continue
            if block.fresh_dir:
                fresh += 1
                cwd = os.path.join(scratch, f"fresh-{fresh}")
                os.makedirs(cwd)
            for command in block.commands:
                actual, cwd = run(command, cwd, env)
                ran += 1
                want = normalised(command.expected, block.vary)
                got = normalised(actual, block.vary)
                if want != got:
                    failures += 1
                    first = command.text.split("\n")[0]
                    print(f"{path}:{command.line}: `{first}` prints something else:")
                    for d in difflib.unified_diff(want, got, "shown", "printed", lineterm=""):
                        print("  " + d)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return ran, failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bin", required=True, help="the directory holding the built strata")
    parser.add_argument("--root", default=os.path.join(os.path.dirname(__file__), ".."),
                        help="the repository (its examples/ are copied)")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    env = dict(os.environ)
    env.pop("STRATA_TARGET", None)
    env.update({"PATH": os.path.abspath(args.bin) + os.pathsep + env.get("PATH", ""),
                "NO_COLOR": "1", "LC_ALL": "C.UTF-8", "TZ": "UTC"})
    total_ran = total_failed = 0
    for path in args.files:
        ran, failed = check_file(path, args.root, args.bin, env)
        total_ran += ran
        total_failed += failed
    print(f"{total_ran} commands run, {total_failed} printed something else than shown")
    return 1 if total_failed else 0


if __name__ == "__main__":
    sys.exit(main())
