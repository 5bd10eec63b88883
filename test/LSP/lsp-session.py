#!/usr/bin/env python3
"""Drives `strata lsp` with a scripted session and prints its replies.

    lsp-session.py STRATA SCRIPT [--root DIR]

SCRIPT holds one client message a line (a JSON object); blank lines and
lines starting with `#` are skipped. In a message, ${ROOT} is DIR, ${ROOTURI}
its file: URI, and ${TEXT:PATH} the contents of DIR/PATH as a JSON string.
Lines starting with `!` send something else:

    !raw STRING     the JSON string's characters, as UTF-8, with no framing
    !body TEXT      TEXT framed as a message body (need not be JSON)

Every message is framed with a Content-Length header. The whole input is
written to a file first and given to the server as standard input, so that
the server sees it all at once (a cancellation behind its request is then
always seen in time). Each message the server writes is printed as one
canonical JSON line (keys sorted, no spaces) with DIR replaced by ${ROOT};
then `exit: N`. Output that is not a framed message is printed as
`garbage: ...`, so a stray print on standard output fails the test.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import urllib.parse


def expand(line, root):
    out = line
    while "${TEXT:" in out:
        start = out.index("${TEXT:")
        end = out.index("}", start)
        path = out[start + 7:end]
        with open(os.path.join(root, path), encoding="utf-8") as f:
            text = json.dumps(f.read())
        out = out[:start] + text + out[end + 1:]
    out = out.replace("${ROOTURI}", "file://" + urllib.parse.quote(root))
    return out.replace("${ROOT}", root)


def frame(body):
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def build_input(script, root):
    data = b""
    with open(script, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            if line.startswith("!raw "):
                data += json.loads(expand(line[5:], root)).encode("utf-8")
            elif line.startswith("!body "):
                data += frame(expand(line[6:], root).encode("utf-8"))
            else:
                data += frame(expand(line, root).encode("utf-8"))
    return data


def print_replies(out, root):
    while out:
        head, sep, rest = out.partition(b"\r\n\r\n")
        length = None
        for h in head.split(b"\r\n"):
            name, _, value = h.partition(b":")
            if name.strip().lower() == b"content-length" and value.strip().isdigit():
                length = int(value)
        if not sep or length is None or len(rest) < length:
            print("garbage: %r" % out[:200])
            return
        body = rest[:length].decode("utf-8")
        out = rest[length:]
        text = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":"),
                          ensure_ascii=False)
        text = text.replace(urllib.parse.quote(root), "${ROOT}").replace(root, "${ROOT}")
        print(text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("strata")
    ap.add_argument("script")
    ap.add_argument("--root", default=os.getcwd())
    args = ap.parse_args()
    root = os.path.realpath(args.root)
    strata = os.path.abspath(args.strata)
    with tempfile.TemporaryFile() as stdin:
        stdin.write(build_input(args.script, root))
        stdin.seek(0)
        try:
            p = subprocess.run([strata, "lsp"], stdin=stdin, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, cwd=root, timeout=120)
        except subprocess.TimeoutExpired:
            print("timeout")
            return 1
    print_replies(p.stdout, root)
    sys.stderr.write(p.stderr.decode("utf-8", "replace"))
    print("exit: %d" % p.returncode)
    return 0


if __name__ == "__main__":
    sys.exit(main())
