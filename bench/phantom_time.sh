#!/usr/bin/env bash
# Whole-command time of `rtaudit phantom` (CT + RTSTRUCT + RTPLAN + RTDOSE + truth), median of N runs.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
rtaudit=${RTAUDIT:-$top/build/rtaudit/rtaudit}
runs=${1:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for variant in estro no-landmarks; do
  times=()
  for i in $(seq "$runs"); do
    t0=$(date +%s%N)
    "$rtaudit" phantom -q --out "$work/p$i" --seed "$i" --variant "$variant"
    t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000000 )))
  done
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "rtaudit phantom --variant $variant: median ${median} ms over $runs seeds (${times[*]} ms)"
done
du -sh "$work/p1" | awk '{print "size of one patient: " $1}'
