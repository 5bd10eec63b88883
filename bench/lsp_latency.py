#!/usr/bin/env python3
"""Diagnostics latency of `strata lsp` after one keystroke.

    lsp_latency.py STRATA PROJECT [--keystrokes N] [--file NAME] [--json]

Starts `STRATA lsp` on PROJECT (e.g. one written by bench/gen_project.py),
opens its first schema file and waits for the first diagnostics (the cold
check of the whole schema). Then sends N single-character edits (typing a
letter at the end of the file's first comment-free line and deleting it
again, alternately: each is one keystroke and each leaves the schema valid
or near it) and measures, for each, the time from sending the didChange to
receiving the diagnostics published for that version, and the server's CPU
time spent on it (/proc). Prints the cold time and the median, 90th
percentile and maximum per keystroke, in milliseconds, and the server's
resident memory after the open and after the keystrokes. --json prints
the same figures as one JSON line instead (for bench/sweep.py), with the
server's CPU time for the open and its mean per keystroke, whose total
over N keystrokes is less coarse than one keystroke's clock ticks, and
its peak resident memory.
"""
import argparse
import glob
import json
import os
import statistics
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in bench/
from growth import process_cpu_s, process_memory  # noqa: E402


class Client:
    def __init__(self, argv, cwd):
        self.p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=cwd)
        self.next_id = 1

    def send(self, msg):
        body = json.dumps(msg).encode()
        self.p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.p.stdin.flush()

    def read(self):
        length = None
        while True:
            line = self.p.stdout.readline()
            if not line:
                raise EOFError("the server closed its output")
            line = line.strip()
            if not line:
                break
            name, _, value = line.partition(b":")
            if name.lower() == b"content-length":
                length = int(value)
        return json.loads(self.p.stdout.read(length))

    def request(self, method, params):
        rid = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        while True:
            m = self.read()
            if m.get("id") == rid:
                return m

    def wait_diagnostics(self, uri, version):
        while True:
            m = self.read()
            p = m.get("params", {})
            if m.get("method") == "textDocument/publishDiagnostics" and p.get("uri") == uri \
                    and p.get("version") == version:
                return p["diagnostics"]


def cpu_ms(pid):
    """User + system CPU time of process pid so far, in milliseconds."""
    return process_cpu_s(pid) * 1000.0


def rss_mb(pid):
    """Resident memory of process pid, in MB."""
    return process_memory(pid, "VmRSS") / 2**20


def peak_rss_mb(pid):
    """Peak resident memory of process pid so far (VmHWM), in MB."""
    return process_memory(pid, "VmHWM") / 2**20


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("strata")
    ap.add_argument("project")
    ap.add_argument("--keystrokes", type=int, default=40)
    ap.add_argument("--json", action="store_true", help="print one JSON line of figures")
    ap.add_argument("--file", help="the schema file to edit, e.g. part_005.strata "
                    "(default: the first); the edit goes into its first declaration's name")
    args = ap.parse_args()
    root = os.path.realpath(args.project)
    files = sorted(glob.glob(os.path.join(root, "schema", "*.strata")))
    path = os.path.join(root, "schema", args.file) if args.file else files[0]
    uri = "file://" + path
    text = open(path, encoding="utf-8").read()
    lines = text.split("\n")
    line = next(i for i, l in enumerate(lines) if l.startswith(("relation ", "derived ")))
    # Inside the declaration's name: `relation rel_1(` -> `relation rel_1x(`;
    # in a file of rules, `derived der_0(` -> `derived der_0x(`, which its
    # own rules' heads and every rule reading it then disagree with.
    col = lines[line].index("(")

    c = Client([os.path.abspath(args.strata), "lsp"], root)
    c.request("initialize", {"rootUri": "file://" + root, "capabilities": {}})
    c.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    start = time.perf_counter()
    c.send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "strata", "version": 1, "text": text}}})
    c.wait_diagnostics(uri, 1)
    cold = (time.perf_counter() - start) * 1000
    open_cpu = cpu_ms(c.p.pid)
    rss_open = rss_mb(c.p.pid)
    times, cpu = [], []
    for k in range(args.keystrokes):
        version = k + 2
        if k % 2 == 0:
            change = {"range": {"start": {"line": line, "character": col},
                                "end": {"line": line, "character": col}}, "text": "x"}
        else:
            change = {"range": {"start": {"line": line, "character": col},
                                "end": {"line": line, "character": col + 1}}, "text": ""}
        start, start_cpu = time.perf_counter(), cpu_ms(c.p.pid)
        c.send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}})
        c.wait_diagnostics(uri, version)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append(cpu_ms(c.p.pid) - start_cpu)
    rss_end = rss_mb(c.p.pid)
    rss_peak = peak_rss_mb(c.p.pid)
    c.request("shutdown", None)
    c.send({"jsonrpc": "2.0", "method": "exit"})
    c.p.wait(timeout=60)
    if args.json:
        print(json.dumps({"file_bytes": len(text.encode()), "open_ms": cold,
                          "open_cpu_ms": open_cpu, "keystrokes": len(times),
                          "keystroke_ms_median": statistics.median(times),
                          "keystroke_cpu_ms_mean": sum(cpu) / len(cpu),
                          "rss_open_mb": rss_open, "rss_end_mb": rss_end,
                          "peak_rss_mb": rss_peak}))
        return 0
    times.sort()
    cpu.sort()
    print("file: %s (%d bytes)" % (os.path.relpath(path, root), len(text.encode())))
    print("open (cold check of the whole schema): %.0f ms" % cold)
    print("keystroke -> diagnostics over %d keystrokes: median %.1f ms, p90 %.1f ms, max %.1f ms"
          % (len(times), statistics.median(times), times[int(len(times) * 0.9) - 1], times[-1]))
    # On a loaded machine wall time is mostly waiting for a core: the
    # server's own CPU time per keystroke is the figure to compare.
    print("server CPU per keystroke: median %.0f ms, max %.0f ms (clock tick %d ms)"
          % (statistics.median(cpu), cpu[-1], 1000 // os.sysconf("SC_CLK_TCK")))
    print("server resident memory: %.0f MB after open, %.0f MB after %d keystrokes"
          % (rss_open, rss_end, len(times)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
