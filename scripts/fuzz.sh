#!/usr/bin/env bash
# Builds the libFuzzer targets (clang-14, ASan+UBSan) into build-fuzz/ and
# runs them:
#   strata-fuzz-parser  for three quarters of SECONDS (default 60) on every
#                       .strata, .mig and .test file under test/ and
#                       examples/ (tools/strata-fuzz/strata.dict);
#   strata-fuzz-lexer   for the remaining quarter on the same seeds: the
#                       hand-written scanner, the recursive-descent parser
#                       and item-at-a-time parsing against the generated
#                       lexer and the whole-file parse (tokens, AST,
#                       diagnostics). The parser target
#                       runs the scanner too, so splitting its time keeps
#                       CI's total as it was;
#   strata-fuzz-engine  for SECONDS on every .iql file under test/ and the
#                       programs in tools/strata-fuzz/iql-seeds/
#                       (tools/strata-fuzz/iql.dict);
#   strata-fuzz-iql     for a quarter of SECONDS on the same IQL seeds: the
#                       front end alone (split, parse, print) runs some
#                       hundred times faster than the engine, so a quarter
#                       still covers it well and keeps CI's total as before.
#   strata-fuzz-ws      for a quarter of SECONDS on tools/strata-fuzz/ws-seeds/
#                       (WebSocket frames and upgrade requests, ws.dict);
#   strata-fuzz-json    for a quarter of SECONDS on tools/strata-fuzz/json-seeds/
#                       (protocol frames read by the client, json.dict);
#   strata-fuzz-state   for a quarter of SECONDS on tools/strata-fuzz/state-seeds/
#                       (state files and bodies, state.dict).
#   strata-fuzz-lsp     for a quarter of SECONDS on tools/strata-fuzz/lsp-seeds/
#                       (`strata lsp`'s standard input, lsp.dict; the quarter
#                       the IQL front end gave up).
#                       These four run thousands of inputs a second, so a
#                       quarter each (60 s of CI's 60) is enough to catch a
#                       regression; longer runs are in docs/security.md.
# `fuzz.sh --only TARGET SECONDS` runs that one target for all of SECONDS
# (the long runs recorded in docs/security.md).
# Prints one line per target, then a one-line result as the LAST line
# (`fuzz: ok: ...` or `fuzz: FAILED: ...`). Exits non-zero when any target
# finds a crash, leak, timeout or out-of-memory; reproducers are left in
# build-fuzz/fuzz-artifacts/<target>/.
#   STRATA_FUZZ_BUILD_DIR  build directory (default build-fuzz)
#   STRATA_FUZZ_JOBS       build parallelism (default nproc)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
only=
if [ "${1:-}" = --only ]; then
  only=${2:-}
  shift 2 || { echo "usage: fuzz.sh [--only TARGET] [SECONDS]" >&2; exit 2; }
fi
seconds=${1:-60}
build=${STRATA_FUZZ_BUILD_DIR:-$root/build-fuzz}
jobs=${STRATA_FUZZ_JOBS:-$(nproc)}

fail() { echo "fuzz: FAILED: $*"; exit 1; }

case "$seconds" in
  ''|*[!0-9]*) echo "usage: fuzz.sh [--only TARGET] [SECONDS]" >&2; exit 2 ;;
esac
command -v clang++-14 >/dev/null || fail "clang++-14 not found (run scripts/setup.sh)"
mkdir -p "$build"

# Debian 12's ANTLR 4.9 runtime headers do not compile with clang:
# misc/InterpreterDataReader.h default-constructs a Vocabulary whose const
# members make that constructor deleted (GCC accepts it). The runtime never
# calls that constructor from our code, so a patched copy of the headers in
# the build directory, declaring it `= default` (and so deleted), suffices.
antlr_include=/usr/include/antlr4-runtime
if ! echo '#include "antlr4-runtime.h"' |
     clang++-14 -std=c++17 -fsyntax-only -w -I"$antlr_include" -x c++ - 2>/dev/null; then
  shim=$build/antlr4-runtime-clang
  if [ ! -f "$shim/antlr4-runtime.h" ]; then
    mkdir -p "$build" && rm -rf "$shim" && cp -r "$antlr_include" "$shim" || fail "cannot copy ANTLR headers"
    sed -i 's/InterpreterData() {};/InterpreterData() = default;/' "$shim/misc/InterpreterDataReader.h"
  fi
  antlr_include=$shim
fi

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
if [ ! -f "$build/build.ninja" ]; then
  CC=clang-14 CXX=clang++-14 cmake -S "$root" -B "$build" -G Ninja \
    -DSTRATA_BUILD_FUZZER=ON -DSTRATA_BUILD_TESTS=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" \
    -DANTLR4_INCLUDE_DIR="$antlr_include" >"$build/configure.log" 2>&1 ||
    { cat "$build/configure.log"; fail "cmake configure"; }
elif ! grep -q "^ANTLR4_INCLUDE_DIR:PATH=$antlr_include\$" "$build/CMakeCache.txt"; then
  cmake "$build" -DANTLR4_INCLUDE_DIR="$antlr_include" >/dev/null || fail "cmake reconfigure"
