#!/usr/bin/env bash
# Measures `strata makemigrations` against Django's `makemigrations` on
# equivalent generated projects (bench/gen_project.py, bench/gen_django.py),
# side by side in one run, and prints Markdown tables.
#
# For each project (N relations, M rule clauses, K migrations):
#   strata no-change   strata makemigrations --check            (exit 0 expected),
#                      cold (no .strata/sync-stamp, as in a fresh checkout) and
#                      warm (the stamp of an earlier no-change run is valid)
#   strata one-change  strata makemigrations --dry-run          (schema copy with one
#                      column added to rel_1; exit 0, nothing is written)
#   django no-change   manage.py makemigrations --check --dry-run   (exit 0 expected)
#   django one-change  the same with BENCH_ONE_CHANGE=1 (one extra field on
#                      Rel1; exit 1 expected: --check found changes)
# Strata: best wall / best CPU of BENCH_REPEAT runs. Django: best of
# DJANGO_REPEAT runs, each under a timeout (the first run of a project also
# compiles the migration modules to __pycache__; later ones reuse it). CPU = user + sys of the child and its children (os.wait4), peak
# RSS = ru_maxrss. Ratio = Django / Strata.
#
#   MM_SIZES="1000:2000:1000 10000:20000:5000"  N:M:K of the main projects
#   MM_SWEEP_N=1000 MM_SWEEP_M=2000              fixed N and M of the K sweep
#   MM_SWEEP_K="250 500 1000 2000 5000"          history sizes of the sweep ("" skips it)
#   MM_DJANGO=1                                  0 skips Django
#   MM_DJANGO_ONE_CHANGE=main                    main | all | none: where Django's
#                                                one-change run is measured
#   DJANGO_TIMEOUT=600                           seconds per Django run
#   DJANGO_REPEAT=2                              Django runs per measurement
#   DJANGO_PYTHON=/usr/bin/python3               Debian's python3 (python3-django)
#   BENCH_REPEAT=3                               Strata runs per measurement
#   BENCH_JOBS=2                                 build parallelism
#   BENCH_SKIP_BUILD=1                           use the existing build-bench binary
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${STRATA_BENCH_BUILD_DIR:-$root/build-bench}
work=${BENCH_WORK_DIR:-$build/bench-data/makemigrations}
sizes=${MM_SIZES:-1000:2000:1000 10000:20000:5000}
sweep_n=${MM_SWEEP_N:-1000}
sweep_m=${MM_SWEEP_M:-2000}
sweep_k=${MM_SWEEP_K-250 500 1000 2000 5000}
repeat=${BENCH_REPEAT:-3}
use_django=${MM_DJANGO:-1}
django_one=${MM_DJANGO_ONE_CHANGE:-main}
dj_timeout=${DJANGO_TIMEOUT:-600}
dj_python=${DJANGO_PYTHON:-/usr/bin/python3}
dj_repeat=${DJANGO_REPEAT:-2}
timeit=(python3 "$root/bench/timeit.py")

# ---- build (as bench/run.sh does) -------------------------------------------
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  if [ ! -f "$build/build.ninja" ]; then
    CCACHE_BASEDIR=$root cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      "${launcher[@]}" >/dev/null
  fi
  CCACHE_BASEDIR=$root ninja -C "$build" -j "${BENCH_JOBS:-2}" strata >/dev/null
fi
mkdir -p "$work"
# A private copy, so that a rebuild during the run cannot swap the binary.
cp "$build/bin/strata" "$work/strata.bin"
strata=$work/strata.bin
if ! "$strata" makemigrations --help 2>/dev/null | grep -q -- '--check'; then
  echo "run_makemigrations.sh: $strata has no usable \`makemigrations --check\`" >&2
  exit 1
fi

# ---- Django (Debian's python3-django) ---------------------------------------
if [ "$use_django" = 1 ] && ! "$dj_python" -c 'import django' 2>/dev/null; then
  echo "installing python3-django" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y python3-django >/dev/null
