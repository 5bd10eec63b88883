#!/usr/bin/env bash
# Mutation sampler: see scripts/mutate.py (or --help) and docs/testing.md.
# Not run in CI: each mutant is a rebuild and a test run.
exec python3 "$(dirname "$0")/mutate.py" "$@"
