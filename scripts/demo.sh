#!/usr/bin/env bash
# One command for a fresh Debian 12 machine: install dependencies, build, generate the demo patient
# (a synthetic thorax with known answers) and run rtaudit on it. Output goes to ./demo-output.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh -DRTAUDIT_TESTS=OFF -DRTAUDIT_BENCHMARKS=OFF
out=${1:-demo-output}
./build/rtaudit/rtaudit phantom --out "$out/patient" --seed 1 --variant estro
./build/rtaudit/rtaudit inspect "$out/patient"
echo
echo "demo patient in $out/patient (truth.json lists every planted fact); JSON view: rtaudit inspect --json $out/patient"
