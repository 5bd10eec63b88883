#!/usr/bin/env python3
"""Transitive closure on the embedded engine, SWI-Prolog (tabled) and clingo.

Generates graphs (a chain, a seeded random graph, a square grid) at several
sizes and, on the same edges in one run, times:

  * Strata's embedded engine (`strata exec --target file:...`): the full
    closure (a rule counting every `reach` fact, queried), the bound query
    `?reach(1, Y)` and a trivial query `?edge(1, Y)` on the same state
    (run in turn, --pairs times each, for their ratio);
  * SWI-Prolog with `reach/2` tabled: the full closure counted with
    aggregate_all, and the bound query reach(1, Y) counted;
  * clingo: the full closure counted with #count (grounding derives it).

Every tool runs as its own process reading the graph from its own file
format, so each time includes loading the graph. Times are CPU seconds of
the process (user + system), which a loaded machine distorts less than
wall time; both are printed. The closure sizes the tools report must agree,
or the run stops. Ratios and the growth exponent of each series (bench/growth.py: the
least-squares slope of log CPU time against log edges over the sizes that
completed) follow the tables. docs/performance.md ("The embedded
engine against Datalog peers") holds the figures and the command.

usage: python3 bench/engine_peers.py --strata build/bin/strata
           [--shapes chain,random,grid] [--sizes 500,1000,2000,4000]
           [--timeout SECONDS] [--work DIR] [--repeat N] [--pairs N]
           [--tools strata,swi,clingo]
"""
import argparse
import math
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True  # no __pycache__ in bench/
from growth import formatted_exponent  # noqa: E402

REACH_RULES = ["reach(X, Y) <- edge(X, Y)", "reach(X, Z) <- reach(X, Y), edge(Y, Z)"]


def chain(n, seed):
    return [(i, i + 1) for i in range(n - 1)]


def random_graph(n, seed):
    rng = random.Random(seed)
    edges = set()
    while len(edges) < 2 * n:
        edges.add((rng.randrange(n), rng.randrange(n)))
    # The node with the most successors is named 1, so that reach(1, Y)
    # starts where the graph is not a dead end.
    out = {}
    for a, _ in edges:
        out[a] = out.get(a, 0) + 1
    hub = max(sorted(out), key=lambda v: out[v])
    swap = lambda v: 1 if v == hub else hub if v == 1 else v
    return sorted((swap(a), swap(b)) for a, b in edges)


def grid(n, seed):
    side = max(2, round(math.sqrt(n)))
    node = lambda r, c: r * side + c
    edges = []
    for r in range(side):
        for c in range(side):
            if c + 1 < side:
                edges.append((node(r, c), node(r, c + 1)))
            if r + 1 < side:
                edges.append((node(r, c), node(r + 1, c)))
    return edges


SHAPES = {"chain": chain, "random": random_graph, "grid": grid}


def run(cmd, timeout, cwd=None, ok=(0,)):
    """Runs cmd; returns (stdout, cpu seconds, wall seconds, peak RSS MB), or
    None on a timeout."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=cwd,
                            start_new_session=True)
    timer = threading.Timer(timeout, lambda: os.killpg(proc.pid, signal.SIGKILL))
    timer.start()
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    timer.cancel()
    wall = time.monotonic() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode == -signal.SIGKILL:
        return None
    text = out.decode(errors="replace")
    if proc.returncode not in ok:
        # A limit reached (the engine's memory budget) is a result too.
        print(f"{' '.join(cmd)} failed ({proc.returncode}):\n{text[-2000:]}", file=sys.stderr)
        return "failed"
    return text, usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024


def best(cmd, timeout, repeat, ok=(0,)):
    """The run of the least CPU time among repeat runs."""
    runs = []
    for _ in range(repeat):
        r = run(cmd, timeout, ok=ok)
        if r is None or r == "failed":
            return r
        runs.append(r)
    return min(runs, key=lambda r: r[1])


def median_run(runs):
    """The run of the median CPU time (the lower of the two middle ones)."""
    return sorted(runs, key=lambda r: r[1])[(len(runs) - 1) // 2]


def paired(cmd_a, cmd_b, timeout, pairs):
    """Runs cmd_a and cmd_b in turn, pairs times each: the median run of
    each, and the sorted CPU ratios a/b of the pairs. A process of a few
    milliseconds is timed by the kernel to the microsecond, but one run
    scatters by a quarter: interleaving puts both under the same load, and
    the ratios' spread says how far the median can be trusted."""
    runs_a, runs_b, ratios = [], [], []
    for _ in range(pairs):
        a = run(cmd_a, timeout)
        b = run(cmd_b, timeout)
        if not done(a) or not done(b):
            return a, b, []  # a failure or a timeout shows as such
        runs_a.append(a)
        runs_b.append(b)
        if b[1] > 0:
            ratios.append(a[1] / b[1])
    return median_run(runs_a), median_run(runs_b), sorted(ratios)


