#!/usr/bin/env python3
"""Growth sweeps: runs one benchmark at several sizes and fits how its CPU
time and peak memory grow (docs/performance.md, "How each benchmark
grows").

    sweep.py BENCHMARK --strata PATH [--sizes A,B,C,D] [--repeat N] [--work DIR]

BENCHMARK (default sizes in brackets):
  makemigrations  bench/run_makemigrations.sh on projects of N relations,
                  2N rule clauses and --migrations K (250) migrations, Strata
                  only (--django adds Django) [N = 500,1000,2000,4000]
  backend         bench/run_backend.sh (plan, emit, verify; with --migrate
                  also `migrate` of the whole history to a fresh file:
                  target) on N relations, 2N rules, N/2 migrations
                  [N = 500,1000,2000,4000]
  migrate         bench/run_migrate.sh, file: target only, F facts
                  [F = 25000,50000,100000,200000]
  column-change   bench/column_change.sh, file: target only, F facts
                  [F = 125000,250000,500000,1000000]
  lsp             bench/lsp_latency.py on bench/gen_project.py projects of N
                  relations, 2N rules, 2 migrations [N = 1250,2500,5000,10000]
  stress          bench/stress.py against `strata serve` with C clients for
                  --seconds (5): the server's CPU per operation and its peak
                  RSS [C = 1,2,4,8]
  rules           registering N rules (bench/gen_rules.py, `independent`
                  and `chain`) with `strata exec` on a fresh file: target
                  [N = 2000,4000,8000,16000]

Each reuses the benchmark's own script, so a sweep measures exactly what
the benchmark does. Times are CPU seconds (user + sys) of the measured
process, the best of --repeat runs (default 1), which the load of a shared
machine inflates less than wall time; memory is its peak resident set.
Prints a Markdown table of the figures, then the exponent b of CPU time
~ size^b and peak RSS ~ size^b of every measure (bench/growth.py). parse +
check (bench/parse_sweep.py), the engine (bench/engine_peers.py) and
`strata serve` writes (bench/serve_latency.py) are sweeps of their own.
"""
import argparse
import json
import os
import re
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in bench/
from growth import growth_table  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def timeit(cmd, repeat, before=None, cwd=None):
    """bench/timeit.py's JSON for cmd: best CPU, peak RSS, exit."""
    pre = ["--before", before] if before else []
    out = subprocess.run([sys.executable, os.path.join(HERE, "timeit.py"), "--repeat",
                          str(repeat)] + pre + ["--"] + cmd,
                         cwd=cwd, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def labelled_json(text):
    """The `LABEL {json}` lines that the bench shell scripts print."""
    rows = []
    for line in text.splitlines():
        if "{" in line and line.rstrip().endswith("}"):
            label, _, rest = line.partition("{")
            rows.append((label.strip(), json.loads("{" + rest)))
    return rows


def point(size, result):
    if result.get("exit", 0) != 0:
        raise SystemExit(f"size {size}: a run exited {result['exit']}")
    return (size, result["cpu_s"], result["peak_rss_kb"] * 1024)


def add(series, name, p):
    """Adds point p (size, CPU s, peak RSS bytes) to the measure's series,
    and prints it at once, so that a sweep stopped early keeps it."""
    series.setdefault(name, []).append(p)
    print(f"{name}, size {p[0]}: CPU {p[1]:.3f} s, peak RSS {p[2] / 2**20:.0f} MB",
          file=sys.stderr, flush=True)


def run_script(script, args, env, cwd=None):
    done = subprocess.run(["bash", os.path.join(HERE, script)] + args, env={**os.environ, **env},
                          cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{script} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return done.stdout


def makemigrations(args, sizes):
    build = os.path.dirname(os.path.dirname(args.strata))
    if os.path.join(build, "bin", "strata") != args.strata:
        raise SystemExit("makemigrations needs --strata BUILD/bin/strata (the script copies it)")
    work = os.path.join(args.work, "makemigrations")
    run_script("run_makemigrations.sh", [], {
        "STRATA_BENCH_BUILD_DIR": build, "BENCH_SKIP_BUILD": "1", "BENCH_WORK_DIR": work,
        "MM_SIZES": " ".join(f"{n}:{2 * n}:{args.migrations}" for n in sizes),
        "MM_SWEEP_K": "", "MM_DJANGO": "1" if args.django else "0",
        "MM_DJANGO_COLD": "all" if args.django else "none", "BENCH_REPEAT": str(args.repeat)})
    series = {}
    with open(os.path.join(work, "results.jsonl")) as log:
        for line in log:
            entry = json.loads(line)
            project, what = entry["label"].split(" ", 1)
            n = int(re.match(r"n(\d+)-", project).group(1))
            add(series, what, point(n, entry["result"]))
    return "relations N", series


def backend(args, sizes):
    names = ["plan forward", "plan forward, JSON", "plan backward", "emit one migration",
             "verify", "migrate to a fresh file: target"]
    series = {}
    for n in sizes:
        out = run_script("run_backend.sh", [args.strata, os.path.join(args.work, f"backend-{n}")],
                         {"RELATIONS": str(n), "RULES": str(2 * n), "MIGRATIONS": str(n // 2),
                          "REPEAT": str(args.repeat), "MIGRATE": "1" if args.migrate else "0"})
        for name, (_, result) in zip(names, labelled_json(out)):
            add(series, name, point(n, result))
    return "relations N (2N rules, N/2 migrations)", series


def migrate(args, sizes):
    names = ["load the facts (exec)", "migrate 0002-0004", "revert to 0001", "one query (exec)"]
    series = {}
    for f in sizes:
        out = run_script("run_migrate.sh", [args.strata, os.path.join(args.work, f"migrate-{f}")],
                         {"FACTS": str(f), "REPEAT": str(args.repeat), "SKIP_WS": "1"})
        for name, (_, result) in zip(names, labelled_json(out)):
            add(series, name, point(f, result))
    return "facts", series


def column_change(args, sizes):
    series = {}
    for f in sizes:
        out = run_script("column_change.sh",
                         [args.strata, os.path.join(args.work, f"column-change-{f}")],
                         {"FACTS": str(f), "SKIP_WS": "1"})
        m = re.search(r"CPU ([\d.]+) s \(user \+ sys\), peak RSS (\d+) MB", out)
        if not m:
            raise SystemExit(f"column_change.sh printed no CPU line:\n{out}")
        add(series, "add column, file:", (f, float(m.group(1)), int(m.group(2)) * 2**20))
    return "facts", series


def lsp(args, sizes):
    series = {}
    for n in sizes:
        project = os.path.join(args.work, f"lsp-{n}")
        if not os.path.isdir(project):
            subprocess.run([sys.executable, os.path.join(HERE, "gen_project.py"), project,
                            "--relations", str(n), "--rules", str(2 * n), "--migrations", "2",
                            "--strata", args.strata], check=True, stdout=subprocess.DEVNULL)
        out = subprocess.run([sys.executable, os.path.join(HERE, "lsp_latency.py"), args.strata,
                              project, "--keystrokes", str(args.keystrokes), "--json"],
                             check=True, capture_output=True, text=True).stdout
        r = json.loads(out.splitlines()[-1])
        mb = 2**20
        add(series, "open (check of the whole schema)",
            (n, r["open_cpu_ms"] / 1000, r["rss_open_mb"] * mb))
        add(series, "one keystroke (mean)",
            (n, r["keystroke_cpu_ms_mean"] / 1000, r["peak_rss_mb"] * mb))
    return "relations N (2N rules)", series


def rules(args, sizes):
    series = {}
    for shape in ("independent", "chain"):
        for n in sizes:
            work = os.path.join(args.work, f"rules-{shape}-{n}")
            os.makedirs(work, exist_ok=True)
            with open(os.path.join(work, "rules.iql"), "w") as f:
                subprocess.run([sys.executable, os.path.join(HERE, "gen_rules.py"), shape, str(n)],
                               check=True, stdout=f)
            r = timeit([args.strata, "exec", "--target", "file:rules.kg", "rules.iql"],
                       args.repeat, before="rm -f rules.kg rules.kg.*", cwd=work)
            add(series, f"{shape} rules", point(n, r))
    return "rules N", series


def stress(args, sizes):
    series = {}
    for c in sizes:
        out = subprocess.run([sys.executable, os.path.join(HERE, "stress.py"), "--strata",
                              args.strata, "--clients", str(c), "--seconds", str(args.seconds),
                              "--targets", "serve"], check=True, capture_output=True,
                             text=True).stdout
        m = re.search(r"server CPU ([\d.]+) ms per operation, peak RSS (\d+) MB", out)
        if not m or "all acknowledged writes present" not in out:
            raise SystemExit(f"stress.py with {c} clients:\n{out}")
        add(series, "one operation (server)",
            (c, float(m.group(1)) / 1000, int(m.group(2)) * 2**20))
    return "clients", series


BENCHMARKS = {"makemigrations": (makemigrations, "500,1000,2000,4000"),
              "backend": (backend, "500,1000,2000,4000"),
              "migrate": (migrate, "25000,50000,100000,200000"),
              "column-change": (column_change, "125000,250000,500000,1000000"),
              "lsp": (lsp, "1250,2500,5000,10000"),
              "rules": (rules, "2000,4000,8000,16000"),
              "stress": (stress, "1,2,4,8")}


def seconds(cpu):
    return f"{cpu * 1000:.2f} ms" if cpu < 0.1 else f"{cpu:.3f} s"


def print_figures(size_name, series):
    sizes = sorted({p[0] for points in series.values() for p in points})
    print(f"| {size_name} | " + " | ".join(series) + " |")
    print("| --- " * (len(series) + 1) + "|")
    for size in sizes:
        cells = []
        for points in series.values():
            p = next((p for p in points if p[0] == size), None)
            cells.append(f"{seconds(p[1])}, {p[2] / 2**20:.0f} MB" if p else "-")
        print(f"| {size:,} | " + " | ".join(cells) + " |")
    print()
    print("\n".join(growth_table(series, size_name)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("benchmark", choices=sorted(BENCHMARKS))
    ap.add_argument("--strata", required=True)
    ap.add_argument("--sizes", help="comma-separated sizes (see above for the defaults)")
    ap.add_argument("--repeat", type=int, default=1, help="runs per measurement (best CPU)")
    ap.add_argument("--work", default="/tmp/strata-sweep")
    ap.add_argument("--migrations", type=int, default=250, help="makemigrations: K")
    ap.add_argument("--migrate", action="store_true", help="backend: time migrate too")
    ap.add_argument("--django", action="store_true", help="makemigrations: measure Django too")
    ap.add_argument("--keystrokes", type=int, default=40, help="lsp: keystrokes per size")
    ap.add_argument("--seconds", type=float, default=5, help="stress: seconds per size")
    args = ap.parse_args()
    args.strata = os.path.abspath(args.strata)
    run, default_sizes = BENCHMARKS[args.benchmark]
    sizes = [int(s) for s in (args.sizes or default_sizes).split(",")]
    os.makedirs(args.work, exist_ok=True)
    size_name, series = run(args, sizes)
    print(f"{args.benchmark}: {args.strata}, sizes {', '.join(map(str, sizes))}, "
          f"best of {args.repeat}\n")
    print_figures(size_name, series)


if __name__ == "__main__":
    main()
