#!/usr/bin/env bash
# Measures the IQL backend on the large generated project (docs/performance.md,
# "emit, plan and verify"): the full history planned forward from zero and
# backward from the leaf to zero, one migration emitted, and `strata verify`.
#   bench/run_backend.sh [STRATA] [OUTDIR]
#   RELATIONS=10000 RULES=20000 MIGRATIONS=5000 REPEAT=3
#   MIGRATE=1 also times `strata migrate` of the whole history to a fresh
#   file: target (with its post-conditions; "migrate and revert").
# Prints one JSON line per command (bench/timeit.py: best wall, CPU, peak RSS).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
strata="$(realpath "${1:-$here/../build/bin/strata}")"
out="${2:-/tmp/strata-bench-backend}"
relations="${RELATIONS:-10000}" rules="${RULES:-20000}" migrations="${MIGRATIONS:-5000}"
repeat="${REPEAT:-3}"
rm -rf "$out"
python3 "$here/gen_project.py" "$out" --relations "$relations" --rules "$rules" \
  --migrations "$migrations" --strata "$strata" > /dev/null
cd "$out"
leaf="$(ls migrations | grep '\.mig$' | tail -1)"; leaf="${leaf%.mig}"
mid="$(ls migrations | grep '\.mig$' | sed -n "$((migrations / 2))p")"; mid="${mid%.mig}"
run() {
  printf '%-48s ' "$*"
  python3 "$here/timeit.py" --repeat "$repeat" -- "$strata" "$@"
}
echo "project: $relations relations, $rules rules, $migrations migrations in $out"
run plan --from zero --no-comments
run plan --from zero --format json
run plan --from "$leaf" --to zero --no-comments
run emit "$mid"
run verify
if [ "${MIGRATE:-0}" = 1 ]; then
  printf '%-48s ' "migrate --target file:fresh.kg"
  python3 "$here/timeit.py" --repeat "$repeat" --before 'rm -f fresh.kg fresh.kg.*' -- \
    "$strata" migrate --target file:fresh.kg
fi
