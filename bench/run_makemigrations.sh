#!/usr/bin/env bash
# Measures `strata makemigrations` against Django's `makemigrations` on
# equivalent generated projects (bench/gen_project.py, bench/gen_django.py),
# side by side in one run, and prints Markdown tables.
#
# For each project (N relations, M rule clauses, K migrations):
#   strata cold          makemigrations --check with no .strata/ at all (a fresh
#                        checkout: no build cache, no sync stamp)
#   strata warm          makemigrations --check after a run that filled the build
#                        cache, with the sync stamp removed (as after a checkout or
#                        a `touch`: the files' contents are what the cache knows)
#   strata stamp         the same with the sync stamp of that run in place
#   strata one-change    makemigrations --dry-run after an edit of schema/part_000
#                        (one column added to rel_1), the cache as the no-change
#                        run left it (restored before every run)
#   strata one-change, cold   the same edit with no .strata/
#   strata after pull    makemigrations --check after a `git pull` brought the
#                        last MM_PULL migrations and the schema files they
#                        change: the cache is the one a no-change run left on
#                        the project before them (bench/gen_project.py
#                        --before-last), restored before every run; the pull
#                        writes only the files that differ, as git does
#   django no-change     manage.py makemigrations --check --dry-run (exit 0), with
#                        its bytecode cache (__pycache__) written by a first run
#   django one-change    the same with BENCH_ONE_CHANGE=1 (one extra field on Rel1;
#                        exit 1: --check found changes)
#   django cold          no-change with every __pycache__ removed before each run
#   django after pull    no-change with the bytecode of models.py and of the last
#                        MM_PULL migrations removed before each run (the files
#                        the pull brought)
# Each cell is the best wall time and the best CPU time (user + sys of the
# child and its children, os.wait4) of BENCH_REPEAT runs (DJANGO_REPEAT for
# Django, each under a timeout), and the peak RSS (ru_maxrss). Ratios are
# Django / Strata, on wall time and (in brackets) on CPU time.
#
#   MM_SIZES="1000:2000:1000 10000:20000:5000"  N:M:K of the main projects
#   MM_SWEEP_N=1000 MM_SWEEP_M=2000              fixed N and M of the K sweep
#   MM_SWEEP_K="250 500 1000 2000 5000"          history sizes of the sweep ("" skips it)
#   MM_PULL=10                                   migrations the `git pull` brings
#   MM_DJANGO=1                                  0 skips Django
#   MM_DJANGO_COLD=main                          main | all | none: where Django
#                                                runs without __pycache__ are measured
#   DJANGO_TIMEOUT=600                           seconds per Django run
#   DJANGO_REPEAT=2                              Django runs per measurement
#   DJANGO_PYTHON=/usr/bin/python3               Debian's python3 (python3-django)
#   BENCH_REPEAT=5                               Strata runs per measurement
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
repeat=${BENCH_REPEAT:-5}
pull=${MM_PULL:-10}
use_django=${MM_DJANGO:-1}
django_cold=${MM_DJANGO_COLD:-main}
dj_timeout=${DJANGO_TIMEOUT:-600}
dj_python=${DJANGO_PYTHON:-/usr/bin/python3}
dj_repeat=${DJANGO_REPEAT:-2}
timeit=(python3 "$root/bench/timeit.py")
dj_app=benchapp # bench/gen_django.py's app

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
if ! "$strata" makemigrations --help 2>/dev/null | grep -- '--check' >/dev/null; then
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

ratio() { # django-json strata-json -> "Nx (Mx)": on wall time, and on CPU time
  python3 - "$1" "$2" <<'PY'
import json, sys
d, s = json.loads(sys.argv[1]), json.loads(sys.argv[2])
def r(k):
    x = d[k] / s[k]
    return f"{x:.0f}x" if x >= 10 else f"{x:.1f}x"
if any(x.get("bad") or x.get("skipped") or x.get("exit") == 124 for x in (d, s)) or \
        s["wall_s"] <= 0 or s["cpu_s"] <= 0:
    print("—")
else:
    print(f"{r('wall_s')} ({r('cpu_s')})")
PY
}

na='{"wall_s": 0, "cpu_s": 0, "peak_rss_kb": 0, "exit": 0, "skipped": 1}'