fi
dj_version=n/a
[ "$use_django" = 1 ] && dj_version=$("$dj_python" -c 'import django; print(django.get_version())')

log=$work/results.jsonl
: > "$log"
: > "$work/breakdown.md"

field() { # json key
  python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"
}

# run LABEL EXPECTED-EXIT DIR timeit-args... -> prints the timeit JSON
run() {
  local label=$1 expect=$2 dir=$3; shift 3
  local r
  r=$(cd "$dir" && "${timeit[@]}" "$@") || true
  [ -n "$r" ] || r='{"wall_s": 0, "cpu_s": 0, "peak_rss_kb": 0, "exit": -1}'
  echo "{\"label\": \"$label\", \"result\": $r}" >> "$log"
  local ex
  ex=$(field "$r" exit)
  if [ "$ex" != "$expect" ]; then
    echo "run_makemigrations.sh: $label exited $ex, expected $expect" >&2
    r=$(python3 -c "import json,sys; d=json.loads(sys.argv[1]); d['bad']=1; print(json.dumps(d))" "$r")
  fi
  echo "$r"
}

fmt() { # json -> "wall / CPU s, RSS MB" (or a mark for failures)
  python3 - "$1" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
if d.get("skipped"):
    print("—")
elif d.get("exit") == 124:
    print("timeout")
elif d.get("bad"):
    print(f"exit {d['exit']}")
else:
    print(f"{d['wall_s']:.3f} / {d['cpu_s']:.3f} s, {d['peak_rss_kb'] / 1024:.0f} MB")
PY
}

ratio() { # django-json strata-json key
  python3 - "$1" "$2" "$3" <<'PY'
import json, sys
d, s, k = json.loads(sys.argv[1]), json.loads(sys.argv[2]), sys.argv[3]
if any(x.get("bad") or x.get("skipped") or x.get("exit") == 124 for x in (d, s)) or s[k] <= 0:
    print("—")
else:
    r = d[k] / s[k]
    print(f"{r:.0f}x" if r >= 10 else f"{r:.1f}x")
PY
}

na='{"wall_s": 0, "cpu_s": 0, "peak_rss_kb": 0, "exit": 0, "skipped": 1}'