def write_inputs(work, edges):
    facts = ", ".join(f"({a}, {b})" for a, b in edges)
    with open(os.path.join(work, "g.iql"), "w") as f:
        f.write(f"+edge[{facts}]\n")
        for r in REACH_RULES:
            f.write(f"+{r}\n")
        f.write("+closure_size(count<Y>) <- reach(X, Y)\n")
    with open(os.path.join(work, "g.pl"), "w") as f:
        f.write(":- table reach/2.\n")
        f.write("reach(X, Y) :- edge(X, Y).\nreach(X, Z) :- reach(X, Y), edge(Y, Z).\n")
        f.writelines(f"edge({a},{b}).\n" for a, b in edges)
    with open(os.path.join(work, "g.lp"), "w") as f:
        f.write("reach(X, Y) :- edge(X, Y).\nreach(X, Z) :- reach(X, Y), edge(Y, Z).\n")
        f.write("size(N) :- N = #count{ X, Y : reach(X, Y) }.\n#show size/1.\n")
        f.writelines(f"edge({a},{b}).\n" for a, b in edges)


def last_int(text, after=""):
    """The last integer on a line that contains `after`."""
    for line in reversed(text.splitlines()):
        if after in line:
            digits = "".join(ch if ch.isdigit() else " " for ch in line).split()
            if digits:
                return int(digits[-1])
    return None


def strata_rows(text):
    return 0 if "No results." in text else last_int(text, " rows")


def measure(args, shape, n):
    edges = SHAPES[shape](n, seed=n)
    work = os.path.join(args.work, f"{shape}-{n}")
    os.makedirs(work, exist_ok=True)
    write_inputs(work, edges)
    kg = os.path.join(work, "g.kg")
    if os.path.exists(kg):
        os.remove(kg)
    strata = [args.strata, "exec", "--target", f"file:{kg}"]
    run(strata + [os.path.join(work, "g.iql")], args.timeout)
    row = {"shape": shape, "nodes": n if shape != "grid" else len({v for e in edges for v in e}),
           "edges": len(edges)}
    t = args.timeout
    # A tool left out of --tools is "skipped": its cells print as such.
    for k in ("strata_full", "strata_bound", "strata_trivial", "swi_full", "swi_bound",
              "clingo_full"):
        row[k] = "skipped"
    if "strata" in args.tools:
        row["strata_full"] = best(strata + ["-e", "?closure_size(N)"], t, args.repeat)
        row["strata_bound"], row["strata_trivial"], row["bound_ratios"] = paired(
            strata + ["-e", "?reach(1, Y)"], strata + ["-e", "?edge(1, Y)"], t, args.pairs)
    pl = os.path.join(work, "g.pl")
    swipl = ["swipl", "-q", "-t", "halt"]
    if "swi" in args.tools:
        row["swi_full"] = best(swipl + ["-g", "aggregate_all(count, reach(_,_), N), write(N), nl",
                                        pl], t, args.repeat)
        row["swi_bound"] = best(swipl + ["-g", "aggregate_all(count, reach(1,_), N), write(N), nl",
                                         pl], t, args.repeat)
    if "clingo" in args.tools:
        # clingo's exit status says what it found: 10 satisfiable, 30 with
        # every model enumerated.
        row["clingo_full"] = best(["clingo", "--outf=0", "-V0", os.path.join(work, "g.lp")], t,
                                  args.repeat, ok=(10, 30))
    check_sizes(row)
    return row


def check_sizes(row):
    """The closure sizes and bound answers the tools found must agree."""
    sizes = {}
    if done(row["strata_full"]):
        sizes["strata"] = last_int(row["strata_full"][0], "│")
    if done(row["swi_full"]):
        sizes["swi"] = last_int(row["swi_full"][0])
    if done(row["clingo_full"]):
        sizes["clingo"] = last_int(row["clingo_full"][0], "size(")
    if len(set(sizes.values())) > 1:
        sys.exit(f"closure sizes differ on {row['shape']} {row['nodes']}: {sizes}")
    bound = {}
    if done(row["strata_bound"]):
        bound["strata"] = strata_rows(row["strata_bound"][0])
    if done(row["swi_bound"]):
        bound["swi"] = last_int(row["swi_bound"][0])
    if len(set(bound.values())) > 1:
        sys.exit(f"reach(1, Y) differs on {row['shape']} {row['nodes']}: {bound}")
    row["closure"] = next(iter(sizes.values()), None)
    row["answers"] = next(iter(bound.values()), None)


def done(r):
    return isinstance(r, tuple)


def cpu(r):
    return "timeout" if r is None else r if isinstance(r, str) else f"{r[1]:.3f}"


def ratio(a, b):
    if not done(a) or not done(b) or b[1] <= 0:
        return "-"
    return f"{a[1] / b[1]:.2f}"


