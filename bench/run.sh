#!/usr/bin/env bash
# Builds Strata (Release, gcc) into build-bench/ and measures `strata parse`
# on every generated file and `strata check --schema DIR` (when implemented)
# on synthetic projects of 1k, 10k and 100k declarations, plus the target
# case of 10k relations / 20k rules. Prints a Markdown table. Wall times are
# the best of BENCH_REPEAT runs; CPU (user+sys) times are less sensitive to a
# loaded machine and are what the throughput columns use.
#   BENCH_SIZES="1000 10000 100000"   declaration counts
#   BENCH_REPEAT=3                     runs per measurement (best wall time)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${STRATA_BENCH_BUILD_DIR:-$root/build-bench}
work=${BENCH_WORK_DIR:-$build/bench-data}
sizes=${BENCH_SIZES:-1000 10000 100000}
repeat=${BENCH_REPEAT:-3}

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
if [ ! -f "$build/build.ninja" ]; then
  CCACHE_BASEDIR=$root cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    "${launcher[@]}" >/dev/null
fi
CCACHE_BASEDIR=$root ninja -C "$build" -j "${BENCH_JOBS:-$(nproc)}" strata >/dev/null
strata=$build/bin/strata
has_check=0
"$strata" check --help 2>/dev/null | grep -- '--schema' >/dev/null && has_check=1

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo
echo "| project | files | MB | decls | rules | parse wall s | parse CPU s | parse MB/s (CPU) | parse decls/s (CPU) | parse peak RSS MB | check wall s | check CPU s | check decls/s (CPU) | check peak RSS MB |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"

measure() { # label gen-args...
  local label=$1; shift
  local dir=$work/$label
  rm -rf "$dir"
  local summary
  summary=$(python3 "$root/bench/gen_schema.py" "$dir" "$@")
  local decls rules files bytes
  decls=$(echo "$summary" | grep -o '^[0-9]*')
  rules=$(echo "$summary" | grep -o '[0-9]* rules' | grep -o '[0-9]*')
  files=$(ls "$dir"/schema/*.strata | wc -l)
  bytes=$(cat "$dir"/schema/*.strata | wc -c)
  # Parse: each file on its own process; wall times add up, RSS is the max.
  local pwall=0 pcpu=0 prss=0 f r
  for f in "$dir"/schema/*.strata; do
    r=$(python3 "$root/bench/timeit.py" --repeat "$repeat" -- "$strata" parse "$f")
    [ "$(echo "$r" | python3 -c 'import json,sys; print(json.load(sys.stdin)["exit"])')" = 0 ] ||
      { echo "parse failed on $f" >&2; "$strata" parse "$f" | head >&2; exit 1; }
    pwall=$(python3 -c "import json; print($pwall + json.loads('$r')['wall_s'])")
    pcpu=$(python3 -c "import json; print($pcpu + json.loads('$r')['cpu_s'])")
    prss=$(python3 -c "import json; print(max($prss, json.loads('$r')['peak_rss_kb']))")
  done
  local cwall="n/a" ccpu="n/a" crss="n/a" cdps="n/a"
  if [ $has_check = 1 ]; then
    r=$(python3 "$root/bench/timeit.py" --repeat "$repeat" -- "$strata" check --schema "$dir/schema")
    [ "$(echo "$r" | python3 -c 'import json,sys; print(json.load(sys.stdin)["exit"])')" = 0 ] ||
      { echo "check failed on $dir" >&2; "$strata" check --schema "$dir/schema" 2>&1 | head -20 >&2; exit 1; }
    cwall=$(python3 -c "import json; print('%.3f' % json.loads('$r')['wall_s'])")
    crss=$(python3 -c "import json; print('%.1f' % (json.loads('$r')['peak_rss_kb'] / 1024))")
    ccpu=$(python3 -c "import json; print('%.3f' % json.loads('$r')['cpu_s'])")
    cdps=$(python3 -c "print('%.0f' % ($decls / $ccpu))")
  fi
  python3 - "$label" "$files" "$bytes" "$decls" "$rules" "$pwall" "$pcpu" "$prss" "$cwall" "$ccpu" "$cdps" "$crss" <<'PY'
import sys
label, files, size, decls, rules, pwall, pcpu, prss, cwall, ccpu, cdps, crss = sys.argv[1:]
mb = int(size) / 1e6; pwall = float(pwall); pcpu = float(pcpu)
print(f"| {label} | {files} | {mb:.2f} | {decls} | {rules} | {pwall:.3f} | {pcpu:.3f} | {mb / pcpu:.2f} | "
      f"{int(decls) / pcpu:.0f} | {int(prss) / 1024:.1f} | {cwall} | {ccpu} | {cdps} | {crss} |")
PY
}

for n in $sizes; do
  measure "decls-$n" --decls "$n" --seed 1
done
# The target: 10k relations and 20k rules (10k derived relations, 2 rules each).
measure "target-10k-rel-20k-rules" --decls 21000 --relation-share 0.4762 --rules-per-derived 2 --seed 1
