"""Usage: expect-exit.py CODE COMMAND [ARGS...]

Runs COMMAND, passing its output through, and fails unless it exits with
exactly CODE. lit's `not` only checks for non-zero; exit codes are part of
Strata's interface (0 ok, 1 diagnostics, 2 usage), so tests check them.
"""
import subprocess
import sys

expected = int(sys.argv[1])
status = subprocess.call(sys.argv[2:])
if status != expected:
    sys.stderr.write(f"expect-exit: {sys.argv[2]} exited with {status}, expected {expected}\n")
    sys.exit(1)