# The Django runs write and use __pycache__ as Django users' runs do (this
# machine's environment may say PYTHONDONTWRITEBYTECODE).
django() { env -u PYTHONDONTWRITEBYTECODE "$@"; }

# measure KIND N M K -> one line of each table (times, ratios)
measure() {
  local kind=$1 n=$2 m=$3 k=$4
  local label="n${n}-m${m}-k${k}"
  local sp=$work/strata-$label dp=$work/django-$label
  local summary
  rm -rf "$sp"
  summary=$(python3 "$root/bench/gen_project.py" "$sp" --relations "$n" --rules "$m" \
    --migrations "$k" --seed 1 --strata "$strata")
  echo "$label: $summary" >&2
  # The one-change edit: rel_1 gets one more column (it is read by rules
  # only through named atoms, so the change is a single add column).
  cp "$sp/schema/part_000.strata" "$sp/part_000.original"
  sed 's/^relation rel_1(\(.*\))$/relation rel_1(\1, bench_extra: int = 0)/' \
    "$sp/part_000.original" > "$sp/part_000.edited"
  local mig_mb
  mig_mb=$(cat "$sp"/migrations/*.mig | wc -c | awk '{printf "%.2f", $1 / 1e6}')
  local mm=(makemigrations --schema schema --migrations migrations)

  local cold warm stamp one onecold d0=$na d1=$na dc=$na dp0=$na
  cold=$(run "$label strata cold" 0 "$sp" --repeat "$repeat" --before 'rm -rf .strata' -- \
    "$strata" "${mm[@]}" --check)
  # Fill the cache as a developer's no-change run does (files older than a
  # second, so that their hashes and the stamp are trusted).
  sleep 1.1
  (cd "$sp" && rm -rf .strata && "$strata" "${mm[@]}" --check >/dev/null &&
    rm -f .strata/sync-stamp && cp -a .strata .strata-filled)
  warm=$(run "$label strata warm" 0 "$sp" --repeat "$repeat" --before 'rm -f .strata/sync-stamp' -- \
    "$strata" "${mm[@]}" --check)
  (cd "$sp" && "$strata" "${mm[@]}" --check >/dev/null)
  stamp=$(run "$label strata stamp" 0 "$sp" --repeat "$repeat" -- "$strata" "${mm[@]}" --check)
  one=$(run "$label strata one-change" 0 "$sp" --repeat "$repeat" --before \
    'rm -rf .strata && cp -a .strata-filled .strata && cp part_000.edited schema/part_000.strata' -- \
    "$strata" "${mm[@]}" --dry-run)
  (cd "$sp" && "$strata" "${mm[@]}" --dry-run) | grep '^  add column rel_1.bench_extra: int = 0$' >/dev/null ||
    { echo "one-change dry run did not find the added column" >&2; exit 1; }
  onecold=$(run "$label strata one-change cold" 0 "$sp" --repeat "$repeat" --before \
    'rm -rf .strata && cp part_000.edited schema/part_000.strata' -- "$strata" "${mm[@]}" --dry-run)
  cp "$sp/part_000.original" "$sp/schema/part_000.strata"
  # After a pull: the project before its last $pull migrations, its cache
  # filled by a no-change run, then the files that differ copied over.
  local pp=$work/strata-$label-pulled
  rm -rf "$pp"
  python3 "$root/bench/gen_project.py" "$pp" --relations "$n" --rules "$m" --migrations "$k" \
    --seed 1 --strata "$strata" --before-last "$pull" >/dev/null
  sleep 1.1
  (cd "$pp" && "$strata" "${mm[@]}" --check >/dev/null && rm -f .strata/sync-stamp &&
    cp -a .strata .strata-parent)
  (cd "$sp" && for f in schema/*.strata migrations/*.mig migrations/strata.sum; do
    cmp -s "$f" "$pp/$f" || cp "$f" "$pp/$f"; done)
  local pulled
  pulled=$(run "$label strata after pull" 0 "$pp" --repeat "$repeat" --before \
    'rm -rf .strata && cp -a .strata-parent .strata' -- "$strata" "${mm[@]}" --check)
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
    (cd "$dp" && django timeout "$dj_timeout" "$dj_python" manage.py makemigrations --check \
      --dry-run >/dev/null) || true # writes __pycache__
    d0=$(run "$label django no-change" 0 "$dp" --repeat "$dj_repeat" -- env -u PYTHONDONTWRITEBYTECODE \
      timeout "$dj_timeout" "$dj_python" manage.py makemigrations --check --dry-run)
    d1=$(BENCH_ONE_CHANGE=1 run "$label django one-change" 1 "$dp" --repeat "$dj_repeat" -- \
      env -u PYTHONDONTWRITEBYTECODE timeout "$dj_timeout" "$dj_python" manage.py \
      makemigrations --check --dry-run)
    local pulled_pyc
    pulled_pyc=$(cd "$dp/$dj_app/migrations" && ls [0-9]*.py | sort | tail -n "$pull" |
      sed "s|^\(.*\)\.py$|$dj_app/migrations/__pycache__/\1.*.pyc|" | tr '\n' ' ')
    dp0=$(run "$label django after pull" 0 "$dp" --repeat "$dj_repeat" \
      --before "rm -f $dj_app/__pycache__/models.*.pyc $pulled_pyc" -- \
      env -u PYTHONDONTWRITEBYTECODE timeout "$dj_timeout" "$dj_python" manage.py \
      makemigrations --check --dry-run)
    if [ "$django_cold" = all ] || { [ "$django_cold" = main ] && [ "$kind" = main ]; }; then
      dc=$(run "$label django cold" 0 "$dp" --repeat "$dj_repeat" \
        --before 'find . -name __pycache__ -prune -exec rm -rf {} +' -- \
        timeout "$dj_timeout" "$dj_python" manage.py makemigrations --check --dry-run)
    fi
  fi
  echo "| $n | $m | $k | $mig_mb | $(fmt "$cold") | $(fmt "$warm") | $(fmt "$stamp") | $(fmt "$one") | $(fmt "$onecold") | $(fmt "$pulled") | $(fmt "$d0") | $(fmt "$d1") | $(fmt "$dc") | $(fmt "$dp0") |"
  echo "| $n | $m | $k | $(ratio "$d0" "$warm") | $(ratio "$d0" "$stamp") | $(ratio "$d1" "$one") | $(ratio "$dc" "$cold") | $(ratio "$d0" "$cold") | $(ratio "$d1" "$onecold") | $(ratio "$dp0" "$pulled") |" >> "$work/ratios.md"
}

header() {
  echo "| relations | rules | migrations | .mig MB | Strata cold | Strata warm | Strata stamp | Strata one-change | Strata one-change, cold | Strata after pull | Django no-change | Django one-change | Django cold | Django after pull |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
}
ratio_header() {
  echo "| relations | rules | migrations | no-change: warm vs Django | stamp vs Django | one-change vs Django one-change | cold vs Django cold | cold vs Django | one-change cold vs Django one-change | after pull vs Django after pull |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo)"
echo "strata: $build/bin/strata, copied to $strata ($(grep -m1 CMAKE_BUILD_TYPE: "$build/CMakeCache.txt" | cut -d= -f2)); Django $dj_version ($dj_python); BENCH_REPEAT=$repeat, DJANGO_REPEAT=$dj_repeat"
echo
echo "Cells: best wall / best CPU (user+sys) seconds, peak RSS."
echo
echo "Main projects:"
echo
header
: > "$work/ratios.md"
declare -A done_rows
for s in $sizes; do
  IFS=: read -r n m k <<<"$s"
  row=$(measure main "$n" "$m" "$k")
  echo "$row"
  done_rows["$n:$m:$k"]=$row
done
echo
echo "Django / Strata, on wall time (on CPU time):"
echo
ratio_header
cat "$work/ratios.md"
if [ -n "$sweep_k" ]; then
  : > "$work/ratios.md"
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
  echo
  echo "Django / Strata (sweep; rows measured above for the main projects are not repeated):"
  echo
  ratio_header
  cat "$work/ratios.md"
fi
echo
echo "Where the cold no-change time goes (main projects):"
echo
echo "| relations | rules | migrations | makemigrations --check, cold | check --schema (schema only) | showmigrations --offline (history only: load, strata.sum, replay) |"
echo "|---|---|---|---|---|---|"
cat "$work/breakdown.md"
echo
echo "raw results: $log"