def paired_ratio(ratios):
    """The median of paired ratios and their middle half, "1.21 (1.15-1.28)"."""
    if not ratios:
        return "-"
    at = lambda q: ratios[min(len(ratios) - 1, int(q * len(ratios)))]
    return f"{at(0.5):.2f} ({at(0.25):.2f}-{at(0.75):.2f})"


def print_tables(rows):
    print("CPU seconds (user + system) per process; wall seconds in the second table. Strata's\n"
          "bound and trivial queries: the median of --pairs runs of each, taken in turn;\n"
          "bound/trivial is the median of the pairs' ratios and, in brackets, their middle half.\n")
    print("| shape | nodes / edges | closure | reach(1, Y) | Strata full | SWI full | clingo full "
          "| Strata/SWI | Strata/clingo | Strata bound | Strata trivial | bound/trivial "
          "| SWI bound | Strata full peak RSS |")
    print("| --- " * 14 + "|")
    for r in rows:
        rss = f"{r['strata_full'][3]:.0f} MB" if done(r["strata_full"]) else "-"
        print(f"| {r['shape']} | {r['nodes']} / {r['edges']} | {r['closure']} | {r['answers']} "
              f"| {cpu(r['strata_full'])} | {cpu(r['swi_full'])} | {cpu(r['clingo_full'])} "
              f"| {ratio(r['strata_full'], r['swi_full'])} "
              f"| {ratio(r['strata_full'], r['clingo_full'])} "
              f"| {cpu(r['strata_bound'])} | {cpu(r['strata_trivial'])} "
              f"| {paired_ratio(r.get('bound_ratios', []))} | {cpu(r['swi_bound'])} "
              f"| {rss} |")
    print("\n| shape | nodes / edges | Strata full | SWI full | clingo full | Strata bound "
          "| Strata trivial | SWI bound |")
    print("| --- " * 8 + "|")
    wall = lambda x: f"{x[2]:.3f}" if done(x) else cpu(x)
    for r in rows:
        print(f"| {r['shape']} | {r['nodes']} / {r['edges']} | {wall(r['strata_full'])} "
              f"| {wall(r['swi_full'])} | {wall(r['clingo_full'])} "
              f"| {wall(r['strata_bound'])} | {wall(r['strata_trivial'])} "
              f"| {wall(r['swi_bound'])} |")


def exponent(rows, key, what=1):
    ok = [r for r in rows if done(r[key])]
    return formatted_exponent([r["edges"] for r in ok], [r[key][what] for r in ok])


def print_growth(rows, shapes):
    print("\nGrowth exponents (CPU time ~ edges^k, least squares over the sizes completed):\n")
    keys = ["strata_full", "swi_full", "clingo_full", "strata_bound", "swi_bound"]
    print("| shape | " + " | ".join(keys) + " | Strata full peak RSS |")
    print("| --- " * (len(keys) + 2) + "|")
    for s in shapes:
        rs = [r for r in rows if r["shape"] == s]
        print(f"| {s} | " + " | ".join(exponent(rs, k) for k in keys) +
              f" | {exponent(rs, 'strata_full', 3)} |")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--strata", required=True)
    p.add_argument("--shapes", default="chain,random,grid")
    p.add_argument("--sizes", default="500,1000,2000,4000", help="nodes per graph")
    p.add_argument("--timeout", type=float, default=600)
    p.add_argument("--repeat", type=int, default=1)
    p.add_argument("--pairs", type=int, default=21,
                   help="runs of Strata's bound and trivial queries, in turn, for their ratio")
    p.add_argument("--work", default=None, help="where the graphs go (default: a temp dir)")
    p.add_argument("--tools", default="strata,swi,clingo",
                   help="which of strata, swi, clingo to run")
    args = p.parse_args()
    args.tools = args.tools.split(",")
    for tool in [t for t in ("swipl", "clingo") if t[:3] in "".join(args.tools)]:
        if not shutil.which(tool):
            sys.exit(f"{tool} not found: apt-get install swi-prolog-nox gringo")
    args.strata = os.path.abspath(args.strata)
    cleanup = args.work is None
    args.work = args.work or tempfile.mkdtemp(prefix="engine-peers-")
    shapes = args.shapes.split(",")
    rows = []
    try:
        for s in shapes:
            for n in map(int, args.sizes.split(",")):
                rows.append(measure(args, s, n))
                r = rows[-1]
                print(f"done {s} {n}: closure {r['closure']}, CPU s: Strata full "
                      f"{cpu(r['strata_full'])}, SWI {cpu(r['swi_full'])}, clingo "
                      f"{cpu(r['clingo_full'])}, Strata bound {cpu(r['strata_bound'])}, "
                      f"trivial {cpu(r['strata_trivial'])}", file=sys.stderr, flush=True)
    finally:
        if cleanup:
            shutil.rmtree(args.work, ignore_errors=True)
    print_tables(rows)
    print_growth(rows, shapes)


if __name__ == "__main__":
    main()
