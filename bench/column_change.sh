#!/usr/bin/env bash
# Measures one column change on a large relation (docs/performance.md,
# "A 1,000,000-fact column change"): `add column n.y: int = 0` on a
# relation n(x: int) holding FACTS facts, on a file: target and on a ws://
# target (`strata serve` on loopback), each from a copy of the same state
# file. Prints the wall time of each run and, for file:, the phases that
# `strata migrate --progress json` reports (over ws://, each batch of a
# move too), and the CPU time the server spent on the migration.
#   bench/column_change.sh [STRATA] [OUTDIR]      FACTS=1000000
# TIMEOUT=SECONDS is the ws:// client's per-request timeout (default 30),
# for a machine so loaded that a request waits longer than that;
# SKIP_FILE=1 or SKIP_WS=1 leaves one of the two targets out.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
strata="$(realpath "${1:-$here/../build/bin/strata}")"
out="${2:-/tmp/strata-bench-column-change}"
facts="${FACTS:-1000000}"
rm -rf "$out" && mkdir -p "$out/schema" "$out/migrations" && cd "$out"
printf 'schema = "schema"\nmigrations = "migrations"\n' > strata.toml
printf 'migration 0001_n {\n  create relation n(x: int)\n}\n' > migrations/0001_n.mig
printf 'migration 0002_y {\n  depends 0001_n\n  add column n.y: int = 0\n}\n' > migrations/0002_y.mig
printf 'relation n(x: int, y: int)\n' > schema/n.strata
"$strata" hash > /dev/null
"$strata" migrate 0001_n --target file:loaded.kg > /dev/null
python3 - "$facts" > n.iql <<'PY'
import sys
n = int(sys.argv[1])
for start in range(0, n, 10000):
    print("+n[" + ", ".join(f"({i})" for i in range(start, min(n, start + 10000))) + "]")
PY
"$strata" exec --target file:loaded.kg n.iql > /dev/null
echo "n holds $facts facts; state file $(du -h loaded.kg | cut -f1); in $out"
# file: the phases as --progress json reports them (one line per event).
if [ "${SKIP_FILE:-}" != 1 ]; then
  cp loaded.kg t.kg
  echo "file: migrate 0002_y"
  python3 "$here/progress_phases.py" -- "$strata" migrate --target file:t.kg --progress json
  "$strata" exec --target file:t.kg -e '?n(X, 0)' | tail -1
fi
# ws://: the engine runs in `strata serve`; the client streams the moves.
if [ "${SKIP_WS:-}" != 1 ]; then
  cp loaded.kg serve.kg
  "$strata" serve --port 0 --state serve.kg > serve.log 2>&1 &
  serve_pid=$!
  for _ in $(seq 600); do grep -q 'listening on' serve.log 2>/dev/null && break; sleep 0.1; done
  port=$(sed -n 's/.*listening on [^:]*:\([0-9]*\).*/\1/p' serve.log)
  echo "ws: migrate 0002_y"
  cpu() { ps -o times= -p "$serve_pid" | tr -d ' '; }
  before=$(cpu)
  python3 "$here/progress_phases.py" -- "$strata" migrate --target "ws://127.0.0.1:$port/ws" \
    --progress json --timeout "${TIMEOUT:-30}"
  echo "server CPU during the migration: $(( $(cpu) - before )) s"
  "$strata" exec --target "ws://127.0.0.1:$port/ws" --timeout "${TIMEOUT:-30}" -e '?n(X, 0)' | tail -1
  kill "$serve_pid"; wait "$serve_pid" 2>/dev/null || true
fi
