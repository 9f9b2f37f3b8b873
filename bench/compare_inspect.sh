#!/usr/bin/env bash
# Whole-command timings in one run: rtaudit inspect vs plastimatch convert (rasterises every ROI)
# vs dcmdump (merely parses and prints: the floor). Median of N runs each, wall clock.
# Usage: bench/compare_inspect.sh [RTSTRUCT] [RUNS]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
rs=${1:-$top/../shared/data/conformance/SlicerRT/Testing/Data/DICOM/EclipseProstatePhantomRtData/RS.1.2.246.352.71.4.2088656855.2404649.20110920153449.dcm}
runs=${2:-10}
rtaudit=${RTAUDIT:-$top/build/rtaudit/rtaudit}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

median_ms() {  # runs a command $runs times, prints the median wall time in ms
  local times=()
  for _ in $(seq "$runs"); do
    local t0 t1
    t0=$(date +%s%N)
    "$@" > /dev/null 2>&1
    t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.1f\n", m/1000}'
}

t_rtaudit=$(median_ms "$rtaudit" inspect --json "$rs")
t_plastimatch=$(median_ms plastimatch convert --input "$rs" --output-prefix "$work/masks/")
t_dcmdump=$(median_ms dcmdump "$rs")
echo "file: $(basename "$rs") ($(stat -c %s "$rs") bytes), $runs runs each, median wall time"
echo "rtaudit inspect --json : $t_rtaudit ms"
echo "plastimatch convert    : $t_plastimatch ms"
echo "dcmdump (parse floor)  : $t_dcmdump ms"
awk -v r="$t_rtaudit" -v p="$t_plastimatch" -v d="$t_dcmdump" \
  'BEGIN {printf "plastimatch / rtaudit = %.1fx faster; rtaudit / dcmdump = %.2fx the parse floor\n", p/r, r/d}'
