#!/usr/bin/env python3
"""Model-based history fuzzer for Strata's data safety (issue 12).

Usage:
  history_fuzz.py --strata BIN [--first SEED] [--count N | --time SECONDS]
                  [--jobs J] [--workdir DIR] [--steps K] [--retype] [--keep]
                  [--sabotage] [--progress N]

Each seed is one random history (history.py): a project whose schema
changes at random (relations, column add/drop/rename/retype, rules,
indexes, branches and merges, squashes, data migrations, one that fails),
applied in random allowed orders, with random facts, to an embedded
`file:` target or a served one (`strata serve`), with faults injected into
some runs (client killed before or after a statement, the connection
dropped by `serve --close-after N`, the server killed) and recovered by
running the same command again. After every action on the target the
target must match the reference model (model.py): status clean, ledger,
relations with their column types, rules, indexes, facts, derived facts,
lock released, journal empty.

`--count N` runs seeds FIRST..FIRST+N-1; `--time S` runs seeds from FIRST
on until S seconds have passed. A failing seed prints its finding and the
log of its last commands, keeps its directory, and makes the exit status
1; rerun it alone with `--first SEED --count 1 --keep`. The last line is
the summary: `history fuzz: H histories, F failed, ...`.

`--sabotage` makes the model forget a fact whenever it applies a
migration: a history with facts then fails, which shows that the checks
compare facts (the lit test runs it). `--retype` adds int -> float
column retypes to the edits.
"""
import argparse
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
import traceback

sys.dont_write_bytecode = True  # the source tree stays clean when tests run it
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from history import History  # noqa: E402
from target import Failure  # noqa: E402


def run_one(job):
    seed, options = job
    history = History(seed, options["strata"], options["workdir"], options["retype"], options["steps"],
                      options["sabotage"])
    started = time.monotonic()
    result = {"seed": seed, "ok": True, "stats": history.stats}
    try:
        history.run()
    except Failure as e:
        result.update(ok=False, finding=str(e))
    except Exception:  # a bug of the fuzzer itself is a finding too
        result.update(ok=False, finding="fuzzer error:\n" + traceback.format_exc())
    result["seconds"] = time.monotonic() - started
    result["commands"] = sum(1 for line in history.log if line.startswith("$ "))
    if not result["ok"]:
        result["log"] = history.log[-60:]
        result["dir"] = history.dir
    elif not options["keep"]:
        shutil.rmtree(history.dir, ignore_errors=True)
    return result


def seeds(first, count, deadline):
    seed = first
    while (count is None or seed < first + count) and (deadline is None or time.monotonic() < deadline):
        yield seed
        seed += 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--strata", required=True)
    parser.add_argument("--first", type=int, default=1)
    parser.add_argument("--count", type=int)
    parser.add_argument("--time", type=float)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--workdir")
    parser.add_argument("--steps", type=int)
    parser.add_argument("--retype", action="store_true")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--progress", type=int, default=0, metavar="N",
                        help="print a progress line every N histories")
    parser.add_argument("--sabotage", action="store_true",
                        help="make the model wrong on purpose: every history must then fail")
    args = parser.parse_args()
    if args.count is None and args.time is None:
        args.count = 20
    workdir = args.workdir or tempfile.mkdtemp(prefix="strata-history-")
    os.makedirs(workdir, exist_ok=True)
    options = {"strata": os.path.abspath(args.strata), "workdir": workdir, "retype": args.retype,
               "steps": args.steps, "keep": args.keep, "sabotage": args.sabotage}
    deadline = time.monotonic() + args.time if args.time else None
    started = time.monotonic()
    totals = {"histories": 0, "failed": 0, "commands": 0, "actions": {}, "faults": {}, "targets": {}}
    jobs = ((s, options) for s in seeds(args.first, args.count, deadline))
    with multiprocessing.Pool(args.jobs) as pool:
        for result in pool.imap_unordered(run_one, jobs):
            add(totals, result)
            if not result["ok"]:
                report(result)
            if args.progress and totals["histories"] % args.progress == 0:
                print(f"progress: {totals['histories']} histories, {totals['failed']} failed, "
                      f"{time.monotonic() - started:.0f} s", flush=True)
    print_summary(totals, time.monotonic() - started)
    return 1 if totals["failed"] else 0


def add(totals, result):
    totals["histories"] += 1
    totals["failed"] += 0 if result["ok"] else 1
    totals["commands"] += result["commands"]
    stats = result["stats"]
    totals["targets"][stats["target"]] = totals["targets"].get(stats["target"], 0) + 1
    for key in ("actions", "faults"):
        for k, v in stats[key].items():
            totals[key][k] = totals[key].get(k, 0) + v


def report(result):
    print(f"FAILED seed {result['seed']}: {result['finding']}")
    print(f"  directory: {result['dir']}")
    for line in result["log"]:
        print("  " + line)
    sys.stdout.flush()


def print_summary(totals, seconds):
    def fmt(d):
        return ", ".join(f"{k} {v}" for k, v in sorted(d.items()))

    print(f"targets: {fmt(totals['targets'])}")
    print(f"actions: {fmt(totals['actions'])}")
    print(f"faults: {fmt(totals['faults'])}")
    print(f"history fuzz: {totals['histories']} histories, {totals['failed']} failed, "
          f"{totals['commands']} strata commands, {seconds:.0f} s")


if __name__ == "__main__":
    sys.exit(main())
