"""Prints one bulk insert of N facts `big(I, "x...x")` (40-character strings),
large enough that querying them back exceeds the 1 MiB frame budget."""
import sys

n = int(sys.argv[1])
print("+big(n: int, s: string)")
print("+big[" + ", ".join(f'({i}, "{"x" * 40}")' for i in range(n)) + "]")
