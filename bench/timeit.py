#!/usr/bin/env python3
"""Runs a command REPEAT times and prints, as JSON on stdout, the best wall
time of the runs (wall_s), the best user + system CPU time (cpu_s), the
best and the median user CPU time (user_s, user_median_s: on a loaded
machine the figure the load inflates least), the largest peak resident
set (peak_rss_kb) and the largest exit code of the child (all from
os.wait4's rusage, so only that child).
    timeit.py [--repeat N] [--before SHELL-COMMAND] -- COMMAND...
--before runs a shell command (in the same directory, not measured) before
every run, e.g. to put a cache in a known state. The command's own output
is discarded."""
import json
import os
import statistics
import subprocess
import sys
import time


def run_once(cmd):
    start = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    p.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss, p.returncode, usage.ru_utime + usage.ru_stime, usage.ru_utime


def main():
    args = sys.argv[1:]
    repeat = 1
    before = None
    while args[:1] in (["--repeat"], ["--before"]):
        if args[0] == "--repeat":
            repeat = int(args[1])
        else:
            before = args[1]
        args = args[2:]
    if args[:1] == ["--"]:
        args = args[1:]
    results = []
    for _ in range(repeat):
        if before is not None:
            subprocess.run(before, shell=True, check=True)
        results.append(run_once(args))
    print(json.dumps({
        "wall_s": min(r[0] for r in results),
        "cpu_s": min(r[3] for r in results),
        "user_s": min(r[4] for r in results),
        "user_median_s": statistics.median(r[4] for r in results),
        "peak_rss_kb": max(r[1] for r in results),
        "exit": max(r[2] for r in results),
    }))


if __name__ == "__main__":
    main()
