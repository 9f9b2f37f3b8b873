#!/usr/bin/env bash
# Runs the RTSTRUCT fuzz target for N seconds, seeded with the conformance files when ../shared
# exists (copied to a temporary corpus, never into the repository). Exit status non-zero on a finding.
set -euo pipefail
fuzzer=${1:?usage: fuzz/run.sh FUZZER SECONDS}
seconds=${2:-60}
top=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/seed" "$work/corpus"
if [ -d "$top/../shared/data/conformance" ]; then
  i=0
  while IFS= read -r -d '' f; do
    cp "$f" "$work/seed/$i.dcm"; i=$((i + 1))
  done < <(find "$top/../shared/data/conformance" -name '*.dcm' -size -3M ! -name 'ct_slice_*' -print0)
  echo "seed corpus: $i conformance files"
else
  echo "seed corpus: none (../shared absent); starting from an empty corpus"
fi
status=0
"$fuzzer" -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=2100000 -timeout=20 \
  -artifact_prefix="$work/" -print_final_stats=1 "$work/corpus" "$work/seed" > "$work/log" 2>&1 || status=$?
tail -25 "$work/log"
if [ "$status" -ne 0 ]; then
  echo "fuzzer finding; artifacts:"; ls -la "$work"
  for a in "$work"/crash-* "$work"/oom-* "$work"/timeout-* "$work"/leak-*; do
    [ -e "$a" ] && base64 "$a" | head -c 4000
  done
  exit "$status"
fi
echo "fuzz: no finding in ${seconds} s"
