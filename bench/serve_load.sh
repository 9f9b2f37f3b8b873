#!/usr/bin/env bash
# The DICOM node's load figures for docs/benchmarks.md (issue 9).
#   1. Receiving alone, against a peer in the same run: 20 storescu clients at once, each a patient with a
#      512 x 512 x 150 CT and its RTSTRUCT, RTPLAN and RTDOSE (3,060 objects, 1.7 GB), into
#      (a) `rtaudit serve --workers 0` (checks every object, fsyncs it and its folder before answering) and
#      (b) DCMTK's `storescp --fork` (writes each object as it comes, no checks, no fsync).
#   2. The test suite's load tests, which print their figure lines:
#      ServeLoad (the same 20 clients into a node with 2 workers: export-to-report latency) and the
#      300-case cohort audited by 3 `rtaudit worker`s on one PostgreSQL.
# Needs a release build (scripts/build.sh) and, for the cohort, PostgreSQL (scripts/test-services.sh).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
rtaudit=$build/rtaudit/rtaudit
clients=${RTAUDIT_LOAD_CLIENTS:-20}
if [ -z "${RTAUDIT_TEST_POSTGRES:-}" ]; then eval "$(bash "$top/scripts/test-services.sh")" || true; fi
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); $(date -u +%F)"

work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
for i in $(seq 0 $((clients - 1))); do "$rtaudit" phantom -q --clinical-ct --seed $((300 + i)) --out "$work/patients/p$i"; done
objects=$(find "$work/patients" -name '*.dcm' | wc -l)
mb=$(du -sm "$work/patients" | cut -f1)

send_all() {  # port -> wall seconds for all clients to finish
  local port=$1 t0 t1 pids=()
  t0=$(date +%s%N)
  for i in $(seq 0 $((clients - 1))); do
    storescu -aet "PLAN$i" -aec RTAUDIT +sd +r +sp '*.dcm' localhost "$port" "$work/patients/p$i" > "$work/send$i.log" 2>&1 &
    pids+=($!)
  done
  wait "${pids[@]}"
  t1=$(date +%s%N)
  awk -v ns=$((t1 - t0)) 'BEGIN {printf "%.2f", ns / 1e9}'
}
wait_echo() { for _ in $(seq 1 100); do echoscu -aec RTAUDIT localhost "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done; return 1; }

port=$((24000 + $$ % 1000))
"$rtaudit" serve --storage "$work/node" --port "$port" --workers 0 --settle 3600 --max-associations $((clients + 2)) > "$work/node.log" 2>&1 &
node=$!
wait_echo "$port"
t_node=$(send_all "$port")
stored=$(find "$work/node/objects" -name '*.dcm' | wc -l)
kill -TERM "$node"; wait "$node" || true

mkdir -p "$work/storescp"
storescp --fork -aet RTAUDIT -od "$work/storescp" "$((port + 1))" > "$work/storescp.log" 2>&1 &
scp=$!
wait_echo "$((port + 1))"
t_scp=$(send_all "$((port + 1))")
received=$(find "$work/storescp" -type f | wc -l)
kill "$scp" 2>/dev/null || true

echo "receive: $clients clients, $objects objects, $mb MB"
awk -v t="$t_node" -v n="$objects" -v m="$mb" -v s="$stored" 'BEGIN {printf "  rtaudit serve:   %.2f s, %.0f objects/s, %.0f MB/s (%d stored)\n", t, n / t, m / t, s}'
awk -v t="$t_scp" -v n="$objects" -v m="$mb" -v s="$received" 'BEGIN {printf "  storescp --fork: %.2f s, %.0f objects/s, %.0f MB/s (%d written)\n", t, n / t, m / t, s}'
awk -v a="$t_node" -v b="$t_scp" 'BEGIN {printf "  rtaudit serve / storescp wall time: %.2f\n", a / b}'
rm -rf "$work/node" "$work/storescp"

"$build/tests/serve_load_tests" --gtest_filter='ServeLoad.*' 2>/dev/null | grep -E '^load:|OK \]|FAILED'
"$build/tests/worker_cli_tests" --gtest_filter='WorkerCli.ThreeWorkers*' 2>/dev/null | grep -E '^cohort:|OK \]|FAILED|SKIPPED'
