#!/usr/bin/env bash
# Measures `strata migrate` and `revert` moving facts (docs/performance.md,
# "migrate and revert"): the test project test/Exec/Inputs/hr with N
# employees, then its three column changes (add, rename, retype: each
# moves every fact into a staging relation and back), on a file: target
# and on a ws:// target (`strata serve` on loopback).
#   bench/run_migrate.sh [STRATA] [OUTDIR]      FACTS=100000 REPEAT=3
#   SKIP_WS=1 measures the file: target only.
# Prints one JSON line per step (bench/timeit.py: best wall, CPU of the
# measured process only, peak RSS).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
strata="$(realpath "${1:-$here/../build/bin/strata}")"
out="${2:-/tmp/strata-bench-migrate}"
facts="${FACTS:-100000}" repeat="${REPEAT:-3}"
rm -rf "$out" && cp -r "$here/../test/Exec/Inputs/hr" "$out" && cd "$out"
python3 - "$facts" > facts.iql <<'PY'
import sys
n = int(sys.argv[1])
for start in range(0, n, 1000):
    rows = ", ".join(f'({i}, "employee {i}", {1000 + i % 5000})' for i in range(start, min(n, start + 1000)))
    print(f"+employee[{rows}]")
PY
"$strata" migrate 0001_initial --target file:empty.kg > /dev/null
cp empty.kg loaded.kg
"$strata" exec --target file:loaded.kg facts.iql > /dev/null
cp loaded.kg before.kg && "$strata" migrate --target file:before.kg > /dev/null && mv before.kg migrated.kg
run() {
  local label="$1"; shift
  printf '%-44s ' "$label"
  python3 "$here/timeit.py" --repeat "$repeat" -- sh -c "$*"
}
echo "project: test/Exec/Inputs/hr, $facts employees, in $out; kg file $(du -h loaded.kg | cut -f1)"
run "exec: load $facts facts (file:)" "cp empty.kg t.kg && exec '$strata' exec --target file:t.kg facts.iql"
run "migrate 0002-0004 (file:)" "cp loaded.kg t.kg && exec '$strata' migrate --target file:t.kg"
run "revert to 0001 (file:)" "cp migrated.kg t.kg && exec '$strata' revert 0001_initial --target file:t.kg"
run "exec: one query over $facts facts (file:)" "exec '$strata' exec --target file:loaded.kg -e '?employee(I, N, S), S > 5990'"
# ws://: the engine runs in `strata serve`, which saves its state file after
# every request that changed it; CPU here is the client's only.
serve_ws() {
  cp "$1" serve.kg
  "$strata" serve --port 0 --state serve.kg > serve.log 2>&1 &
  serve_pid=$!
  for _ in $(seq 100); do grep -q 'listening on' serve.log 2>/dev/null && break; sleep 0.05; done
  port=$(sed -n 's/.*listening on [^:]*:\([0-9]*\).*/\1/p' serve.log)
}
[ "${SKIP_WS:-}" = 1 ] && exit 0
for i in $(seq "$repeat"); do
  serve_ws loaded.kg
  printf '%-44s ' "migrate 0002-0004 (ws://, run $i)"
  python3 "$here/timeit.py" --repeat 1 -- "$strata" migrate --target "ws://127.0.0.1:$port/ws"
  kill "$serve_pid"; wait "$serve_pid" 2>/dev/null || true
done
