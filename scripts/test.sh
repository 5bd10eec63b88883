#!/usr/bin/env bash
# Builds Strata and runs every test: the lit golden tests, the GoogleTest
# unit tests (through lit), and a bounded libFuzzer run of the parser.
# The last line is the summary `N passed, N failed, N skipped`.
#   --no-fuzz            skip the fuzzer (it needs its own clang build)
#   STRATA_FUZZ_SECONDS  how long the fuzzer runs (default 60)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${STRATA_BUILD_DIR:-$root/build}
fuzz=1
for arg in "$@"; do
  case "$arg" in
    --no-fuzz) fuzz=0 ;;
    *) echo "test.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done

"$root/scripts/build.sh" || { echo "0 passed, 1 failed"; exit 1; }

lit=/usr/lib/llvm-14/build/utils/lit/lit.py
results=$(mktemp)
python3 "$lit" -sv --order=lexical -o "$results" "$build/test" "$build/test/Unit"
lit_status=$?

fuzz_passed=0 fuzz_failed=0
if [ "$fuzz" = 1 ]; then
  if "$root/scripts/fuzz.sh" "${STRATA_FUZZ_SECONDS:-60}"; then
    fuzz_passed=1
  else
    fuzz_failed=1
  fi
fi

python3 - "$results" "$fuzz_passed" "$fuzz_failed" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
passed = int(sys.argv[2]); failed = int(sys.argv[3]); skipped = 0
for t in data.get("tests", []):
    code = t["code"]
    if code in ("PASS", "XFAIL"): passed += 1
    elif code in ("UNSUPPORTED",): skipped += 1
    else: failed += 1
print(f"{passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed else 0)
PY
summary_status=$?
rm -f "$results"
[ $lit_status -eq 0 ] && [ $summary_status -eq 0 ]