fi
targets=(strata-fuzz-parser strata-fuzz-lexer strata-fuzz-engine strata-fuzz-iql strata-fuzz-ws
  strata-fuzz-json strata-fuzz-state strata-fuzz-lsp)
ninja -C "$build" -j "$jobs" "${targets[@]}" >"$build/fuzz-build.log" 2>&1 ||
  { tail -40 "$build/fuzz-build.log"; fail "build of ${targets[*]}"; }

# Seeds are copied, so that a corpus directory only ever grows with what the
# fuzzer finds (libFuzzer names files by hash).
seed() { # CORPUS FILE...
  local corpus=$1 f
  shift
  mkdir -p "$corpus"
  for f in "$@"; do
    cp "$f" "$corpus/seed-$(sha1sum "$f" | cut -c1-16)"
  done
}
mapfile -t parser_seeds < <(find "$root/test" "$root/examples" -type f \
  \( -name '*.strata' -o -name '*.mig' -o -name '*.test' \) -size -4k 2>/dev/null)
mapfile -t engine_seeds < <(find "$root/test" "$root/tools/strata-fuzz/iql-seeds" -type f \
  -name '*.iql' -size -4k 2>/dev/null)
seed "$build/corpus" "${parser_seeds[@]}"
seed "$build/corpus-lexer" "${parser_seeds[@]}"
seed "$build/corpus-engine" "${engine_seeds[@]}"
seed "$build/corpus-iql" "${engine_seeds[@]}"
for name in ws json state lsp; do
  seed "$build/corpus-$name" "$root/tools/strata-fuzz/$name-seeds"/*
done

# One run of target $1 on corpus $2 with dictionary $3 for $4 seconds. -detect_leaks stays
# on (default); -timeout is per input (25 s: far above the ~10 ms a 4 KB
# input takes under ASan, yet tolerant of a loaded shared machine, where
# 10 s once fired on an input that runs in 7 ms); -rss_limit_mb bounds
# memory; -max_len keeps inputs near the size of real declarations and
# programs. Prints the target's line; returns non-zero on a finding.
run_target() {
  local target=$1 corpus=$2 dict=$3 seconds=$4
  local artifacts=$build/fuzz-artifacts/$target/ log=$build/fuzz-$target.log status
  mkdir -p "$artifacts"
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1} \
  UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
  "$build/bin/$target" "$corpus" -dict="$dict" \
    -max_total_time="$seconds" -max_len=4096 -timeout=25 -rss_limit_mb=4096 \
    -artifact_prefix="$artifacts" -print_final_stats=1 >"$log" 2>&1
  status=$?
  local execs rate cov
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$')
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*')
  if [ $status -ne 0 ] || grep -qE '^==[0-9]+==ERROR|runtime error:|ERROR: libFuzzer' "$log"; then
    grep -E 'ERROR|runtime error|SUMMARY|Test unit written' "$log" | head -10
    echo "$target: FAILED: exited $status after ${execs:-?} runs; see $log, reproducer in $artifacts"
    return 1
  fi
  echo "$target: ok: ${execs:-?} runs in ${seconds}s (${rate:-?}/s), coverage ${cov:-?}"
}

# The corpus directory and dictionary of each target.
corpus_of() {
  case $1 in
    strata-fuzz-parser) echo "$build/corpus" ;;
    strata-fuzz-*) echo "$build/corpus-${1#strata-fuzz-}" ;;
  esac
}
dict_of() {
  case $1 in
    strata-fuzz-parser | strata-fuzz-lexer) echo "$root/tools/strata-fuzz/strata.dict" ;;
    strata-fuzz-engine | strata-fuzz-iql) echo "$root/tools/strata-fuzz/iql.dict" ;;
    strata-fuzz-*) echo "$root/tools/strata-fuzz/${1#strata-fuzz-}.dict" ;;
  esac
}
if [ -n "$only" ]; then
  case " ${targets[*]} " in
    *" $only "*) ;;
    *) echo "fuzz.sh: unknown target '$only' (one of: ${targets[*]})" >&2; exit 2 ;;
  esac
  run_target "$only" "$(corpus_of "$only")" "$(dict_of "$only")" "$seconds" || fail "$only"
  echo "fuzz: ok: $only (${seconds}s), no crash, leak or timeout"
  exit 0
fi

failed=()
quarter=$(( seconds / 4 > 0 ? seconds / 4 : 1 ))
for target in "${targets[@]}"; do
  case $target in
    strata-fuzz-parser) time=$(( seconds - quarter )) ;;
    strata-fuzz-engine) time=$seconds ;;
    *) time=$quarter ;;
  esac
  run_target "$target" "$(corpus_of "$target")" "$(dict_of "$target")" "$time" ||
    failed+=("$target")
done
[ ${#failed[@]} -eq 0 ] || fail "${failed[*]} (reproducers in $build/fuzz-artifacts/)"
echo "fuzz: ok: ${#targets[@]} targets ($(( seconds - quarter ))s, ${seconds}s, 6 x ${quarter}s), no crash, leak or timeout"
