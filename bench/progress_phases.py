#!/usr/bin/env python3
"""Runs a `strata migrate --progress json` command and prints where its time
went: each JSON line is stamped as it arrives, and every event's span runs
until the next one; then the command's CPU time (user + sys) and peak
resident set (os.wait4). Used by bench/column_change.sh.
  bench/progress_phases.py -- STRATA migrate --target URL --progress json"""
import json, os, subprocess, sys, time

def label(e):
    kind = e["event"]
    if kind == "phase":
        return e["phase"]
    if kind in ("step_start", "step_progress", "step_end"):
        return "step %d/%d %s" % (e["statement"], e["of"], e["purpose"])
    return kind

def main():
    cmd = sys.argv[sys.argv.index("--") + 1:]
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    stamped = [(0.0, "open the target, read the ledger, plan")]
    for line in proc.stdout:
        e = json.loads(line)
        now = time.monotonic() - start
        if e["event"] == "step_start":
            stamped.append((now, label(e)))
        elif e["event"] == "step_progress":
            # A move over ws:// in batches: batch 0 ends the read of its
            # facts, each later one a batch.
            if e["batch"] == 0:
                stamped[-1] = (stamped[-1][0], stamped[-1][1] + ": reading its facts")
            if e["batch"] < e["batches"]:
                stamped.append((now, "%s: batch %d/%d" % (label(e), e["batch"] + 1, e["batches"])))
            else:
                stamped.append((now, "after %s: the completeness check" % label(e)))
        elif e["event"] == "step_end":
            stamped.append((now, "after %s (completeness check, next statement)" % label(e)))
        elif e["event"] == "phase":
            stamped.append((now, e["phase"]))
        elif e["event"] == "run_end":
            stamped.append((now, "exit"))
    _, status, usage = os.wait4(proc.pid, 0)
    rc = os.waitstatus_to_exitcode(status)
    total = time.monotonic() - start
    stamped.append((total, "end"))
    for (t, what), (t2, _) in zip(stamped, stamped[1:]):
        print("  %7.2f s  %s" % (t2 - t, what))
    print("  %7.2f s  total (exit %d)" % (total, rc))
    print("  CPU %.2f s (user + sys), peak RSS %d MB"
          % (usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024))
    sys.exit(rc)

main()
