#!/usr/bin/env bash
# Starts N `strata exec` writers at once, each inserting its own fact and
# retrying while another holds the file: target's lock. Fails if any
# writer fails for another reason.
set -u
strata=$1 n=$2
pids=()
for i in $(seq 2 $((n + 1))); do
  (
    for try in $(seq 1 200); do
      out=$("$strata" exec -e "+a[($i)]" 2>&1) && exit 0
      case "$out" in *locked*|*lock*) sleep 0.05 ;; *) echo "$out" >&2; exit 1 ;; esac
    done
    echo "writer $i never got the lock" >&2; exit 1
  ) &
  pids+=($!)
done
status=0
for p in "${pids[@]}"; do wait "$p" || status=1; done
exit $status
