"""Checks bench/growth.py's fit on synthetic costs whose exponent is known.
    fit-exponents.py BENCH_DIR"""
import math
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, sys.argv[1])
from growth import exponent, formatted_exponent, growth_table  # noqa: E402

sizes = [500, 1000, 2000, 4000]


def show(name, costs):
    print(f"{name}: {exponent(sizes, costs):.4f}")


# Exact powers: the fit returns the exponent whatever the constant factor.
show("linear", [0.002 * n for n in sizes])
show("n^1.5", [3e-6 * n ** 1.5 for n in sizes])
show("quadratic", [7e-9 * n ** 2 for n in sizes])
show("constant", [0.25 for _ in sizes])
show("n^-0.5", [n ** -0.5 for n in sizes])
# Noise of +-10% alternating around a linear cost moves the fit a little.
show("linear, noisy", [0.002 * n * f for n, f in zip(sizes, [1.1, 0.9, 1.1, 0.9])])
# A fixed part (a process's own 15 MB) plus 100 bytes per unit: below 1
# while the fixed part dominates, towards 1 as it stops mattering.
show("15 MB + 100 B/unit", [15e6 + 100 * n for n in sizes])
show("15 MB + 100 B/unit, 100x larger", [15e6 + 100 * n * 100 for n in sizes])
# Least squares over every size, not the two ends: one slow run at the
# smallest size pulls the fit less than it pulls a two-point slope.
slow_first = [0.002 * n * f for n, f in zip(sizes, [2, 1, 1, 1])]
two_point = math.log(slow_first[-1] / slow_first[0]) / math.log(sizes[-1] / sizes[0])
print(f"slow first run: least squares {exponent(sizes, slow_first):.4f}, "
      f"two-point {two_point:.4f}")

# Points that cannot give a figure.
print("one size:", formatted_exponent([1000], [0.5]))
print("a zero cost:", formatted_exponent(sizes, [0.0, 0.0, 0.0, 0.01]))
print("zero dropped:", formatted_exponent(sizes, [0.0, 2.0, 4.0, 8.0]))
for bad in (([1, 2], [1.0]), ([3, 3], [1.0, 2.0]), ([1, 2], [0.0, 1.0])):
    try:
        exponent(*bad)
    except ValueError as e:
        print("error:", e)

print("\n".join(growth_table({"check": [(n, 0.001 * n, 1024 * n) for n in sizes]}, "decls")))
