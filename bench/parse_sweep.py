#!/usr/bin/env python3
"""Parse + check throughput and memory against input size, with the growth
exponents fitted over the sizes.

    parse_sweep.py [--sizes 10000,20000,40000,80000] [--repeat 3]
                   [--work DIR] LABEL=STRATA [LABEL=STRATA...]

For each size N, bench/gen_schema.py writes N declarations (the target's
mix: 47.62% base relations, 2 rules per derived relation, seed 1) as files
of 2000 declarations, and the same text again as one file. Each binary runs
`strata check --schema DIR` on both layouts (best CPU time of --repeat
runs, peak RSS of the child). Prints a Markdown table, then for each binary
and layout the exponents b of time ~ size^b and RSS ~ size^b (bench/growth.py:
least squares on the logarithms; 1.0 is linear)."""
import argparse
import json
import os
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in bench/
from growth import formatted_exponent  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def generate(work, decls):
    multi = os.path.join(work, f"decls-{decls}")
    one = os.path.join(work, f"decls-{decls}-one-file")
    if not os.path.isdir(multi):
        subprocess.run([sys.executable, os.path.join(HERE, "gen_schema.py"), multi, "--decls",
                        str(decls), "--relation-share", "0.4762", "--rules-per-derived", "2",
                        "--seed", "1"], check=True, stdout=subprocess.DEVNULL)
    parts = sorted(f for f in os.listdir(os.path.join(multi, "schema")) if f.endswith(".strata"))
    text = b"".join(open(os.path.join(multi, "schema", f), "rb").read() for f in parts)
    os.makedirs(os.path.join(one, "schema"), exist_ok=True)
    with open(os.path.join(one, "schema", "all.strata"), "wb") as f:
        f.write(text)
    return {"files": os.path.join(multi, "schema"), "one file": os.path.join(one, "schema")}, len(text)


def measure(strata, schema, repeat):
    out = subprocess.run([sys.executable, os.path.join(HERE, "timeit.py"), "--repeat", str(repeat),
                          "--", strata, "check", "--schema", schema],
                         check=True, capture_output=True, text=True).stdout
    r = json.loads(out)
    if r["exit"] != 0:
        sys.exit(f"{strata} check --schema {schema} exited {r['exit']}")
    return r["cpu_s"], r["peak_rss_kb"] * 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,20000,40000,80000")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--work", default="/tmp/strata-parse-sweep")
    ap.add_argument("binaries", nargs="+", help="LABEL=PATH of a strata binary")
    args = ap.parse_args()
    binaries = [b.split("=", 1) for b in args.binaries]
    sizes = [int(s) for s in args.sizes.split(",")]
    os.makedirs(args.work, exist_ok=True)
    print("| binary | layout | decls | MB | check CPU s | MB/s (CPU) | peak RSS MB "
          "| RSS bytes per source byte |")
    print("|---|---|---|---|---|---|---|---|")
    series = {}
    for decls in sizes:
        layouts, size = generate(args.work, decls)
        for label, strata in binaries:
            for layout, schema in layouts.items():
                cpu, rss = measure(strata, schema, args.repeat)
                series.setdefault((label, layout), []).append((size, cpu, rss))
                print(f"| {label} | {layout} | {decls} | {size / 1e6:.2f} | {cpu:.3f} | "
                      f"{size / 1e6 / cpu:.2f} | {rss / 2**20:.1f} | {rss / size:.0f} |", flush=True)
    print()
    print("| binary | layout | time exponent | RSS exponent |")
    print("|---|---|---|---|")
    for (label, layout), points in series.items():
        xs = [p[0] for p in points]
        print(f"| {label} | {layout} | {formatted_exponent(xs, [p[1] for p in points])} | "
              f"{formatted_exponent(xs, [p[2] for p in points])} |")


if __name__ == "__main__":
    main()