# measure KIND N M K -> one table row
measure() {
  local kind=$1 n=$2 m=$3 k=$4
  local label="n${n}-m${m}-k${k}"
  local sp=$work/strata-$label dp=$work/django-$label
  local summary
  rm -rf "$sp"
  summary=$(python3 "$root/bench/gen_project.py" "$sp" --relations "$n" --rules "$m" \
    --migrations "$k" --seed 1 --strata "$strata")
  echo "$label: $summary" >&2
  # The one-change schema: rel_1 gets one more column (it is read by rules
  # only through named atoms, so the change is a single add column).
  cp -r "$sp/schema" "$sp/schema-one-change"
  sed -i 's/^relation rel_1(\(.*\))$/relation rel_1(\1, bench_extra: int = 0)/' \
    "$sp/schema-one-change/part_000.strata"
  (cd "$sp" && "$strata" makemigrations --dry-run --schema schema-one-change --migrations migrations) \
    | grep -q '^  add column rel_1.bench_extra: int = 0$' ||
    { echo "one-change dry run did not find the added column" >&2; exit 1; }
  local mig_mb
  mig_mb=$(cat "$sp"/migrations/*.mig | wc -c | awk '{printf "%.2f", $1 / 1e6}')

  local cold warm one d0=$na d1=$na
  # Cold: no .strata/ (no sync stamp), as in a fresh CI checkout; the `rm`
  # is a child of the measured shell, a millisecond or so.
  cold=$(run "$label strata no-change cold" 0 "$sp" --repeat "$repeat" -- \
    sh -c 'rm -rf .strata && exec "$0" "$@"' "$strata" makemigrations --check \
    --schema schema --migrations migrations)
  # Warm: after a run that found no changes (files older than a second, so
  # that the stamp trusts them), as on a developer's machine.
  sleep 1
  (cd "$sp" && "$strata" makemigrations --check --schema schema --migrations migrations >/dev/null)
  warm=$(run "$label strata no-change warm" 0 "$sp" --repeat "$repeat" -- \
    "$strata" makemigrations --check --schema schema --migrations migrations)
  one=$(run "$label strata one-change" 0 "$sp" --repeat "$repeat" -- \
    "$strata" makemigrations --dry-run --schema schema-one-change --migrations migrations)
  if [ "$kind" = main ]; then
    # Where the cold time goes: the schema alone (parse + Sema), the history
    # alone (load, strata.sum, replay); the rest is the comparison.
    local bc bh
    bc=$(run "$label strata check schema" 0 "$sp" --repeat "$repeat" -- \
      "$strata" check --schema schema)
    bh=$(run "$label strata showmigrations" 0 "$sp" --repeat "$repeat" -- \
      "$strata" showmigrations --offline --schema schema --migrations migrations)
    echo "| $n | $m | $k | $(fmt "$cold") | $(fmt "$bc") | $(fmt "$bh") |" >> "$work/breakdown.md"
  fi
  if [ "$use_django" = 1 ]; then
    python3 "$root/bench/gen_django.py" "$dp" --relations "$n" --rules "$m" --migrations "$k" \
      --seed 1 >&2
    d0=$(run "$label django no-change" 0 "$dp" --repeat "$dj_repeat" -- timeout "$dj_timeout" \
      "$dj_python" manage.py makemigrations --check --dry-run)
    if [ "$django_one" = all ] || { [ "$django_one" = main ] && [ "$kind" = main ]; }; then
      d1=$(BENCH_ONE_CHANGE=1 run "$label django one-change" 1 "$dp" --repeat "$dj_repeat" -- \
        timeout "$dj_timeout" "$dj_python" manage.py makemigrations --check --dry-run)
    fi
  fi
  echo "| $n | $m | $k | $mig_mb | $(fmt "$cold") | $(fmt "$warm") | $(fmt "$one") | $(fmt "$d0") | $(fmt "$d1") | $(ratio "$d0" "$cold" cpu_s) | $(ratio "$d0" "$warm" cpu_s) | $(ratio "$d1" "$one" cpu_s) |"
}

header() {
  echo "| relations | rules | migrations | .mig MB | Strata no-change, cold | Strata no-change, stamp hit | Strata one-change | Django no-change | Django one-change | Django/Strata CPU, no-change cold | no-change stamp hit | one-change |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo)"
echo "strata: $build/bin/strata, copied to $strata ($(grep -m1 CMAKE_BUILD_TYPE: "$build/CMakeCache.txt" | cut -d= -f2)); Django $dj_version ($dj_python); BENCH_REPEAT=$repeat, DJANGO_REPEAT=$dj_repeat"
echo
echo "Cells: best wall / best CPU (user+sys) seconds, peak RSS."
echo
echo "Main projects:"
echo
header
declare -A done_rows
for s in $sizes; do
  IFS=: read -r n m k <<<"$s"
  row=$(measure main "$n" "$m" "$k")
  echo "$row"
  done_rows["$n:$m:$k"]=$row
done
if [ -n "$sweep_k" ]; then
  echo
  echo "Growth with the history (N=$sweep_n, M=$sweep_m):"
  echo
  header
  for k in $sweep_k; do
    if [ -n "${done_rows["$sweep_n:$sweep_m:$k"]+x}" ]; then
      echo "${done_rows["$sweep_n:$sweep_m:$k"]}"
    else
      measure sweep "$sweep_n" "$sweep_m" "$k"
    fi
  done
fi
echo
echo "Where the cold no-change time goes (main projects):"
echo
echo "| relations | rules | migrations | makemigrations --check, cold | check --schema (schema only) | showmigrations --offline (history only: load, strata.sum, replay) |"
echo "|---|---|---|---|---|---|"
cat "$work/breakdown.md"
echo
echo "raw results: $log"
