#!/usr/bin/env python3
"""An IQL program registering N persistent rules (docs/performance.md,
"Registering many rules"): a base relation with two facts, N rules, then a
query of the last rule.

    gen_rules.py SHAPE N > rules.iql

SHAPE is `independent` (`+rI(X) <- base(X)`), `chain` (`+cI(X) <-
cI-1(X)`, each rule extending the one before) or `topdown` (the same
chain written from the top: each body names a relation with no rule yet).
"""
import sys


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("independent", "chain", "topdown"):
        sys.exit("usage: gen_rules.py independent|chain|topdown N")
    shape, n = sys.argv[1], int(sys.argv[2])
    print("+base(x: int)")
    print("+base[(1), (2)]")
    for i in range(n):
        if shape == "independent":
            print(f"+r{i}(X) <- base(X)")
        elif shape == "chain":
            print(f"+c{i}(X) <- " + (f"c{i - 1}(X)" if i else "base(X)"))
        else:
            print(f"+c{i}(X) <- " + (f"c{i + 1}(X)" if i < n - 1 else "base(X)"))
    print(f"?{'r' if shape == 'independent' else 'c'}{n - 1}(X)")


if __name__ == "__main__":
    main()
