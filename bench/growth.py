#!/usr/bin/env python3
"""How a cost grows with size: the exponent b of cost ~ size^b.

The one home of the growth fit used by the bench scripts (parse_sweep.py,
engine_peers.py, serve_latency.py, sweep.py). b is the slope of the
least-squares line through the points (log size, log cost): 1.0 is
linear, 2.0 quadratic, 0 flat. Fitting every size, not only the smallest
and the largest, lets one noisy run on a loaded machine move the figure
less.

As a library:
    from growth import exponent, formatted_exponent, growth_table
    exponent([1000, 2000, 4000, 8000], [0.1, 0.21, 0.39, 0.82])   # about 1.0
Time is to be measured as CPU seconds (user + sys) of the measured process
(bench/timeit.py, or /proc for a server), which the load of a shared
machine inflates less than wall time; memory as its peak resident set.

As a command, for figures already measured (e.g. a table in
docs/performance.md):
    growth.py --sizes 250,500,1000,2000 --costs 0.17,0.18,0.21,0.26
prints `exponent 0.xx over 4 sizes`.
"""
import argparse
import math
import os
import sys


def exponent(sizes, costs):
    """The least-squares slope of log(cost) against log(size). Needs two
    distinct sizes and positive figures (a cost of 0 has no logarithm:
    measure something larger, such as the sum over many requests)."""
    if len(sizes) != len(costs):
        raise ValueError(f"{len(sizes)} sizes but {len(costs)} costs")
    if len(set(sizes)) < 2:
        raise ValueError("the fit needs at least two distinct sizes")
    if any(v <= 0 for v in list(sizes) + list(costs)):
        raise ValueError("sizes and costs must be positive to take their logarithms")
    lx = [math.log(x) for x in sizes]
    ly = [math.log(y) for y in costs]
    mx, my = sum(lx) / len(lx), sum(ly) / len(ly)
    return sum((a - mx) * (b - my) for a, b in zip(lx, ly)) / sum((a - mx) ** 2 for a in lx)


def formatted_exponent(sizes, costs):
    """The exponent to two decimals, or `-` when the points cannot give one
    (fewer than two sizes completed, a zero figure)."""
    points = [(x, y) for x, y in zip(sizes, costs) if x and y and x > 0 and y > 0]
    if len({x for x, _ in points}) < 2:
        return "-"
    return f"{exponent([x for x, _ in points], [y for _, y in points]):.2f}"


def growth_table(series, size_name):
    """Markdown lines: for each measure, its sizes and the exponents of its
    CPU time and peak RSS. series maps a measure's name to its points
    (size, CPU seconds, peak RSS bytes), in the order they were measured."""
    lines = [f"| measure | {size_name} | time exponent (CPU) | memory exponent (peak RSS) |",
             "| --- | --- | --- | --- |"]
    for name, points in series.items():
        sizes = [p[0] for p in points]
        lines.append(f"| {name} | {', '.join(f'{x:,}' for x in sizes)} | "
                     f"{formatted_exponent(sizes, [p[1] for p in points])} | "
                     f"{formatted_exponent(sizes, [p[2] for p in points])} |")
    return lines


def process_cpu_s(pid):
    """CPU seconds (user + sys) a running process has used so far, from
    /proc: for a server measured between two requests."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def process_memory(pid, field="VmHWM"):
    """A running process's memory in bytes from /proc: VmHWM, its peak
    resident set so far, or VmRSS, its resident set now."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return 0


def main():
    ap = argparse.ArgumentParser(description="The exponent b of cost ~ size^b (least squares "
                                 "on the logarithms).")
    ap.add_argument("--sizes", required=True, help="comma-separated sizes")
    ap.add_argument("--costs", required=True, help="comma-separated costs, one per size")
    args = ap.parse_args()
    sizes = [float(s) for s in args.sizes.split(",")]
    costs = [float(c) for c in args.costs.split(",")]
    try:
        print(f"exponent {exponent(sizes, costs):.2f} over {len(sizes)} sizes")
    except ValueError as e:
        sys.exit(f"growth.py: {e}")


if __name__ == "__main__":
    main()
